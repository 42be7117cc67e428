"""Keyword in context: every occurrence of a term in the body paragraphs, with left and right
context, rendered as HTML-escaped text with the term highlighted."""

from __future__ import annotations

import html
import re

import pandas as pd

KWIC_COLUMNS = ["doc_id", "para_id", "section_id", "left", "match", "right", "offset"]


def count_hits(paragraphs: pd.DataFrame, term: str) -> int:
    """How many times `term` occurs (non-overlapping, as `kwic_hits` finds them), without collecting them."""
    if not term or paragraphs.empty:
        return 0
    return int(paragraphs["text"].str.count(re.escape(term)).sum())


def kwic_hits(paragraphs: pd.DataFrame, term: str, *, window: int = 28, limit: int | None = None) -> pd.DataFrame:
    """One row per occurrence of `term` (plain substring match, case-sensitive), in reading order;
    the first `limit` of them when given (a common term has tens of thousands in 1,000 papers)."""
    if not term or paragraphs.empty:
        return pd.DataFrame(columns=KWIC_COLUMNS)
    columns: dict[str, list] = {c: [] for c in KWIC_COLUMNS}
    text = paragraphs["text"]
    candidates = paragraphs.loc[
        text.str.contains(term, regex=False, na=False), ["doc_id", "para_id", "section_id", "order", "text"]
    ]
    # column lists, not a dict per hit: a common term has thousands of hits in 1,000 papers
    doc_ids, para_ids, section_ids, lefts, matches, rights, offsets = columns.values()
    width = len(term)
    for doc_id, para_id, section_id, _, text in candidates.sort_values(["doc_id", "order"]).itertuples(
        index=False, name=None
    ):
        if limit is not None and len(offsets) >= limit:
            break
        start = text.find(term)
        while start != -1 and (limit is None or len(offsets) < limit):
            end = start + width
            doc_ids.append(doc_id)
            para_ids.append(para_id)
            section_ids.append(section_id)
            lefts.append(text[max(0, start - window) : start])
            matches.append(text[start:end])
            rights.append(text[end : end + window])
            offsets.append(start)
            start = text.find(term, end)
    return pd.DataFrame(columns, columns=KWIC_COLUMNS) if offsets else pd.DataFrame(columns=KWIC_COLUMNS)


def kwic_line_html(left: str, match: str, right: str) -> str:
    """One concordance line; all paper text is escaped, only our own tags remain."""
    return (
        f'<span class="kwic-left">{html.escape(left)}</span>'
        f'<mark class="kwic-hit">{html.escape(match)}</mark>'
        f'<span class="kwic-right">{html.escape(right)}</span>'
    )
