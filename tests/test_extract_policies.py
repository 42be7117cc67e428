"""Policies on real text: the seed papers (built by the current pipeline) and documents of
../shared/devset (a regulation, a government work report, a State Council opinion reposted on
WeChat, an action plan PDF), with the shipped `policy_taxonomy.yaml`."""

from __future__ import annotations

import shutil

import pytest
import yaml

from corpus.assemble import assemble
from corpus.evaluate import DEFAULT_DEVSET_DIR
from corpus.extract import extract_all
from corpus.extract.policies import document_policies
from corpus.extract.rows import Para, Section, from_records
from corpus.lexicon import DEFAULT_LEXICON_DIR, Lexicon
from corpus.pipeline import Pipeline
from tests.conftest import SEEDS

needs_devset = pytest.mark.skipif(not DEFAULT_DEVSET_DIR.is_dir(), reason="../shared/devset is not here")
DEVSET_FILES = {
    "regulation": "policy/network-data-security-regulation-2024.md",
    "beijing": "policy/beijing-digital-economy-promotion-regulation-2022.md",
    "report": "gwr/2017.txt",
    "review": "gwr/2008.txt",
    "opinion": "web/wechat-data-20-measures-2022.md",
    "plan": "policy/trusted-data-space-action-plan-2024-2028.pdf",
}


@pytest.fixture(scope="module")
def policies(built):
    return built.tables["policies"]


@pytest.fixture(scope="module")
def devset():
    """The devset documents above built by the pipeline, keyed by the names above."""
    if not DEFAULT_DEVSET_DIR.is_dir():
        pytest.skip("../shared/devset is not here")
    parts = [Pipeline()(path.split("/")[-1], (DEFAULT_DEVSET_DIR / path).read_bytes()) for path in DEVSET_FILES.values()]
    tables = assemble(parts)
    ids = dict(zip(tables["documents"].source_file, tables["documents"].doc_id, strict=True))
    return tables, {key: ids[path.split("/")[-1]] for key, path in DEVSET_FILES.items()}


def doc(policies, key):
    return policies[policies.doc_id == SEEDS[key]]


def of(devset, key):
    tables, ids = devset
    p = tables["policies"]
    return p[p.doc_id == ids[key]]


def paragraph(tables, doc_id, needle):
    """The paragraph of a document that holds `needle`."""
    paras = tables["paragraphs"]
    hits = paras[(paras.doc_id == doc_id) & paras.text.str.contains(needle, regex=False)]
    assert len(hits) == 1, needle
    return hits.iloc[0]


def rows_with(p, needle):
    return p[p.text.str.contains(needle, regex=False)]


# ---- the seed papers -----------------------------------------------------------------------------

def test_headings_over_their_items_are_not_rows(policies, built):
    """000's 形成政产学研一体的人工智能人才生态 and 001's 短期政策与战略 head their items: the items
    are the rows, the headings are not (they were counted next to their own items)."""
    sections = built.tables["sections"]
    for key, top in (("000", "s5"), ("001", "s4")):
        p = doc(policies, key)
        subs = sections[(sections.doc_id == SEEDS[key]) & (sections.parent_id == top)]
        assert len(subs) >= 3
        for sub in subs.itertuples():
            rows = p[p.section_id == sub.section_id]
            assert len(rows) >= 3, sub.heading
            assert sub.heading not in set(rows.title)
            assert not rows.text.str.startswith(sub.heading).any()


def test_001_items_carry_the_horizon_of_their_heading(policies):
    p = doc(policies, "001")
    assert list(p.horizon) == ["short"] * 3 + ["medium"] * 6 + ["long"] * 5  # ①②③ / ①②③(一是…四是) / ①…⑤
    first = p.iloc[0]
    assert first.title == "政府可以设立专项培训补贴"
    assert (first.domain, first.tool, first.subtool) == ("talent", "supply", "人才培养")
    assert "government" in first.actors
    assert p.iloc[-1].domain == "data"  # ⑤构建国家级数据共享平台


def test_an_enumeration_inside_an_item_gives_its_items(policies, built):
    """000: 第三，以可持续为导向建立科技创新机制。一是……二是……三是…… — the three are items, the
    title sentence over them is not; 第三，面向国际和未来发展人工智能产业。……要以“引领”……的理念发展
    人工智能……一是…… — that lead directs something of its own, so it is an item and the parent of the
    three that follow."""
    p = doc(policies, "000")
    tables = built.tables
    over = paragraph(tables, SEEDS["000"], "以可持续为导向建立科技创新机制")
    rows = p[p.para_id == over.para_id]
    assert [t[:2] for t in rows.text] == ["一是", "二是", "三是"]
    assert rows.parent_id.isna().all()
    lead_para = paragraph(tables, SEEDS["000"], "面向国际和未来发展人工智能产业")
    rows = p[p.para_id == lead_para.para_id]
    lead = rows.iloc[0]
    assert lead.text.startswith("第三，面向国际") and "一是" not in lead.text
    assert [t[:2] for t in rows.text[1:]] == ["一是", "二是", "三是"]
    assert (rows.parent_id[1:] == lead.policy_id).all()


def test_002_one_row_per_recommending_paragraph_not_its_findings(policies, built):
    """002's 实践进路 are unnumbered paragraphs: those that recommend are rows, the statistics, the
    international comparison (从国际经验来看…) and the descriptions between them are not."""
    p = doc(policies, "002")
    tables = built.tables
    sections = tables["sections"]
    recommendations = set(sections[(sections.doc_id == SEEDS["002"]) & (sections.parent_id == "s4")].section_id)
    assert set(p.section_id) <= recommendations and len(set(p.section_id)) == len(recommendations)
    for needle in ("政府应牵头设立国家重点实验室或重大专项", "市场主体应利用其灵活性", "构建统一的数据标准和评估体系"):
        assert paragraph(tables, SEEDS["002"], needle).para_id in set(p.para_id), needle
    for needle in ("工业和信息化部的数据显示", "从国际经验来看，开源模式已成为突破垄断", "“人工智能+”并非简单的技术叠加"):
        assert paragraph(tables, SEEDS["002"], needle).para_id not in set(p.para_id), needle
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
        assert r.horizon is None or r.horizon != r.horizon or r.horizon in taxonomy["horizons"]


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


def _extract_with(built, tmp_path, folder, taxonomy):
    # a fresh folder per state: the lexicon reader caches by path and modification time
    lexicon = tmp_path / folder
    shutil.copytree(DEFAULT_LEXICON_DIR, lexicon)
    (lexicon / "policy_taxonomy.yaml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True), encoding="utf-8")
    return extract_all(built.tables["documents"], built.tables["sections"], built.tables["paragraphs"], lexicon)["policies"]


def test_a_keyword_added_to_the_taxonomy_changes_the_output(built, tmp_path):
    """004's 全链条要素流通体系 is filed under data (要素流通); an editor who reads 全链条 as the
    industrial chain adds two keywords to `industry` and the item moves — no code change."""
    taxonomy = yaml.safe_load((DEFAULT_LEXICON_DIR / "policy_taxonomy.yaml").read_text(encoding="utf-8"))

    def chain_domain(folder):
        p = _extract_with(built, tmp_path, folder, taxonomy)
        return p[(p.doc_id == SEEDS["004"]) & (p.title == "全链条要素流通体系")].domain.iloc[0]

    assert chain_domain("shipped") == "data"
    industry = next(d for d in taxonomy["domains"] if d["code"] == "industry")
    industry["keywords"] += ["全链条", "流通体系"]
    assert chain_domain("edited") == "industry"


def test_a_directive_cue_removed_from_the_taxonomy_changes_the_output(built, tmp_path):
    """002's 因此，需要从法规体系、市场机制、公共平台等多层面系统发力，构建…数据要素市场 recommends
    through its 需要 alone: an editor who does not read 需要 as a recommendation removes it from
    `weak_modals` and the row goes."""
    taxonomy = yaml.safe_load((DEFAULT_LEXICON_DIR / "policy_taxonomy.yaml").read_text(encoding="utf-8"))
    needle = "需要从法规体系、市场机制、公共平台等多层面系统发力"
    shipped = _extract_with(built, tmp_path, "shipped", taxonomy)
    assert len(rows_with(shipped[shipped.doc_id == SEEDS["002"]], needle)) == 1
    taxonomy["directives"]["weak_modals"].remove("需要")
    edited = _extract_with(built, tmp_path, "edited", taxonomy)
    assert rows_with(edited[edited.doc_id == SEEDS["002"]], needle).empty


# ---- documents the rules were not written for (../shared/devset) -----------------------------------

@needs_devset
def test_a_regulation_gives_one_row_per_directing_paragraph(devset):
    """网络数据安全管理条例: purpose, scope, definitions, referrals and entry into force are not
    policies; every other paragraph of an article is."""
    p = of(devset, "regulation")
    tables, ids = devset
    paras = tables["paragraphs"]
    articles = paras[(paras.doc_id == ids["regulation"]) & paras.text.str.match(r"^第[一二三四五六七八九十百]+条")]
    assert len(articles) > 50
    for needle in ("为了规范网络数据处理活动", "适用本条例。", "是指通过网络处理和产生的各种电子数据",
                   "应当取得书面同意的，从其规定", "本条例自2025年1月1日起施行"):
        assert rows_with(p, needle).empty, needle
    for needle in ("任何个人、组织不得利用网络数据从事非法活动", "网络数据处理者应当建立健全网络数据安全事件应急预案",
                   "第五十五条违反本条例第十二条"):
        assert len(rows_with(p, needle)) == 1, needle
    assert set(p.domain) >= {"governance"}


@needs_devset
def test_an_articles_list_items_count_alone_only_with_their_own_obligation(devset):
    """第二十二条's six （一）… items each carry 应当/不得: six rows, and the paragraph introducing them
    (…应当遵守下列规定：) is none. 第二十一条's items only list contents: they stay in its row."""
    p = of(devset, "regulation")
    assert rows_with(p, "基于个人同意处理个人信息的，应当遵守下列规定").empty
    items = p[p.text.str.match(r"^（[一二三四五六]）")]
    assert len(items) == 6 and items.text.str.contains("应当|不得").all()
    article = rows_with(p, "个人信息处理规则应当集中公开展示")
    assert len(article) == 1 and "（一）网络数据处理者的名称或者姓名和联系方式" in article.iloc[0].text


@needs_devset
def test_a_clause_that_only_grants_a_private_right_is_no_policy(devset):
    """北京市数字经济促进条例 第二十条: 单位和个人…可以依法存储…受法律保护 grants a right; 第十四条's
    可以采取政府投资… is a permission addressed to the government's own projects, and stays."""
    p = of(devset, "beijing")
    assert rows_with(p, "单位和个人对其合法正当收集的数据，可以依法存储").empty
    assert len(rows_with(p, "数字基础设施建设可以采取政府投资")) == 1


@needs_devset
def test_a_work_report_directs_in_its_tasks_not_in_its_review(devset):
    """2017年政府工作报告: nothing from 一、2016年工作回顾; the year's tasks paragraph by paragraph, a
    （一） heading and its lead sentence not; 一要…五要 are items, and the lead before them is one only
    when it directs something of its own."""
    tables, ids = devset
    p = of(devset, "report")
    review = paragraph(tables, ids["report"], "全面推开营改增试点，全年降低企业税负5700多亿元")
    assert review.para_id not in set(p.para_id)
    assert rows_with(p, "要在巩固成果基础上，针对新情况新问题").empty
    assert rows_with(p, "做好今年政府工作，要把握好以下几点").empty
    for needle in ("贯彻稳中求进工作总基调", "必须把改善供给侧结构作为主攻方向", "着力解决人民群众普遍关心的突出问题"):
        assert len(rows_with(p, needle)) == 1, needle
    air = rows_with(p, "坚决打好蓝天保卫战")
    assert len(air) == 1 and "一要" not in air.iloc[0].text  # 今年二氧化硫、氮氧化物排放量要分别下降3%
    assert (p.parent_id == air.iloc[0].policy_id).sum() == 5
    assert rows_with(p, "促进消费稳定增长").empty  # its lead only sums up 一要…三要
    assert len(rows_with(p, "严肃查处假冒伪劣、虚假广告、价格欺诈等行为")) == 1


@needs_devset
def test_a_work_report_is_classified_by_the_area_each_task_concerns(devset):
    """The taxonomy fits reports through its keywords: fiscal and monetary policy are finance,
    pollution control is governance, jobs are talent, foreign trade is cooperation."""
    p = of(devset, "report")
    for needle, domain in (("财政政策要更加积极有效", "finance"), ("货币政策要保持稳健中性", "finance"),
                           ("坚决打好蓝天保卫战", "governance"), ("大力促进就业创业", "talent"),
                           ("促进外贸继续回稳向好", "cooperation")):
        assert rows_with(p, needle).iloc[0].domain == domain, needle
    assert (rows_with(p, "财政政策要更加积极有效").horizon == "short").all()  # 今年赤字率拟按3%安排


@needs_devset
def test_a_report_that_only_reviews_the_past_directs_nothing(devset):
    """gwr/2008.txt holds only 过去五年工作回顾 (its scrape ends there), told in the imperative-looking
    topic sentences of reports (全面深化农村改革。…取得阶段性重要成果): no policy."""
    assert of(devset, "review").empty


@needs_devset
def test_an_opinion_counts_its_principles_and_chapter_leads(devset):
    """中共中央 国务院关于构建数据基础制度…的意见 (a WeChat repost): the ——… principles are items;
    each chapter's own opening paragraph directs (探索建立数据产权制度…); the preamble that announces
    the opinion (现提出如下意见) and the repost's front matter do not."""
    p = of(devset, "opinion")
    assert len(p[p.text.str.startswith("——")]) == 5
    assert len(rows_with(p, "探索建立数据产权制度，推动数据产权结构性分置和有序流通")) == 1
    assert rows_with(p, "现提出如下意见").empty
    assert rows_with(p, "fetch_date").empty and rows_with(p, "mmbiz").empty


@needs_devset
def test_a_plans_glossary_and_table_are_not_its_policies(devset):
    """可信数据空间发展行动计划 (PDF): the target 到2028年… is a policy; the 附件1 名词解释 and the 附件2
    table (可信数据空间应提供参与方注册…) after the plan are not."""
    p = of(devset, "plan")
    assert len(rows_with(p, "到2028年，可信数据空间标准体系")) == 1
    assert rows_with(p, "名词解释").empty and rows_with(p, "应提供参与方注册").empty
    assert len(p) >= 15


@needs_devset
def test_a_target_year_becomes_a_horizon_against_the_documents_year(devset):
    """到2028年 in a plan of 2024 is four years ahead: medium (horizon_years: short ≤ 1, medium ≤ 5)."""
    tables, ids = devset
    paras = tables["paragraphs"][tables["paragraphs"].doc_id == ids["plan"]].sort_values("order")
    sections = tables["sections"][tables["sections"].doc_id == ids["plan"]]
    rows = document_policies(ids["plan"], from_records(paras.to_dict("records"), Para),
                             from_records(sections.to_dict("records"), Section), Lexicon.load(), year=2024)
    target = next(r for r in rows if "到2028年，可信数据空间标准体系" in r["text"])
    assert target["horizon"] == "medium"
    assert next(r for r in rows if r is not target)["horizon"] is None
