"""词频 Terms: top-N bars and a word cloud (corpus or one paper), distinctive TF-IDF terms, one
paper against the rest, a term's distribution across sections and its concordance."""

import streamlit as st

from components import layout, state, termedit
from components.charts.cloud import cloud_chart, cloud_layout
from components.charts.terms import (
    TERM_PICK,
    distinctive_bars,
    distinctive_terms,
    one_vs_rest,
    section_bars,
    term_by_section,
    top_bars,
    top_terms,
    trend_lines,
    vs_rest_bars,
)
from components.data import current_corpus
from components.i18n import translate
from components.kwic import count_hits, kwic_hits, kwic_line_html
from components.safe import html_text, md
from components.shell import run_page
from components.views import by_docs, doc_order, drawn_docs, paper_labels, selected_docs

KWIC_LIMIT = 40
TREND_TERMS = 8
BURST_ROWS = 30


def render() -> None:
    lang, present = state.get("lang"), state.get("present")
    layout.header("terms", lang, present)
    corpus = current_corpus()
    docs = corpus.documents
    short = paper_labels(docs)
    in_view = selected_docs(docs, state.selection())
    if state.get("tdoc") not in in_view:
        state.update(tdoc=None)
    if not present:
        _controls(in_view, short, lang)
    tdoc, n, term = state.get("tdoc"), max(5, min(60, state.get("n") or 20)), state.get("term")
    terms, section_terms = termedit.session_terms(corpus)
    scoped = by_docs(terms, [tdoc] if tdoc else in_view)
    top = top_terms(scoped, n)
    if tdoc:
        scope_name = short.get(tdoc, tdoc)
    elif len(in_view) < len(docs):
        scope_name = translate("terms.scope_selected", lang, n=len(in_view))
    else:
        scope_name = translate("terms.scope_corpus", lang)

    bars = top_bars(
        top,
        lang,
        selected=term,
        title=f"{translate('terms.top', lang, n=n)} · {scope_name}",
        bar_height=max(22, layout.chart_height(0, present) // n) if present else 22,
    )
    if present:
        layout.show_chart(
            bars, key="terms_bars", data=top, name="top_terms", present=present, lang=lang, selection_param=TERM_PICK
        )
        _cloud(top_terms(scoped, 150), lang, present)
    else:
        left, right = st.columns([2, 3])
        with left:
            layout.show_chart(
                bars,
                key="terms_bars",
                data=top,
                name="top_terms",
                present=present,
                lang=lang,
                selection_param=TERM_PICK,
            )
        with right:
            _cloud(top_terms(scoped, 150), lang, present)

    if tdoc:
        left, right = st.columns(2) if not present else (st.container(), st.container())
        with left:
            distinct = distinctive_terms(terms, tdoc, 15)
            layout.show_chart(
                distinctive_bars(distinct, lang, selected=term),
                key="terms_distinctive",
                data=distinct,
                name="distinctive_terms",
                present=present,
                lang=lang,
                selection_param=TERM_PICK,
            )
        with right:
            contrast = one_vs_rest(by_docs(terms, in_view), tdoc, 10)
            if not contrast.empty:
                layout.show_chart(
                    vs_rest_bars(contrast, lang, short[tdoc]),
                    key="terms_vs_rest",
                    data=contrast,
                    name="one_vs_rest",
                    present=present,
                    lang=lang,
                )
    elif not present:
        st.caption(translate("terms.pick_paper", lang))

    _trends(corpus, in_view, by_docs(terms, in_view), top, lang, present)

    if not term:
        if not present:
            st.caption(translate("terms.pick_hint", lang))
        return
    drawn = drawn_docs(in_view)
    spread = term_by_section(by_docs(section_terms, drawn), corpus.table("sections"), term, short)
    if not spread.empty:
        layout.papers_capped(len(drawn), len(in_view), lang)
        papers = [short[d] for d in doc_order(docs) if d in drawn]
        layout.show_chart(
            section_bars(spread, papers, lang, term),
            key="terms_sections",
            data=spread,
            name="term_by_section",
            present=present,
            lang=lang,
        )
    if not present:
        _concordance(by_docs(corpus.table("paragraphs"), in_view), term, short, lang)


def _trends(corpus, in_view: list[str], terms, top, lang: str, present: bool) -> None:
    """Corpora spanning three or more publication years: term trends by year and burst terms."""
    from corpus.trends import distinct_years, term_trend

    docs = by_docs(corpus.documents, in_view)
    years = distinct_years(docs)
    if years < 3:
        return
    term = state.get("term")
    shown = list(dict.fromkeys(([term] if term else []) + list(top["term"].head(TREND_TERMS))))[:TREND_TERMS]
    trend = term_trend(docs, terms, shown)
    st.subheader(translate("terms.trends_heading", lang, n=years))
    layout.show_chart(
        trend_lines(trend, lang, selected=term, height=layout.chart_height(320, present)),
        key="terms_trend", data=trend, name="term_trend", present=present, lang=lang, selection_param=TERM_PICK,
    )
    bursts = _bursts(corpus.version, tuple(in_view), repr(termedit.current_edits()), docs, terms)
    st.markdown(f"**{translate('terms.bursts', lang)}**")
    if bursts.empty:
        st.caption(translate("terms.no_bursts", lang))
        return
    if not present:
        st.caption(translate("terms.bursts_help", lang))
    top_bursts = bursts.head(BURST_ROWS)
    st.dataframe(
        top_bursts.rename(columns={c: translate(f"terms.burst_{c}", lang) for c in top_bursts.columns}),
        hide_index=True, width="stretch", key="terms_bursts", on_select=_burst_picked, selection_mode="single-row",
        column_config={translate("terms.burst_strength", lang): st.column_config.NumberColumn(format="%.2f"),
                       translate("terms.burst_begin", lang): st.column_config.NumberColumn(format="%d"),
                       translate("terms.burst_end", lang): st.column_config.NumberColumn(format="%d")},
    )
    st.session_state["_burst_terms"] = list(top_bursts["term"])


def _burst_picked() -> None:
    rows = st.session_state["terms_bursts"].selection.rows
    terms = st.session_state.get("_burst_terms", [])
    if rows and rows[0] < len(terms):
        state.update(term=terms[rows[0]])


@st.cache_resource(show_spinner=False, max_entries=8)
def _bursts(version: str, doc_ids: tuple[str, ...], edits: str, _docs, _terms):
    # keyed on the corpus version, the papers in view and the session's term edits; the frames
    # themselves are not hashed (cache_resource: one shared result, never mutated)
    from corpus.trends import burst_table

    return burst_table(_docs, _terms)


def _controls(in_view: list[str], short: dict, lang: str) -> None:
    a, b = st.columns([3, 2])
    a.selectbox(
        translate("terms.scope", lang),
        [None, *in_view],
        format_func=lambda d: translate("terms.scope_corpus", lang) if d is None else short.get(d, d),
        key=state.widget_key("tdoc"),
        on_change=state.on_widget_change,
        args=("tdoc",),
    )
    b.slider(
        translate("terms.top_n", lang), 5, 60, key=state.widget_key("n"), on_change=state.on_widget_change, args=("n",)
    )
    edits = termedit.current_edits()
    with st.expander(translate("terms.edit", lang), expanded=bool(edits["stopwords"] or edits["words"])):
        with st.form("term_edits_form", border=False):
            c1, c2 = st.columns(2)
            stop_text = c1.text_area(translate("terms.stopwords", lang), "\n".join(edits["stopwords"]), height=110)
            word_text = c2.text_area(translate("terms.userdict", lang), "\n".join(edits["words"]), height=110)
            if st.form_submit_button(translate("terms.apply", lang), icon=":material/check:"):
                termedit.set_edits(termedit.parse_lines(stop_text), termedit.parse_lines(word_text))
                edits = termedit.current_edits()
        if edits["stopwords"] or edits["words"]:
            st.caption(translate("terms.applied", lang, stop=len(edits["stopwords"]), words=len(edits["words"])))


def _cloud(counts, lang: str, present: bool) -> None:
    """The clickable word cloud (a chart); a print-quality picture of it drawn only when asked for."""
    st.markdown(f"**{translate('terms.cloud', lang)}**")
    pairs = tuple(zip(counts["term"], counts["count"].astype(int), strict=True))
    placed = _cloud_layout(pairs)
    if placed.empty:
        st.info(translate("data.empty_selection", lang))
        return
    layout.show_chart(
        cloud_chart(placed, lang, selected=state.get("term"), height=layout.chart_height(420, present)),
        key="terms_cloud", data=placed[["term", "count"]], name="word_cloud", present=present, lang=lang,
        selection_param=TERM_PICK,
    )
    if not present:
        st.download_button(
            translate("terms.cloud_picture", lang),
            lambda: _cloud_png(pairs, 1800, 1040),
            file_name="wordcloud.png",
            mime="image/png",
            key="dl_png_wordcloud",
            on_click="ignore",
            icon=":material/image:",
        )


@st.cache_data(show_spinner=False, max_entries=16)
def _cloud_layout(counts: tuple[tuple[str, int], ...]):
    import pandas as pd

    return cloud_layout(pd.DataFrame(list(counts), columns=["term", "count"]))


@st.cache_data(show_spinner=False, max_entries=4)
def _cloud_png(counts: tuple[tuple[str, int], ...], width: int, height: int) -> bytes:
    import io

    from components.wordcloud import cloud_image

    image = cloud_image(dict(counts), width=width, height=height)
    buffer = io.BytesIO()
    if image is not None:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def _concordance(paragraphs, term: str, short: dict, lang: str) -> None:
    n_hits = count_hits(paragraphs, term)
    hits = kwic_hits(paragraphs, term, limit=KWIC_LIMIT)
    st.subheader(translate("terms.kwic", lang, term=md(term), n=n_hits))
    if n_hits > KWIC_LIMIT:
        st.caption(translate("terms.kwic_more", lang, shown=KWIC_LIMIT, n=n_hits))
    for hit in hits.itertuples():
        text_col, link_col = st.columns([9, 1], vertical_alignment="center")
        text_col.html(
            f'<div class="kwic-line"><span class="kwic-paper">{html_text(short.get(hit.doc_id, hit.doc_id))}'
            f" · {html_text(hit.para_id)}</span> {kwic_line_html(hit.left, hit.match, hit.right)}</div>"
        )
        with link_col:
            layout.source_link(hit.doc_id, hit.para_id, lang)


run_page(render)
