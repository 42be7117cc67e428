"""Extraction on texts it has never seen (fixtures written for the project, see fixtures/unseen/README.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from corpus.assemble import assemble
from corpus.extract import extract_all
from corpus.pipeline import Pipeline

UNSEEN = Path(__file__).resolve().parent / "fixtures" / "unseen"
FIXTURES = ("ai_history_textbook.txt", "ai_regulation_measures.md", "web_essay_scraped.txt")


@pytest.fixture(scope="module")
def tables():
    return assemble([Pipeline()(name, (UNSEEN / name).read_bytes()) for name in FIXTURES])


def of(tables, name, doc_id):
    frame = tables[name]
    return frame[frame.doc_id == doc_id]


def test_history_textbook_dates_and_phases(tables):
    events = of(tables, "events", "ai_history_textbook")
    assert {1943, 1950, 1956, 1981, 1997, 2012, 2016, 2017, 2022} <= set(events.year)
    phases = events[events.category == "phase"].sort_values("year")
    assert list(phases.label) == ["萌芽与诞生", "黄金时代与第一次寒冬", "专家系统与第二次寒冬", "机器学习的兴起",
                                  "深度学习与大模型时代"]
    assert list(phases.year) == [1943, 1956, 1980, 1993, 2012]
    deep_blue = events[events.entity == "深蓝"].iloc[0]
    assert (deep_blue.year, deep_blue.month, deep_blue.date_source) == (1997, 5, "text")
    seventies = events[events.date_text == "20世纪70年代"].iloc[0]
    assert (seventies.year, seventies.year_end, seventies.approximate) == (1970, 1979, True)


def test_a_text_that_recommends_nothing_has_no_policy_rows(tables):
    assert of(tables, "policies", "ai_history_textbook").empty
    assert of(tables, "mechanisms", "ai_history_textbook").empty


def test_regulation_dates_targets_and_measures(tables):
    events = of(tables, "events", "ai_regulation_measures")
    target = events[events.category == "target"].iloc[0]
    assert target.year == 2027 and "300亿元" in target.label
    assert {(2024, 10, 1), (2026, 12, 31)} <= set(zip(events.year, events.month, events.day, strict=True))
    assert {"《新一代人工智能发展规划》", "《生成式人工智能服务管理暂行办法》"} <= set(events.entity.dropna())
    measures = of(tables, "policies", "ai_regulation_measures")
    assert list(measures.title) == ["加强算力供给", "开放应用场景", "强化安全治理"]
    assert list(measures.domain) == ["infrastructure", "industry", "governance"]


def test_web_essay_dates_without_its_page_furniture(tables):
    events = of(tables, "events", "web_essay_scraped")
    dated = set(zip(events.year, events.month.astype("Int64").fillna(0), strict=True))
    assert {(2022, 11), (2023, 3), (2024, 2), (2023, 12)} <= dated
    assert not ((events.year == 2024) & (events.month == 5)).any()  # the dateline is not an event
    eighties = events[events.date_text == "上世纪80年代"].iloc[0]
    assert (eighties.year, eighties.year_end) == (1980, 1989)
    assert of(tables, "policies", "web_essay_scraped").empty


def test_odd_paragraphs_never_crash_extraction():
    texts = ["", "“一个从不闭合的引号，" + "人工智能" * 200, "2024年第", "十四五", "（（（）", "A" * 1000,
             "①②③", "第一，", "近年来", "2099年-1900年", "2023-13-45", "一是。二是。"]
    paragraphs = pd.DataFrame({
        "doc_id": "odd", "section_id": "s0", "para_id": [f"p{k:04d}" for k in range(len(texts))],
        "order": range(len(texts)), "kind": "body", "list_marker": None, "text": texts,
        "tokens": [[] for _ in texts], "pos": [[] for _ in texts],
    })
    sections = pd.DataFrame({"doc_id": ["odd"], "section_id": ["s0"], "parent_id": [None], "level": [0],
                             "number": [None], "heading": [""], "order": [0], "text": ["\n".join(texts)]})
    documents = pd.DataFrame({"doc_id": ["odd"], "year": [None]})
    out = extract_all(documents, sections, paragraphs)
    assert out["policies"].empty and out["mechanisms"].empty
    events = out["events"]
    assert (events.label.str.len() > 0).all()
    assert 2023 not in set(events.year)  # 2023-13-45 is not a date
