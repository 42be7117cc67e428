"""The date grammar on sentences cut from the seed papers (raw spacing kept: `1956 年`)."""

from __future__ import annotations

import pytest

from corpus.extract.dates import find_dates, five_year_plan_years


def spans(sentence: str, doc_year: int | None = None, anchor: int | None = None):
    return [(d.year, d.year_end) for d in find_dates(sentence, doc_year, anchor)]


def test_a_plain_year_with_the_pdf_space():
    dates = find_dates("1956 年，达特茅斯会议正式提出“人工智能”（Artificial Intelligence，AI）一词")
    assert [(d.year, d.year_end, d.text) for d in dates] == [(1956, None, "1956 年")]


def test_a_phase_range_and_the_year_inside_it():
    sentence = "第一阶段（1955-2005 年）：1955 年，我国启动第一批电子计算机的研制工作"
    assert spans(sentence) == [(1955, 2005), (1955, None)]
    assert find_dates(sentence)[0].kind == "range"


@pytest.mark.parametrize("sentence", ["第二阶段（2006-2016 年）", "第二阶段（2006—2016 年）", "2006～2016年", "2006年至2016年"])
def test_ranges_with_every_dash(sentence):
    assert spans(sentence) == [(2006, 2016)]


def test_until_now_is_open_ended_and_approximate():
    date = find_dates("第三阶段（2017 年至今）：随着互联网、大数据、云计算技术的迅猛发展")[0]
    assert (date.year, date.year_end, date.approximate, date.kind) == (2017, None, True, "since")
    assert find_dates("第三阶段（2017 年至今）", doc_year=2024)[0].year_end == 2024


def test_month_and_day():
    assert [(d.year, d.month, d.day) for d in find_dates("2023 年 7 月,我国发布了全球第一个监管人工智能的立法文件")] == [(2023, 7, None)]
    assert [(d.year, d.month, d.day) for d in find_dates("2022年11月30日，OpenAI发布ChatGPT")] == [(2022, 11, 30)]


def test_year_end_and_since():
    end = find_dates("截至2024年底，中国开源软件开发者数量已超过800万")[0]
    assert (end.year, end.month, end.connector) == (2024, 12, "截至")
    since = find_dates("自 2024 年以来，上海、深圳、北京、河南、成都、广州等地相继设立")[0]
    assert (since.year, since.approximate) == (2024, True)


def test_centuries_and_decades():
    century = find_dates("21 世纪以来,人工智能技术与各行各业深度融合步伐加速")[0]
    assert (century.year, century.approximate) == (2001, True)
    assert spans("上世纪80年代专家系统的繁荣") == [(1980, 1989)]
    assert spans("20世纪50年代") == [(1950, 1959)]


def test_five_year_plans():
    assert five_year_plan_years(1) == (1953, 1957)
    assert five_year_plan_years(3) == (1966, 1970)
    assert five_year_plan_years(10) == (2001, 2005)
    assert five_year_plan_years(14) == (2021, 2025)
    sentence = "在“十四五”规划中，中国提出到 2025年要力争实现芯片自给率70%的目标"
    dates = find_dates(sentence)
    assert [(d.year, d.year_end, d.kind) for d in dates] == [(2021, 2025, "plan"), (2025, None, "point")]
    assert dates[1].connector == "到"
    assert spans("国家“十五五”规划纲要提出，抢占科技发展制高点") == [(2026, 2030)]
    assert spans("“十五”计划期间") == [(2001, 2005)]
    assert spans("这是十五个案例") == []  # a number, not a plan


def test_relative_years_need_a_reference_year():
    sentence = "但其取得突破是在互联网技术和大数据技术进一步普及与应用的近 10 年"
    assert spans(sentence) == []
    assert spans(sentence, doc_year=2024) == [(2014, 2024)]
    assert spans(sentence, anchor=2022) == [(2012, 2022)]
    assert find_dates(sentence, doc_year=2024)[0].approximate
    # a duration is not a date
    assert spans("人工智能至今已拥有近 70 年的发展历史", doc_year=2024) == []


@pytest.mark.parametrize("citation", [
    "何哲：《ChatGPT等新一代人工智能技术的社会影响及其治理》，《电子政务》，2024年第4期。",
    "《习近平关于网络强国论述摘编》，北京：中央文献出版社，2021年版。",
    "肖峰、赫军营：《新质生产力：智能时代生产力发展的新向度》，《南昌大学学报（人文社会科学版）》，2023 年第6期。",
    "《新型数据中心发展三年行动计划(2021—2023 年)》等政策措施",
    "国际机器人联合会发布的《2024 世界机器人报告 》显示",
])
def test_citation_and_title_years_are_never_dates(citation):
    assert find_dates(citation) == []


@pytest.mark.parametrize("quantity", [
    "如 DeepSeek-V3 拥有 6 710 亿参数，GPT-4 超过1万亿参数",
    "中国拥有 14 亿人口，且超过 4 亿人已迈入中等收入群体",
    "DeepSeek 与国产芯片适配性能达到英伟达 A100 的 70%～80%",
    "完成业务收入 35万亿元，同比增长5.5%",
])
def test_quantities_are_not_years(quantity):
    assert find_dates(quantity) == []


def test_a_comparison_baseline_is_not_a_date():
    sentence = "2024 年我国数字产业总体运行平稳，算力总规模较 2023 年末增长 16.5%"
    assert spans(sentence) == [(2024, None)]


def test_a_clock_time_belongs_to_its_date():
    date = find_dates("2024-05-20 10:15 来源：某某观察网")[0]
    assert (date.year, date.month, date.day, date.text) == (2024, 5, 20, "2024-05-20 10:15")
