"""阅读 Reader: one paper's clean text by section with events, mechanisms and policies
highlighted in place; the target of every "show source" link (?doc=…&para=…)."""

import streamlit as st

from components import state
from components.i18n import translate
from components.page import PageContext
from components.reader import reader_html
from components.safe import html_text, md
from components.shell import run_page
from components.views import document_label


def render(page: PageContext) -> None:
    lang, corpus, order = page.lang, page.corpus, page.order
    docs, labels = page.documents, corpus.labels(lang)
    if state.get("doc") not in labels:
        state.update(doc=(state.get("papers") or order or [None])[0], para=None)
    doc_id = state.get("doc")
    if doc_id is None:
        st.info(page.t("data.empty_selection"))
        return
    if not page.present:
        st.selectbox(
            page.t("reader.choose"),
            order,
            format_func=lambda d: labels.get(d, d),
            placeholder=translate("widget.choose", lang),
            key=state.widget_key("doc"),
            on_change=_doc_changed,
        )
    doc = docs[docs["doc_id"] == doc_id].iloc[0]
    _heading(doc, lang)
    paragraphs = corpus.table("paragraphs")
    body = reader_html(
        doc_id,
        corpus.table("sections"),
        paragraphs,
        corpus.table("events"),
        corpus.table("mechanisms"),
        corpus.table("policies"),
        target_para=state.get("para"),
        lang=lang,
        term=state.get("term"),
    )
    if paragraphs[paragraphs["doc_id"] == doc_id].empty:
        st.info(translate("reader.no_text", lang))
        if doc["abstract"]:
            st.html(f'<div class="reader"><p class="para">{html_text(doc["abstract"])}</p></div>')
        return
    st.html(body)
    if state.get("para"):
        _scroll_to_target()


def _doc_changed() -> None:
    state.update(doc=st.session_state["w_doc"], para=None)


def _heading(doc, lang: str) -> None:
    st.subheader(md(document_label(doc, lang)))
    authors = "、".join(doc["authors"]) if doc["authors"] is not None and len(doc["authors"]) else ""
    meta = " · ".join(
        str(x) for x in (authors, doc["journal"], doc["year"]) if x is not None and str(x) not in ("", "<NA>", "nan")
    )
    if meta:
        st.caption(md(meta))
    chips = "".join(
        f'<span class="legend-chip hl-{k}" style="background:{c}">{translate(f"reader.legend.{k}", lang)}</span>'
        for k, c in (("event", "#d7e8f5"), ("mechanism", "#d8f0e6"), ("policy", "#fbe7c6"))
    )
    st.html(f'<div>{chips}<span style="color:#52606d">{html_text(translate("reader.legend", lang))}</span></div>')


def _scroll_to_target() -> None:
    """Bring the linked paragraph into view. The script carries no data: reader_html marks the
    paragraph whose id equals the (validated) `para` with the class `target`, and the script
    looks for that class."""
    st.html(
        "<script>setTimeout(() => {const el = window.document.querySelector('.reader p.para.target');"
        " if (el) el.scrollIntoView({block: 'center'});}, 300);</script>",
        unsafe_allow_javascript=True,
    )


run_page(render)
