"""Mechanisms named as the text names them and aligned to the shared axes with the words that
decided: on the seed papers (built by the current pipeline), and on real documents of
../shared/devset that the rules were not written for (regulations, government work reports, a
WeChat repost, journal abstracts)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from corpus.assemble import assemble
from corpus.evaluate import DEFAULT_DEVSET_DIR
from corpus.extract.mechanisms import named_mechanisms
from corpus.ingest import read_file
from corpus.lexicon import DEFAULT_LEXICON_DIR, Lexicon
from corpus.pipeline import Pipeline
from tests.conftest import SEEDS, seed_text

AXES = Lexicon.load(DEFAULT_LEXICON_DIR).axes
needs_devset = pytest.mark.skipif(not DEFAULT_DEVSET_DIR.is_dir(), reason="../shared/devset is not here")


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


def sentence_of(text: str, needle: str) -> str:
    """The sentence of a real text that holds `needle` (cut at 。！？!?. and line ends)."""
    at = text.index(needle)
    start = max(text.rfind(mark, 0, at) for mark in "。！？!?.\n") + 1
    ends = [i for i in (text.find(mark, at) for mark in "。！？!?.\n") if i >= 0]
    return text[start:min(ends) + 1 if ends else len(text)].strip()


def devset_text(name: str) -> str:
    path = DEFAULT_DEVSET_DIR / name
    return path.read_text(encoding="utf-8") if path.suffix == ".tsv" else read_file(path).text


# ---- the seed papers ------------------------------------------------------------------------


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
        assert found.level_reason == f"{found.level}层面"  # from the section heading `员工层面……`
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


def test_001_types_come_from_the_names_head_word(mechanisms):
    m = doc(mechanisms, "001")
    for name, type_, cue in [("自动化路径", "替代", "自动化"), ("能力重构机制", "重构", "重构"), ("互补式替代机制", "替代", "替代"),
                             ("溢出融合机制", "融合·溢出", "融合"), ("技术创新机制", "创新", "创新"),
                             ("生态协同机制", "协同·生态", "协同"), ("资金链路径", "供给·需求", "资金")]:
        found = row(m, name)
        assert (found.type, found.type_reason) == (type_, cue), name


def test_named_mechanisms_of_the_recommendations_are_rows(mechanisms):
    # 三是建立产学研合作机制 / 改进人才激励机制 / 以可持续为导向建立科技创新机制: directives in the policy
    # sections, which the analytic rules skip
    assert row(doc(mechanisms, "001"), "产学研合作机制").type == "协同·生态"
    m = doc(mechanisms, "000")
    assert {"平台化贡献机制", "充分流动机制", "人才激励机制", "科技创新机制"} <= set(m.name)
    assert row(m, "人才激励机制").factor == "劳动者"


def test_000_mechanisms_by_production_factor(mechanisms):
    m = doc(mechanisms, "000")
    for name, factor in [("智能生产力", "劳动者"), ("高效数字化的劳动工具", "劳动资料"), ("产业生态化", "劳动对象")]:
        found = row(m, name)
        assert (found.kind, found.factor, found.own) == ("mechanism", factor, True)
        assert found.factor_reason == f"{factor}层面"  # 在劳动者层面催生智能生产力
    # 基于高深知识生产、技术元素整合以及产业技术突破: what each of the three is made of, the same item
    for name, main in [("高深知识生产", "智能生产力"), ("技术元素整合", "高效数字化的劳动工具"), ("产业技术突破", "产业生态化")]:
        assert row(m, name)["name"] == main


def test_other_authors_mechanisms_are_marked_not_own(mechanisms):
    m = doc(mechanisms, "000")
    zhu = m[m.group == "培育企业新质生产力的四条路径"]
    assert len(zhu) == 4 and not zhu.own.any()
    assert all(d.startswith("朱宏任") for d in zhu.description)


def test_single_words_axis_values_and_framework_dimensions_are_not_mechanisms(mechanisms):
    names = set(mechanisms.name)
    # 从科技、绿色和数字三个方面; 劳动者、劳动对象和劳动工具三个维度; 生产目标、生产主体……四个维度
    assert not names & {"科技", "绿色", "数字", "劳动者", "劳动资料", "劳动对象", "劳动工具", "优化组合", "生产目标"}
    assert set(mechanisms.kind) <= {"mechanism", "path"}


def test_technical_terms_and_generic_heads_are_not_mechanisms(mechanisms):
    names = set(mechanisms.name)
    assert not names & {"注意力机制", "算法机制", "协调机制", "监管机制", "激励机制", "创新机制", "市场机制", "合作机制"}
    assert not any(n.startswith(("建立", "健全", "完善", "这", "一种")) for n in names)


def test_002_mechanisms_without_its_problems(mechanisms, built):
    m = doc(mechanisms, "002")
    assert {"新型举国体制", "超大规模市场", "“逆向倒逼”机制", "共商共建共享治理新机制"} <= set(m.name)
    # 这种内需导向下的“逆向倒逼”机制，使得……: the name without its demonstrative and modifier
    assert row(m, "“逆向倒逼”机制").description.startswith("这种内需导向下的“逆向倒逼”机制")
    sections = built.tables["sections"]
    problems = sections[(sections.doc_id == SEEDS["002"]) & (sections.parent_id == "s3")].heading
    assert len(problems) == 4 and not set(problems) & set(m.name)  # 三、……的风险挑战
    assert not any("创新互动机制" in n for n in m.name)  # 未能……形成有效的创新互动机制: a problem


def test_004_mechanisms_from_its_abstract(mechanisms):
    m = doc(mechanisms, "004")
    assert list(m.name) == ["双向赋能的要素供给", "由内而外的结构嵌入", "链式闭环的功能组合"]
    assert list(m.type[:2]) == ["供给·需求", "融合·溢出"] and list(m.type_reason[:2]) == ["供给", "嵌入"]
    # 在劳动者、劳动资料、劳动对象及其优化组合等四个维度: all the factors at once, none of them in particular
    assert m.factor.isna().all()


def test_every_row_points_at_its_evidence_and_every_value_at_its_words(mechanisms, built):
    paragraphs = built.tables["paragraphs"].set_index(["doc_id", "para_id"])
    sections = built.tables["sections"]
    for r in mechanisms.itertuples():
        para = paragraphs.loc[(r.doc_id, r.para_id)]
        assert r.description in para.text and para.section_id == r.section_id, r.mechanism_id
        headings = "".join(sections[sections.doc_id == r.doc_id].heading)
        for axis in ("factor", "level", "type"):
            value, reason = getattr(r, axis), getattr(r, f"{axis}_reason")
            assert (value is None or value != value) == (reason is None or reason != reason), (r.name, axis)
            if isinstance(reason, str):  # the document's own words
                assert reason in r.name + r.description + headings, (r.name, axis, reason)
    assert not mechanisms.duplicated(["doc_id", "name"]).any()


def test_at_most_a_fifth_of_the_seeds_own_mechanisms_are_unaligned_on_any_axis(mechanisms):
    own = mechanisms[mechanisms.doc_id.isin(SEEDS.values()) & mechanisms.own]
    assert len(own) >= 40
    for axis in ("factor", "level", "type"):
        assert own[axis].isna().mean() <= 0.2, axis


# ---- the named-mechanism rule on real sentences ----------------------------------------------


def seed_sentence(key: str, needle: str) -> str:
    return sentence_of(seed_text(key).replace("\n", ""), needle)  # the seeds wrap lines inside sentences


def test_a_problem_or_a_question_names_no_mechanism():
    problem = seed_sentence("002", "未能在相关领域内形成有效的创新互动机制")
    question = seed_sentence("001", "人工智能在不同产业间的扩散机制是什么")
    assert named_mechanisms(problem, AXES) == [] and named_mechanisms(question, AXES) == []


@needs_devset
def test_a_mechanism_under_study_is_not_one_the_text_proposes():
    abstracts = devset_text("bibliographic/csl-kg-dev.tsv")
    assert named_mechanisms(sentence_of(abstracts, "探讨了浊积岩油藏的形成机制"), AXES) == []
    assert named_mechanisms(sentence_of(abstracts, "同时降低无人机制作成本"), AXES) == []  # 无人机 + 制作


@needs_devset
def test_names_from_a_government_work_report():
    report = devset_text("gwr/2017.txt")
    # another object before 和 (主体功能区制度) is not part of the name
    assert named_mechanisms(sentence_of(report, "完善主体功能区制度和生态补偿机制"), AXES) == ["生态补偿机制", "资源环境监测预警机制"]
    # a generic head next to a named one
    assert named_mechanisms(sentence_of(report, "健全激励机制和容错纠错机制"), AXES) == ["容错纠错机制"]
    # the clause's subject; generic heads after a verb; the 机制 of 机制性 and of 解决机制和技术问题
    assert named_mechanisms(sentence_of(report, "人民币汇率形成机制进一步完善"), AXES) == ["人民币汇率形成机制"]
    assert named_mechanisms(sentence_of(report, "疏通传导机制"), AXES) == []
    assert named_mechanisms(sentence_of(report, "机制性重要成果"), AXES) == []
    assert named_mechanisms(sentence_of(report, "抓紧解决机制和技术问题"), AXES) == []


@needs_devset
def test_names_from_regulations_and_a_repost():
    beijing = devset_text("policy/beijing-digital-economy-promotion-regulation-2022.md")
    # 推进 … 协调机制: the lead word that leaves a generic head is part of the name
    assert named_mechanisms(sentence_of(beijing, "建立健全推进协调机制"), AXES) == ["推进协调机制"]
    zhejiang = devset_text("policy/zhejiang-digital-economy-promotion-regulation-2020.md")
    assert named_mechanisms(sentence_of(zhejiang, "完善协调机制以及安全预警"), AXES) == ["安全预警、安全处置机制"]
    assert named_mechanisms(sentence_of(zhejiang, "与中小微企业建立对接机制"), AXES) == []
    repost = devset_text("web/wechat-data-20-measures-2022.md")
    listed = named_mechanisms(sentence_of(repost, "逐步完善数据交易失信行为认定"), AXES)
    assert listed == ["数据交易失信行为认定、守信激励、失信惩戒、信用修复、异议处理等机制"]  # an 等 list is one name


@needs_devset
def test_the_rules_are_the_lexicons(tmp_path: Path):
    """An editor who takes 激励 off the generic qualifiers gets 激励机制 as a mechanism."""
    lexicon = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_LEXICON_DIR, lexicon)
    axes_file = lexicon / "mechanism_axes.yaml"
    text = axes_file.read_text(encoding="utf-8")
    assert "协调, 激励, 监管" in text
    axes_file.write_text(text.replace("协调, 激励, 监管", "协调, 监管"), encoding="utf-8")
    sentence = sentence_of(devset_text("gwr/2017.txt"), "完善激励机制，培育众多")
    assert named_mechanisms(sentence, AXES) == []
    assert named_mechanisms(sentence, Lexicon.load(lexicon).axes) == ["激励机制"]


# ---- whole documents outside the seeds: names and axes with their words ------------------------

DEVSET_FILES = ("policy/beijing-digital-economy-promotion-regulation-2022.md", "gwr/2017.txt", "gwr/2016.txt")


@pytest.fixture(scope="module")
def devset_rows():
    if not DEFAULT_DEVSET_DIR.is_dir():
        pytest.skip("../shared/devset is not here")
    tables = assemble([Pipeline()(Path(name).name, (DEFAULT_DEVSET_DIR / name).read_bytes()) for name in DEVSET_FILES])
    return tables["mechanisms"]


def test_a_regulations_mechanisms_are_aligned_with_the_words_that_say_so(devset_rows):
    m = devset_rows[devset_rows.doc_id == "beijing-digital-economy-promotion-regulation-2022"]
    assert {"推进协调机制", "数据要素收益分配机制", "数据资产定价机制", "争议在线解决机制"} <= set(m.name)
    pricing = row(m, "数据资产定价机制")  # 支持市场主体探索数据资产定价机制
    assert (pricing.level, pricing.level_reason, pricing.factor, pricing.type) == ("企业", "市场主体", "要素组合", "供给·需求")
    sharing = m[m.name.str.endswith("公共数据共享机制")].iloc[0]  # 市人民政府建立全市公共数据共享机制
    assert (sharing.level, sharing.level_reason, sharing.factor, sharing.factor_reason) == ("区域·国家", "政府", "劳动对象", "数据")
    # 应当……建立健全推进协调机制: the regulation's own directive, so the issuing government's mechanism
    coordination = row(m, "推进协调机制")
    assert (coordination.level, coordination.level_reason, coordination.type) == ("区域·国家", "建立健全", "治理·监管")
    assert coordination.factor is None or coordination.factor != coordination.factor  # pure coordination: no factor


def test_government_work_reports_outside_the_gold(devset_rows):
    m = devset_rows[devset_rows.doc_id == "2016"]
    assert {"沿线大通关合作机制", "容错纠错机制", "生态保护补偿机制"} <= set(m.name)
    generic = re.compile(r"^(?:[在以对同].*|.{0,2}体制机制|.*国际机制)$")  # 以体制机制, 同联合国等……和国际机制
    assert not any(generic.match(n) for n in m.name), list(m.name)
    report = devset_rows[devset_rows.doc_id == "2017"]
    assert row(report, "人民币汇率形成机制").factor == "要素组合"
    assert not set(report.name) & {"激励机制", "传导机制", "机制"}
