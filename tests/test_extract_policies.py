"""Policy recommendations on the seed papers: items, hierarchy, horizon, domain, tool, actors."""

from __future__ import annotations

import shutil

import pytest
import yaml

from corpus.extract import extract_all
from corpus.lexicon import DEFAULT_LEXICON_DIR
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def policies(built):
    return built.tables["policies"]


def doc(policies, key):
    return policies[policies.doc_id == SEEDS[key]]


def headings(built, key, parent):
    s = built.tables["sections"]
    return list(s[(s.doc_id == SEEDS[key]) & (s.parent_id == parent)].heading)


def test_000_four_recommendations_with_their_sub_items(policies, built):
    p = doc(policies, "000")
    tops = p[p.parent_id.isna()]
    assert list(tops.title) == headings(built, "000", "s5")
    assert list(tops.domain) == ["talent", "innovation", "industry", "governance"]
    for top in tops.itertuples():
        kids = p[p.parent_id == top.policy_id]
        assert len(kids) == 3, top.title  # 第一 / 第二 / 第三
        assert all(k.startswith(("第一", "第二", "第三")) for k in kids.text)
    assert p.iloc[1].title == "通过改变传统教育方式提高整体教育水平"


def test_001_eleven_items_with_their_horizons(policies):
    p = doc(policies, "001")
    items = p[p.parent_id.notna()]
    assert len(items) == 11
    assert list(items.horizon) == ["short"] * 3 + ["medium"] * 3 + ["long"] * 5
    assert all(t[0] in "①②③④⑤" for t in items.text)
    assert items.iloc[0].title == "政府可以设立专项培训补贴"
    assert (items.iloc[0].domain, items.iloc[0].tool, items.iloc[0].subtool) == ("talent", "supply", "人才培养")
    data_platform = items.iloc[-1]
    assert data_platform.title == "构建国家级数据共享平台" and data_platform.domain == "data"
    regulation = items[items.title.str.contains("监管体系")].iloc[0]
    assert (regulation.domain, regulation.tool) == ("governance", "environment")
    assert "government" in items.iloc[0].actors


def test_002_five_paths(policies, built):
    p = doc(policies, "002")
    assert list(p.title) == headings(built, "002", "s4")
    assert list(p.domain[:4]) == ["innovation", "industry", "data", "talent"]
    assert p.parent_id.isna().all() and p.horizon.isna().all()


def test_004_four_systems_from_the_abstract(policies):
    p = doc(policies, "004")
    assert list(p.title) == ["开放式技术创新体系", "全链条要素流通体系", "自主型产业生态体系", "包容性多元治理体系"]
    assert list(p.domain) == ["innovation", "data", "industry", "governance"]
    assert set(p.section_id) == {"abs"}
    assert {"government", "enterprise", "society"} <= set(p.iloc[0].actors)  # 发挥政府、市场、企业和社会共同作用


def test_classification_uses_only_the_taxonomy_vocabulary(policies):
    taxonomy = yaml.safe_load((DEFAULT_LEXICON_DIR / "policy_taxonomy.yaml").read_text(encoding="utf-8"))
    domains = {d["code"] for d in taxonomy["domains"]}
    subtools = {tool: {s["label"] for s in spec["subtools"]} for tool, spec in taxonomy["tools"].items()}
    assert set(policies.domain) <= domains
    for r in policies.itertuples():
        assert r.tool in subtools and (r.subtool is None or r.subtool != r.subtool or r.subtool in subtools[r.tool])
        assert set(r.actors) <= set(taxonomy["actors"])


def test_analysis_sections_yield_no_recommendations(policies, built):
    sections = built.tables["sections"]
    for r in policies.itertuples():
        if r.section_id == "abs":
            continue
        top = r.section_id.split(".")[0]
        heading = sections[(sections.doc_id == r.doc_id) & (sections.section_id == top)].heading.iloc[0]
        assert heading in {"以发展人工智能促进新质生产力的形成", "人工智能促进制造业新质生产力涌现的政策协同",
                           "人工智能赋能新质生产力的实践进路"}, heading


def test_every_item_points_at_its_evidence(policies, built):
    paragraphs = built.tables["paragraphs"].set_index(["doc_id", "para_id"])
    for r in policies.itertuples():
        para = paragraphs.loc[(r.doc_id, r.para_id)]
        assert para.section_id.startswith(r.section_id)
        assert r.text.split("\n")[-1] in para.text or para.text in r.text, r.policy_id


def test_a_keyword_added_to_the_taxonomy_changes_the_output(built, tmp_path):
    """004's 全链条要素流通体系 is filed under data (要素流通); an editor who reads 全链条 as the
    industrial chain adds two keywords to `industry` and the item moves — no code change."""
    taxonomy = yaml.safe_load((DEFAULT_LEXICON_DIR / "policy_taxonomy.yaml").read_text(encoding="utf-8"))

    def chain_domain(folder):
        # a fresh folder per state: the lexicon reader caches by path and modification time
        lexicon = tmp_path / folder
        shutil.copytree(DEFAULT_LEXICON_DIR, lexicon)
        (lexicon / "policy_taxonomy.yaml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True), encoding="utf-8")
        out = extract_all(built.tables["documents"], built.tables["sections"], built.tables["paragraphs"], lexicon)
        p = out["policies"]
        return p[(p.doc_id == SEEDS["004"]) & (p.title == "全链条要素流通体系")].domain.iloc[0]

    assert chain_domain("shipped") == "data"
    industry = next(d for d in taxonomy["domains"] if d["code"] == "industry")
    industry["keywords"] += ["全链条", "流通体系"]
    assert chain_domain("edited") == "industry"
