"""概览 Overview: documents, extraction counts per paper (click = global paper selection),
top terms per paper as small multiples."""

import pandas as pd
import streamlit as st

from components import layout, state
from components.charts.overview import PAPER_PICK, counts_chart, counts_frame
from components.charts.terms import small_multiples, top_terms_per_paper
from components.data import current_corpus
from components.i18n import translate
from components.safe import md
from components.shell import run_page
from components.views import MAX_PAPERS_DRAWN, by_docs, doc_order, drawn_docs, paper_labels, selected_docs


def render() -> None:
    lang, present = state.get("lang"), state.get("present")
    layout.header("overview", lang, present)
    corpus = current_corpus()
    docs = corpus.documents
    short = paper_labels(docs)
    order = doc_order(docs)
    chosen = state.get("papers") or []
    in_view = selected_docs(docs, state.selection())

    drawn = drawn_docs(in_view)
    counted = order if len(order) <= MAX_PAPERS_DRAWN else drawn  # every paper, when that stays legible
    counts = counts_frame(corpus.tables, counted, short, lang)
    chart = counts_chart(
        counts,
        [short[d] for d in counted],
        lang,
        selected=chosen[0] if len(chosen) == 1 else None,
        height=layout.chart_height(300, present),
    )
    layout.show_chart(
        chart,
        key="overview_counts",
        data=counts,
        name="overview_counts",
        present=present,
        lang=lang,
        selection_param=PAPER_PICK,
    )
    layout.papers_capped(len(drawn), len(in_view), lang)

    if not present:
        if len(chosen) == 1:
            st.info(
                translate("overview.selected", lang, label=md(corpus.labels().get(chosen[0], chosen[0]))),
                icon=":material/check_circle:",
            )
        st.subheader(translate("overview.documents", lang))
        _documents_table(docs[docs["doc_id"].isin(in_view)], lang)

    top = top_terms_per_paper(by_docs(corpus.table("terms"), drawn), short, 10)
    columns = min(4, max(1, len(drawn)))
    multiples = small_multiples(
        top,
        [short[d] for d in drawn],
        lang,
        columns=columns,
        panel_width=int(1500 / columns) - 60 if present else int(1200 / columns) - 60,
        panel_height=330 if present else 220,
    )
    layout.show_chart(multiples, key="overview_terms", data=top, name="top_terms_per_paper", present=present, lang=lang)


def _documents_table(docs, lang: str) -> None:
    table = docs.assign(
        authors=docs["authors"].map(lambda a: "、".join(a) if a is not None and len(a) else ""),
        keywords=docs["keywords"].map(lambda k: "；".join(k) if k is not None and len(k) else ""),
        label=[
            lab + (" " + translate("common.derived_label", lang) if derived else "")
            for lab, derived in zip(docs["label"], docs["label_derived"], strict=True)
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
