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
    """Occurrences of `term` (plain substring match, case-sensitive) with their context, paper by
    paper in reading order. With `limit`, a sample of every paper the term occurs in: each paper
    first gets an equal share, what is left is filled in reading order (the first paper alone could
    fill it); only as many occurrences are collected as can be shown."""
    if not term or paragraphs.empty:
        return pd.DataFrame(columns=KWIC_COLUMNS)
    candidates = paragraphs.loc[
        paragraphs["text"].str.contains(term, regex=False, na=False), ["doc_id", "para_id", "section_id", "order", "text"]
    ].sort_values(["doc_id", "order"])
    papers = list(dict.fromkeys(candidates["doc_id"]))
    place = {doc_id: k for k, doc_id in enumerate(papers)}  # not papers.index: 5,000 papers, per hit
    share = len(candidates) if limit is None else max(1, limit // max(1, len(papers)))
    taken: dict[str, list[tuple]] = {d: [] for d in papers}
    extra: list[tuple] = []  # beyond a paper's share, in reading order: to fill up to `limit`
    width = len(term)
    for doc_id, para_id, section_id, _, text in candidates.itertuples(index=False, name=None):
        start = text.find(term)
        while start != -1:
            end = start + width
            hit = (doc_id, para_id, section_id, text[max(0, start - window):start], text[start:end],
                   text[end:end + window], start)
            if limit is None or (len(taken[doc_id]) < share and place[doc_id] < limit):
                taken[doc_id].append(hit)
            elif len(extra) < limit:
                extra.append(hit)
            else:
                break
            start = text.find(term, end)
    if limit is not None:
        room = limit - sum(map(len, taken.values()))
        for hit in extra[:max(0, room)]:
            taken[hit[0]].append(hit)  # later in its paper than the share it follows
    rows = [hit for doc_id in papers for hit in taken[doc_id]]
    return pd.DataFrame(rows, columns=KWIC_COLUMNS) if rows else pd.DataFrame(columns=KWIC_COLUMNS)


def kwic_line_html(left: str, match: str, right: str, source: str = "") -> str:
    """One concordance line, in four columns (source, left context, keyword, right context) so the
    keywords of all lines stand one under the other; all paper text is escaped, only our tags remain."""
    return (
        f'<div class="kwic-line"><span class="kwic-paper">{html.escape(source)}</span>'
        f'<span class="kwic-left"><span>{html.escape(left)}</span></span>'
        f'<mark class="kwic-hit">{html.escape(match)}</mark>'
        f'<span class="kwic-right">{html.escape(right)}</span></div>'
    )
