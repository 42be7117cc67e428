"""Plain tuples of the `paragraphs` and `sections` tables, grouped by document, for the extractors.

The extractors walk every sentence of every document; filtering, grouping and `itertuples` on a
DataFrame per document cost more than the rules themselves, so each table becomes tuples once.
Grouping follows pandas' `groupby`: keys in sorted (or first-seen) order, missing keys dropped.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable

import pandas as pd

Para = namedtuple("Para", "doc_id section_id para_id order kind list_marker text")
Section = namedtuple("Section", "doc_id section_id parent_id level number heading order")
SOURCE_KINDS = ("body", "list_item")


def _rows(frame: pd.DataFrame, row_type) -> list:
    columns = [frame[c].tolist() if c in frame.columns else [None] * len(frame) for c in row_type._fields]
    return list(map(row_type._make, zip(*columns, strict=True)))


def paragraph_rows(paragraphs: pd.DataFrame) -> list[Para]:
    return _rows(paragraphs, Para)


def section_rows(sections: pd.DataFrame | None) -> list[Section]:
    return [] if sections is None else _rows(sections, Section)


def from_records(records: Iterable[dict], row_type) -> list:
    """Rows as built by the pipeline (dicts) → tuples, absent keys as None."""
    fields = row_type._fields
    return [row_type._make([r.get(f) for f in fields]) for r in records]


def missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def group_by(rows: Iterable, key: Callable, sort: bool = False) -> dict:
    """key → rows in their order; keys first-seen (or sorted) and never missing, like `groupby`."""
    groups: dict = {}
    for row in rows:
        k = key(row)
        if not missing(k):
            groups.setdefault(k, []).append(row)
    return dict(sorted(groups.items(), key=lambda kv: kv[0])) if sort else groups


def in_reading_order(rows: Iterable[Para]) -> dict[str, list[Para]]:
    """doc_id → its paragraphs sorted by `order` (stable), documents in doc_id order."""
    return {doc_id: sorted(paras, key=lambda p: p.order)
            for doc_id, paras in group_by(rows, lambda p: p.doc_id, sort=True).items()}


def source_subset(paras: list[Para]) -> list[Para]:
    """What events and policies read of one document: body and list items; the abstract only
    when the document has nothing else (a journal web page: metadata and abstract)."""
    has_body = any(p.kind in SOURCE_KINDS for p in paras)
    return [p for p in paras if p.kind in SOURCE_KINDS or (p.kind == "abstract" and not has_body)]


def sections_by_document(sections: pd.DataFrame | None) -> dict[str, list[Section]]:
    return group_by(section_rows(sections), lambda s: s.doc_id)
