"""概览 Overview: documents, extraction counts per paper (click = global paper selection),
top terms per paper as small multiples."""

import pandas as pd
import streamlit as st

from components import state
from components.charts.overview import PAPER_PICK, counts_chart, counts_frame
from components.charts.terms import small_multiples, top_terms_per_paper
from components.i18n import translate
from components.page import PageContext
from components.safe import md
from components.shell import run_page
from components.views import MAX_PAPERS_DRAWN, by_docs, document_labels


def render(page: PageContext) -> None:
    corpus, lang, short = page.corpus, page.lang, page.labels
    chosen = state.get("papers") or []
    drawn = page.drawn
    counted = page.order if len(page.order) <= MAX_PAPERS_DRAWN else drawn  # every paper, when that stays legible
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
        st.subheader(page.t("overview.documents"))
        docs = page.documents
        _documents_table(docs[docs["doc_id"].isin(page.in_view)], lang)

    top = top_terms_per_paper(by_docs(corpus.table("terms"), drawn), short, 10)
    columns = min(4, max(1, len(drawn)))
    multiples = small_multiples(
        top,
        [short[d] for d in drawn],
        lang,
        columns=columns,
        panel_width=int(1500 / columns) - 60 if page.present else int(1200 / columns) - 60,
        panel_height=330 if page.present else 220,
    )
    page.chart(multiples, key="overview_terms", data=top, name="top_terms_per_paper")


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
