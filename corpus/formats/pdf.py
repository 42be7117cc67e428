"""PDF → text with pypdfium2 (PDFium), in the conventions `clean.py` understands.

Why PDFium: pypdf and pdfminer map many CJK glyphs to Kangxi radicals (⼈⼯ for 人工); PDFium
uses the fonts' ToUnicode maps as intended (ingest still normalises radicals, as a safety net).

Output: each page's lines as extracted (hard line breaks kept), the first line of every page
prefixed with one space (corpus/lines.py reads that as a page start), running headers, footers and
page numbers removed here, where the page boundaries are still known.
"""

from __future__ import annotations

import math
import re
import statistics
import threading
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from corpus.errors import InputError
from corpus.ingest import check_chars

# PDFium is not thread-safe and Streamlit serves sessions from threads.
_PDFIUM_LOCK = threading.Lock()

# A page number alone on a line: 12 · - 12 - · ·12· · 第12页 · 12/20 · Page 3 of 20 · xii
PAGE_NUMBER = re.compile(
    r"[-—–·•\s]*(?:(?:page|p\.)\s*)?(?:第\s*)?(?:\d{1,4}|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))(?:\s*页)?"
    r"(?:\s*(?:/|of|共)\s*\d{1,4}\s*页?)?[-—–·•\s]*",
    re.I,
)
EDGE_LINES = 3  # running headers and footers sit within a page's first or last few lines
MAX_FURNITURE_CHARS = 60
# A line counts as a running header/footer when it recurs at a page edge on this share of pages.
REPEAT_SHARE = 0.4
# Share of private-use / replacement characters above which a text layer is unreadable
# (fonts without a ToUnicode map: the text exists but cannot be decoded).
GARBLED_SHARE = 0.3


def pdf_text(data: bytes) -> str:
    """A PDF's bytes → text; raises InputError `encrypted`, `corrupt_pdf`, `needs_ocr`, `pdf_garbled`."""
    pages = strip_page_furniture(extract_pages(data))
    if not pages:
        raise InputError("corrupt_pdf")
    visible = "".join("".join(lines) for lines in pages)
    if not visible.strip():
        raise InputError("needs_ocr", pages=str(len(pages)))
    odd = sum(1 for ch in visible if unicodedata.category(ch) == "Co" or ch == "\ufffd")
    if odd / len(visible) > GARBLED_SHARE:
        raise InputError("pdf_garbled")
    return "\n".join(" " + "\n".join(lines) for lines in pages if lines)


@dataclass(frozen=True)
class PdfLine:
    text: str
    size: float  # median font size of the line's characters (points)


def extract_pages(data: bytes) -> list[list[PdfLine]]:
    """Every page's non-empty lines, stripped, in PDFium's reading order, with their font size."""
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise InputError("encrypted") from exc
            raise InputError("corrupt_pdf") from exc
        try:
            pages, n_chars = [], 0
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                try:
                    pages.append(_page_lines(textpage))
                finally:
                    textpage.close()
                    page.close()
                n_chars += sum(len(line.text) for line in pages[-1])
                check_chars(n_chars)  # page by page: a huge PDF stops here, not after its last page
            return pages
        except pdfium.PdfiumError as exc:  # a page that fails to load: the file is damaged
            raise InputError("corrupt_pdf") from exc
        finally:
            document.close()


def _page_lines(textpage) -> list[PdfLine]:
    """Characters one by one (the font size tells a running head from a title), split at the
    line breaks PDFium inserts between text lines."""
    lines: list[PdfLine] = []
    chars: list[str] = []
    sizes: list[float] = []

    def flush() -> None:
        text = "".join(chars).strip()
        if text:
            lines.append(PdfLine(text, statistics.median(sizes) if sizes else 0.0))
        chars.clear()
        sizes.clear()

    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
        if char in "\r\n":
            flush()
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs") and char not in "\ufffe\uffff":
            # (control characters, soft hyphens and PDFium's non-character marks are dropped)
            chars.append(char)
            if not char.isspace():
                sizes.append(pdfium_c.FPDFText_GetFontSize(textpage, i))
    flush()
    return lines


def _furniture_key(line: str) -> str:
    """Running headers differ only in their page number: `·12· 社会科学` ~ `·13· 社会科学`."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def strip_page_furniture(pages: list[list[PdfLine]]) -> list[list[str]]:
    """Drop page numbers and running headers/footers from each page's top and bottom lines.

    A running line recurs, digits aside, at the top (or bottom) edge of at least REPEAT_SHARE of
    the pages and at least twice (journals alternate the journal name and the article title on
    even and odd pages, so each recurs on about half of them), and is not set larger than the
    body text: a title printed as page 1's first line and repeated as the running head stays.
    """
    top_counts: dict[str, int] = {}
    bottom_counts: dict[str, int] = {}
    for lines in pages:
        for key in {_furniture_key(ln.text) for ln in lines[:EDGE_LINES]}:
            top_counts[key] = top_counts.get(key, 0) + 1
        for key in {_furniture_key(ln.text) for ln in lines[-EDGE_LINES:]}:
            bottom_counts[key] = bottom_counts.get(key, 0) + 1
    needed = max(2, math.ceil(REPEAT_SHARE * len(pages))) if len(pages) >= 3 else math.inf
    sizes = [ln.size for lines in pages for ln in lines if ln.size > 0]
    body_size = statistics.median(sizes) if sizes else 0.0

    def furniture(line: PdfLine, counts: dict[str, int]) -> bool:
        if PAGE_NUMBER.fullmatch(line.text):
            return True
        return (len(line.text) <= MAX_FURNITURE_CHARS and line.size <= body_size + 0.5
                and counts.get(_furniture_key(line.text), 0) >= needed)

    cleaned = []
    for lines in pages:
        start, end = 0, len(lines)
        while start < min(EDGE_LINES, end) and furniture(lines[start], top_counts):
            start += 1
        while end > max(start, len(lines) - EDGE_LINES) and furniture(lines[end - 1], bottom_counts):
            end -= 1
        cleaned.append([ln.text for ln in lines[start:end]])
    return cleaned
