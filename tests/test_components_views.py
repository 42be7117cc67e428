"""What the pages call a paper and how they show missing values, on the seed corpus."""

import pandas as pd

from components.views import document_labels, section_title, shown, years_text
from tests.conftest import SEEDS


def test_a_paper_without_a_printed_chinese_title_has_a_chinese_name_in_the_chinese_ui(seed_corpus):
    docs = seed_corpus.documents
    paper = docs[docs["doc_id"] == SEEDS["002"]].iloc[0]
    assert not shown(paper["title"]) and paper["title_en"]  # 002 prints only an English title
    zh, en = document_labels(docs, "zh")[SEEDS["002"]], document_labels(docs, "en")[SEEDS["002"]]
    assert zh.startswith("新一轮科技革命与大国博弈深度交织")  # the abstract's first clause
    assert en == paper["title_en"]
    # a printed title is the name in both languages when there is no English one
    assert document_labels(docs, "zh")[SEEDS["000"]] == "人工智能视域下的新质生产力生成路径"


def test_missing_values_are_shown_as_nothing():
    assert [shown(v) for v in (None, float("nan"), pd.NA, "一、")] == ["", "", "", "一、"]
    assert section_title(float("nan"), "引言") == "引言" and section_title(None, None) == ""
    assert years_text(2023, pd.NA) == "2023" and years_text(2024, 2028) == "2024–2028"
