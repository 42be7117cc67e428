"""Clean: one document's raw text → a CleanDoc (classified lines, front matter, paragraphs, notes).

The stage's entry point. The work is done by corpus/lines.py (line classes), corpus/metadata.py
(front matter and the English block) and corpus/reflow.py (paragraphs, citations, notes); this
module fixes their order.
"""

from __future__ import annotations

import re

from corpus.lines import (
    CleanDoc,
    Heading,
    Line,
    Note,
    Paragraph,
    classify,
    furniture_patterns,
    is_hard_wrapped,
    mark_layout,
    split_lines,
)
from corpus.metadata import read_front_matter
from corpus.reflow import collect_notes, reflow

# The dataclasses live in corpus/lines.py (every cleaning module reads them); `from corpus.clean
# import CleanDoc, …` stays valid for the stages downstream.
__all__ = ["CleanDoc", "Heading", "Line", "Note", "Paragraph", "clean"]


def clean(text: str, furniture: list[re.Pattern] | None = None) -> CleanDoc:
    """`furniture`: compiled page-furniture patterns (None: those of the default lexicon)."""
    lines = split_lines(text)
    width = mark_layout(lines, furniture_patterns() if furniture is None else furniture)
    front, english = read_front_matter(lines, width)  # before classify, which leaves these lines alone
    classify(lines, width)
    hard_wrapped = is_hard_wrapped([ln for ln in lines if ln.cls == "body"])
    blocks = reflow(lines, hard_wrapped)
    notes = collect_notes(lines)
    return CleanDoc(lines, blocks, notes, front, english, hard_wrapped)
