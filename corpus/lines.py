"""Lines: split a raw extraction into lines and give each one a class by its layout.

Classes: body, heading, heading_cont, note (footnote or reference entry), caption, table and
furniture (page numbers, running headers, stray fragments); corpus/frontmatter.py adds metadata
and english. Separate from re-flowing (corpus/reflow.py) because footnotes, captions and tables
must leave the line stream before lines are joined: a note printed at a page foot in the middle
of a paragraph then never breaks it. Also home of the cleaned document's dataclasses, which every
cleaning module reads.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from corpus.lexicon import DEFAULT_LEXICON_DIR, cached_per_file, read_lines
from corpus.textutil import cjk_ratio, display_width, ends_sentence, is_latin_line, join_lines, normalise_spacing

FURNITURE_FILE = "page_furniture.txt"

CN_NUM = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

HEADING_PATTERNS = [
    (1, re.compile(rf"^(?P<num>第[{CN_NUM}百零]{{1,4}}章)\s*(?P<text>\S.*)$")),
    (2, re.compile(rf"^(?P<num>第[{CN_NUM}百零]{{1,4}}节)\s*(?P<text>\S.*)$")),
    (1, re.compile(rf"^(?P<num>[{CN_NUM}]{{1,3}})、\s*(?P<text>\S.*)$")),
    (2, re.compile(rf"^(?P<num>[（(][{CN_NUM}]{{1,3}}[）)])\s*(?P<text>\S.*)$")),
    (3, re.compile(r"^(?P<num>\d{1,2}[.．])\s*(?P<text>[^\d\s.．].*)$")),
]
MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>\S.*?)\s*#*$")
UNNUMBERED_HEADINGS = {"引言", "前言", "导言", "结语", "结论", "结束语", "余论", "参考文献", "注释", "注释与参考文献"}
REFERENCE_HEADINGS = {"参考文献", "注释", "注释与参考文献", "references", "bibliography"}

NOTE_MARKER = re.compile(rf"^(?P<marker>(?:\(\d{{1,3}}\)|（\d{{1,3}}）|[{CIRCLED}]+|\[\d{{1,3}}\]|［\d{{1,3}}］))\s*(?P<text>\S.*)$")
CITATION_LIKE = re.compile(r"《|》|出版社|年第\s*\d|\d{4}\s*年版|[Pp]p?\.\s*\d|et al|http|doi|Journal|Press|第\s*\d+\s*期")
CAPTION = re.compile(r"^(?P<kind>图|表|Figure|Fig\.|Table)\s*\d+")
STRAY_LATIN = re.compile(r"[A-Za-z][A-Za-z\-]*(?:\s+[A-Za-z\-]+)?")  # a lone word or two left by layout
LIST_START = re.compile(
    rf"^(第[{CN_NUM}]+[，,、]|首先|其次|再次|最后|[{CIRCLED}](?=\S)|[（(]\d{{1,2}}[）)](?=\S))"
)


@dataclass
class Line:
    no: int  # 1-based line number in the raw text
    raw: str
    text: str
    page_start: bool
    cls: str = "body"
    meta: dict = field(default_factory=dict)
    _width: float | None = None

    @property
    def width(self) -> float:
        if self._width is None:  # computed often while classifying; text rarely changes afterwards
            self._width = display_width(self.text)
        return self._width


@dataclass
class Heading:
    level: int
    number: str | None
    text: str
    line_no: int


@dataclass
class Paragraph:
    text: str
    kind: str  # body | list_item | abstract
    list_marker: str | None
    citations: list[tuple[str, int, int]]  # (marker, offset in text, raw line number)
    line_no: int


@dataclass
class Note:
    marker: str | None
    kind: str  # footnote | reference
    text: str
    line_no: int


@dataclass
class CleanDoc:
    lines: list[Line]
    blocks: list[Heading | Paragraph]
    notes: list[Note]
    front: dict  # raw metadata found in the text: title, authors, abstract, keywords, journal_line, …
    english: dict  # title_en, authors_en, abstract_en, keywords_en
    hard_wrapped: bool


def split_lines(text: str) -> list[Line]:
    lines = []
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            lines.append(Line(no, raw, stripped, page_start=raw[:1].isspace()))
    return lines


def column_width(lines: list[Line]) -> float:
    """Typical width of a full body line, from lines that look like wrapped Chinese prose."""
    widths = [ln.width for ln in lines if cjk_ratio(ln.text) > 0.5 and ln.width >= 8]
    if not widths:
        return 40.0
    widths.sort()
    return widths[int(len(widths) * 0.9)]


def is_hard_wrapped(lines: list[Line]) -> bool:
    """PDF extractions break lines every ~20–50 characters, mostly mid-sentence."""
    prose = [ln for ln in lines if cjk_ratio(ln.text) > 0.5]
    if len(prose) < 5:
        return False
    mid_sentence = sum(1 for ln in prose if not ends_sentence(ln.text)) / len(prose)
    return statistics.median(ln.width for ln in prose) < 70 and mid_sentence > 0.5


def match_heading(text: str, width_limit: float) -> tuple[int, str | None, str] | None:
    md = MARKDOWN_HEADING.match(text)
    if md:
        inner = md.group("text")
        for _, pattern in HEADING_PATTERNS:  # `## 一、引言`: keep the printed number apart
            m = pattern.match(inner)
            if m:
                return len(md.group("hashes")), m.group("num"), m.group("text").strip()
        return len(md.group("hashes")), None, inner
    bare = text.strip("：: ")
    if bare in UNNUMBERED_HEADINGS or bare.lower() in REFERENCE_HEADINGS:
        return 1, None, bare
    if display_width(text) > width_limit or "。" in text.rstrip("。") or re.search(r"[。；;，,]$", text):
        return None
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(text)
        if m:
            return level, m.group("num"), m.group("text").strip()
    return None


def furniture_patterns(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> list[re.Pattern]:
    """The lexicon's page-furniture patterns (the same list while the file is unchanged: read it, do not modify it)."""
    return _compiled_furniture(lexicon_dir)


@cached_per_file(FURNITURE_FILE)
def _compiled_furniture(lexicon_dir: Path) -> list[re.Pattern]:
    return [re.compile(p) for p in read_lines(FURNITURE_FILE, lexicon_dir)]


def heading_limit(width: float) -> float:
    """The widest line still read as a heading, from the column width."""
    return max(width * 1.15, 36)


def mark_layout(lines: list[Line], furniture: list[re.Pattern]) -> float:
    """Strip Markdown formatting and mark page furniture, before anything reads the lines; returns
    the column width."""
    width = column_width(lines)  # before Markdown is stripped: measuring after would change which lines count as full
    if any(MARKDOWN_HEADING.match(ln.text) for ln in lines):
        _strip_markdown(lines)
    _mark_furniture(lines, width, furniture)
    return width


def _mark_furniture(lines: list[Line], width: float, patterns: list[re.Pattern]) -> None:
    """Page numbers, web navigation, and running headers (a short line printed on 3+ pages)."""
    repeats: dict[str, int] = {}
    for ln in lines:
        repeats[ln.text] = repeats.get(ln.text, 0) + 1
    for ln in lines:
        if any(p.fullmatch(ln.text) for p in patterns):
            ln.cls = "furniture"
        elif repeats[ln.text] >= 3 and ln.width < width and not ends_sentence(ln.text) and len(ln.text) >= 4:
            ln.cls = "furniture"


def _strip_markdown(lines: list[Line]) -> None:
    """Markdown emphasis and list bullets are formatting, not text."""
    for ln in lines:
        ln.text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", ln.text)
        ln.text = re.sub(r"^[-*+]\s+(?=\S)", "", ln.text)
        ln._width = None


def classify(lines: list[Line], width: float) -> None:
    """Headings, notes, captions and tables among the lines still `body` (after `mark_layout` and the
    front matter have taken theirs)."""
    limit = heading_limit(width)
    in_references = False
    notes_kind = "reference"
    prev: Line | None = None
    for i, ln in enumerate(lines):
        if ln.cls != "body":
            prev = ln
            continue
        heading = match_heading(ln.text, limit)
        if heading:
            ln.cls = "heading"
            ln.meta = {"level": heading[0], "number": heading[1], "text": heading[2]}
            in_references = heading[2].lower() in REFERENCE_HEADINGS
            # 注释 holds notes (footnotes/endnotes gathered at the end); 参考文献 a reference list.
            notes_kind = "footnote" if heading[2].startswith("注释") and "参考文献" not in heading[2] else "reference"
            if in_references:
                ln.cls = "furniture"
        elif in_references:
            ln.cls = "note"
            starts_entry = NOTE_MARKER.match(ln.text) or re.match(r"^\d{1,3}[.．、]\s*\S", ln.text)
            continues = not starts_entry and prev is not None and prev.cls == "note"
            ln.meta = {"kind": notes_kind, "continues": bool(continues)}
        elif _is_note_start(ln.text):
            ln.cls = "note"
            ln.meta = {"kind": "footnote"}
        elif prev is not None and prev.cls == "note" and not _note_complete(prev, lines) and not ln.page_start:
            ln.cls = "note"
            ln.meta = {"kind": prev.meta.get("kind", "footnote"), "continues": True}
        elif CAPTION.match(ln.text) and not re.search(r"[。，,；;]", ln.text) and ln.width <= limit:
            ln.cls = "caption"
        elif STRAY_LATIN.fullmatch(ln.text) and not _latin_neighbours(lines, i):
            ln.cls = "furniture"
        prev = ln
    _join_heading_continuations(lines, width)
    _mark_caption_continuations_and_tables(lines, width)


def _is_note_start(text: str) -> bool:
    m = NOTE_MARKER.match(text)
    return bool(m and CITATION_LIKE.search(m.group("text")))


def _note_complete(note_line: Line, lines: list[Line]) -> bool:
    """A note whose text stops at a sentence end needs no continuation line."""
    return bool(re.search(r"[。.．]\s*$", note_line.text))


def _latin_neighbours(lines: list[Line], i: int) -> bool:
    near = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return any(is_latin_line(n.text) and n.cls == "body" for n in near)


def _next_index(lines: list[Line], i: int, cls: str = "body") -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].cls == cls:
            return j
        if lines[j].cls not in ("furniture",):
            return None
    return None


def _join_heading_continuations(lines: list[Line], width: float) -> None:
    """Headings set in a larger font wrap early: `（一）人工智能通过培育高端要素催生智能生` + `产力`."""
    for i, ln in enumerate(lines):
        if ln.cls != "heading" or ln.meta.get("number") is None:
            continue
        while True:
            j = _next_index(lines, i)
            if j is None:
                break
            nxt = lines[j]
            short = nxt.width < max(width * 0.6, 12)
            if not short or re.search(r"[。，,；;！？!?]", nxt.text) or LIST_START.match(nxt.text):
                break
            if match_heading(nxt.text, width * 2):
                break
            ln.meta["text"] = join_lines(ln.meta["text"], nxt.text)
            nxt.cls = "heading_cont"
            if display_width(ln.meta["text"]) > width * 2.5:
                break
        ln.meta["text"] = normalise_spacing(ln.meta["text"]).rstrip("：:")


def _mark_caption_continuations_and_tables(lines: list[Line], width: float) -> None:
    for i, ln in enumerate(lines):
        if ln.cls != "caption":
            continue
        j = _next_index(lines, i)
        if j is not None and lines[j].width < width * 0.6 and not re.search(r"[。，,；;：:！？]", lines[j].text):
            lines[j].cls = "caption"
            j = _next_index(lines, j)
        if not ln.text.startswith(("表", "Table")):
            continue
        # A table's cells follow its title as short lines until the next heading or full line.
        while j is not None and lines[j].cls == "body" and lines[j].width < width * 0.75:
            lines[j].cls = "table"
            j = _next_index(lines, j)

