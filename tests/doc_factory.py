"""Test documents made from the seed papers: PDFs (text, scanned, encrypted) and .docx files.

Everything is built offline in the test process: PDFs with PDFium's page-object API and a
subset of Noto Sans SC (the pip-installed OFL font), Word files with python-docx plus a
hand-added footnotes part (python-docx cannot write one).
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import re
import struct
from functools import lru_cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from tests.conftest import SEEDS, seed_text

PAGE_W, PAGE_H, MARGIN, LEADING = 595.0, 842.0, 56.0, 16.0
EXTRA_CHARS = "第页共期卷·—－ 　"


@lru_cache(maxsize=1)
def cjk_font() -> tuple[bytes, frozenset[str]]:
    """Noto Sans SC cut down to the seeds' characters (~280 KB instead of 8 MB); built once."""
    import pylopdf_fonts_zh_cn
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = set(EXTRA_CHARS) | {chr(c) for c in range(32, 127)}
    for key in SEEDS:
        chars |= set(seed_text(key))
    options = subset.Options()
    options.layout_features, options.notdef_outline, options.hinting = [], True, False
    font = TTFont(pylopdf_fonts_zh_cn.sans_path())
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(chars))
    subsetter.subset(font)
    covered = {chr(code) for code in font.getBestCmap()}
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue(), frozenset(covered)


def seed_pages(key: str, first_page: int = 1, last_page: int | None = None) -> list[list[str]]:
    """A seed's printed pages (a leading space marks each page's first line), blank lines dropped."""
    pages: list[list[str]] = []
    for raw in seed_text(key).split("\n"):
        if not raw.strip():
            continue
        if raw[:1].isspace() or not pages:
            pages.append([])
        pages[-1].append(raw.strip())
    return pages[first_page - 1 : last_page]


def make_pdf(pages: list[list[str]], *, headers: tuple[str, ...] = (), page_numbers: bool = False,
             font_size: float = 10.0, title_size: float = 16.0) -> bytes:
    """A text PDF: one text object per line, page 1's first line (the title) set larger.
    `headers` alternate as running heads (8 pt) on odd/even pages, like a journal's name and the
    article title; `page_numbers` prints `- n -` at each page's foot."""
    font_data, covered = cjk_font()
    missing = {ch for lines in pages for line in lines for ch in line} - covered - {" "}
    assert not missing, f"font subset lacks {sorted(missing)[:10]}"
    document = pdfium.PdfDocument.new()
    buffer = (ctypes.c_uint8 * len(font_data)).from_buffer_copy(font_data)
    font = pdfium_c.FPDFText_LoadFont(document, buffer, len(font_data), pdfium_c.FPDF_FONT_TRUETYPE, 1)
    assert font, "PDFium could not load the font"
    for number, lines in enumerate(pages, start=1):
        page = document.new_page(PAGE_W, PAGE_H)
        y = PAGE_H - MARGIN
        if headers:
            _place(document, page, font, 8.0, headers[number % len(headers)], y + 20)
        for k, line in enumerate(lines):
            _place(document, page, font, title_size if number == 1 and k == 0 else font_size, line, y)
            y -= LEADING
        if page_numbers:
            _place(document, page, font, 8.0, f"- {number} -", MARGIN / 2)
        pdfium_c.FPDFPage_GenerateContent(page)
        page.close()
    pdfium_c.FPDFFont_Close(font)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


def _place(document, page, font, size: float, text: str, y: float) -> None:
    obj = pdfium_c.FPDFPageObj_CreateTextObj(document, font, size)
    wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
    assert pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, MARGIN, y)
    pdfium_c.FPDFPage_InsertObject(page, obj)


def make_scanned_pdf(pages: list[list[str]]) -> bytes:
    """A 'scan': each page of a text PDF rendered to a bitmap and placed as the only page object."""
    source = pdfium.PdfDocument(make_pdf(pages))
    scanned = pdfium.PdfDocument.new()
    for index in range(len(source)):
        bitmap = source[index].render(scale=1.0)
        page = scanned.new_page(PAGE_W, PAGE_H)
        image = pdfium.PdfImage.new(scanned)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(PAGE_W, PAGE_H))
        page.insert_obj(image)
        page.gen_content()
    out = io.BytesIO()
    scanned.save(out)
    return out.getvalue()


# --- A password-protected PDF, written by hand: PDF standard security handler, revision 2
# (RC4, 40-bit key; PDF 32000-1 §7.6.3, algorithms 2, 3 and 4). No PDF writer at hand encrypts.

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state, j = list(range(256)), 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def make_encrypted_pdf(text: str = "Artificial Intelligence and new quality productive forces",
                       user_password: str = "secret", owner_password: str = "owner") -> bytes:
    """One page showing `text` (Helvetica, ASCII), openable only with `user_password`."""
    pad = lambda pw: (pw.encode("latin-1") + _PAD)[:32]  # noqa: E731
    permissions = -44  # print/copy allowed: restrictions are not what this file tests
    file_id = hashlib.md5(text.encode()).digest()
    owner_entry = _rc4(hashlib.md5(pad(owner_password)).digest()[:5], pad(user_password))
    key = hashlib.md5(pad(user_password) + owner_entry + struct.pack("<i", permissions) + file_id).digest()[:5]
    user_entry = _rc4(key, _PAD)

    def encrypt(obj_number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + struct.pack("<i", obj_number)[:3] + b"\x00\x00").digest()[:10]
        return _rc4(object_key, data)

    escaped = re.sub(r"([()\\])", r"\\\1", text)
    content = encrypt(4, f"BT /F1 14 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner_entry.hex().encode(), user_entry.hex().encode(), permissions),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode(), xref))
    return bytes(out)


# --- Word files

def make_docx(blocks: list[tuple[str, str]], *, footnotes: dict[str, str] | None = None,
              table: list[list[str]] | None = None, chinese_style_names: bool = False) -> bytes:
    """blocks: (style, text) in order; style `title`, `h1`–`h3` or `p`. In a `p` text, `{fn:ID}`
    places a footnote reference to `footnotes[ID]`. `chinese_style_names` names the heading
    styles `标题 1`… as WPS does. `table` is inserted after the first paragraph."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    style_names = {"title": "Title", "h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "p": None}
    if chinese_style_names:
        for level in (1, 2, 3):
            style = document.styles.add_style(f"标题 {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = document.styles["Normal"]
            style_names[f"h{level}"] = f"标题 {level}"
    paragraphs_added = 0
    for style, text in blocks:
        paragraph = document.add_paragraph(style=style_names[style])
        for piece in re.split(r"(\{fn:[^}]+\})", text):
            ref = re.fullmatch(r"\{fn:([^}]+)\}", piece)
            if ref:
                run = paragraph.add_run()
                run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{ref.group(1)}"/>'))
            elif piece:
                paragraph.add_run(piece)
        paragraphs_added += 1
        if table and paragraphs_added == 1:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    if footnotes:
        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        notes = "".join(
            f'<w:footnote w:id="{note_id}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {_xml_escape(text)}</w:t></w:r></w:p></w:footnote>'
            for note_id, text in footnotes.items()
        )
        xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
               '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
               '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
               f'</w:p></w:footnote>{notes}</w:footnotes>')
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), document.part.package)
        document.part.relate_to(part, RT.FOOTNOTES)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
