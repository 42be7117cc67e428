"""Page furniture: the lines of an extraction that are not the document's text, found by their shape.

Markup (HTML comments; Markdown images, links, `>` quote markers and emphasis, with a bold run-in
head noted for corpus/lines.py), the lexicon's whole-line patterns (page numbers, navigation,
print footers), short lines repeated across pages (running heads), later copies of text a scrape
extracted more than once, an app's interface text, subscription ads, related-article lists, and
the account's promotion after a repost's closing provenance line. The rules' words are the
lexicon's (data/lexicon/page_furniture.txt and text_layout.yaml), read into one `Furniture` per
version of those files. YAML front matter is read before this runs (corpus/frontmatter.py).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, fields
from pathlib import Path

from corpus.lexicon import DEFAULT_LEXICON_DIR, cached_per_file, read_lines, read_yaml
from corpus.lines import MARKDOWN_HEADING, Line, column_width
from corpus.textutil import cjk_ratio, display_width, ends_sentence

FURNITURE_FILE = "page_furniture.txt"
LAYOUT_FILE = "text_layout.yaml"

# A line this long that opens a furniture line (a caption printed again without its credit) is furniture too.
REPEAT_MIN_CHARS = 20
REPEAT_COPY_CHARS = 300  # lines printed again, together this long: a copied passage, not a repeated note
SHORT_LINE_CHARS = 30  # an ad or interface line is short; a line of prose is not

HTML_COMMENT = re.compile(r"<!--.*?-->")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*(?:\)|$)")
# A link to a web address (`[text](https://…)`, cut off at the line's end too); `[1](2)` in a paper is no link.
LINK = re.compile(r"\[([^\]]*)\]\((?:https?://|www\.|/|#|mailto:)[^)\s]*(?:\)|$)")
QUOTE_MARKER = re.compile(r"^(?:>\s*)+")
BULLET = re.compile(r"^[-*+]\s+(?=\S)")
BOLD = re.compile(r"(\*\*|__)(.+?)\1")
BOLD_LEAD = re.compile(r"^\*\*(?P<lead>[^*]+?)\*\*(?P<rest>.+)$")
PUNCTUATION_ONLY = re.compile(r"[\W_]{1,3}")
SENTENCE_STOP = re.compile(r"[。！？]")


@dataclass(frozen=True)
class Furniture:
    """The lexicon's rules for what is not body text; `frontmatter.py` reads the metadata cues."""

    patterns: tuple[re.Pattern, ...] = ()  # page_furniture.txt: whole-line regular expressions
    interface_words: frozenset[str] = frozenset()
    interface_phrases: tuple[str, ...] = ()
    promo_phrases: tuple[str, ...] = ()
    related_headers: frozenset[str] = frozenset()
    source_labels: tuple[str, ...] = ()
    site_info_labels: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    covering_words: tuple[str, ...] = ()
    org_suffixes: tuple[str, ...] = ()
    office_titles: tuple[str, ...] = ()
    plan_heading_words: tuple[str, ...] = ()
    dateline: re.Pattern | None = None
    provenance: re.Pattern | None = field(default=None, compare=False)  # built from source_labels

    @staticmethod
    def of(value: Furniture | list[re.Pattern] | None) -> Furniture:
        """A Furniture as given; a bare list of patterns (only those patterns); None: the default lexicon's."""
        if value is None:
            return load_furniture(DEFAULT_LEXICON_DIR)
        return value if isinstance(value, Furniture) else Furniture(patterns=tuple(value))


@cached_per_file(FURNITURE_FILE)
def _compiled_patterns(lexicon_dir: Path) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in read_lines(FURNITURE_FILE, lexicon_dir))


@cached_per_file(LAYOUT_FILE)
def _layout_lists(lexicon_dir: Path) -> dict:
    path = Path(lexicon_dir) / LAYOUT_FILE
    raw = (read_yaml(LAYOUT_FILE, lexicon_dir) if path.exists() else None) or {}
    lists = {}
    for f in fields(Furniture):
        value = raw.get(f.name)
        if f.name in ("patterns", "provenance") or value is None:
            continue
        if f.name == "dateline":
            lists[f.name] = re.compile(str(value))
        else:
            words = tuple(str(v) for v in value if str(v).strip())
            lists[f.name] = frozenset(words) if f.type.startswith("frozenset") else words
    labels = lists.get("source_labels")
    if labels:  # （来源：新华网） · 来源：中国政府网 · 转自 人民网
        lists["provenance"] = re.compile(
            rf"[（(【\[]?\s*(?:{'|'.join(map(re.escape, labels))})\s*[:：]\s*[^:：]{{1,30}}?[）)】\]]?")
    return lists


_combined: dict[str, tuple] = {}
_combined_lock = threading.Lock()


def load_furniture(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> Furniture:
    """The rules of one lexicon folder: the same object while its two files are unchanged."""
    patterns, lists = _compiled_patterns(lexicon_dir), _layout_lists(lexicon_dir)
    key = str(Path(lexicon_dir).resolve())
    with _combined_lock:
        hit = _combined.get(key)
        if hit and hit[0] is patterns and hit[1] is lists:
            return hit[2]
        rules = Furniture(patterns=patterns, **lists)
        _combined[key] = (patterns, lists, rules)
        return rules


def mark_layout(lines: list[Line], furniture: Furniture, site: dict | None = None) -> float:
    """Strip markup and mark page furniture, before anything reads the lines; returns the column
    width. `site`: the front matter a scraper wrote (its `title` and `source` name the account)."""
    width = column_width(lines)  # before Markdown is stripped: measuring after would change which lines count as full
    _mark_html_comments(lines)
    if _is_markdown(lines):
        _read_markdown(lines)
    _mark_site_lines(lines, site or {})
    _mark_repeated_copies(lines)
    _mark_patterns_and_running_heads(lines, width, furniture.patterns)
    _mark_interface_text(lines, furniture)
    _mark_related_lists(lines, furniture.related_headers)
    _mark_provenance_and_repost_tail(lines, furniture.provenance)
    return width


def _body(lines: list[Line]) -> list[Line]:
    return [ln for ln in lines if ln.cls == "body"]


def _set_text(ln: Line, text: str) -> None:
    ln.text, ln._width = text.strip(), None
    if not ln.text:
        ln.cls = "furniture"


def _mark_html_comments(lines: list[Line]) -> None:
    """`<!-- INFO END -->` and comments spanning lines are markup, never text."""
    inside = False
    for ln in lines:
        if ln.cls != "body":
            continue
        if inside:
            inside = "-->" not in ln.text
            _set_text(ln, ln.text.split("-->", 1)[1] if not inside else "")
            continue
        if "<!--" not in ln.text:
            continue
        text = HTML_COMMENT.sub("", ln.text)
        if "<!--" in text:
            text, inside = text.split("<!--", 1)[0], True
        _set_text(ln, text)


def _is_markdown(lines: list[Line]) -> bool:
    return any(MARKDOWN_HEADING.match(ln.text) or "**" in ln.text or "![" in ln.text or LINK.search(ln.text)
               for ln in lines)


def _read_markdown(lines: list[Line]) -> None:
    """Images and lines that are only a link are furniture; a link keeps its text; quote markers,
    bullets and emphasis are formatting. A bold run-in head (`**坚持创新驱动。**优化…`) is noted in
    `Line.lead`, a line set wholly in bold in `Line.bold`: corpus/lines.py reads both as headings."""
    for ln in _body(lines):
        text = QUOTE_MARKER.sub("", ln.text)
        text = IMAGE.sub("", text)
        if text.strip() and not LINK.sub("", text).strip(" .…"):
            text = ""  # only links (a navigation line, a linked picture): never text, never a section
        text = LINK.sub(r"\1", text).replace("****", "")  # `**a****b**`: one bold run printed as two
        text = BULLET.sub("", text.strip())
        whole = BOLD.fullmatch(text)
        ln.bold = bool(whole and "**" not in whole.group(2))
        lead = None if ln.bold else BOLD_LEAD.match(text)
        if lead:
            ln.lead = BOLD.sub(r"\2", lead.group("lead")).strip()
        text = BOLD.sub(r"\2", text).replace("**", "")  # an unpaired marker is left by a cut-off post
        _set_text(ln, text)


def _mark_site_lines(lines: list[Line], site: dict) -> None:
    """A scraped post repeats the account's title (as `# title`) and name: neither is the document's."""
    own = {str(site.get(k)).strip() for k in ("title", "source") if site.get(k)}
    for ln in _body(lines):
        md = MARKDOWN_HEADING.match(ln.text)
        if (md.group("text") if md else ln.text) in own:
            ln.cls = "furniture"


def _mark_repeated_copies(lines: list[Line]) -> None:
    """A scrape that extracted nested cells repeats whole runs of text: a run of lines all printed
    before, together as long as a paragraph, is a copy (its headings go with it). A short line or a
    note printed twice among new text stays (各位代表！, a source cited on two pages)."""
    seen: set[str] = set()
    repeated = []
    body = _body(lines)
    for ln in body:
        repeated.append(ln.text in seen)
        seen.add(ln.text)
    k = 0
    while k < len(body):
        if not repeated[k]:
            k += 1
            continue
        end = k
        while end < len(body) and repeated[end]:
            end += 1
        if sum(len(body[j].text) for j in range(k, end)) >= REPEAT_COPY_CHARS:
            for j in range(k, end):
                body[j].cls = "furniture"
        k = end


def _mark_patterns_and_running_heads(lines: list[Line], width: float, patterns: tuple[re.Pattern, ...]) -> None:
    """The lexicon's furniture patterns; a short line printed on 3+ pages is a running head; a long
    line made of the sentences a furniture line opens with (a photo caption printed again without
    its credit) is furniture too."""
    body = _body(lines)
    repeats: dict[str, int] = {}
    for ln in body:
        repeats[ln.text] = repeats.get(ln.text, 0) + 1
    matched = []
    for ln in body:
        if any(p.fullmatch(ln.text) for p in patterns) and not _bold_number(ln):
            ln.cls = "furniture"
            matched.append(ln.text)
        elif repeats[ln.text] >= 3 and ln.width < width and not ends_sentence(ln.text) and len(ln.text) >= 4:
            ln.cls = "furniture"
    openings = {t[: m.end()] for t in matched if len(t) >= REPEAT_MIN_CHARS for m in SENTENCE_STOP.finditer(t)}
    for ln in _body(lines) if openings else ():
        if len(ln.text) >= REPEAT_MIN_CHARS and ln.text in openings:
            ln.cls = "furniture"


def _bold_number(ln: Line) -> bool:
    """`**01**`: a section number set in bold, not a page number."""
    return ln.bold and ln.text.isdigit() and len(ln.text) <= 2


def _interface_like(ln: Line, rules: Furniture) -> bool:
    return ln.text in rules.interface_words or bool(PUNCTUATION_ONLY.fullmatch(ln.text))


def _mark_interface_text(lines: list[Line], rules: Furniture) -> None:
    """An app's interface: a line holding an interface phrase (阅读原文) or an ad's (扫码订阅,
    邮发代号) is furniture; a lone interface word (赞, 分享) or punctuation mark only beside other
    interface text or furniture, so a word of body text on a line of its own stays."""
    for ln in _body(lines):
        short = ln.width <= SHORT_LINE_CHARS and not ends_sentence(ln.text)
        if any(p in ln.text for p in rules.interface_phrases) or (
                short and any(p in ln.text for p in rules.promo_phrases)):
            ln.cls = "furniture"
    k = 0
    while k < len(lines):  # runs of interface words: two or more together, or one beside furniture
        if lines[k].cls != "body" or not _interface_like(lines[k], rules):
            k += 1
            continue
        end = k
        while end < len(lines) and lines[end].cls == "body" and _interface_like(lines[end], rules):
            end += 1
        beside = [lines[j] for j in (k - 1, end) if 0 <= j < len(lines)]
        if end - k >= 2 or any(n.cls == "furniture" for n in beside):
            for ln in lines[k:end]:
                ln.cls = "furniture"
        k = end


def _is_prose(ln: Line) -> bool:
    return ends_sentence(ln.text) and display_width(ln.text) >= 20 and cjk_ratio(ln.text) > 0.5


def _mark_related_lists(lines: list[Line], headers: frozenset[str]) -> None:
    """`相关热文` / `最新文章` and the titles, dates and links under it, up to the next sentence of prose."""
    inside = False
    for ln in lines:
        if ln.cls != "body":
            continue
        if ln.text.strip("【】[]：:#* ") in headers:
            ln.cls, inside = "furniture", True
        elif inside and not _is_prose(ln):
            ln.cls = "furniture"
        else:
            inside = False


def _mark_provenance_and_repost_tail(lines: list[Line], provenance: re.Pattern | None) -> None:
    """A line naming the source (（来源：新华网）) is metadata. A repost ends with one: when no prose
    follows the last of them and what follows holds furniture already (the account's pictures and
    ads), all of it is the account's promotion."""
    if provenance is None:
        return
    last = None
    for k, ln in enumerate(lines):
        if ln.cls == "body" and provenance.fullmatch(ln.text):
            ln.cls, last = "metadata", k
    if last is None:
        return
    after = lines[last + 1:]
    tail = [ln for ln in after if ln.cls == "body"]
    if any(ln.cls == "furniture" for ln in after) and not any(_is_prose(ln) for ln in tail):
        for ln in tail:
            ln.cls = "furniture"
