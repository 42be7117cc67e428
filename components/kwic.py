"""Keyword in context: every occurrence of a term in the body paragraphs, with left and right
context, rendered as HTML-escaped text with the term highlighted."""

from __future__ import annotations

import html

import pandas as pd

KWIC_COLUMNS = ["doc_id", "para_id", "section_id", "left", "match", "right", "offset"]


def kwic_hits(paragraphs: pd.DataFrame, term: str, *, window: int = 28) -> pd.DataFrame:
    """One row per occurrence of `term` (plain substring match, case-sensitive), in reading order."""
    if not term or paragraphs.empty:
        return pd.DataFrame(columns=KWIC_COLUMNS)
    rows = []
    candidates = paragraphs[paragraphs["text"].str.contains(term, regex=False, na=False)]
    for para in candidates.sort_values(["doc_id", "order"]).itertuples():
        text = para.text
        start = text.find(term)
        while start != -1:
            end = start + len(term)
            rows.append(
                {
                    "doc_id": para.doc_id,
                    "para_id": para.para_id,
                    "section_id": para.section_id,
                    "left": text[max(0, start - window) : start],
                    "match": text[start:end],
                    "right": text[end : end + window],
                    "offset": start,
                }
            )
            start = text.find(term, end)
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def kwic_line_html(left: str, match: str, right: str) -> str:
    """One concordance line; all paper text is escaped, only our own tags remain."""
    return (
        f'<span class="kwic-left">{html.escape(left)}</span>'
        f'<mark class="kwic-hit">{html.escape(match)}</mark>'
        f'<span class="kwic-right">{html.escape(right)}</span>'
    )
