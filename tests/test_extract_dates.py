"""The date grammar on sentences cut from the seed papers (raw spacing kept: `1956 年`) and lines
of real documents in ../shared/devset, with the shipped lexicon's date rules."""

from __future__ import annotations

import pytest

from corpus.evaluate import DEFAULT_DEVSET_DIR
from corpus.extract.dates import find_dates, five_year_plan_years
from corpus.extract.events import load_rules
from corpus.ingest import read_file
from corpus.lexicon import DEFAULT_LEXICON_DIR

RULES = load_rules(DEFAULT_LEXICON_DIR).dates
needs_devset = pytest.mark.skipif(not DEFAULT_DEVSET_DIR.is_dir(), reason="../shared/devset is not here")


def spans(sentence: str, doc_year: int | None = None):
    return [(d.year, d.year_end) for d in find_dates(sentence, doc_year, RULES)]


def devset_sentence(name: str, needle: str) -> str:
    """The sentence of a devset document (decoded as the pipeline does) that holds `needle`."""
    path = DEFAULT_DEVSET_DIR / name
    text = path.read_text(encoding="utf-8") if path.suffix == ".tsv" else read_file(path).text
    at = text.index(needle)
    start = max(text.rfind(mark, 0, at) for mark in "。\n！？") + 1
    ends = [i for i in (text.find(mark, at) for mark in "。\n") if i >= 0]
    return text[start:min(ends) + 1 if ends else len(text)].strip()


def test_a_plain_year_with_the_pdf_space():
    dates = find_dates("1956 年，达特茅斯会议正式提出“人工智能”（Artificial Intelligence，AI）一词", None, RULES)
    assert [(d.year, d.year_end, d.text) for d in dates] == [(1956, None, "1956 年")]


def test_a_phase_range_and_the_year_inside_it():
    sentence = "第一阶段（1955-2005 年）：1955 年，我国启动第一批电子计算机的研制工作"
    assert spans(sentence) == [(1955, 2005), (1955, None)]
    assert find_dates(sentence, None, RULES)[0].kind == "range"


@pytest.mark.parametrize("sentence", ["第二阶段（2006-2016 年）", "第二阶段（2006—2016 年）", "2006～2016年", "2006年至2016年"])
def test_ranges_with_every_dash(sentence):
    assert spans(sentence) == [(2006, 2016)]


@needs_devset
@pytest.mark.parametrize(("name", "needle", "expected"), [
    ("bibliographic/csl-kg-dev.tsv", "2012年6月至2014年10月", (2012, 2014, 6)),
    ("bibliographic/csl-kg-dev.tsv", "1999年3月～2007年3月", (1999, 2007, 3)),
])
def test_two_dates_joined_by_a_dash_are_one_range(name, needle, expected):
    """`自…年起至…年` and `2012年6月至2014年10月`: one range, not two events."""
    dates = find_dates(devset_sentence(name, needle), None, RULES)
    joined = [d for d in dates if d.text == needle]
    assert [(d.year, d.year_end, d.month, d.kind) for d in joined] == [(*expected, "range")]
    assert not any(d.text.startswith(needle[-7:]) for d in dates)  # the end is no second event


def test_two_dates_with_words_between_stay_two():
    sentence = "此后的50年间，从1978年清华大学率先成立计算机科学系，到1983年我国在图像处理方面达到国际领先水平"
    assert spans(sentence) == [(1978, None), (1983, None)]


def test_until_now_is_open_ended_and_approximate():
    date = find_dates("第三阶段（2017 年至今）：随着互联网、大数据、云计算技术的迅猛发展", None, RULES)[0]
    assert (date.year, date.year_end, date.approximate, date.kind) == (2017, None, True, "since")
    assert find_dates("第三阶段（2017 年至今）", 2024, RULES)[0].year_end == 2024


def test_month_and_day():
    assert [(d.year, d.month, d.day) for d in find_dates("2023 年 7 月,我国发布了全球第一个监管人工智能的立法文件", None, RULES)] == [
        (2023, 7, None)]


def test_year_end_and_since():
    end = find_dates("截至2024年底，中国开源软件开发者数量已超过800万", None, RULES)[0]
    assert (end.year, end.month, end.connector) == (2024, 12, "截至")
    since = find_dates("自 2024 年以来，上海、深圳、北京、河南、成都、广州等地相继设立", None, RULES)[0]
    assert (since.year, since.approximate) == (2024, True)


def test_a_century_is_no_date_a_decade_is():
    assert spans(" 21 世纪以来,人工智能技术与各行各业深度融合步伐加速,释放历次科技革命和产业变革", 2024) == []
    assert spans("上世纪80年代专家系统的繁荣") == [(1980, 1989)]
    assert spans("20世纪50年代") == [(1950, 1959)]


def test_five_year_plans():
    assert five_year_plan_years(1) == (1953, 1957)
    assert five_year_plan_years(3) == (1966, 1970)
    assert five_year_plan_years(10) == (2001, 2005)
    assert five_year_plan_years(14) == (2021, 2025)
    sentence = "在“十四五”规划中，中国提出到 2025年要力争实现芯片自给率70%的目标"
    dates = find_dates(sentence, None, RULES)
    assert [(d.year, d.year_end, d.kind) for d in dates] == [(2021, 2025, "plan"), (2025, None, "point")]
    assert dates[1].connector == "到"
    assert spans("国家“十五五”规划纲要提出，抢占科技发展制高点") == [(2026, 2030)]
    assert spans("“十五”计划期间") == [(2001, 2005)]
    assert spans("这是十五个案例") == []  # a number, not a plan


def test_relative_years_need_the_documents_own_year():
    sentence = "但其取得突破是在互联网技术和大数据技术进一步普及与应用的近 10 年"
    assert spans(sentence) == []  # no year of its own: nothing to count back from
    assert spans(sentence, doc_year=2024) == [(2014, 2024)]
    assert find_dates(sentence, 2024, RULES)[0].approximate
    # a duration is not a date
    assert spans("人工智能至今已拥有近 70 年的发展历史", doc_year=2024) == []


@needs_devset
def test_another_numbered_series_is_not_a_five_year_plan():
    """`“七五”普法` is the seventh legal-education campaign (2016–2020), not the seventh plan (1986–1990)."""
    sentence = devset_sentence("gwr/2016.txt", "启动实施“七五”普法规划")
    assert (1986, 1990) not in spans(sentence)
    assert spans(devset_sentence("gwr/2016.txt", "今年要启动一批“十三五”规划重大项目")) == [(2016, 2020)]


@needs_devset
def test_the_past_year_is_deictic_two_years_count_back():
    """`过去一年` is the report's own year like 今年 (the gold's rule); `近两年` is year − 2."""
    assert spans(devset_sentence("gwr/2017.txt", "过去一年，我国发展面临"), doc_year=2017) == []
    sentence = devset_sentence("gwr/2022.txt", "近两年平均经济增速")
    assert (2020, 2022) in spans(sentence, doc_year=2022)
    assert (2020, 2022) not in spans(sentence)


@needs_devset
@pytest.mark.parametrize(("name", "needle"), [
    ("gwr/2011.txt", "按2010年价格计算"),
    ("gwr/2012.txt", "2300元（2010年不变价）"),
    ("gwr/2016.txt", "比2010年翻一番"),
])
def test_price_and_comparison_baselines_are_not_dates(name, needle):
    sentence = devset_sentence(name, needle)
    baseline = sentence.index(needle) + needle.index("2010")
    assert all(d.start != baseline for d in find_dates(sentence, None, RULES)), sentence


@pytest.mark.parametrize("citation", [
    "何哲：《ChatGPT等新一代人工智能技术的社会影响及其治理》，《电子政务》，2024年第4期。",
    "《习近平关于网络强国论述摘编》，北京：中央文献出版社，2021年版。",
    "肖峰、赫军营：《新质生产力：智能时代生产力发展的新向度》，《南昌大学学报（人文社会科学版）》，2023 年第6期。",
    "国际机器人联合会发布的《2024 世界机器人报告 》显示",
])
def test_citation_and_title_years_are_never_dates(citation):
    assert find_dates(citation, None, RULES) == []


def test_the_period_closing_a_plans_title_is_a_range():
    sentence = "平应用促进经济高质量发展的指导意见》 《新型数据中心发展三年行动计划(2021—2023 年)》等政策措施"
    assert spans(sentence) == [(2021, 2023)]


@needs_devset
def test_bare_years_opening_list_items():
    """The devset's README lists its sources as `- 2000–2018: …` and `- 2020: …` (real list items)."""
    assert spans(devset_sentence("README.md", "- 2000–2018: `ljtyduyu")) == [(2000, 2018)]
    assert spans(devset_sentence("README.md", "- 2020: `Noviceprogrammer1101")) == [(2020, None)]


@pytest.mark.parametrize("quantity", [
    "如 DeepSeek-V3 拥有 6 710 亿参数，GPT-4 超过1万亿参数",
    "中国拥有 14 亿人口，且超过 4 亿人已迈入中等收入群体",
    "DeepSeek 与国产芯片适配性能达到英伟达 A100 的 70%～80%",
    "完成业务收入 35万亿元，同比增长5.5%",
])
def test_quantities_are_not_years(quantity):
    assert find_dates(quantity, None, RULES) == []


def test_a_comparison_baseline_is_not_a_date():
    sentence = "2024 年我国数字产业总体运行平稳，算力总规模较 2023 年末增长 16.5%"
    assert spans(sentence) == [(2024, None)]


@needs_devset
def test_a_clock_time_belongs_to_its_date():
    line = devset_sentence("web/wechat-data-20-measures-2022.md", "fetch_date:")
    date = find_dates(line, None, RULES)[0]
    assert (date.year, date.month, date.day, date.text) == (2025, 10, 4, "2025-10-04T02:05:53")
