"""Timeline events on the seed papers (dated history, gazetteer dating, conflicts, no citation
years) and on real documents of ../shared/devset (dated headings, deictic and relative dates, front
matter and links)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from corpus.assemble import assemble
from corpus.evaluate import DEFAULT_DEVSET_DIR
from corpus.extract import extract_all
from corpus.extract.gazetteer import Gazetteer, Milestone, load_gazetteer
from corpus.extract.text import mask_urls
from corpus.lexicon import DEFAULT_LEXICON_DIR
from corpus.pipeline import Pipeline
from corpus.schema import column_names
from tests.conftest import SEEDS

needs_devset = pytest.mark.skipif(not DEFAULT_DEVSET_DIR.is_dir(), reason="../shared/devset is not here")


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
    sections = built.tables["sections"]
    for row in events.itertuples():
        para = paragraphs[(paragraphs.doc_id == row.doc_id) & (paragraphs.para_id == row.para_id)]
        heading = sections[(sections.doc_id == row.doc_id) & (sections.section_id == row.section_id)].heading
        assert len(para) == 1 and (row.sentence in para.iloc[0].text or row.sentence in set(heading)), row.event_id
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


# ---- real documents the rules were not written for (../shared/devset) -------------------------

DEVSET_FILES = ("gwr/2017.txt", "gwr/2022.txt", "policy/trusted-data-space-action-plan-2024-2028.pdf")


@pytest.fixture(scope="module")
def devset_tables():
    return assemble([Pipeline()(Path(name).name, (DEFAULT_DEVSET_DIR / name).read_bytes()) for name in DEVSET_FILES])


def events_of(tables, doc_id, year):
    """Events of one document extracted again with `year` (None: none) as the document's own year."""
    documents = tables["documents"]
    documents = documents.assign(year=documents["year"].astype("Int64").mask(documents["doc_id"] == doc_id, year))
    events = extract_all(documents, tables["sections"], tables["paragraphs"])["events"]
    return events[events.doc_id == doc_id]


@needs_devset
def test_dated_headings_are_events(devset_tables):
    """`一、2016年工作回顾`: the report's parts are dated by their headings."""
    events = devset_tables["events"]
    sections = devset_tables["sections"]
    for heading, year in (("2016年工作回顾", 2016), ("2017年工作总体部署", 2017), ("2017年重点工作任务", 2017)):
        row = one(events[events.doc_id == "2017"], sentence=heading)
        assert row.year == year and row.sentence == heading
        assert heading in set(sections[(sections.doc_id == "2017") & (sections.section_id == row.section_id)].heading)


@needs_devset
def test_the_past_year_is_no_event_and_no_event_dates_another(devset_tables):
    """`过去一年` is the report's own year (deictic, like 今年); without a year of its own the report
    dates no relative phrase, least of all from another event (面向2030年 once made 过去一年 2029)."""
    for doc_id in ("2017", "2022"):
        for year in (None, int(doc_id)):
            events = events_of(devset_tables, doc_id, year)
            assert not events.date_text.astype(str).str.contains("过去一年").any()
    assert not events_of(devset_tables, "2022", None).date_text.astype(str).str.contains("近两年").any()


@needs_devset
def test_relative_dates_count_back_from_the_documents_own_year(devset_tables):
    recent = one(events_of(devset_tables, "2022", 2022), date_text="近两年")
    assert (recent.year, recent.year_end, recent.approximate) == (2020, 2022, True)


@needs_devset
def test_a_period_in_brackets_is_one_event_per_document(devset_tables):
    """The action plan names its period in its title, its attachment line and the repeated title
    above the text: one range, labelled by the plan's name."""
    events = devset_tables["events"]
    plan = events[(events.doc_id == "trusted-data-space-action-plan-2024-2028") & (events.year_end == 2028)]
    assert len(plan) == 1 and "可信数据空间发展行动计划" in plan.iloc[0].label
    assert (plan.iloc[0].year, plan.iloc[0].category) == (2024, "policy_cn")


def raw_lines_as_paragraphs(name: str, first: int, last: int) -> dict[str, pd.DataFrame]:
    """Lines first..last of a devset file, each a body paragraph of one document: what extraction
    sees when the text layer lets them through."""
    lines = (DEFAULT_DEVSET_DIR / name).read_text(encoding="utf-8").split("\n")[first - 1:last]
    lines = [line for line in lines if line.strip()]
    doc_id = Path(name).stem
    paragraphs = pd.DataFrame({
        "doc_id": doc_id, "section_id": "s0", "para_id": [f"p{k:04d}" for k in range(1, len(lines) + 1)],
        "order": range(len(lines)), "kind": "body", "list_marker": None, "text": lines,
        "tokens": [[] for _ in lines], "pos": [[] for _ in lines],
    })
    sections = pd.DataFrame({"doc_id": [doc_id], "section_id": ["s0"], "parent_id": [None], "level": [0],
                             "number": [None], "heading": [""], "order": [0], "text": ["\n".join(lines)]})
    return {"documents": pd.DataFrame({"doc_id": [doc_id], "year": [None]}), "sections": sections,
            "paragraphs": paragraphs}


@needs_devset
@pytest.mark.parametrize("name", ["web/wechat-ai-industry-standardization-guide-2024.md",
                                  "web/wechat-data-20-measures-2022.md",
                                  "web/wechat-digital-china-overall-layout-plan-2023.md"])
def test_a_scrapers_front_matter_dates_nothing(name):
    """`date: 2024-07-03` is the repost's date and `fetch_date:` the scraper's: metadata, not events."""
    tables = raw_lines_as_paragraphs(name, 1, 7)
    assert any("fetch_date:" in text for text in tables["paragraphs"].text)
    assert extract_all(tables["documents"], tables["sections"], tables["paragraphs"])["events"].empty


@needs_devset
def test_the_date_fields_of_a_bibliographic_export_date_nothing():
    """NoteExpress records: `{Date}: 2019-01-09`, `{TryDate}: 1996-08-01` are fields of the record."""
    name = "bibliographic/cnki-noteexpress-CoverAllTest15Entries.net"
    tables = raw_lines_as_paragraphs(name, 60, 135)
    fields = [t for t in tables["paragraphs"].text if re.match(r"\{(?:Try)?Date\}: \d{4}-\d\d-\d\d", t)]
    assert len(fields) >= 4
    events = extract_all(tables["documents"], tables["sections"], tables["paragraphs"])["events"]
    assert not events.sentence.isin(fields).any()


@needs_devset
def test_a_date_alone_under_a_title_is_labelled_by_it():
    """`（2022年12月2日）` on its own line dates the 意见 printed above it."""
    tables = raw_lines_as_paragraphs("web/wechat-data-20-measures-2022.md", 29, 31)
    events = extract_all(tables["documents"], tables["sections"], tables["paragraphs"])["events"]
    row = one(events, date_text="2022年12月2日")
    assert (row.year, row.month, row.day) == (2022, 12, 2)
    assert "关于构建数据基础制度更好发挥数据要素作用的意见" in row.label


@needs_devset
def test_no_alias_is_found_inside_a_link_or_a_latin_word():
    """An alias that is a word of a real address (`weixin` in mp.weixin.qq.com) or a piece of a
    longer Latin identifier (`Mining` in Government_Report_Mining) names nothing there."""
    front = (DEFAULT_DEVSET_DIR / "web/wechat-data-20-measures-2022.md").read_text(encoding="utf-8")
    url_line = next(line for line in front.splitlines() if line.startswith("url: "))
    readme = (DEFAULT_DEVSET_DIR / "README.md").read_text(encoding="utf-8")
    source_line = next(line for line in readme.splitlines() if "Government_Report_Mining" in line)
    assert re.search(r"\.weixin\.", url_line)  # a whole word of the address, as a Latin alias is matched
    gazetteer = Gazetteer([Milestone("微信", ("weixin",), 2011, 1, 21, "product_release", "微信上线"),
                           Milestone("Mining", ("Mining",), 2000, None, None, "other", "Mining"),
                           Milestone("GRM", ("Government_Report_Mining",), 2000, None, None, "other", "GRM")])
    assert gazetteer.mentions(url_line) == []
    assert [m.milestone.entity for m in gazetteer.mentions(source_line)] == ["GRM"]
    assert mask_urls(url_line) == "url: " + "_" * (len(url_line) - 5)
