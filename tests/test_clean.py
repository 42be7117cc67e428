"""Clean: line classes and re-flow, on small fixtures cut from the seeds."""

import re

from corpus.clean import clean
from corpus.ingest import normalise
from corpus.lines import Heading, Paragraph, furniture_patterns
from tests.conftest import seed_lines, seed_text


def blocks_of(text):
    return clean(normalise(text)).blocks


def paragraphs_of(text):
    return [b for b in blocks_of(text) if isinstance(b, Paragraph)]


def test_heading_wrapped_across_lines_is_joined():
    # 000: “（一）人工智能通过培育高端要素催生智能生” / “产力” / body
    headings = [b for b in blocks_of(seed_lines("000", 310, 345)) if isinstance(b, Heading)]
    assert [(h.level, h.text) for h in headings] == [(2, "人工智能通过培育高端要素催生智能生产力")]


def test_heading_ending_in_colon_takes_its_continuation():
    # 001: “1. 人工智能促进员工新质生产力涌现路径:” … blank lines … “自动化-增强”路径
    headings = [b for b in blocks_of(seed_lines("001", 252, 270)) if isinstance(b, Heading)]
    assert headings[-1].text == "人工智能促进员工新质生产力涌现路径：“自动化-增强”路径"
    assert headings[-1].level == 3


def test_footnotes_at_a_page_foot_do_not_break_the_paragraph():
    # 000 lines 455–495: “…第二，人工智能通过改变要素结” / (1) 张夏恒… / (2) 王水兴… / “构优化要素配置。…”
    doc = clean(normalise(seed_lines("000", 441, 495)))
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any("人工智能通过改变要素结构优化要素配置" in t for t in texts)
    assert not any("张夏恒" in t or "当代经济研究" in t for t in texts)
    assert [n.marker for n in doc.notes] == ["(1)", "(2)"]
    assert doc.notes[0].text.endswith("2024年第4期。")  # the wrapped note is joined


def test_figure_caption_inside_a_paragraph_is_removed():
    # 000: “图2  人工智能与新质生产力协同互嵌图” printed between “准确定位” and “并合理布局”
    texts = [p.text for p in paragraphs_of(seed_lines("000", 1075, 1106))]
    joined = "".join(texts)
    assert "协同互嵌图" not in joined
    assert "准确定位并合理布局国家科研机构" in joined


def test_table_cells_are_not_body_text():
    texts = " ".join(p.text for p in paragraphs_of(seed_lines("001", 118, 215)))
    assert "擅长并有效运用数字工" not in texts and "新型劳动资料" not in texts
    assert "表1" in texts  # the body's reference to the table stays


def test_citation_markers_leave_the_text_and_are_recorded():
    paras = paragraphs_of(seed_lines("001", 27, 45))
    text = paras[0].text
    assert "[1]" not in text and "[2]" not in text and "[3]" not in text
    assert "内在动力与源泉，促使构成生产力" in text
    assert [m for m, _, _ in paras[0].citations] == ["[1]", "[2]", "[3]"]
    marker, offset, _ = paras[0].citations[0]
    assert text[:offset].endswith("内在动力与源泉")


def test_circled_note_calls_are_citations_but_circled_list_items_are_not():
    cited = paragraphs_of(seed_lines("000", 241, 258))[-1]
    assert cited.text.endswith("引领新质生产力的形成。") and [c[0] for c in cited.citations] == ["(3)", "④", "⑤"]
    items = paragraphs_of(seed_lines("001", 678, 706))
    assert [p.list_marker for p in items if p.kind == "list_item"] == ["①", "②", "③"]


def test_no_line_break_inside_a_sentence_and_pdf_spacing_undone():
    for p in paragraphs_of(seed_lines("000", 1065, 1107)):
        assert "\n" not in p.text
        assert p.text[-1] in "。！？”"
    assert any("制度体系。" in p.text for p in paragraphs_of(seed_lines("000", 1094, 1107)))


def test_english_abstract_split_one_word_per_line_reads_as_text():
    english = clean(normalise(seed_text("001"))).english
    assert english["abstract_en"].startswith("Advanced scientific and technological advancements, particularly "
                                             "artificial intelligence (AI), are recognized")
    assert "decision-making" in english["abstract_en"]


def test_page_residue_after_the_last_sentence_is_dropped():
    texts = [p.text for p in paragraphs_of(seed_text("002"))]
    assert texts[-1].endswith("推动世界生产力发展再上新台阶。")


def test_list_items_split_from_the_paragraph_that_holds_them():
    paras = paragraphs_of(seed_lines("000", 326, 368))
    assert [p.list_marker for p in paras] == [None, "第一", "第二", "第三"]


def test_furniture_patterns_are_compiled_once_per_version_of_the_file(tmp_path):
    (tmp_path / "page_furniture.txt").write_text("第\\d+页\n", encoding="utf-8")
    first = furniture_patterns(tmp_path)
    assert furniture_patterns(tmp_path) is first  # asked per document, compiled once
    (tmp_path / "page_furniture.txt").write_text("第\\d+页\n# edited\n扫码关注\n", encoding="utf-8")
    assert [p.pattern for p in furniture_patterns(tmp_path).patterns] == ["第\\d+页", "扫码关注"]


def test_clean_uses_the_furniture_patterns_it_is_given():
    text = "人工智能推动产业升级，形成新的增长动力。\n扫码关注本刊\n数据要素市场逐步完善，制度体系不断健全。"
    assert "扫码关注本刊" in [ln.text for ln in clean(text, []).lines if ln.cls == "body"]
    marked = [ln.text for ln in clean(text, [re.compile("扫码关注.*")]).lines if ln.cls == "furniture"]
    assert marked == ["扫码关注本刊"]
