"""Clean: one document's raw text → a CleanDoc (classified lines, front matter, paragraphs, notes).

The stage's entry point. The work is done by corpus/furniture.py (markup and page furniture),
corpus/lines.py (line classes), corpus/metadata.py (front matter, official headers and the English
block) and corpus/reflow.py (paragraphs, citations, notes); this module fixes their order.
"""

from __future__ import annotations

import re

from corpus.furniture import Furniture, mark_layout
from corpus.lines import (
    CleanDoc,
    Heading,
    Line,
    Note,
    Paragraph,
    classify,
    is_hard_wrapped,
    split_lines,
)
from corpus.metadata import plan_year, read_front_matter, read_site_header
from corpus.reflow import collect_notes, reflow

# The dataclasses live in corpus/lines.py (every cleaning module reads them); `from corpus.clean
# import CleanDoc, …` stays valid for the stages downstream.
__all__ = ["CleanDoc", "Heading", "Line", "Note", "Paragraph", "clean"]


def clean(text: str, furniture: Furniture | list[re.Pattern] | None = None) -> CleanDoc:
    """`furniture`: the lexicon's rules (corpus.furniture.Furniture; a bare list of patterns: only
    those; None: the default lexicon's)."""
    rules = Furniture.of(furniture)
    lines = split_lines(text)
    site = read_site_header(lines)  # a scraper's YAML block: its title and source name the account
    width = mark_layout(lines, rules, site)
    front, english = read_front_matter(lines, width, rules, site)  # before classify, which leaves these lines alone
    classify(lines, width)
    front["plan_year"] = plan_year(lines, rules)  # a work report that prints no date: 三、2022年政府工作任务
    hard_wrapped = is_hard_wrapped([ln for ln in lines if ln.cls == "body"])
    blocks = reflow(lines, hard_wrapped)
    notes = collect_notes(lines)
    return CleanDoc(lines, blocks, notes, front, english, hard_wrapped)
