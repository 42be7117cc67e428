"""Lines: split a raw extraction into lines and give each one a class by its layout.

Classes: body, heading, heading_cont, note (footnote or reference entry), caption, table and
furniture (stray fragments here; page numbers, markup and the rest in corpus/furniture.py);
corpus/frontmatter.py adds metadata and english. Headings are read by their numbering scheme
wherever they sit (一、 （一） 1. 第X章 第X节 附件N, Markdown `#`, a bold line or bold run-in head),
a head printed at the start of its paragraph is split from it, a table of contents yields its
headings once, and 第X条 numbers an article (a list item), never a heading. Separate from
re-flowing (corpus/reflow.py) because footnotes, captions and tables must leave the line stream
before lines are joined: a note printed at a page foot in the middle of a paragraph then never
breaks it. Also home of the cleaned document's dataclasses, which every cleaning module reads.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from corpus.lexicon import DEFAULT_LEXICON_DIR
from corpus.textutil import cjk_ratio, display_width, ends_sentence, is_latin_line, join_lines, normalise_spacing

CN_NUM = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

HEADING_PATTERNS = [
    (1, re.compile(rf"^(?P<num>第[{CN_NUM}百零]{{1,4}}章)\s*(?P<text>\S.*)$")),
    (2, re.compile(rf"^(?P<num>第[{CN_NUM}百零]{{1,4}}节)\s*(?P<text>\S.*)$")),
    (1, re.compile(rf"^(?P<num>[{CN_NUM}]{{1,3}})、\s*(?P<text>\S.*)$")),
    (2, re.compile(rf"^(?P<num>[（(][{CN_NUM}]{{1,3}}[）)])\s*(?P<text>\S.*)$")),
    (3, re.compile(r"^(?P<num>\d{1,2}[.．])\s*(?P<text>[^\d\s.．].*)$")),
]
# `附件 1` over an annex's title (on the same line or the next); a bare `附件` labels the main document.
ANNEX_HEADING = re.compile(r"^(?P<num>附件\s*\d{1,2})\s*[:：]?\s*(?P<text>[^\d\s：:].*)?$")
ARTICLE = re.compile(rf"^第[{CN_NUM}百零千]+条")
# A head printed at the start of its paragraph ends at its first full stop (`（三）加强数据供给。推动…`).
RUN_IN_END = re.compile(r"[。！？]")
RUN_IN_MAX_CHARS = 50  # the longest part heads of the work reports run to ~45 characters
BOLD_HEADING_MAX_CHARS = 20
# A table's header row: two to eight cells of a few characters each (`主要方面 重点内容`).
HEADER_ROW = re.compile(r"[\u4e00-\u9fff]{2,8}(?:\s+[\u4e00-\u9fff]{2,8}){1,7}")
MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>\S.*?)\s*#*$")
UNNUMBERED_HEADINGS = {"引言", "前言", "导言", "结语", "结论", "结束语", "余论", "参考文献", "注释", "注释与参考文献"}
REFERENCE_HEADINGS = {"参考文献", "注释", "注释与参考文献", "references", "bibliography"}

NOTE_MARKER = re.compile(rf"^(?P<marker>(?:\(\d{{1,3}}\)|（\d{{1,3}}）|[{CIRCLED}]+|\[\d{{1,3}}\]|［\d{{1,3}}］))\s*(?P<text>\S.*)$")
# What a note or reference entry holds; `[J]`, `[M]`, `[EB/OL]`: GB/T 7714 type codes of a reference list.
CITATION_LIKE = re.compile(r"《|》|出版社|年第\s*\d|\d{4}\s*年版|[Pp]p?\.\s*\d|et al|http|doi|Journal|Press|第\s*\d+\s*期"
                           r"|\[(?:J|M|C|N|D|R|S|P|Z|A|G|EB/OL|J/OL|M/OL|DB/OL|CP/DK)\]")
CAPTION = re.compile(r"^(?:(?:图|表)(?:\s*\d+|\s+(?=[\u4e00-\u9fff]))|(?:Figure|Fig\.|Table)\s*\d+)")
STRAY_LATIN = re.compile(r"[A-Za-z][A-Za-z\-]*(?:\s+[A-Za-z\-]+)?")  # a lone word or two left by layout
LIST_START = re.compile(
    rf"^(第[{CN_NUM}]+[，,、]|第[{CN_NUM}百零千]+条|首先|其次|再次|最后|[{CIRCLED}](?=\S)|[（(]\d{{1,2}}[）)](?=\S))"
)
# `一、二、三产业…`: numerals listed in prose, not a heading's number.
LISTED_NUMERALS = re.compile(rf"[{CN_NUM}]{{1,3}}、")
# Items of an enumeration, never heads: 一是… 二要… 第一，…
ENUMERATION = re.compile(rf"^([{CN_NUM}]+[是要]|第[{CN_NUM}]+[，,、])")


@dataclass
class Line:
    no: int  # 1-based line number in the raw text
    raw: str
    text: str
    page_start: bool
    cls: str = "body"
    meta: dict = field(default_factory=dict)
    bold: bool = False  # the whole line was set in bold (Markdown)
    lead: str | None = None  # a bold run-in head at the start of the line, as it stands in `text`
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


def match_heading(text: str, width_limit: float, articles: bool = False) -> tuple[int, str | None, str] | None:
    """(level, number, text) when `text` reads as a heading. `articles`: the document numbers its
    articles (第X条), so （一）… and 1. … are items of an article, not headings."""
    md = MARKDOWN_HEADING.match(text)
    if md:
        inner = md.group("text")
        for _, pattern in HEADING_PATTERNS:  # `## 一、引言`: keep the printed number apart
            m = pattern.match(inner)
            if m:
                return len(md.group("hashes")), m.group("num"), m.group("text").strip()
        return len(md.group("hashes")), None, inner
    bare = re.sub(r"\s+", "", text).strip("：:[]【】［］")  # `参 考 文 献`, `［参考文献］`
    if bare in UNNUMBERED_HEADINGS or bare.lower() in REFERENCE_HEADINGS:
        return 1, None, bare
    annex = ANNEX_HEADING.match(text)
    if annex and display_width(text) <= width_limit and not re.search(r"[。；;，,]", text):
        return 1, re.sub(r"\s+", "", annex.group("num")), (annex.group("text") or "").strip()
    if display_width(text) > width_limit or "。" in text.rstrip("。") or re.search(r"[。；;，,]$", text):
        return None
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(text)
        if m and not (articles and level > 1 and not m.group("num").startswith("第")):
            return level, m.group("num"), m.group("text").strip()
    return None


def furniture_patterns(lexicon_dir: Path = DEFAULT_LEXICON_DIR):
    """The lexicon's page-furniture rules, a corpus.furniture.Furniture (the same object while its
    files are unchanged: read it, do not modify it)."""
    from corpus.furniture import load_furniture  # corpus/furniture.py reads this module's classes

    return load_furniture(lexicon_dir)


def heading_limit(width: float) -> float:
    """The widest line still read as a heading, from the column width."""
    return max(width * 1.15, 36)


def numbers_articles(lines: list[Line]) -> bool:
    """A regulation: its paragraphs open with article numbers (第一条 …)."""
    return sum(1 for ln in lines if ARTICLE.match(ln.text)) >= 3


def split_run_in_heads(lines: list[Line], limit: float, articles: bool) -> None:
    """A head printed at the start of its first paragraph becomes a line of its own (its closing full
    stop dropped), the rest a body line after it: a bold lead (`**坚持创新驱动。**优化…`,
    `**（三）探索…制度。**建立…`) or a numbered part or section head ending at its first full stop
    (`（一）着力稳定宏观经济大盘，…区间。继续做好…`); not in a regulation (`articles`), whose numbered
    items belong to their article."""
    out: list[Line] = []
    for ln in lines:
        out.append(ln)
        split = _run_in_head(ln, limit, articles) if ln.cls == "body" else None
        if split:
            head, rest = split
            ln.text, ln._width, ln.lead, ln.bold = head, None, None, bool(ln.lead)
            out.append(Line(ln.no, ln.raw, rest, page_start=False))
    lines[:] = out


def _run_in_head(ln: Line, limit: float, articles: bool) -> tuple[str, str] | None:
    if ln.lead:
        name, rest = ln.lead.rstrip("。：:；;！!？? "), ln.text[len(ln.lead):].strip()
        numbered = match_heading(name, limit, articles)
        if numbered and numbered[1] is not None:
            return (name, rest) if rest else None
        plain = (4 <= len(name) <= BOLD_HEADING_MAX_CHARS and not re.search(r"[，,；;。：:！？!?]", name)
                 and not ENUMERATION.match(name) and not LIST_START.match(name))
        return (name, rest) if plain and rest else None
    if articles:
        return None
    for _, pattern in HEADING_PATTERNS[2:4]:  # 一、 and （一）: parts and their sections
        m = pattern.match(ln.text)
        stop = RUN_IN_END.search(ln.text) if m and not LISTED_NUMERALS.match(m.group("text")) else None
        if stop and stop.end() < len(ln.text) and len(m.group("text")) > 1:
            head, rest = ln.text[: stop.start()], ln.text[stop.end():].strip()
            if len(head) <= RUN_IN_MAX_CHARS and rest:
                return head, rest
    return None


def classify(lines: list[Line], width: float) -> None:
    """Headings, notes, captions and tables among the lines still `body` (after `mark_layout` and the
    front matter have taken theirs)."""
    limit = heading_limit(width)
    articles = numbers_articles(lines)
    split_run_in_heads(lines, limit, articles)
    in_references = False
    notes_kind = "reference"
    numbered_level = 0  # level of the last numbered heading: an unnumbered bold one sits below it
    prev: Line | None = None
    for i, ln in enumerate(lines):
        if ln.cls != "body":
            prev = ln
            continue
        caption = CAPTION.match(ln.text)
        heading = None if caption else match_heading(ln.text, limit, articles)
        bold = not caption and heading is None and _bold_heading(ln)
        if heading or bold:
            ln.cls = "heading"
            level, number, text = heading or bold
            if number is not None:
                numbered_level = level
            elif bold:
                level = min(numbered_level + 1, 3) if numbered_level else 1
            ln.meta = {"level": level, "number": number, "text": normalise_spacing(text)}
            in_references = text.lower() in REFERENCE_HEADINGS
            # 注释 holds notes (footnotes/endnotes gathered at the end); 参考文献 a reference list.
            notes_kind = "footnote" if text.startswith("注释") and "参考文献" not in text else "reference"
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
    _drop_table_of_contents(lines)
    _mark_caption_continuations_and_tables(lines, width)
    _mark_tables_under_headings(lines)


def _bold_heading(ln: Line) -> tuple[int, str | None, str] | None:
    """A short line set wholly in bold, without sentence punctuation, heads a section (`**导 读**`);
    a bold number alone (`**01**`) is a section number whose heading follows."""
    if not ln.bold:
        return None
    if ln.text.isdigit() and len(ln.text) <= 2:
        return 1, ln.text, ""
    name = re.sub(r"\s+", "", ln.text)
    if (2 <= len(name) <= BOLD_HEADING_MAX_CHARS and not re.search(r"[，,；;。：:！？!?]", name)
            and not ENUMERATION.match(name) and not LIST_START.match(name)):
        return 1, None, ln.text
    return None


def _is_note_start(text: str) -> bool:
    m = NOTE_MARKER.match(text)
    return bool(m and CITATION_LIKE.search(m.group("text")))


def _note_complete(note_line: Line, lines: list[Line]) -> bool:
    """A note whose text stops at a sentence end needs no continuation line."""
    return bool(re.search(r"[。.．]\s*$", note_line.text))


def _latin_neighbours(lines: list[Line], i: int) -> bool:
    near = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return any(is_latin_line(n.text) and n.cls == "body" for n in near)


def _next_index(lines: list[Line], i: int, classes: tuple[str, ...] = ("body",)) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].cls in classes:
            return j
        if lines[j].cls not in ("furniture",):
            return None
    return None


def _join_heading_continuations(lines: list[Line], width: float) -> None:
    """Headings set in a larger font wrap early: `（一）人工智能通过培育高端要素催生智能生` + `产力`."""
    for i, ln in enumerate(lines):
        if ln.cls != "heading" or ln.meta.get("number") is None:
            continue
        bare = not ln.meta["text"]  # `附件 1` or `**01**`: the heading is the next line, and only that
        while True:
            j = _next_index(lines, i, ("body", "heading") if bare else ("body",))
            if j is None:
                break
            nxt = lines[j]
            short = nxt.width < max(width * 0.6, 12)
            if not short or re.search(r"[。，,；;！？!?]", nxt.text) or LIST_START.match(nxt.text) or nxt.no == ln.no:
                break  # (a line sharing the heading's raw line is the paragraph split from it)
            if (nxt.cls == "heading" and nxt.meta.get("number") is not None) or (
                    not bare and match_heading(nxt.text, width * 2)):
                break
            ln.meta["text"] = join_lines(ln.meta["text"], nxt.meta.get("text", nxt.text) if nxt.cls == "heading" else nxt.text)
            nxt.cls = "heading_cont"
            if bare or display_width(ln.meta["text"]) > width * 2.5:
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


def _sections(lines: list[Line]) -> list[tuple[Line, list[Line]]]:
    """Each heading line with the body lines under it, up to the next heading."""
    headings = [k for k, ln in enumerate(lines) if ln.cls == "heading"]
    ends = headings[1:] + [len(lines)] if headings else []
    return [(lines[k], [ln for ln in lines[k + 1:end] if ln.cls == "body"]) for k, end in zip(headings, ends, strict=True)]


def _drop_table_of_contents(lines: list[Line]) -> None:
    """A table of contents lists headings that recur over the text: an entry with no text under it
    whose heading is printed again later is the contents' line, not a section."""
    later: set[tuple] = set()
    for heading, body in reversed(_sections(lines)):
        key = (heading.meta.get("number"), re.sub(r"\s+", "", heading.meta["text"]))
        if not body and key in later:
            heading.cls = "furniture"
        later.add(key)


def _mark_tables_under_headings(lines: list[Line]) -> None:
    """A section that opens with a table's header row (`主要方面 重点内容`) within its first lines is
    a table (an annex set as one) up to the next heading: its cells are not body text."""
    for _, body in _sections(lines):
        if any(HEADER_ROW.fullmatch(ln.text) for ln in body[:3]):
            for ln in body:
                ln.cls = "table"
