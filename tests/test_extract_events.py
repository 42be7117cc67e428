"""Timeline events on the seed papers: dated history, gazetteer dating, conflicts, no citation years."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
import yaml

from corpus.extract import extract_all
from corpus.extract.gazetteer import load_gazetteer
from corpus.lexicon import DEFAULT_LEXICON_DIR
from corpus.schema import column_names
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def events(built):
    return built.tables["events"]


def doc_events(events, key):
    return events[events.doc_id == SEEDS[key]]


def text_events(events, key):
    frame = doc_events(events, key)
    return frame[frame.date_source == "text"]


def one(frame, **where):
    for column, value in where.items():
        frame = frame[frame[column].astype(str).str.contains(value, regex=False)] if isinstance(value, str) and column in (
            "label", "sentence", "date_text") else frame[frame[column] == value]
    assert len(frame) >= 1, where
    return frame.iloc[0]


def test_000_dated_history_with_the_right_years(events):
    e = text_events(events, "000")
    assert {1955, 1956, 1978, 1983, 1994, 2006, 2017, 2020} <= set(e.year)
    assert "达特茅斯会议" in one(e, year=1956).label
    assert one(e, year=1956).entity == "达特茅斯会议"
    assert "清华大学" in one(e, year=1978).label
    assert "图像处理" in one(e, year=1983).label
    policy = one(e, year=2017, category="policy_cn")
    assert "《新一代人工智能发展规划》" in policy.label and policy.entity == "《新一代人工智能发展规划》"
    assert one(e, year=2020).category == "target"


def test_000_three_phases_are_range_events(events):
    phases = text_events(events, "000").query("category == 'phase'").sort_values("year")
    assert list(phases.year) == [1955, 2006, 2017]
    assert list(phases.year_end.iloc[:2]) == [2005, 2016]
    current = phases.iloc[2]
    assert pd_isna(current.year_end) and "至今" in current.date_text and current.approximate
    assert "起步阶段" in phases.iloc[0].label


def test_002_dated_events_from_1985_to_2025(events):
    e = text_events(events, "002")
    assert "科学技术体制改革的决定" in one(e, year=1985).label
    entity_list = one(e, year=2020, category="policy_foreign")
    assert "实体清单" in entity_list.label
    chatgpt = one(e, year=2022)
    assert chatgpt.entity == "ChatGPT" and pd_isna(chatgpt.conflict)
    assert "机器人安装量" in one(e, year=2023, category="industry_stat").label
    assert "数字产业" in one(e, year=2024, category="industry_stat").label
    developers = one(e, year=2024, month=12)
    assert "开源软件开发者" in developers.label and developers.date_text == "2024年底"
    funds = one(e, year=2024, date_text="以来")
    assert "投资基金" in funds.sentence and funds.approximate
    plan = one(e, category="policy_cn", date_text="十四五")
    assert (plan.year, plan.year_end) == (2021, 2025)
    assert "芯片自给率" in one(e, year=2025, category="target").label
    assert "政府工作报告" in one(e, year=2025, category="policy_cn").label
    assert "中央经济工作会议" in one(e, year=2024, category="policy_cn", label="中央经济工作会议").label


def pd_isna(value) -> bool:
    return bool(pd.isna(value))


def test_a_paper_contradicting_the_gazetteer_keeps_its_words_and_is_flagged(events):
    claude = one(text_events(events, "002"), entity="Claude")
    assert claude.year == 2023  # the paper's year, which agrees
    assert "谷歌推出的 Claude" in claude.sentence or "谷歌推出的Claude" in claude.sentence
    assert "Anthropic" in claude.conflict and "谷歌" in claude.conflict
    # agreeing statements carry no conflict
    assert events[events.entity.isin(["ChatGPT", "TensorFlow", "《新一代人工智能发展规划》"])].conflict.isna().all()


def test_undated_milestones_are_dated_by_the_gazetteer(events):
    g = doc_events(events, "000").query("date_source == 'gazetteer'")
    dates = {r.entity: (r.year, r.month) for r in g.itertuples()}
    assert dates["AlphaGo"] == (2016, 3)
    assert dates["ChatGPT"] == (2022, 11)
    assert dates["Sora"] == (2024, 2)
    g1 = doc_events(events, "001").query("date_source == 'gazetteer'")
    dated = {r.entity: (r.year, r.month, r.day) for r in g1.itertuples()}
    assert dated["文心一言"] == (2023, 3, 16)
    assert dated["讯飞星火"] == (2023, 5, 6)
    g2 = doc_events(events, "002").query("date_source == 'gazetteer'")
    assert {"DeepSeek-V3", "GPT-4", "TensorFlow", "PyTorch", "Llama"} <= set(g2.entity)
    # one row per entity per document; an entity dated by the text gets no second row
    assert not doc_events(events, "002").query("date_source == 'gazetteer'").entity.duplicated().any()
    assert "ChatGPT" not in set(g2.entity)


def test_no_citation_or_reference_year_becomes_an_event(events, built):
    refs = built.tables["references"]
    paragraphs = built.tables["paragraphs"]
    for row in events.itertuples():
        para = paragraphs[(paragraphs.doc_id == row.doc_id) & (paragraphs.para_id == row.para_id)]
        assert len(para) == 1 and row.sentence in para.iloc[0].text, row.event_id
        if row.date_source == "text":
            after = row.sentence[row.sentence.index(row.date_text) + len(row.date_text):][:6]
            assert not re.match(r"\s*(?:年\s*)?(?:第\s*\d+\s*期|版)", after), row.sentence
        assert not (refs.text.str.contains(row.sentence, regex=False)).any()
    # 000's notes cite 2018, 2021 and 2023 sources; its body states none of those years
    assert not {2018, 2021} & set(text_events(events, "000").year)


def test_every_gazetteer_entry_is_dated_and_sourced():
    data = yaml.safe_load((DEFAULT_LEXICON_DIR / "ai_milestones.yaml").read_text(encoding="utf-8"))
    categories = yaml.safe_load((DEFAULT_LEXICON_DIR / "event_categories.yaml").read_text(encoding="utf-8"))
    codes = {c["code"] for c in categories["categories"]}
    organizations = {o["code"] for o in data["organizations"]}
    for item in data["milestones"]:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(item["date"])), item["entity"]
        assert item.get("source") and item["category"] in codes, item["entity"]
        assert item.get("developer") is None or item["developer"] in organizations, item["entity"]
    claude = next(m for m in load_gazetteer(DEFAULT_LEXICON_DIR).milestones if m.entity == "Claude")
    assert (claude.developer, claude.date_text) == ("Anthropic", "2023-03-14")


def test_an_alias_added_to_the_gazetteer_changes_the_output(built, tmp_path):
    """An editor who renames an entry loses its mentions; adding the paper's spelling back as an
    alias brings the dated row back — no code change."""
    data = yaml.safe_load((DEFAULT_LEXICON_DIR / "ai_milestones.yaml").read_text(encoding="utf-8"))
    spark = next(m for m in data["milestones"] if m["entity"] == "讯飞星火")
    spark["entity"], spark["aliases"] = "星火认知大模型", ["星火认知大模型"]

    def entities_001(folder):
        # a fresh folder per state: the lexicon reader caches by path and modification time
        lexicon = tmp_path / folder
        shutil.copytree(DEFAULT_LEXICON_DIR, lexicon)
        (lexicon / "ai_milestones.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        out = extract_all(built.tables["documents"], built.tables["sections"], built.tables["paragraphs"], lexicon)
        return set(out["events"].query(f"doc_id == '{SEEDS['001']}'").entity.dropna())

    assert "星火认知大模型" not in entities_001("renamed")
    spark["aliases"].append("讯飞星火")
    assert "星火认知大模型" in entities_001("with_alias")


def test_empty_input_gives_empty_tables_with_the_schema_columns(built):
    empty = {name: built.tables[name].iloc[0:0] for name in ("documents", "sections", "paragraphs")}
    out = extract_all(empty["documents"], empty["sections"], empty["paragraphs"])
    for name in ("events", "mechanisms", "policies"):
        assert list(out[name].columns) == column_names(name) and out[name].empty
