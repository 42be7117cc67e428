"""词频 Terms: top-N bars and a word cloud (corpus or one paper), distinctive TF-IDF terms, one
paper against the rest, a term's distribution across sections and its concordance."""

import streamlit as st

from components import data, layout, state, termedit
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
from components.i18n import translate
from components.kwic import count_hits, kwic_hits, kwic_line_html
from components.page import PageContext
from components.safe import md
from components.shell import run_page
from components.views import by_docs

KWIC_LIMIT = 40
TREND_TERMS = 8
BURST_ROWS = 30


def render(page: PageContext) -> None:
    lang, present, short, in_view = page.lang, page.present, page.labels, page.in_view
    if state.get("tdoc") not in in_view:
        state.update(tdoc=None)
    if not present:
        _controls(in_view, short, lang)
    tdoc, n, term = state.get("tdoc"), state.get("n"), state.get("term")
    terms, section_terms = termedit.session_terms(page.corpus)
    scoped = by_docs(terms, [tdoc] if tdoc else in_view)
    top = top_terms(scoped, n)
    if tdoc:
        scope_name = short.get(tdoc, tdoc)
    elif len(in_view) < len(page.order):
        scope_name = page.t("terms.scope_selected", n=len(in_view))
    else:
        scope_name = page.t("terms.scope_corpus")

    bars = top_bars(
        top,
        lang,
        selected=term,
        title=f"{page.t('terms.top', n=n)} · {scope_name}",
        bar_height=max(22, page.height(0) // n) if present else 22,
    )
    left, right = (st.container(), st.container()) if present else st.columns([2, 3])
    with left:
        page.chart(bars, key="terms_bars", data=top, name="top_terms", pick=TERM_PICK)
    with right:
        _cloud(page, top_terms(scoped, 150))

    if tdoc:
        left, right = (st.container(), st.container()) if present else st.columns(2)
        with left:
            distinct = distinctive_terms(by_docs(terms, in_view), tdoc, 15)  # against the other papers in view
            page.chart(distinctive_bars(distinct, lang, selected=term), key="terms_distinctive", data=distinct,
                       name="distinctive_terms", pick=TERM_PICK)
            if not present:
                st.caption(page.t("terms.distinctive_help"))
        with right:
            contrast = one_vs_rest(by_docs(terms, in_view), tdoc, 10)
            if not contrast.empty:
                page.chart(vs_rest_bars(contrast, lang, short[tdoc]), key="terms_vs_rest", data=contrast,
                           name="one_vs_rest")
    elif not present:
        st.caption(page.t("terms.pick_paper"))

    _trends(page, by_docs(terms, in_view), top)

    if not term:
        if not present:
            st.caption(page.t("terms.pick_hint"))
        return
    drawn = page.drawn
    spread = term_by_section(by_docs(section_terms, drawn), page.corpus.table("sections"), term, short, lang)
    if not spread.empty:
        page.papers_capped()
        page.chart(section_bars(spread, page.paper_names(drawn), lang, term), key="terms_sections", data=spread,
                   name="term_by_section")
    if not present:
        _concordance(by_docs(page.corpus.table("paragraphs"), in_view), term, short, lang)


def _trends(page: PageContext, terms, top) -> None:
    """Corpora spanning three or more publication years: term trends by year and burst terms."""
    lang = page.lang
    docs = by_docs(page.documents, page.in_view)
    years = data.distinct_years(docs)
    if years < 3:
        return
    term = state.get("term")
    shown = list(dict.fromkeys(([term] if term else []) + list(top["term"].head(TREND_TERMS))))[:TREND_TERMS]
    trend = data.term_trend(docs, terms, shown)
    y0, y1 = page.year_range  # the global year range limits the trend's years
    if y0 is not None or y1 is not None:
        trend = trend[trend["year"].between(y0 if y0 is not None else -9999, y1 if y1 is not None else 9999)]
    st.subheader(page.t("terms.trends_heading", n=years))
    page.chart(trend_lines(trend, lang, selected=term, height=page.height(320)), key="terms_trend", data=trend,
               name="term_trend", pick=TERM_PICK)
    bursts = data.burst_terms(page.corpus.version, page.in_view, repr(termedit.current_edits()), docs, terms)
    st.markdown(f"**{page.t('terms.bursts')}**")
    layout.bursts_table(bursts, lang, key="terms_bursts", fields=("term",), present=page.present, rows=BURST_ROWS)


def _controls(in_view: list[str], short: dict, lang: str) -> None:
    a, b = st.columns([3, 2])
    a.selectbox(
        translate("terms.scope", lang),
        [None, *in_view],
        format_func=lambda d: translate("terms.scope_corpus", lang) if d is None else short.get(d, d),
        placeholder=translate("widget.choose", lang),
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


def _cloud(page: PageContext, counts) -> None:
    """The clickable word cloud (a chart); a print-quality picture of it drawn only when asked for."""
    st.markdown(f"**{page.t('terms.cloud')}**")
    pairs = tuple(zip(counts["term"], counts["count"].astype(int), strict=True))
    placed = _cloud_layout(pairs)
    if placed.empty:
        st.info(page.t("data.empty_selection"))
        return
    page.chart(cloud_chart(placed, page.lang, selected=state.get("term"), height=page.height(420)),
               key="terms_cloud", data=placed[["term", "count"]], name="word_cloud", pick=TERM_PICK)
    if not page.present:
        st.download_button(
            page.t("terms.cloud_picture"),
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
        text_col.html(kwic_line_html(hit.left, hit.match, hit.right, f"{short.get(hit.doc_id, hit.doc_id)} · {hit.para_id}"))
        with link_col:
            layout.source_link(hit.doc_id, hit.para_id, lang)


run_page(render)
