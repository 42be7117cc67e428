"""The one assembler: documents as the pipeline hands them on (`Processed`) → the corpus tables.

Used by the CLI build, by uploads (new documents onto the session's corpus, `base`) and by the
rebuild of a bundle. Everything but TF-IDF and keyphrases is per document, so a document's rows
stand as the pipeline made them; only `terms` and `section_terms` are recomputed, from every
document's counts. Row order: per-document tables in file order (the base's documents first),
extraction rows and term counts stably in doc_id order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus.lexicon import Lexicon
from corpus.pipeline import COUNT_TABLES, DOCUMENT_TABLES, EXTRACTED_TABLES, Processed
from corpus.schema import TABLES, arrow_schema, column_names, empty_table, to_pandas
from corpus.terms import tables_from_counts

# Where a base corpus keeps each kind of term counts (the columns of the count tables).
COUNTS_IN = {"section_counts": "section_terms", "term_counts": "terms"}


class Collected:
    """Documents as they arrive (in file order), merged every COMPACT_EVERY documents: thousands
    of tiny tables cost far more memory than their rows."""

    COMPACT_EVERY = 64

    def __init__(self) -> None:
        self.doc_ids: list[str] = []
        self.merged: list[Processed] = []
        self.pending: list[Processed] = []

    def add(self, part: Processed) -> None:
        self.doc_ids += part.doc_ids
        self.pending.append(part)
        if sum(len(p.doc_ids) for p in self.pending) >= self.COMPACT_EVERY:
            self._compact()

    def _compact(self) -> None:
        if self.pending:
            self.merged.append(Processed.merged(self.pending))
            self.pending = []

    def take(self, name: str, by_doc_id: bool = False) -> pa.Table | None:
        """All rows of a table (released here), in file order or (stably) in doc_id order."""
        self._compact()
        parts = [part.tables.pop(name) for part in self.merged]
        if not parts:
            return None
        table = pa.concat_tables(parts)
        if not by_doc_id or _in_order(table["doc_id"]):  # records arrive in doc_id order: no stable sort needed
            return table
        return table.take(pc.sort_indices(table, [("doc_id", "ascending")]))


def _in_order(column: pa.ChunkedArray) -> bool:
    column = column.combine_chunks()
    return len(column) < 2 or pc.all(pc.less_equal(column[:-1], column[1:])).as_py()


def assemble(parts: Iterable[Processed], lexicon: Lexicon | None = None,
             base: Mapping[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of corpus/schema.py for the documents of `parts` (after those of `base`)."""
    lexicon = Lexicon.of(lexicon)
    collected = Collected()
    for part in parts:
        collected.add(part)
    base = base if base is not None and len(base.get("documents", ())) else None
    tables = {name: _joined(name, collected.take(name), base, by_doc_id=False) for name in DOCUMENT_TABLES}
    for name in EXTRACTED_TABLES:
        tables[name] = _joined(name, collected.take(name, by_doc_id=True), base, by_doc_id=True)
    counts = []
    for name, columns in COUNT_TABLES.items():
        new = collected.take(name, by_doc_id=True)
        new = new.to_pandas() if new is not None else pd.DataFrame(columns=columns)
        old = base[COUNTS_IN[name]][columns] if base is not None else None
        counts.append(_appended(old, new, by_doc_id=True))
    terms, section_terms = tables_from_counts(counts[0], counts[1], user_words=lexicon.user_words)
    tables["terms"], tables["section_terms"] = conform("terms", terms), conform("section_terms", section_terms)
    return {name: tables[name] for name in TABLES}


def _joined(name: str, new: pa.Table | None, base: Mapping[str, pd.DataFrame] | None, by_doc_id: bool) -> pd.DataFrame:
    frame = to_pandas(new if new is not None else empty_table(name))
    if base is None:
        return frame
    return _appended(base[name], frame, by_doc_id)


def _appended(old: pd.DataFrame | None, new: pd.DataFrame, by_doc_id: bool) -> pd.DataFrame:
    """The rows of both; `by_doc_id`: stably sorted by doc_id (each document's rows keep their order)."""
    frames = [f for f in (old, new) if f is not None and len(f)]
    if not frames:
        return new
    joined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return joined.sort_values("doc_id", kind="stable", ignore_index=True) if by_doc_id and len(frames) > 1 else joined


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Exactly the schema's columns, in order, with the schema's types (raises if a column is missing)."""
    if _is_conformed(table, frame):
        return frame
    missing = [c for c in column_names(table) if c not in frame.columns]
    if missing:
        raise ValueError(f"table {table} lacks columns {missing}")
    arrow = pa.Table.from_pandas(frame[column_names(table)], schema=arrow_schema(table), preserve_index=False)
    return to_pandas(arrow)


def _is_conformed(table: str, frame: pd.DataFrame) -> bool:
    """Already what `conform` returns (schema columns in order, schema dtypes): no round trip needed."""
    expected = to_pandas(empty_table(table))
    return list(frame.columns) == list(expected.columns) and list(frame.dtypes) == list(expected.dtypes)
