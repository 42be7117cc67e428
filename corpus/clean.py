"""Clean: classify every line of a raw extraction, then re-flow body lines into paragraphs.

Line classes: body, heading, note (footnote or reference entry), caption (figure/table title),
table, furniture (page numbers, stray fragments), metadata (title, authors, abstract, keywords,
journal lines) and english (the English title/abstract/keywords block).

Why a two-pass design: footnotes, captions and tables are cut out of the line stream *before*
re-flowing, so a footnote printed in the middle of a paragraph (at a page foot) never breaks it.
Paragraph breaks are only ever placed after a sentence end, so no paragraph breaks mid-sentence.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from corpus.lexicon import DEFAULT_LEXICON_DIR, read_lines
from corpus.textutil import (
    SENTINEL,
    cjk_ratio,
    display_width,
    ends_sentence,
    is_latin_line,
    join_lines,
    normalise_spacing,
)

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
JOURNAL_LINE = re.compile(r"››|»|Vol\.\s*\d+|第\s*\d+\s*卷")
FRONT_MARKERS = re.compile(
    r"^(中图分类号|文献标识码|文章编号|DOI|doi|收稿日期|修回日期|基金项目|作者简介|发布日期|网络出版|引用本文|"
    r"Published|Received|CLC|Document code|Article ID)"
)
WEB_DATE_LINE = re.compile(r"^(?P<date>\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:来源|作者|发布|编辑|$).*")
ABSTRACT_ZH = re.compile(r"^[\[【]?摘\s*要[\]】]?\s*[:：]?\s*")
KEYWORDS_ZH = re.compile(r"^[\[【]?关\s*键\s*词[\]】]?\s*[:：]?\s*")
ABSTRACT_EN = re.compile(r"^Abstract\s*[:：]?\s*", re.I)
KEYWORDS_EN = re.compile(r"^Key\s*words\s*[:：]?\s*", re.I)
STRAY_LATIN = re.compile(r"[A-Za-z][A-Za-z\-]*(?:\s+[A-Za-z\-]+)?")  # a lone word or two left by layout
LIST_START = re.compile(
    rf"^(第[{CN_NUM}]+[，,、]|首先|其次|再次|最后|[{CIRCLED}](?=\S)|[（(]\d{{1,2}}[）)](?=\S))"
)

# Inline citation markers: [3] [2,11] [13-14] ［3］ (1) ④ — each found where it works as a note call.
CITATION_MARKERS = re.compile(
    rf"""\s*(?P<marker>
        \[\d{{1,3}}(?:\s*[,，\-–—]\s*\d{{1,3}})*\]
      | ［\d{{1,3}}(?:\s*[,，\-–—]\s*\d{{1,3}})*］
      | (?<=[\s”’」』。，；])\(\d{{1,2}}\)(?=[\s。，、；：”）)]|$)
      | (?<=\s)[{CIRCLED}]+(?=[\s。，、；：”）)]|$)
      | (?<=[{CIRCLED[0]}-{CIRCLED[-1]}\u4e00-\u9fff])[{CIRCLED}]+(?=[。，、；：”）)]|$)
    )""",
    re.X,
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


def furniture_patterns(lexicon_dir=DEFAULT_LEXICON_DIR) -> list[re.Pattern]:
    return [re.compile(p) for p in read_lines("page_furniture.txt", lexicon_dir)]


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


def classify(lines: list[Line], lexicon_dir=DEFAULT_LEXICON_DIR) -> tuple[list[Line], dict, dict]:
    """Assign a class to every line; returns the lines and the front/English metadata found."""
    width = column_width(lines)
    heading_limit = max(width * 1.15, 36)
    if any(MARKDOWN_HEADING.match(ln.text) for ln in lines):
        _strip_markdown(lines)
    _mark_furniture(lines, width, furniture_patterns(lexicon_dir))
    english = _classify_english_tail(lines)
    front = _classify_front_matter(lines, width, heading_limit)

    in_references = False
    notes_kind = "reference"
    prev: Line | None = None
    for i, ln in enumerate(lines):
        if ln.cls != "body":
            prev = ln
            continue
        heading = match_heading(ln.text, heading_limit)
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
        elif CAPTION.match(ln.text) and not re.search(r"[。，,；;]", ln.text) and ln.width <= heading_limit:
            ln.cls = "caption"
        elif STRAY_LATIN.fullmatch(ln.text) and not _latin_neighbours(lines, i):
            ln.cls = "furniture"
        prev = ln
    _join_heading_continuations(lines, width)
    _mark_caption_continuations_and_tables(lines, width)
    return lines, front, english


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


def _classify_english_tail(lines: list[Line]) -> dict:
    """The English title, authors, abstract and keywords printed at the end (or after 摘要)."""
    english: dict = {"title_en": None, "authors_en": [], "abstract_en": None, "keywords_en": []}
    start = None
    for i, ln in enumerate(lines):
        if ABSTRACT_EN.match(ln.text) and (is_latin_line(ln.text) or ln.text.rstrip(":： ").lower() == "abstract"):
            start = i
            break
    if start is None:
        return english
    # Walk back over the English title / pinyin author lines printed just before `Abstract`.
    head = start
    while head > 0 and is_latin_line(lines[head - 1].text) and lines[head - 1].cls == "body":
        head -= 1
    end = start
    while end + 1 < len(lines) and cjk_ratio(lines[end + 1].text) < 0.05:
        end += 1
    # A stray Latin word glued after the body's last sentence (`…新台阶。 Reform`) is page residue.
    if head > 0:
        last = lines[head - 1]
        m = re.match(r"^(.*[。！？”])\s+[A-Za-z]+$", last.text)
        if m:
            last.text, last._width = m.group(1), None
    block = lines[head : end + 1]
    for ln in block:
        ln.cls = "english"
    title_parts, author_line = [], None
    for ln in lines[head:start]:
        if PINYIN_AUTHORS.fullmatch(ln.text.strip()):
            author_line = ln.text
        elif author_line is None:
            title_parts.append(ln.text)
    if title_parts:
        english["title_en"] = " ".join(title_parts).strip()
    if author_line:
        english["authors_en"] = [m.group(0) for m in PINYIN_NAME.finditer(author_line)]
    abstract_words: list[str] = []
    keyword_words: list[str] = []
    target = abstract_words
    for ln in lines[start : end + 1]:
        text = ln.text
        if KEYWORDS_EN.match(text):
            target = keyword_words
            text = KEYWORDS_EN.sub("", text)
        elif ABSTRACT_EN.match(text):
            text = ABSTRACT_EN.sub("", text)
        if text:
            target.append(text)
    english["abstract_en"] = _join_english(abstract_words) or None
    keywords = _join_english(keyword_words)
    if keywords:
        english["keywords_en"] = [k.strip(" .") for k in re.split(r"[;；,，]", keywords) if k.strip(" .")]
    return english


PINYIN_NAME = re.compile(r"\b[A-Z]{2,}(?:\s+[A-Z][a-z]+(?:[-‐][a-zA-Z]+)?)+")
PINYIN_AUTHORS = re.compile(rf"(?:{PINYIN_NAME.pattern}[\s,，;]*)+")


def _join_english(parts: list[str]) -> str:
    text = ""
    for part in parts:
        text = join_lines(text, part.strip())
    text = text.replace("，", ", ").replace("；", "; ").replace("（", "(").replace("）", ")")
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+([,.;:)])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _classify_front_matter(lines: list[Line], width: float, heading_limit: float) -> dict:
    """Title, authors, journal lines, 摘要 and 关键词 before the body starts."""
    front: dict = {"title": None, "authors": [], "abstract": None, "keywords": [], "journal_line": None, "published": None}
    body_started = False
    abstract_lines: list[str] = []
    in_abstract = False
    for i, ln in enumerate(lines[:80]):
        if ln.cls != "body":
            continue
        text = ln.text
        if in_abstract:
            stop = (ln.page_start or match_heading(text, heading_limit) or KEYWORDS_ZH.match(text)
                    or FRONT_MARKERS.match(text) or ABSTRACT_EN.match(text))
            if not stop:
                ln.cls = "metadata"
                abstract_lines.append(text)
                if sum(display_width(t) for t in abstract_lines) > 1500 and ends_sentence(text):
                    in_abstract = False
                continue
            in_abstract = False
        if JOURNAL_LINE.search(text) and i < 10:
            ln.cls = "metadata"
            front["journal_line"] = text
        elif ABSTRACT_ZH.match(text):
            ln.cls = "metadata"
            rest = ABSTRACT_ZH.sub("", text, count=1)
            abstract_lines = [rest] if rest else []
            in_abstract = True
            if display_width(rest) > 2000:  # a flattened text: 摘要 and the whole body on one line
                cut = _abstract_end(rest)
                abstract_lines, in_abstract = [rest[:cut]], False
                ln.text, ln.cls, ln._width = rest[cut:], "body", None
        elif KEYWORDS_ZH.match(text):
            ln.cls = "metadata"
            front["keywords"] = [k.strip() for k in re.split(r"[;；,，、\s]+", KEYWORDS_ZH.sub("", text)) if k.strip()]
        elif front["title"] and not body_started and WEB_DATE_LINE.match(text):
            ln.cls = "metadata"  # a web article's date / source / author line
            front["published"] = front["published"] or WEB_DATE_LINE.match(text).group("date")
        elif FRONT_MARKERS.match(text) or text.startswith(("•", "·")) and i < 15:
            ln.cls = "metadata"
            if "发布日期" in text or text.startswith("Published"):
                m = re.search(r"\d{4}-\d{2}-\d{2}", text)
                front["published"] = front["published"] or (m.group(0) if m else None)
            if "上一篇" in text or "下一篇" in text:
                ln.cls = "furniture"
        elif (not body_started and front["title"] is None and _looks_like_title(text, width)
              and not front["abstract"] and not abstract_lines):
            ln.cls = "metadata"
            md = MARKDOWN_HEADING.match(text)
            front["title"] = md.group("text") if md else normalise_spacing(text)
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if nxt is not None and nxt.text.startswith(("——", "—", "--")) and nxt.width < width * 1.5:
                nxt.cls = "metadata"  # a subtitle printed under the title
                front["title"] += "——" + nxt.text.lstrip("—- ")
                i += 1
            _take_authors_and_affiliations(lines, i, front)
        elif front["title"] and re.match(r"^\d+\.\s*\S.*(大学|学院|研究院|研究所|党校|中心|部|\d{6})", text) and not body_started:
            ln.cls = "metadata"  # affiliation line of a journal web page
        elif is_latin_line(text) and not body_started and front["journal_line"]:
            # web-page front matter: English title, pinyin author, affiliation before 摘要
            ln.cls = "english"
            front.setdefault("english_front", []).append(text)
        else:
            body_started = body_started or (ln.cls == "body" and cjk_ratio(text) > 0.3 and not ln.meta)
            if body_started and front["abstract"] is None and not abstract_lines and i > 40:
                break
        if abstract_lines and not in_abstract and front["abstract"] is None:
            front["abstract"] = "".join(abstract_lines)
    if abstract_lines and front["abstract"] is None:
        front["abstract"] = "".join(abstract_lines)
    if front["abstract"]:
        front["abstract"] = normalise_spacing(front["abstract"])
    return front


def _abstract_end(text: str) -> int:
    """Where an abstract run into its body ends: at 关键词, else the first sentence end after 300 characters."""
    m = re.search(r"关\s*键\s*词\s*[:：]", text[:3000])
    if m:
        return m.start()
    m = re.compile(r"[。！？]").search(text, 300)
    return m.end() if m else min(len(text), 600)


def _looks_like_title(text: str, width: float) -> bool:
    md = MARKDOWN_HEADING.match(text)
    if md:
        return len(md.group("hashes")) == 1  # `#` is the title; `##` and deeper are sections
    return (
        cjk_ratio(text) > 0.6
        and 4 <= len(text) <= 50
        and not re.search(r"[。，,；;：:！？]", text)
        and not ABSTRACT_ZH.match(text)
        and not LIST_START.match(text)
        and not any(p.match(text) for _, p in HEADING_PATTERNS)
    )


def _take_authors_and_affiliations(lines: list[Line], title_index: int, front: dict) -> None:
    """The line after a title that holds only 2–4 character names is the author line."""
    j = title_index + 1
    if j >= len(lines):
        return
    candidate = lines[j].text
    names = [n for n in re.split(r"[\s,，、;；]+", re.sub(r"[\d*]+", " ", candidate)) if n]
    if names and all(re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", n) for n in names) and len(names) <= 8:
        front["authors"] = names
        lines[j].cls = "metadata"


def reflow(lines: list[Line], hard_wrapped: bool) -> list[Heading | Paragraph]:
    """Join body lines into paragraphs and interleave headings, in reading order."""
    blocks: list[Heading | Paragraph] = []
    body = [ln for ln in lines if ln.cls in ("body", "heading")]
    body_lines = [ln for ln in body if ln.cls == "body"]
    widths = {id(ln): ln.width for ln in body_lines}
    position = {id(ln): k for k, ln in enumerate(body_lines)}

    current: list[Line] = []

    def flush() -> None:
        if current:
            blocks.extend(_make_paragraphs(current))
            current.clear()

    for ln in body:
        if ln.cls == "heading":
            flush()
            _merge_item_titles(blocks)
            blocks.append(Heading(ln.meta["level"], ln.meta.get("number"), ln.meta["text"], ln.no))
            continue
        if current and _paragraph_break(current[-1], ln, hard_wrapped, body_lines, position, widths):
            flush()
        current.append(ln)
    flush()
    _merge_item_titles(blocks)
    return blocks


def _merge_item_titles(blocks: list) -> None:
    """`第二，以人工智能领域为重点形成人才梯队。` printed on its own line heads the paragraph below it."""
    i = 0
    while i + 1 < len(blocks):
        item, nxt = blocks[i], blocks[i + 1]
        if (isinstance(item, Paragraph) and isinstance(nxt, Paragraph) and item.kind == "list_item"
                and nxt.kind == "body" and len(item.text) <= 40 and item.text.count("。") <= 1
                and not LIST_START.match(nxt.text)):
            offset = len(item.text)
            item.citations += [(m, off + offset, ln) for m, off, ln in nxt.citations]
            item.text += nxt.text
            del blocks[i + 1]
        i += 1


def _paragraph_break(prev: Line, ln: Line, hard_wrapped: bool, body_lines, position, widths) -> bool:
    if not hard_wrapped:
        return True
    prev_text = prev.text
    if LIST_START.match(ln.text) and re.search(r"[。！？!?；;：:”]\s*$", prev_text):
        return True
    if not ends_sentence(prev_text):
        return False
    # Compare with neighbouring lines, not a global width: lines beside a figure are shorter.
    k = position[id(prev)]
    window = body_lines[max(0, k - 3) : k + 4]
    local_full = max(widths[id(w)] for w in window)
    return widths[id(prev)] < local_full - 1.5


def _make_paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Join lines, pull out citation markers, split inline list items into their own paragraphs."""
    text, citations = "", []
    for ln in lines:
        line_text, found = _extract_citations(ln.text)
        citations.extend((marker, ln.no) for marker in found)
        text = join_lines(text, line_text)
    text = normalise_spacing(text)
    text = re.sub(r"\s+([，。；：、！？）])", r"\1", text)
    paragraphs = []
    cite_iter = iter(citations)
    for piece in _split_list_items(text):
        clean, offsets = "", []
        for ch in piece:
            if ch == SENTINEL:
                marker, line_no = next(cite_iter)
                offsets.append((marker, len(clean), line_no))
            else:
                clean += ch
        clean = clean.strip()
        if not clean:
            continue
        m = LIST_START.match(clean)
        marker = m.group(1).rstrip("，,、") if m and not clean.startswith(("首先", "其次", "再次", "最后")) else None
        paragraphs.append(Paragraph(clean, "list_item" if marker else "body", marker, offsets, lines[0].no))
    return paragraphs


def _extract_citations(text: str) -> tuple[str, list[str]]:
    found: list[str] = []

    def repl(m: re.Match) -> str:
        found.append(m.group("marker"))
        return SENTINEL

    return CITATION_MARKERS.sub(repl, text), found


_INLINE_ITEM = re.compile(
    rf"(?<=[。；;：:])\s*(?=(第[{CN_NUM}]+[，,]|[{CIRCLED}](?=[\u4e00-\u9fff“])|[（(]\d{{1,2}}[）)](?=[\u4e00-\u9fff])))"
)


def _split_list_items(text: str) -> list[str]:
    """`…提高。第二，人工智能…` → a new item; `①政府可以…②设立专项资金…` → one item each."""
    cuts = [m.start() for m in _INLINE_ITEM.finditer(text)]
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def collect_notes(lines: list[Line]) -> list[Note]:
    notes: list[Note] = []
    for ln in lines:
        if ln.cls != "note":
            continue
        if ln.meta.get("continues") and notes:
            notes[-1].text = join_lines(notes[-1].text, ln.text)
            continue
        m = NOTE_MARKER.match(ln.text)
        marker, text = (m.group("marker"), m.group("text")) if m else (None, ln.text)
        notes.append(Note(marker, ln.meta.get("kind", "footnote"), text, ln.no))
    for note in notes:
        note.text = normalise_spacing(note.text)
    return notes


def clean(text: str, lexicon_dir=DEFAULT_LEXICON_DIR) -> CleanDoc:
    lines = split_lines(text)
    lines, front, english = classify(lines, lexicon_dir)
    hard_wrapped = is_hard_wrapped([ln for ln in lines if ln.cls == "body"])
    blocks = reflow(lines, hard_wrapped)
    notes = collect_notes(lines)
    if front.get("abstract"):
        abstract, _ = _extract_citations(front["abstract"])
        front["abstract"] = normalise_spacing(abstract.replace(SENTINEL, ""))
    return CleanDoc(lines, blocks, notes, front, english, hard_wrapped)
