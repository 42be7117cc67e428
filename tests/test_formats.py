"""PDF and Word readers, on files made in the test from the seed papers."""

import io
import re
import zipfile

import pytest

from corpus.errors import InputError
from corpus.formats.docx import docx_text
from corpus.formats.pdf import pdf_text
from corpus.ingest import normalise, read_bytes
from tests.conftest import RAW_DIR, SEEDS, process
from tests.doc_factory import make_docx, make_encrypted_pdf, make_pdf, make_scanned_pdf, seed_pages

JOURNAL_HEAD = "社会科学 2024年第5期"
TITLE_000 = "人工智能视域下的新质生产力生成路径"
COMPARED = {
    "paragraphs": ["section_id", "para_id", "kind", "list_marker", "text", "tokens"],
    "sections": ["section_id", "parent_id", "level", "number", "heading"],
    "references": ["ref_id", "marker", "kind", "text"],
    "citations": ["para_id", "marker", "offset", "ref_id"],
}


@pytest.fixture(scope="module")
def seed_000_txt():
    return process("000.txt", (RAW_DIR / f"{SEEDS['000']}.txt").read_bytes())


@pytest.fixture(scope="module")
def seed_000_pdf():
    """Paper 000 typeset page by page as in the original, with a journal's running heads
    (the title on odd pages, the journal issue on even pages) and page numbers at the foot."""
    return make_pdf(seed_pages("000"), headers=(TITLE_000, JOURNAL_HEAD), page_numbers=True)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdf_of_a_seed_paper_gives_the_same_tables_as_its_text_extraction(seed_000_pdf, seed_000_txt):
    from_pdf = process("000.pdf", seed_000_pdf)
    for table, columns in COMPARED.items():
        got, expected = from_pdf[table][columns], seed_000_txt[table][columns]
        assert len(got) == len(expected), table
        assert got.astype(str).equals(expected.astype(str)), table
    assert from_pdf["documents"].loc[0, "title"] == TITLE_000
    assert from_pdf["documents"].loc[0, "abstract"] == seed_000_txt["documents"].loc[0, "abstract"]


def test_pdf_running_heads_and_page_numbers_go_but_the_title_stays(seed_000_pdf):
    text = pdf_text(seed_000_pdf)
    lines = text.split("\n")
    assert lines[0] == " " + TITLE_000  # set larger than the body: not a running head
    assert TITLE_000 not in "\n".join(lines[1:])
    assert JOURNAL_HEAD not in text
    assert not any(re.fullmatch(r"\s*-\s*\d+\s*-\s*", line) for line in lines)
    pages = seed_pages("000")
    # one page start (leading space) per page, and otherwise the printed lines as extracted
    assert sum(1 for line in lines if line.startswith(" ")) == len(pages)
    assert squash(normalise(text)) == squash(normalise("\n".join(" " + "\n".join(p) for p in pages)))


def test_pdf_without_a_text_layer_asks_for_ocr():
    scan = make_scanned_pdf(seed_pages("001", 2, 3))
    with pytest.raises(InputError) as err:
        read_bytes(scan, "扫描件.pdf")
    assert err.value.code == "needs_ocr"
    assert "OCR" in err.value.message("zh") and "扫描件" in err.value.message("zh")
    assert "2 pages" in err.value.message("en")


def test_password_protected_pdf_is_refused_with_a_message():
    locked = make_encrypted_pdf()
    with pytest.raises(InputError) as err:
        read_bytes(locked, "locked.pdf")
    assert err.value.code == "encrypted"
    assert "密码" in err.value.message("zh")
    # the file really is encrypted, not merely broken: PDFium opens it with the password
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(locked, password="secret")
    assert "productive forces" in document[0].get_textpage().get_text_bounded()


@pytest.mark.parametrize("damage", ["truncated", "not_a_pdf"])
def test_damaged_pdf_is_refused(seed_000_pdf, damage):
    data = seed_000_pdf[: len(seed_000_pdf) // 3] if damage == "truncated" else b"%PDF-1.7\n" + bytes(range(256)) * 8
    with pytest.raises(InputError) as err:
        read_bytes(data, "broken.pdf")
    assert err.value.code == "corrupt_pdf"
    assert "损坏" in err.value.message("zh")


# --- Word


def word_version(tables) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """A processed seed written back as a Word document: its title, section headings as styles,
    paragraphs, and every citation as a real footnote holding the linked note's text."""
    heading_text = {1: "{number}、{heading}", 2: "{number}{heading}", 3: "{number}{heading}"}
    blocks = [("title", tables["documents"].loc[0, "title"])]
    footnotes: dict[str, str] = {}
    notes = dict(zip(tables["references"].ref_id, tables["references"].text, strict=True))
    cites = tables["citations"]
    sections = tables["sections"].set_index("section_id")
    current = None
    for para in tables["paragraphs"].itertuples():
        if para.kind == "abstract":
            continue
        if para.section_id != current:
            current = para.section_id
            section = sections.loc[current]
            if section.level >= 1:
                blocks.append((f"h{section.level}", heading_text[section.level].format(
                    number=section.number or "", heading=section.heading)))
        text, pieces, last = para.text, [], 0
        for cite in cites[(cites.para_id == para.para_id) & cites.ref_id.notna()].itertuples():
            note_id = str(len(footnotes) + 1)
            footnotes[note_id] = notes[cite.ref_id]
            pieces += [text[last : cite.offset], "{fn:" + note_id + "}"]
            last = cite.offset
        blocks.append(("p", "".join(pieces) + text[last:]))
    return blocks, footnotes


@pytest.fixture(scope="module")
def seed_000_docx(seed_000_txt):
    blocks, footnotes = word_version(seed_000_txt)
    return make_docx(blocks, footnotes=footnotes, table=[["年份", "事件"], ["1956", "达特茅斯会议正式提出人工智能"]])


def test_word_headings_paragraphs_and_footnotes_come_through(seed_000_docx, seed_000_txt):
    got = process("000.docx", seed_000_docx)
    expected = seed_000_txt
    body = expected["paragraphs"][expected["paragraphs"].kind != "abstract"]
    assert list(got["paragraphs"].text) == list(body.text)
    assert got["documents"].loc[0, "title"] == TITLE_000
    # heading levels from the styles, in order
    got_sections = got["sections"][got["sections"].level >= 1]
    expected_sections = expected["sections"][expected["sections"].level >= 1]
    assert list(got_sections.level) == list(expected_sections.level)
    assert got_sections.heading.str.contains("人工智能与新质生产力的协同互嵌").any()
    # every linked citation of the text version is a footnote call linked to its note
    linked = expected["citations"][expected["citations"].ref_id.notna()]
    assert len(got["citations"]) == len(linked)
    assert got["citations"].ref_id.notna().all()
    ref_text = dict(zip(got["references"].ref_id, got["references"].text, strict=True))
    expected_text = dict(zip(expected["references"].ref_id, expected["references"].text, strict=True))
    for got_cite, exp_cite in zip(got["citations"].itertuples(), linked.itertuples(), strict=True):
        assert got_cite.offset == exp_cite.offset
        assert ref_text[got_cite.ref_id] == expected_text[exp_cite.ref_id]
    # the table's cells never become body text
    assert not got["paragraphs"].text.str.contains("年份").any()


def test_word_footnotes_are_numbered_in_reading_order_and_emitted_under_notes():
    text = docx_text(make_docx(
        [("p", "1956年，达特茅斯会议正式提出“人工智能”一词{fn:7}，成为人工智能学科诞生的标志{fn:3}。")],
        footnotes={"3": "第二条注释。", "7": "第一条注释。"}))
    assert text.split("\n") == [
        "1956年，达特茅斯会议正式提出“人工智能”一词[1]，成为人工智能学科诞生的标志[2]。",
        "注释", "[1] 第一条注释。", "[2] 第二条注释。",
    ]


def test_wps_style_names_and_typed_indents():
    data = make_docx([("h1", "一、人工智能与新质生产力的协同互嵌"), ("h2", "（一）人工智能的发展阶段"),
                      ("p", "　　我国人工智能的发展基本与世界同步，经历了三个阶段。")], chinese_style_names=True)
    assert docx_text(data).split("\n") == [
        "## 一、人工智能与新质生产力的协同互嵌", "### （一）人工智能的发展阶段",
        "我国人工智能的发展基本与世界同步，经历了三个阶段。",
    ]


def test_damaged_or_foreign_docx_is_refused():
    good = make_docx([("p", "我国人工智能的发展基本与世界同步。")])
    spreadsheet = io.BytesIO()
    with zipfile.ZipFile(spreadsheet, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    broken_xml = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(broken_xml, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    for data in (good[: len(good) // 2], b"PK\x03\x04" + bytes(200), spreadsheet.getvalue(), broken_xml.getvalue()):
        with pytest.raises(InputError) as err:
            read_bytes(data, "论文.docx")
        assert err.value.code == "corrupt_docx"
        assert "docx" in err.value.message("zh")


def test_legacy_doc_gets_a_save_as_hint():
    with pytest.raises(InputError) as err:
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "旧论文.doc")
    assert err.value.code == "legacy_doc" and "另存为 .docx" in err.value.message("zh")


def test_cli_builds_pdf_and_word_files_and_reports_the_bad_ones(tmp_path, seed_000_docx):
    import subprocess
    import sys

    from corpus.store import load_processed
    from tests.conftest import ROOT

    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    (raw / "paper_001.pdf").write_bytes(make_pdf(seed_pages("001", 1, 5), headers=(JOURNAL_HEAD,), page_numbers=True))
    (raw / "paper_000.docx").write_bytes(seed_000_docx)
    (raw / "locked.pdf").write_bytes(make_encrypted_pdf())
    run = subprocess.run([sys.executable, "-m", "corpus", "build", "--raw", str(raw), "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr  # one file failed
    assert "locked.pdf: 这个 PDF 已加密" in run.stderr
    documents = load_processed(out, raw)["documents"].set_index("doc_id")
    assert set(documents.index) == {"paper_001", "paper_000"}
    assert documents.loc["paper_000", "title"] == TITLE_000
    assert documents.loc["paper_001", "source_file"] == "paper_001.pdf"
    assert documents.loc["paper_001", "n_paragraphs"] > 5


def test_docx_that_unpacks_to_far_more_than_its_size_is_refused(monkeypatch):
    import corpus.formats.docx

    monkeypatch.setattr(corpus.formats.docx, "MAX_UNPACKED_BYTES", 4 * 2**20)
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx([("p", "我国人工智能的发展基本与世界同步。")]))) as src, \
            zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/media/zeros.bin", bytes(8 * 2**20))
    assert len(bomb.getvalue()) < 2**20
    with pytest.raises(InputError) as err:
        read_bytes(bomb.getvalue(), "论文.docx")
    assert err.value.code == "unpacked_too_large" and "上限 4 MB" in err.value.message("zh")
