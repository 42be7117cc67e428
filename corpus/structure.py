"""Structure: the cleaned block stream → section tree, paragraphs, notes and citation links."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from corpus.lines import CIRCLED, CleanDoc, Heading, Note, Paragraph

ABSTRACT_SECTION = "abs"
OPENING_SECTION = "s0"


@dataclass
class Structured:
    sections: list[dict]
    paragraphs: list[dict]
    references: list[dict]
    citations: list[dict]


def structure(doc_id: str, doc: CleanDoc) -> Structured:
    sections: list[dict] = []
    paragraphs: list[dict] = []
    counters = [0, 0, 0]
    current = None

    def add_section(section_id, parent_id, level, number, heading):
        section = {"doc_id": doc_id, "section_id": section_id, "parent_id": parent_id, "level": level,
                   "number": number, "heading": heading, "order": len(sections), "paras": []}
        sections.append(section)
        return section

    def add_paragraph(section, para: Paragraph, kind: str) -> None:
        para_id = f"p{len(paragraphs) + 1:04d}"
        row = {"doc_id": doc_id, "section_id": section["section_id"], "para_id": para_id,
               "order": len(paragraphs), "kind": kind, "list_marker": para.list_marker, "text": para.text,
               "_citations": para.citations}
        paragraphs.append(row)
        section["paras"].append(para.text)

    abstract = doc.front.get("abstract")
    if abstract:
        section = add_section(ABSTRACT_SECTION, None, 0, None, "摘要")
        add_paragraph(section, Paragraph(abstract, "abstract", None, [], 0), "abstract")

    # Markdown documents often start their sections at `##` (the `#` being the title).
    top = min((b.level for b in doc.blocks if isinstance(b, Heading)), default=1)
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level - (top - 1), 1), 3)
            counters[level - 1] += 1
            for deeper in range(level, 3):
                counters[deeper] = 0
            section_id = "s" + ".".join(str(n) for n in counters[:level])
            parent_id = "s" + ".".join(str(n) for n in counters[: level - 1]) if level > 1 else None
            if parent_id and not any(s["section_id"] == parent_id for s in sections):
                parent_id = None  # a （一） with no 一、 above it hangs at the top
            current = add_section(section_id, parent_id, level, block.number, block.text)
            continue
        if current is None:
            current = add_section(OPENING_SECTION, None, 0, None, "")
        add_paragraph(current, block, block.kind)

    if not paragraphs:
        # Nothing recognisable as body or abstract (a title-only note, bare headings): keep every
        # line of text as its own paragraph rather than lose the document.
        section = current or add_section(OPENING_SECTION, None, 0, None, "")
        for ln in doc.lines:
            if ln.cls not in ("furniture", "english", "note"):
                text = re.sub(r"^#+\s*", "", ln.text)
                add_paragraph(section, Paragraph(text, "body", None, [], ln.no), "body")

    references = [
        {"doc_id": doc_id, "ref_id": f"n{k + 1:03d}", "marker": note.marker, "kind": note.kind, "text": note.text}
        for k, note in enumerate(doc.notes)
    ]
    page_starts = [ln.no for ln in doc.lines if ln.page_start]
    citations = _link_citations(doc_id, paragraphs, doc.notes, references, page_starts)
    for para in paragraphs:
        del para["_citations"]
    section_rows = []
    for s in sections:
        row = {k: v for k, v in s.items() if k != "paras"}
        row["text"] = "\n".join(s["paras"])
        section_rows.append(row)
    return Structured(section_rows, paragraphs, references, citations)


def _marker_keys(marker: str) -> list[str]:
    """`⑧⑪` → [`⑧`, `⑪`]; `(1)`/`（1）` → [`(1)`]; `[2,11]` → [`[2]`, `[11]`]."""
    if marker and marker[0] in CIRCLED:
        return list(marker)
    numbers = re.findall(r"\d+", marker or "")
    if marker and marker[0] in "(（":
        return [f"({n})" for n in numbers]
    if "-" in marker or "–" in marker:
        numbers = [str(n) for n in range(int(numbers[0]), int(numbers[-1]) + 1)] if len(numbers) == 2 else numbers
    return [f"[{n}]" for n in numbers]


def _link_citations(doc_id: str, paragraphs: list[dict], notes: list[Note], references: list[dict],
                    page_starts: list[int]) -> list[dict]:
    """Footnote numbers restart on every page, and an extraction may print a page's notes at its
    top or its foot: a call links to the nearest note with its marker on the same or an adjacent
    page, else to nothing (a wrong link is worse than none). Bracketed calls link to the numbered
    reference entry."""
    by_key: dict[str, list[tuple[int, str, str]]] = {}
    for note, ref in zip(notes, references, strict=False):
        for key in _marker_keys(note.marker or ""):
            by_key.setdefault(key, []).append((note.line_no, ref["ref_id"], note.kind))

    def page(line_no: int) -> int:
        return bisect_right(page_starts, line_no)

    rows = []
    for para in paragraphs:
        for marker, offset, line_no in para["_citations"]:
            keys = _marker_keys(marker)
            candidates = by_key.get(keys[0], []) if keys else []
            near = [(abs(note_line - line_no), ref_id) for note_line, ref_id, kind in candidates
                    if kind == "reference" or abs(page(note_line) - page(line_no)) <= 1]
            ref_id = min(near)[1] if near else None
            rows.append({"doc_id": doc_id, "para_id": para["para_id"], "marker": marker,
                         "offset": offset, "ref_id": ref_id})
    return rows
