"""Structure and metadata on the real seeds: the facts an editor checks first."""

import re

import pytest

from corpus.clean import clean
from corpus.ingest import normalise
from corpus.metadata import document_row
from corpus.structure import structure
from tests.conftest import SEEDS, seed_text

# Headings as printed in the papers (typed from the raw files, joined where they wrap).
HEADINGS_000 = {
    "人工智能与新质生产力的协同互嵌": [],
    "智能生产力：人工智能催生的新型生产力": [
        "人工智能通过培育高端要素催生智能生产力",
        "人工智能通过深度学习神经网络巩固提升智能生产力",
        "人工智能通过引入数据要素突破劳动力边界进而发展智能生产力",
    ],
    "高效数字化：人工智能提供的新型劳动工具": [
        "人工智能通过技术要素整合优化劳动资料",
        "人工智能强大的信息处理能力有效提高智能效率",
        "人工智能的大模型架构维护智能生产力系统稳定",
    ],
    "产业生态化：人工智能促发的新型生产体系": [
        "人工智能通过产业技术突破建立协同互嵌的产业生态",
        "人工智能技术与实体经济深度融合推动三次产业优化升级",
        "人工智能以智能效率为支撑，推动绿色低碳转型",
    ],
    "以发展人工智能促进新质生产力的形成": [
        "形成政产学研一体的人工智能人才生态",
        "建立协同开放的人工智能科技创新生态",
        "培育协调互嵌的人工智能产业生态",
        "构建规范高效的人工智能治理制度生态",
    ],
}
TOP_001 = ["引言", "新质生产力和人工智能技术应用的特征", "员工、企业和产业层面人工智能促进新质生产力涌现的路径和机制",
           "人工智能促进制造业新质生产力涌现的政策协同", "主要研究结论与展望"]
TOP_002 = ["人工智能对生产力与生产关系的系统性重构", "人工智能赋能新质生产力的机理分析",
           "人工智能赋能新质生产力的风险挑战", "人工智能赋能新质生产力的实践进路"]


@pytest.fixture(scope="module")
def seeds():
    out = {}
    for key, doc_id in SEEDS.items():
        doc = clean(normalise(seed_text(key)))
        out[key] = (doc, structure(doc_id, doc))
    return out


def top_level(parts):
    return [s for s in parts.sections if s["level"] == 1]


def children(parts, section_id):
    return [s["heading"] for s in parts.sections if s["parent_id"] == section_id]


def test_000_every_heading_at_its_level_and_in_one_piece(seeds):
    parts = seeds["000"][1]
    tops = top_level(parts)
    assert [s["heading"] for s in tops] == list(HEADINGS_000)
    assert [s["number"] for s in tops] == ["一", "二", "三", "四", "五"]
    for section in tops:
        assert children(parts, section["section_id"]) == HEADINGS_000[section["heading"]]


def test_001_and_002_top_level_sections(seeds):
    assert [s["heading"] for s in top_level(seeds["001"][1])] == TOP_001
    assert [s["heading"] for s in top_level(seeds["002"][1])] == TOP_002
    third_level = [s["heading"] for s in seeds["001"][1].sections if s["level"] == 3]
    assert "人工智能促进产业新质生产力涌现机制：协同机制" in third_level and len(third_level) == 6


def test_no_note_caption_or_page_residue_in_any_section_or_paragraph(seeds):
    for key, (_doc, parts) in seeds.items():
        texts = [p["text"] for p in parts.paragraphs] + [s["text"] for s in parts.sections] + \
                [s["heading"] for s in parts.sections]
        body = "\n".join(texts)
        for note in parts.references:
            assert note["text"][:20] not in body, (key, note["text"])
        assert not re.search(r"》，\s*\d{4}\s*年(第\s*\d+\s*期|版)", body), key  # citation entries
        for text in texts:  # note calls; a list item may start with “(1)”
            assert not re.search(r"\[\d+(?:[,\-]\d+)*\]|［\d+］|[ \t]\(\d\)|[ \t][④⑤⑥⑦⑧⑨⑩⑪]", text), (key, text)
        assert "协同互嵌图" not in body and "催生智能生产力图" not in body  # 000's figure captions
        assert "Reform" not in body
        for p in parts.paragraphs:  # figures and tables are only ever referred to: （图1）, 见图2, （表1）
            assert not re.search(r"(?<![（(见])[图表]\s*\d", p["text"]), (key, p["text"])


def test_paragraphs_are_whole_sentences(seeds):
    for key, (_, parts) in seeds.items():
        for p in parts.paragraphs:
            assert "\n" not in p["text"]
            assert p["text"][-1] in "。！？：”）", (key, p["para_id"], p["text"][-30:])


def test_every_000_footnote_is_kept_as_a_reference(seeds):
    refs = seeds["000"][1].references
    assert len(refs) == 25
    assert all(r["kind"] == "footnote" and r["marker"] for r in refs)
    assert any(r["text"].startswith("何哲：《ChatGPT等新一代人工智能技术的社会影响及其治理》") for r in refs)


def test_note_calls_link_to_the_note_on_their_page(seeds):
    parts = seeds["000"][1]
    refs = {r["ref_id"]: r["text"] for r in parts.references}
    paras = {p["para_id"]: p["text"] for p in parts.paragraphs}
    links = [(c["marker"], paras[c["para_id"]][: c["offset"]], refs.get(c["ref_id"])) for c in parts.citations]
    # “…张文武等从生产目标…进行阐释 ④” cites 张文武、张为付 printed at the next page's top
    marker, before, note = next(x for x in links if x[1].endswith("主体架构进行阐释"))
    assert marker == "④" and note.startswith("张文武、张为付")
    # “(3)” after 王珏 has no printed note on its page: no link rather than a wrong one
    assert next(x for x in links if x[1].endswith("四个主要内容"))[2] is None


def row(seeds, key):
    doc, parts = seeds[key]
    return document_row(SEEDS[key], SEEDS[key] + ".txt", doc, {}, first_heading=None, n_chars=0,
                        n_paragraphs=0, structured=True, content_hash="")


def test_004_journal_page_metadata(seeds):
    meta = row(seeds, "004")
    assert meta["title"] == "人工智能催生新质生产力的内在机理与行动策略"
    assert meta["authors"] == ["刘海军"] and meta["authors_en"] == ["LIU Haijun"]
    assert meta["journal"] == "西南石油大学学报(社会科学版)"
    assert (meta["year"], meta["volume"], meta["issue"], meta["pages"]) == (2026, "28", "3", "120-131")
    assert meta["keywords"] == ["人工智能", "新质生产力", "科技创新", "产业创新", "智能经济", "数字经济", "数字化转型"]
    assert meta["title_en"].startswith("The Intrinsic Mechanism of Artificial Intelligence")
    assert meta["abstract"].startswith("国家“十五五”规划纲要提出")


def test_002_english_title_and_pinyin_authors(seeds):
    meta = row(seeds, "002")
    assert meta["title_en"] == ("Artificial Intelligence Empowering New Quality Productive Forces: "
                                "Mechanism of Action and Practical Path")
    assert meta["authors_en"] == ["ZHOU Wen", "YANG Zheng-yuan"]
    assert meta["keywords_en"][:2] == ["artificial intelligence", "new quality productive forces"]
    assert meta["title"] is None and meta["label_derived"]  # no Chinese title printed: never invented
    assert meta["year"] is None and meta["journal"] is None


def test_000_title_from_first_line_and_nothing_invented(seeds):
    meta = row(seeds, "000")
    assert meta["title"] == "人工智能视域下的新质生产力生成路径" and not meta["label_derived"]
    assert meta["authors"] == [] and meta["year"] is None and meta["journal"] is None
    assert meta["abstract"].startswith("随着人类从信息时代进入数字时代") and meta["abstract"].endswith("治理制度生态。")
    assert meta["abstract_en"].startswith("With the transformation from the information era")


def test_001_has_no_title_so_its_label_is_derived(seeds):
    meta = row(seeds, "001")
    assert meta["title"] is None and meta["label_derived"]
    assert meta["label"].startswith("以人工智能技术为代表的先进科技")


def test_sidecar_fills_and_overrides_fields(seeds):
    doc, _ = seeds["002"]
    meta = document_row("002", "002.txt", doc, {"title": "人工智能赋能新质生产力：作用机理与实践路径", "year": "2025",
                                               "authors": "周文、杨正源"},
                        first_heading=None, n_chars=0, n_paragraphs=0, structured=True, content_hash="")
    assert meta["title"] == "人工智能赋能新质生产力：作用机理与实践路径" and not meta["label_derived"]
    assert meta["year"] == 2025 and meta["authors"] == ["周文", "杨正源"]
    assert '"title": "sidecar"' in meta["metadata_source"] and '"title_en": "text"' in meta["metadata_source"]
