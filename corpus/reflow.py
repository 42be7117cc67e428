"""Reflow: the body lines left after classification → paragraphs with their citation calls, and the
note lines → notes.

Separate from line classification (corpus/lines.py), which has already cut footnotes, captions and
tables out of the stream, so joining sees body text only. In a hard-wrapped text a paragraph ends
only where a line ends a sentence (or a clause before a list item): no paragraph breaks mid-sentence.
"""

from __future__ import annotations

import re

from corpus.lines import ARTICLE, CIRCLED, CN_NUM, LIST_START, NOTE_MARKER, Heading, Line, Note, Paragraph
from corpus.textutil import SENTINEL, ends_sentence, join_lines, normalise_spacing

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
    """`第二，以人工智能领域为重点形成人才梯队。` printed on its own line heads the paragraph below it
    (an article's first paragraph does not: the paragraphs after it are its further clauses)."""
    i = 0
    while i + 1 < len(blocks):
        item, nxt = blocks[i], blocks[i + 1]
        if (isinstance(item, Paragraph) and isinstance(nxt, Paragraph) and item.kind == "list_item"
                and nxt.kind == "body" and len(item.text) <= 40 and item.text.count("。") <= 1
                and not LIST_START.match(nxt.text) and not ARTICLE.match(item.text)):
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


# Every marker holds one of these: text without any (most abstracts) skips the pattern, whose
# leading \s* makes it slow to fail at every position.
_MARKER_CHARS = re.compile(rf"[\[［({CIRCLED}]")


def _extract_citations(text: str) -> tuple[str, list[str]]:
    if not _MARKER_CHARS.search(text):
        return text, []
    found: list[str] = []

    def repl(m: re.Match) -> str:
        found.append(m.group("marker"))
        return SENTINEL

    return CITATION_MARKERS.sub(repl, text), found


def strip_citations(text: str) -> str:
    """`text` without its citation markers (where no offsets are kept, as in an abstract)."""
    return _extract_citations(text)[0].replace(SENTINEL, "")


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
