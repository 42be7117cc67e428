"""The shared sidebar: language, global filters, presentation mode, corpus status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import layout, state
from components.charts.years import year_histogram
from components.data import session_corpus
from components.i18n import code_label, translate
from components.safe import md
from components.views import find_papers, year_bounds, year_counts

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
# Up to this many papers the picker lists them all; beyond, it lists what a search finds (every
# option is sent to the browser on every run: 5,000 papers were 256 kB).
PICKER_LISTS_ALL = 300
PICKER_MATCHES = 100


def language_switch(lang: str, present: bool, slot) -> None:
    """Drawn into `slot` (the top of the sidebar) whether or not the corpus could be read, so the
    language can be switched even when the corpus cannot be shown."""
    if present:  # no sidebar on a projector; the page shows an exit button instead
        return
    with slot:
        st.radio(
            translate("sidebar.language", lang),
            list(LANGUAGE_NAMES),
            format_func=LANGUAGE_NAMES.get,
            horizontal=True,
            key=state.widget_key("lang"),
            on_change=state.on_widget_change,
            args=("lang",),
        )


def render(corpus, lang: str, present: bool) -> None:
    if present:
        return
    with st.sidebar:
        st.subheader(translate("sidebar.filters", lang))
        _years(corpus, lang)  # first: its histogram is the first chart the page sends (see charts/years.py)
        _papers(corpus, lang)
        _chips(lang)
        st.button(
            translate("sidebar.clear", lang), on_click=_clear_all, icon=":material/filter_alt_off:", width="stretch"
        )
        st.divider()
        st.toggle(
            translate("sidebar.present", lang),
            key=state.widget_key("present"),
            on_change=state.on_widget_change,
            args=("present",),
            help=translate("sidebar.present_help", lang),
        )
        st.caption(translate("sidebar.share", lang))
        st.divider()
        _status(corpus, lang)


def _papers(corpus, lang: str) -> None:
    labels = corpus.labels(lang)
    chosen = [d for d in state.get("papers") or [] if d in labels]
    if chosen != list(state.get("papers") or []):
        state.update(papers=chosen)
    options = list(labels) if len(labels) <= PICKER_LISTS_ALL else chosen + [
        d for d in _searched(corpus, lang) if d not in chosen]
    st.multiselect(
        translate("sidebar.papers", lang),
        options,
        format_func=lambda d: labels.get(d, d),
        key=state.widget_key("papers"),
        on_change=state.on_widget_change,
        args=("papers",),
        placeholder=translate("sidebar.papers_all", lang),
    )


def _searched(corpus, lang: str) -> list[str]:
    """A large corpus's picker offers the papers a search finds, never all of them."""
    query = st.text_input(
        translate("sidebar.papers_search", lang),
        key="w_paper_query",
        max_chars=100,
        placeholder=translate("sidebar.papers_search_hint", lang),
    )
    if query.strip():
        found, total = find_papers(corpus.search_text(), query, PICKER_MATCHES)
        st.caption(translate("sidebar.papers_found", lang, n=f"{total:,}", shown=len(found)) if total
                   else translate("sidebar.papers_none_found", lang))
        return found
    order = corpus.order()
    st.caption(translate("sidebar.papers_first", lang, n=f"{len(order):,}", shown=min(len(order), PICKER_MATCHES)))
    return order[:PICKER_MATCHES]


def _years(corpus, lang: str) -> None:
    lo, hi = year_bounds(corpus.tables)
    if lo >= hi:
        return
    y0, y1 = state.get("y0"), state.get("y1")
    value = (max(lo, y0) if y0 is not None else lo, min(hi, y1) if y1 is not None else hi)
    layout.show_chart(year_histogram(year_counts(corpus.tables), lang, value), key="sidebar_years",
                      data=pd.DataFrame(), name="years", present=False, lang=lang, exports=False)
    if st.session_state.get("w_years") != value:
        st.session_state["w_years"] = value
    st.slider(
        translate("sidebar.years", lang),
        min_value=lo,
        max_value=hi,
        key="w_years",
        on_change=_years_changed,
        args=(lo, hi),
    )


def _years_changed(lo: int, hi: int) -> None:
    a, b = st.session_state["w_years"]
    state.update(y0=a if a > lo else None, y1=b if b < hi else None)


def _chips(lang: str) -> None:
    """Selections made by clicking charts, each removable here."""
    for name, label_key, shown in (
        ("term", "sidebar.term", state.get("term")),
        (
            "domain",
            "sidebar.domain",
            code_label("policy.domain", state.get("domain"), lang) if state.get("domain") else None,
        ),
        ("author", "biblio.author", state.get("author")),
        ("kw", "biblio.keyword", state.get("kw")),
        ("cluster", "biblio.cluster", state.get("cluster")),
    ):
        if not shown:
            continue
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f"**{translate(label_key, lang)}**: {md(shown)}")
        right.button(
            "✕", key=f"clear_{name}", on_click=state.update, kwargs={name: None}, help=translate("common.clear", lang)
        )


def _clear_all() -> None:
    state.reset()


def _status(corpus, lang: str) -> None:
    st.caption(translate("sidebar.status", lang))
    docs = corpus.documents
    st.caption(translate("sidebar.status_line", lang, docs=len(docs), version=md(corpus.version[:12])))
    session = session_corpus()
    if session is not None and session.from_bundle:
        st.caption(translate("sidebar.session_bundle", lang))
    if session is not None and session.added:
        st.caption(translate("sidebar.session_added", lang, n=len(session.added)))
    built = corpus.manifest.get("built_at") or corpus.manifest.get("created_at")
    if built:
        st.caption(translate("sidebar.built", lang, when=md(str(built)[:19])))
