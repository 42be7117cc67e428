"""概览 Overview: documents, extraction counts per paper (click = global paper selection),
top terms per paper as small multiples."""

import pandas as pd
import streamlit as st

from components import layout, state, termedit
from components.charts.overview import PAPER_PICK, counts_chart, counts_frame
from components.charts.terms import paper_panel, small_multiples, top_terms_per_paper
from components.i18n import translate
from components.page import PageContext
from components.safe import md
from components.shell import run_page
from components.views import by_docs, document_labels


def render(page: PageContext) -> None:
    page.years_not_applied()
    # two tabs, only the open one computed and drawn (the four term panels were a fifth of the
    # page's first paint)
    tab, container = layout.view_tabs("otab", page.lang)
    with container:
        if tab == "counts":
            _counts(page)
        else:
            _top_terms(page)


def _counts(page: PageContext) -> None:
    corpus, lang, short = page.corpus, page.lang, page.labels
    chosen = state.get("papers") or []
    counted = page.coloured  # every paper, when that stays legible
    counts = counts_frame(corpus.tables, counted, short, lang)
    chart = counts_chart(
        counts,
        [short[d] for d in counted],
        lang,
        selected=chosen[0] if len(chosen) == 1 else None,
        height=page.height(300),
    )
    page.chart(chart, key="overview_counts", data=counts, name="overview_counts", pick=PAPER_PICK)
    page.papers_capped()

    if not page.present:
        if len(chosen) == 1:
            st.info(page.t("overview.selected", label=md(corpus.labels(lang).get(chosen[0], chosen[0]))),
                    icon=":material/check_circle:")
        table = layout.folded(page.t("overview.documents"), key="overview_documents")
        if table.open:
            with table:
                _documents_table(by_docs(page.documents, page.in_view), lang)


def _top_terms(page: PageContext) -> None:
    corpus, lang, short, drawn = page.corpus, page.lang, page.labels, page.drawn
    terms, _ = termedit.session_terms(corpus)  # the stopwords and words an editor set on the Terms page
    top = top_terms_per_paper(by_docs(terms, drawn), short, 10)
    papers = [short[d] for d in drawn]
    names = corpus.labels(lang)
    page.papers_capped()
    # one chart per paper in columns (four on a wide screen, fewer when presenting): each panel takes
    # its column's width, and a phone stacks the columns instead of cutting the fourth panel off
    per_row = 2 if page.present else 4
    for start in range(0, len(papers), per_row):
        for column, (k, paper) in zip(st.columns(per_row), list(enumerate(papers))[start:start + per_row], strict=False):
            with column:
                page.chart(paper_panel(top, paper, papers, lang, height=330 if page.present else 220,
                                       title=names.get(drawn[k])),
                           key=f"overview_terms_{k}", data=top[top["paper"] == paper], name="top_terms", exports=False)
    page.downloads(small_multiples(top, papers, lang, columns=min(4, max(1, len(papers)))), key="overview_terms",
                   data=top, name="top_terms_per_paper")


def _documents_table(docs, lang: str) -> None:
    table = docs.assign(
        authors=docs["authors"].map(lambda a: "、".join(a) if a is not None and len(a) else ""),
        keywords=docs["keywords"].map(lambda k: "；".join(k) if k is not None and len(k) else ""),
        label=[
            lab + (" " + translate("common.derived_label", lang) if derived else "")
            for lab, derived in zip(document_labels(docs, lang).values(), docs["label_derived"], strict=True)
        ],
        journal=docs["journal"].fillna(""),
        year=docs["year"].map(lambda y: "" if pd.isna(y) else str(int(y))),
    )[["label", "authors", "journal", "year", "keywords", "n_paragraphs"]]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "label": st.column_config.TextColumn(translate("overview.title", lang), width="large"),
            "authors": translate("overview.authors", lang),
            "journal": translate("overview.journal", lang),
            "year": translate("common.year", lang),
            "keywords": st.column_config.TextColumn(translate("overview.keywords", lang), width="large"),
            "n_paragraphs": st.column_config.NumberColumn("¶"),
        },
    )


run_page(render)
