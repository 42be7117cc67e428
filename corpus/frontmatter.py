"""Front matter: the metadata a text prints — title, authors, 摘要, 关键词, journal and date lines,
the English title/authors/abstract/keywords block, a scraper's YAML block, and an official
document's header (its title by genre, issuing body, document number, adoption or signing date,
a speech's date and byline) — found among its lines and read into fields.

Separate from line classification (corpus/lines.py) because it reads values, not only layout:
the lines it takes become `metadata` or `english` and never reach the body, except lines that
state the document's own date (`2022年11月25日…通过`, a signing date), which stay body text
as printed (they are the document's first dated statement). corpus/metadata.py is the public
entry; it combines these fields with a sidecar into the `documents` row.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.furniture import Furniture
from corpus.lines import (
    CN_NUM,
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
# A journal's running head on a paper's first page: 中国软科学 2024年第5期 · 第41卷 第3期
JOURNAL_ISSUE_LINE = re.compile(
    r"^(?P<journal>[\u4e00-\u9fff（）()]{2,24}?)?\s*(?:第\s*(?P<volume>\d+)\s*卷\s*)?(?P<year>\d{4})?\s*年?\s*"
    r"第\s*(?P<issue>\d{1,2})\s*期(?:\s*[（(]?总第\s*\d+\s*期[）)]?)?$")
# A database's cover page and a journal's first page label their fields: 题目：… 作者：…
TITLE_FIELD = re.compile(r"^(?:题目|题名|篇名|标题)\s*[:：]\s*(?P<value>\S.*)$")
AUTHOR_FIELD = re.compile(r"^(?:作者|著者)\s*[:：]\s*(?P<value>\S.*)$")
AFFILIATION = re.compile(r"^[（(].*(大学|学院|研究院|研究所|研究中心|党校|科学院|\d{6}).*[）)]$")
FRONT_MARKERS = re.compile(
    r"^(中图分类号|文献标识码|文章编号|DOI|doi|收稿日期|修回日期|录用日期|基金项目|作者简介|发布日期|网络出版|网络首发|"
    r"引用本文|引用格式|Published|Received|CLC|Document code|Article ID)"
)
WEB_DATE_LINE = re.compile(r"^(?P<date>\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:来源|作者|发布|编辑|$).*")
ABSTRACT_ZH = re.compile(r"^[\[【]?摘\s*要[\]】]?\s*[:：]?\s*")
KEYWORDS_ZH = re.compile(r"^[\[【]?关\s*键\s*词[\]】]?\s*[:：]?\s*")
ABSTRACT_EN = re.compile(r"^Abstract\s*[:：]?\s*", re.I)
KEYWORDS_EN = re.compile(r"^Key\s*words\s*[:：]?\s*", re.I)
PINYIN_NAME = re.compile(r"\b[A-Z]{2,}(?:\s+[A-Z][a-z]+(?:[-‐][a-zA-Z]+)?)+")
PINYIN_AUTHORS = re.compile(rf"(?:{PINYIN_NAME.pattern}[\s,，;]*)+")
# ---- a scraper's YAML block, a web page's information line, an official document's header ----
SITE_FIELD = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
SITE_TAG = re.compile(r"^\S{1,4}\s*[|｜]\s*")  # a WeChat column tag before a post's title: `重磅 | `
DATE_CN = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
DATE_ONLY = re.compile(rf"^[（(]?\s*(?P<date>{DATE_CN})\s*[）)]?$")
# 2022年11月25日 北京市第十五届人民代表大会常务委员会第四十五次会议通过
ADOPTION = re.compile(rf"^[（(]?(?P<date>{DATE_CN})\s*(?P<body>[\u4e00-\u9fff]+?)"
                      rf"第[{CN_NUM}百零\d]+次(?:全体)?会议(?:审议)?(?:通过|修订|修正|批准)")
# 政府工作报告——2017年3月5日在第十二届全国人民代表大会第五次会议上 国务院总理 李克强
SPEECH = re.compile(rf"^(?P<title>[^—]{{2,40}}?)?\s*(?P<dated>——\s*(?P<date>{DATE_CN})\s*在.+?上(?:的(?:讲话|报告|发言))?)"
                    rf"\s*(?P<byline>.*)$")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号$")
ANNEX_LABEL = re.compile(r"^附\s*件\s*[:：]?$")
EDITION = re.compile(r"^[（(][^（）()]{1,20}[）)]$")  # （2024版）, （征求意见稿） under a title
WEB_DATETIME = re.compile(r"^\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?")
REPORTER = re.compile(r"^(?:本报|特约)?(?:记者|通讯员|实习生|撰稿)\s*")
NEWS_ISSUER = re.compile(r"^(?P<issuer>[\u4e00-\u9fff、 ]{2,30}?)(?:等\S{1,3})?(?:联合)?印发《")
HEADER_LINES = 80  # an official header sits in the first lines, before the first numbered heading


# A journal web page's `… ›› 2026, Vol. 28 ›› Issue (3): 120-131.` line, read into fields.
JOURNAL_PAGE_LINE = re.compile(
    r"^(?P<journal>.+?)\s*(?:››|»)\s*(?P<year>\d{4})\s*,\s*Vol\.\s*(?P<volume>\w+)\s*(?:››|»)\s*"
    r"Issue\s*\((?P<issue>[^)]+)\)\s*(?::\s*(?P<pages>[\d\-–]+))?"
)


def read_site_header(lines: list[Line]) -> dict:
    """A scraper's YAML block (`---` … `---` opening the file): its fields (title, url, source, date,
    fetch_date…) as strings; the lines become `metadata`, never body text."""
    if not lines or lines[0].text != "---":
        return {}
    end = next((k for k in range(1, min(len(lines), 60)) if lines[k].text in ("---", "...")), None)
    if end is None:
        return {}
    fields = {}
    for ln in lines[1:end]:
        m = SITE_FIELD.match(ln.text)
        if m:
            fields[m["key"].lower()] = m["value"].strip().strip("\"'")
        elif not (ln.raw[:1].isspace() or ln.text.startswith("- ")):
            return {}  # not a YAML block: a horizontal rule over text
    for ln in lines[: end + 1]:
        ln.cls = "metadata"
    return fields


def read_front_matter(lines: list[Line], width: float, rules: Furniture | None = None,
                      site: dict | None = None) -> tuple[dict, dict]:
    """Mark the front-matter lines `metadata` and the English block `english`; returns what they
    say as (front, english), the raw findings `from_text` turns into fields. `site`: the scraper's
    YAML fields, used only where the text prints nothing of its own."""
    rules = Furniture.of(rules)
    english = _classify_english_tail(lines)  # first: the front-matter scan passes over the lines it takes
    official = _read_official_header(lines, width, rules)
    front = _classify_front_matter(lines, width, heading_limit(width), official.get("title"))
    if front.get("abstract"):
        front["abstract"] = normalise_spacing(strip_citations(front["abstract"]))
    front["issuer"], front["doc_number"] = official.get("issuer"), official.get("doc_number")
    front["authors"] = front["authors"] or official.get("authors", [])
    front["published"] = official.get("published") or front["published"] or official.get("posted")
    site = site or {}
    site_title = SITE_TAG.sub("", site.get("title") or "").strip() or None
    front["title"] = front["title"] or site_title
    front["published"] = front["published"] or _iso(site.get("date"))
    if not front["issuer"] and site_title:
        m = NEWS_ISSUER.match(site_title)  # 中共中央 国务院印发《数字中国建设整体布局规划》
        front["issuer"] = "、".join(m["issuer"].split()) if m else None
    return front, english


def from_text(doc: CleanDoc) -> dict:
    """The `documents` fields a cleaned document's own text gives (empty where it prints none)."""
    front, english = doc.front, doc.english
    meta: dict = {
        "title": front.get("title"),
        "issuer": front.get("issuer"),
        "doc_number": front.get("doc_number"),
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
        issue = None if m else JOURNAL_ISSUE_LINE.match(journal_line)
        if m:
            meta.update({k: m.group(k) for k in ("journal", "volume", "issue", "pages")})
            meta["year"] = int(m.group("year"))
        elif issue:
            meta.update({k: issue.group(k) for k in ("journal", "volume", "issue")})
            meta["year"] = int(issue.group("year")) if issue.group("year") else None
    published = meta["published"]
    if meta["year"] is None and published and re.match(r"\d{4}", published):
        meta["year"] = int(published[:4])
    meta["year"] = meta["year"] or front.get("plan_year")
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


def _iso(value: str | None) -> str | None:
    """`2024年6月5日`, `2024-07-03T17:43` → `2024-06-05`, `2024-07-03`; anything else → None."""
    m = re.search(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})", value or "")
    if not m or not (1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31):
        return None
    return f"{int(m[1])}-{int(m[2]):02d}-{int(m[3]):02d}"  # int(): full-width digits (２００９) too


def _read_official_header(lines: list[Line], width: float, rules: Furniture) -> dict:
    """An official document's header, read by line shape in its first lines (up to the first
    numbered heading): wire datelines, the title by its genre (关于…的通知, …条例, …指南) with
    its edition line, the issuing bodies above it or above the signing date, the document number,
    an adoption line, a speech's date line and byline, a web page's 来源/发布时间 line. The title
    of an attached document wins over the covering notice's (关于印发…的通知), and the title on or
    just above a speech's date line over a web page's title for it."""
    found: dict = {"titles": [], "dated_title": None, "issuers": [], "published": None, "posted": None,
                   "doc_number": None, "authors": []}
    limit = heading_limit(width)
    body = [ln for ln in lines if ln.cls == "body"]
    header: list[Line] = []
    for ln in body[:HEADER_LINES]:
        heading = match_heading(ln.text, limit)
        if heading and heading[1] is not None and not ln.text.startswith("附件"):
            break
        header.append(ln)
    for k, ln in enumerate(header):
        if ln.cls != "body":
            continue
        if rules.dateline is not None and (m := rules.dateline.match(ln.text)):
            if not ln.text[m.end():].strip():
                ln.cls = "metadata"  # 新华社北京3月16日电: the wire's, not the document's
                continue
            ln.text, ln._width = ln.text[m.end():].strip(), None
        _read_header_line(header, k, found, rules)
    if not found["published"]:
        for k, ln in enumerate(body):  # a notice signed at its end: the first date under its signers
            signers = _signers(body, k, rules) if DATE_ONLY.match(ln.text) else []
            if signers:
                _read_dated_line(body, k, found, rules)
                break
    attached = [t for t in found["titles"] if not _covering(t, rules)]
    title = found["dated_title"] or (attached or found["titles"] or [None])[0]
    return {"title": title, "issuer": "、".join(found["issuers"]) or None,
            "doc_number": found["doc_number"], "published": found["published"], "posted": found["posted"],
            "authors": found["authors"]}


def _read_header_line(header: list[Line], k: int, found: dict, rules: Furniture) -> None:
    ln = header[k]
    text = ln.text
    if _read_dated_line(header, k, found, rules):
        return
    byline, info, title = _byline(text, rules), _site_info(text, rules), _title_at(header, k, rules)
    if DOC_NUMBER.match(text):
        ln.cls, found["doc_number"] = "metadata", found["doc_number"] or re.sub(r"\s+", "", text)
    elif ANNEX_LABEL.match(text):
        ln.cls = "metadata"
    elif byline:
        ln.cls = "metadata"
        found["authors"] = found["authors"] or [byline[1]]
        found["issuers"] = found["issuers"] or ([byline[0]] if byline[0] else [])
    elif info is not None:
        ln.cls = "metadata"  # 来源：国家数据局 发布时间：2024-10-19 · 2024-05-20 10:15 来源：… 作者：…
        found["posted"] = found["posted"] or info["date"]
        found["authors"] = found["authors"] or info["authors"]
        found["doc_number"] = found["doc_number"] or info["doc_number"]
        above = header[k - 1] if k else None
        if not found["titles"] and above is not None and above.cls == "body" and _headline(above.text):
            above.cls = "metadata"  # a web article's title stands right above its information line
            found["titles"].append(normalise_spacing(above.text))
    elif title:
        _take_title(header, k, title, found)
    elif _organisations(text, rules) and k + 1 < len(header) and _title_at(header, k + 1, rules, placed=True):
        ln.cls = "metadata"  # 中共中央 国务院 printed above the title
        found["issuers"] = found["issuers"] or _organisations(text, rules)


def plan_year(lines: list[Line], rules: Furniture) -> int | None:
    """The year whose work a top-level heading sets out (`三、2022年政府工作任务`), the latest if
    several; read only when the text prints no date of its own."""
    years = []
    for ln in lines:
        if ln.cls == "heading" and ln.meta.get("level") == 1 and ln.meta.get("number"):
            m = re.search(r"(\d{4})\s*年", ln.meta["text"])
            if m and any(w in ln.meta["text"][m.end():] for w in rules.plan_heading_words):
                years.append(int(m.group(1)))
    return max(years) if years else None


def _site_info(text: str, rules: Furniture) -> dict | None:
    """A web page's information line (a date and labelled fields: 来源, 作者, 发布时间 …) → its
    date and authors; None for any other line."""
    if not rules.site_info_labels or display_width(text) > 60:
        return None
    stamp = WEB_DATETIME.match(text)
    rest = text[stamp.end():].strip() if stamp else text
    labels = "|".join(map(re.escape, sorted(rules.site_info_labels, key=len, reverse=True)))
    fields = re.findall(rf"(?:^|\s)({labels})\s*[:：]\s*(.+?)(?=\s+(?:{labels})\s*[:：]|\s*$)", rest)
    if not re.match(rf"(?:{labels})\s*[:：]", rest) or len(fields) < (1 if stamp else 2):
        return None
    dates = [v for label, v in fields if "时间" in label or "日期" in label]
    authors = [n for label, v in fields if label == "作者" for n in _names(v)]
    numbers = [re.sub(r"\s+", "", v) for label, v in fields if DOC_NUMBER.match(v.strip())]
    return {"date": _iso(stamp.group(0) if stamp else dates[0] if dates else None), "authors": authors,
            "doc_number": numbers[0] if numbers else None}


def _names(value: str) -> list[str]:
    """`记者 王明`, `张三，李四1*` → the names of 2–4 characters, in order."""
    parts = re.split(r"[\s,，、;；]+", re.sub(r"[\d*]+", " ", REPORTER.sub("", value.strip())))
    return [n for n in parts if re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", n)]


def _headline(text: str) -> bool:
    """A short line that does not end a sentence: what a web page sets as its title."""
    return 4 <= len(text) <= 40 and not re.search(r"[。；;：:]$", text) and cjk_ratio(text) > 0.5


def _read_dated_line(seq: list[Line], k: int, found: dict, rules: Furniture) -> bool:
    """A line stating the document's own date: kept as body text (the document's first dated
    statement), read for the date and for who adopted, delivered or signed it."""
    ln = seq[k]
    adoption, speech, date_only = ADOPTION.match(ln.text), SPEECH.match(ln.text), DATE_ONLY.match(ln.text)
    if not (adoption or speech or date_only):
        return False
    ln.meta["dated"] = True
    date = (adoption or speech or date_only)["date"]
    found["published"] = found["published"] or _iso(date)
    if adoption:
        found["issuers"] = found["issuers"] or [adoption["body"]]
    elif speech:
        title, byline = (speech["title"] or "").strip(), _byline(speech["byline"].strip(), rules)
        above = seq[k - 1].meta.get("title") if k else None  # 政府工作报告（文字实录） / ——2020年5月22日在…上
        if title and _ends_with_genre(title, rules):
            found["titles"].append(normalise_spacing(title))
        found["dated_title"] = found["dated_title"] or (normalise_spacing(title) if title else above)
        if byline:
            found["authors"] = found["authors"] or [byline[1]]
            found["issuers"] = found["issuers"] or ([byline[0]] if byline[0] else [])
        ln.text, ln._width = speech["dated"], None  # the title and byline on the same line are metadata
    else:
        signers = _signers(seq, k, rules)
        for j in range(k - len(signers), k):
            seq[j].cls = "metadata"
        found["issuers"] = found["issuers"] or [n for j in range(k - len(signers), k) for n in _organisations(seq[j].text, rules)]
    return True


def _signers(seq: list[Line], k: int, rules: Furniture) -> list[Line]:
    """The lines just above line k that are only names of organisations (a signature block)."""
    j = k
    while j > 0 and seq[j - 1].cls == "body" and _organisations(seq[j - 1].text, rules):
        j -= 1
    return seq[j:k]


def _organisations(text: str, rules: Furniture) -> list[str]:
    """`中共中央 国务院` → [中共中央, 国务院]; a line that is not only names of organisations → []."""
    if display_width(text) > 40 or re.search(r"[，,。；;：:！？]", text):
        return []
    names = [n for n in re.split(r"[\s、]+", text) if n]
    ok = names and all(re.fullmatch(r"[\u4e00-\u9fff（）()]{2,30}", n) and n.endswith(tuple(rules.org_suffixes))
                       for n in names)
    return names if ok else []


def _byline(text: str, rules: Furniture) -> tuple[str, str] | None:
    """`国务院总理 李克强`, `国务院总理朱镕基` → (`国务院`, name): organisation, office, a name of 2–4 characters."""
    if not rules.office_titles:
        return None
    m = _byline_re(rules.office_titles).fullmatch(text)
    return (m["org"], m["name"]) if m else None


@lru_cache(maxsize=8)
def _byline_re(office_titles: tuple[str, ...]) -> re.Pattern:
    """Built once per list of offices: `_byline` reads every header line of every document."""
    offices = "|".join(map(re.escape, sorted(office_titles, key=len, reverse=True)))
    return re.compile(rf"(?P<org>[\u4e00-\u9fff]{{0,20}}?)(?:{offices})\s*(?P<name>[\u4e00-\u9fff·]{{2,4}})")


def _ends_with_genre(text: str, rules: Furniture) -> bool:
    core = re.sub(r"(?:[（(][^（）()]*[）)])+$", "", re.sub(r"\s+", "", text))  # …计划（2024—2028年）
    return bool(rules.genres) and core.endswith(tuple(rules.genres)) and len(core) >= 4


def _title_at(header: list[Line], k: int, rules: Furniture, placed: bool = False) -> list[Line] | None:
    """The lines of a title starting at header line k, or None. A title by shape: a genre at its end
    (also once its wrapped last characters on the next line are joined: …意见的公 / 告), no sentence
    punctuation, and set as a title: bold, a `#` heading, the first line, after an 附件 label or the
    issuing bodies (`placed`), or opening with 关于."""
    ln = header[k]
    if ln.cls != "body" or ln.meta.get("dated"):
        return None
    md = MARKDOWN_HEADING.match(ln.text)
    text = md.group("text") if md else ln.text
    if re.search(r"[。，,；;：:！？!?]", text) or display_width(text) > 60:
        return None
    if not (placed or ln.bold or md or text.startswith("关于") or k == 0 or header[k - 1].cls == "metadata"):
        return None
    if _ends_with_genre(text, rules):
        return [ln]
    nxt = header[k + 1] if k + 1 < len(header) else None
    if nxt is not None and nxt.cls == "body" and len(nxt.text) <= 3 and _ends_with_genre(text + nxt.text, rules):
        return [ln, nxt]
    return None


def _take_title(header: list[Line], k: int, title_lines: list[Line], found: dict) -> None:
    """A title's lines (from header line k), and an edition line under it (（2024版）, （征求意见稿）),
    become metadata."""
    md = MARKDOWN_HEADING.match(title_lines[0].text)
    title = "".join([md.group("text") if md else title_lines[0].text] + [ln.text for ln in title_lines[1:]])
    end = k + len(title_lines)
    for nxt in header[end:end + 2]:
        if nxt.cls != "body" or not EDITION.match(nxt.text) or DATE_ONLY.match(nxt.text):
            break
        title_lines.append(nxt)
        title += nxt.text
    title = normalise_spacing(title)
    for ln in title_lines:
        ln.cls, ln.meta["title"] = "metadata", title
    found["titles"].append(title)


def _covering(title: str, rules: Furniture) -> bool:
    """A covering notice (关于印发《…》的通知, a notice inviting comments): an attached document's
    own title, when printed, is the document's."""
    return title.endswith(("通知", "公告", "通告")) and any(w in title for w in rules.covering_words)


def _classify_front_matter(lines: list[Line], width: float, limit: float, title: str | None = None) -> dict:
    """Title, authors, journal lines, 摘要 and 关键词 before the body starts (`title`: already known
    from an official header)."""
    front: dict = {"title": title, "authors": [], "abstract": None, "keywords": [], "journal_line": None, "published": None}
    for ln in lines[:80]:  # labelled fields first: a cover page's first line is the journal, not the title
        field = TITLE_FIELD.match(ln.text) if ln.cls == "body" else None
        names = AUTHOR_FIELD.match(ln.text) if ln.cls == "body" else None
        if field and front["title"] is None:
            ln.cls, front["title"] = "metadata", normalise_spacing(field["value"])
        elif names and not front["authors"]:
            ln.cls, front["authors"] = "metadata", _names(names["value"])
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
        if (JOURNAL_LINE.search(text) or JOURNAL_ISSUE_LINE.match(text)) and i < 10:
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
        elif front["title"] and not body_started and WEB_DATE_LINE.match(text) and not ln.meta.get("dated"):
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
            if (nxt is not None and nxt.text.startswith(("——", "—", "--")) and nxt.width < width * 1.5
                    and not nxt.meta.get("dated")):
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
    """The line after a title that holds only 2–4 character names is the author line; bracketed
    affiliation lines under it are metadata too."""
    j = title_index + 1
    if j >= len(lines):
        return
    candidate = lines[j].text
    names = [n for n in re.split(r"[\s,，、;；]+", re.sub(r"[\d*]+", " ", candidate)) if n]
    if names and all(re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", n) for n in names) and len(names) <= 8:
        front["authors"] = names
        lines[j].cls = "metadata"
        for k in range(j + 1, min(j + 4, len(lines))):  # （中国人民大学 经济学院，北京 100872）
            if not AFFILIATION.match(lines[k].text):
                break
            lines[k].cls = "metadata"
