"""文献计量 Bibliometrics: publications per year, the most productive authors, affiliations and
journals, the author-keyword co-occurrence network with its clusters (or its average-year overlay),
the keyword timezone and burst keywords: the views CiteSpace and VOSviewer users look for first."""

import streamlit as st

from components import data, layout, state
from components.charts.bibliometrics import (
    AUTHOR_PICK,
    KEYWORD_PICK,
    MAX_LINES,
    YEAR_PICK,
    network_chart,
    per_year_bars,
    timezone_chart,
    top_bars,
)
from components.i18n import translate
from components.page import PageContext
from components.shell import run_page
from components.views import by_docs

TOP_N = 15
BURST_ROWS = 30
ZONE_ROWS = 20  # keywords per year in the timezone


def render(page: PageContext) -> None:
    lang = page.lang
    docs = by_docs(page.documents, page.in_view)
    y0, y1 = page.year_range
    if y0 is not None or y1 is not None:  # the per-year bars show every year; the rest keeps to the range
        years = docs["year"]
        docs = docs[years.isna() | years.between(y0 if y0 is not None else -9999, y1 if y1 is not None else 9999)]
    if docs.empty:
        st.info(page.t("data.empty_selection"), icon=":material/info:")
        return
    # tabs, only the open one computed and drawn: a 5,000-record corpus's network and timezone
    # were most of the page's first paint, and each chart in view adds to it
    tab, container = layout.view_tabs("btab", lang)
    with container:
        if tab == "output":
            _output(page, docs)
        elif tab == "sources":
            _sources(page, docs)
        elif tab == "network":
            _network(page)
        elif tab == "timezone":
            _timezone(page)
        else:
            _bursts(page, docs)


def _output(page: PageContext, docs) -> None:
    """Publications per year (every year: a click picks one) and the most productive authors."""
    from corpus.bibliometrics import per_year, top_values

    lang, present = page.lang, page.present
    y0, y1 = page.year_range
    counts = per_year(by_docs(page.documents, page.in_view))
    picked_year = y0 if y0 is not None and y0 == y1 else None
    left, right = (st.container(), st.container()) if present else st.columns(2)
    with left:
        if not counts.empty:
            page.chart(per_year_bars(counts, lang, selected=picked_year, height=page.height(220)), key="biblio_years",
                       data=counts, name="publications_per_year", pick=YEAR_PICK)
    with right:
        authors = top_values(docs, "authors", TOP_N)
        if not authors.empty:
            page.chart(top_bars(authors, lang, page.t("biblio.authors"), param=AUTHOR_PICK.param,
                                selected=state.get("author")),
                       key="biblio_authors", data=authors, name="top_authors", pick=AUTHOR_PICK)


def _sources(page: PageContext, docs) -> None:
    """The journals and affiliations with the most papers."""
    from corpus.bibliometrics import top_values

    columns = (st.container(), st.container()) if page.present else st.columns(2)
    for column, (field, title, name) in zip(columns, (("journal", "biblio.journals", "top_journals"),
                                                      ("affiliations", "biblio.affiliations", "top_affiliations")),
                                            strict=True):
        top = top_values(docs, field, TOP_N)
        with column:
            if top.empty:
                st.info(page.t(f"biblio.no_{field}"), icon=":material/info:")
            else:
                page.chart(top_bars(top, lang=page.lang, title=page.t(title)), key=f"biblio_{field}", data=top,
                           name=name)


def _network(page: PageContext) -> None:
    """The whole corpus's keyword map (laid out once per corpus version)."""
    lang = page.lang
    nodes, edges = data.keyword_network(page.corpus)
    if nodes.empty:
        st.info(page.t("biblio.no_keywords"), icon=":material/info:")
        return
    labels = list(dict.fromkeys(nodes.sort_values("cluster")["cluster_label"]))
    if not page.present:
        a, b = st.columns([3, 2])
        a.selectbox(
            page.t("biblio.cluster"), [None, *labels],
            format_func=lambda v: translate("sidebar.any", lang) if v is None else v,
            placeholder=translate("widget.choose", lang),
            key=state.widget_key("cluster"), on_change=state.on_widget_change, args=("cluster",),
        )
        b.radio(
            page.t("biblio.colour"), [False, True],
            format_func=lambda v: translate("biblio.colour_year" if v else "biblio.colour_cluster", lang),
            horizontal=True, key=state.widget_key("overlay"), on_change=state.on_widget_change, args=("overlay",),
        )
        st.caption(page.t("biblio.clusters_named", n=len(labels)))
    keyword = state.get("kw")
    chart = network_chart(nodes, edges, lang, colour_by_year=bool(state.get("overlay")), selected=keyword,
                          selected_cluster=state.get("cluster"), height=page.height(560))
    page.chart(chart, key="biblio_network", data=nodes, name="keyword_network", pick=KEYWORD_PICK)
    if len(edges) > MAX_LINES and not page.present:
        st.caption(page.t("biblio.lines_shown", n=len(edges), shown=MAX_LINES))


def _timezone(page: PageContext) -> None:
    """CiteSpace's timezone view of the whole corpus's keywords."""
    from corpus.bibliometrics import timezone

    nodes, edges = data.keyword_network(page.corpus)
    zone = timezone(nodes) if not nodes.empty else None
    if zone is None or zone["first_year"].nunique() < 2:
        st.info(page.t("biblio.no_timezone" if zone is not None else "biblio.no_keywords"), icon=":material/info:")
        return
    page.chart(timezone_chart(zone, edges, page.lang, selected=state.get("kw"), max_rows=ZONE_ROWS),
               key="biblio_timezone", data=zone, name="keyword_timezone", pick=KEYWORD_PICK)
    if not page.present:
        st.caption(page.t("biblio.timezone_help", n=ZONE_ROWS))


def _bursts(page: PageContext, docs) -> None:
    lang = page.lang
    bursts = data.keyword_bursts(page.corpus, docs["doc_id"], docs)
    layout.bursts_table(bursts, lang, key="biblio_bursts", fields=("kw", "term"), present=page.present,
                        rows=BURST_ROWS)


run_page(render)
