"""Each paper's own mechanisms, paths, dimensions and risks, on the seed papers."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def mechanisms(built):
    return built.tables["mechanisms"]


def doc(mechanisms, key):
    return mechanisms[mechanisms.doc_id == SEEDS[key]]


def row(frame, name):
    """The row named `name` (or listing it among its aliases)."""
    hits = frame[(frame.name == name) | frame.aliases.apply(lambda a: name in list(a))]
    assert len(hits) == 1, (name, list(frame.name))
    return hits.iloc[0]


def test_every_mechanism_named_in_001s_abstract_is_a_row_with_its_level(mechanisms, built):
    paragraphs = built.tables["paragraphs"]
    abstract = paragraphs[(paragraphs.doc_id == SEEDS["001"]) & (paragraphs.kind == "abstract")].text.iloc[0]
    named = [c for c in re.split(r"[，,、和及。]", abstract) if c.endswith("机制") and 4 <= len(c) <= 8]
    assert len(named) == 10, named  # three 能力, three 资源, four 产业 mechanisms
    m = doc(mechanisms, "001")
    expected_levels = {"能力": "员工", "资源": "企业"}
    for name in named:
        found = row(m, name)
        assert found.kind == "mechanism"
        assert found.level == expected_levels.get(name[:2], "产业"), name
    # the abstract's 劳动替代机制 is the body's 互补式替代机制: one row, the abstract's name an alias
    substitution = row(m, "劳动替代机制")
    assert substitution["name"] == "互补式替代机制" and substitution.group == "协同机制"
    assert substitution.description.startswith("首先，互补式替代机制强调")


def test_001_paths_and_families(mechanisms):
    m = doc(mechanisms, "001")
    for name, level in [("“自动化-增强”路径", "员工"), ("职能路径", "企业"), ("“四链”路径", "产业")]:
        found = row(m, name)
        assert (found.kind, found.level) == ("path", level)
    functions = m[(m.group == "职能路径") & (m.kind == "path")]
    assert set(functions.name) == {"营销路径", "创新路径", "供应链路径", "人力资源路径", "战略决策路径"}
    assert set(m[m.group == "“四链”路径"].name) == {"产业链路径", "创新链路径", "资金链路径", "人才链路径"}
    assert set(m[m.group == "能力机制"].name) == {"能力整合机制", "能力学习机制", "能力重构机制"}


def test_000_mechanisms_by_production_factor(mechanisms):
    m = doc(mechanisms, "000")
    for name, factor in [("智能生产力", "劳动者"), ("高效数字化的劳动工具", "劳动资料"), ("产业生态化", "劳动对象")]:
        found = row(m, name)
        assert (found.kind, found.factor, found.own) == ("mechanism", factor, True)
    for name, factor in [("高深知识生产", "劳动者"), ("技术元素整合", "劳动资料"), ("产业技术突破", "劳动对象")]:
        assert row(m, name).factor == factor


def test_other_authors_mechanisms_are_marked_not_own(mechanisms):
    m = doc(mechanisms, "000")
    zhu = m[m.group == "培育企业新质生产力的四条路径"]
    assert len(zhu) == 4 and not zhu.own.any()
    assert all(d.startswith("朱宏任") for d in zhu.description)
    zhang = m[m.description.str.startswith("张文武等")]
    assert set(zhang.name) == {"生产目标", "生产主体", "生产客体", "生产环境"} and not zhang.own.any()
    borrowed = row(doc(mechanisms, "001"), "绿色")  # 借鉴卢江等的研究，从科技、绿色和数字三个方面……
    assert not borrowed.own


def test_technical_terms_are_not_mechanisms(mechanisms):
    names = set(mechanisms.name)
    assert not names & {"注意力机制", "算法机制", "协调机制", "监管机制", "激励机制"}


def test_002_mechanisms_and_its_four_risks(mechanisms, built):
    m = doc(mechanisms, "002")
    mech = m[m.kind == "mechanism"]
    assert any("新型举国体制" in n for n in mech.name)
    assert any("超大规模市场" in n for n in mech.name)
    sections = built.tables["sections"]
    risk_headings = sections[(sections.doc_id == SEEDS["002"]) & (sections.parent_id == "s3")].heading
    assert list(m[m.kind == "risk"].name) == list(risk_headings)
    assert len(risk_headings) == 4


def test_004_mechanisms_and_dimensions_from_its_abstract(mechanisms):
    m = doc(mechanisms, "004")
    assert list(m[m.kind == "mechanism"].name) == ["双向赋能的要素供给", "由内而外的结构嵌入", "链式闭环的功能组合"]
    dims = m[m.kind == "dimension"]
    assert list(dims.factor) == ["劳动者", "劳动资料", "劳动对象", "优化组合"]


def test_every_row_points_at_its_evidence(mechanisms, built):
    paragraphs = built.tables["paragraphs"].set_index(["doc_id", "para_id"])
    for r in mechanisms.itertuples():
        para = paragraphs.loc[(r.doc_id, r.para_id)]
        assert r.description in para.text and para.section_id == r.section_id, r.mechanism_id
        assert r.kind in {"mechanism", "path", "dimension", "risk"}
    assert not mechanisms.duplicated(["doc_id", "name"]).any()
