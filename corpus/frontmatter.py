"""Front matter: the metadata a text prints — title, authors, 摘要, 关键词, journal and date lines,
the English title/authors/abstract/keywords block — found among its lines and read into fields.

Separate from line classification (corpus/lines.py) because it reads values, not only layout:
the lines it takes become `metadata` or `english` and never reach the body. corpus/metadata.py
is the public entry; it combines these fields with a sidecar into the `documents` row.
"""

from __future__ import annotations

import re

from corpus.lines import (
    HEADING_PATTERNS,
    LIST_START,
    MARKDOWN_HEADING,
    CleanDoc,
    Line,
    heading_limit,
    match_heading,
)
from corpus.reflow import strip_citations
from corpus.textutil import cjk_ratio, display_width, ends_sentence, is_latin_line, join_lines, normalise_spacing

JOURNAL_LINE = re.compile(r"››|»|Vol\.\s*\d+|第\s*\d+\s*卷")  # a line naming the journal issue (claimed as metadata)
FRONT_MARKERS = re.compile(
    r"^(中图分类号|文献标识码|文章编号|DOI|doi|收稿日期|修回日期|基金项目|作者简介|发布日期|网络出版|引用本文|"
    r"Published|Received|CLC|Document code|Article ID)"
)
WEB_DATE_LINE = re.compile(r"^(?P<date>\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:来源|作者|发布|编辑|$).*")
ABSTRACT_ZH = re.compile(r"^[\[【]?摘\s*要[\]】]?\s*[:：]?\s*")
KEYWORDS_ZH = re.compile(r"^[\[【]?关\s*键\s*词[\]】]?\s*[:：]?\s*")
ABSTRACT_EN = re.compile(r"^Abstract\s*[:：]?\s*", re.I)
KEYWORDS_EN = re.compile(r"^Key\s*words\s*[:：]?\s*", re.I)
PINYIN_NAME = re.compile(r"\b[A-Z]{2,}(?:\s+[A-Z][a-z]+(?:[-‐][a-zA-Z]+)?)+")
PINYIN_AUTHORS = re.compile(rf"(?:{PINYIN_NAME.pattern}[\s,，;]*)+")
# A journal web page's `… ›› 2026, Vol. 28 ›› Issue (3): 120-131.` line, read into fields.
JOURNAL_PAGE_LINE = re.compile(
    r"^(?P<journal>.+?)\s*(?:››|»)\s*(?P<year>\d{4})\s*,\s*Vol\.\s*(?P<volume>\w+)\s*(?:››|»)\s*"
    r"Issue\s*\((?P<issue>[^)]+)\)\s*(?::\s*(?P<pages>[\d\-–]+))?"
)


def read_front_matter(lines: list[Line], width: float) -> tuple[dict, dict]:
    """Mark the front-matter lines `metadata` and the English block `english`; returns what they
    say as (front, english), the raw findings `from_text` turns into fields."""
    english = _classify_english_tail(lines)  # first: the front-matter scan passes over the lines it takes
    front = _classify_front_matter(lines, width, heading_limit(width))
    if front.get("abstract"):
        front["abstract"] = normalise_spacing(strip_citations(front["abstract"]))
    return front, english


def from_text(doc: CleanDoc) -> dict:
    """The `documents` fields a cleaned document's own text gives (empty where it prints none)."""
    front, english = doc.front, doc.english
    meta: dict = {
        "title": front.get("title"),
        "title_en": english.get("title_en"),
        "authors": list(front.get("authors") or []),
        "authors_en": list(english.get("authors_en") or []),
        "journal": None, "year": None, "volume": None, "issue": None, "pages": None,
        "published": front.get("published"),
        "keywords": list(front.get("keywords") or []),
        "keywords_en": list(english.get("keywords_en") or []),
        "abstract": front.get("abstract"),
        "abstract_en": english.get("abstract_en"),
    }
    for line in front.get("english_front", []):  # web page: English title and pinyin author
        if PINYIN_AUTHORS.fullmatch(line.strip()):
            meta["authors_en"] = meta["authors_en"] or [m.group(0) for m in PINYIN_NAME.finditer(line)]
        elif meta["title_en"] is None:
            meta["title_en"] = line.strip()
    journal_line = front.get("journal_line")
    if journal_line:
        m = JOURNAL_PAGE_LINE.search(journal_line)
        if m:
            meta.update({k: m.group(k) for k in ("journal", "volume", "issue", "pages")})
            meta["year"] = int(m.group("year"))
    return meta


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


def _join_english(parts: list[str]) -> str:
    text = ""
    for part in parts:
        text = join_lines(text, part.strip())
    text = text.replace("，", ", ").replace("；", "; ").replace("（", "(").replace("）", ")")
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+([,.;:)])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _classify_front_matter(lines: list[Line], width: float, limit: float) -> dict:
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
            stop = (ln.page_start or match_heading(text, limit) or KEYWORDS_ZH.match(text)
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
