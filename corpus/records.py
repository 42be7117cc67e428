"""Literature-database exports as documents: each record of an export (corpus/exports.py) becomes
one document through the same pipeline as any full text; the record's metadata is its sidecar,
its abstract its text.

    export file ─ records_of → one SourceFile per record (doc_id `<export id>_<k>`, record = k)
                ─ Pipeline.pipe → Processed
                ─ resolve       → the same paper kept once; a full text takes a record's place

The same paper exported twice (same DOI, or same title, first author and year) is kept once;
a full-text file of a paper already present as a record replaces the record's text and keeps
its metadata (fields the full text's own sidecar sets stay the editor's).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus.errors import InputError
from corpus.files import sha256_bytes
from corpus.pipeline import Failure, Processed, SourceFile

# Record fields that become document metadata (the sidecar a record's document is built with).
RECORD_FIELDS = ("title", "authors", "affiliations", "journal", "year", "volume", "issue", "pages", "doi",
                 "keywords", "abstract")
# What a full text takes over from the record it replaces (its abstract is its own when it has one).
KEPT_FROM_RECORD = ("title", "authors", "affiliations", "journal", "year", "volume", "issue", "pages", "doi",
                    "keywords")
_NOT_TITLE = re.compile(r"[\W_]+")


def records_of(name: str, data: bytes, doc_id: str, text: str | None = None) -> list[SourceFile] | None:
    """The records of an export as SourceFiles, or None when the file is a full text (not an export).
    Raises InputError (`not_an_export`, `empty_export`) for a file that looks like an export but
    gives no usable record."""
    from corpus.exports import is_export, read_export

    if text is None and Path(name).suffix.lower() != ".xlsx":
        text = _decoded(data)
    if not is_export(name, text):
        return None
    records = read_export(name, data, text)
    width = max(4, len(str(len(records))))
    digest = sha256_bytes(data)
    return [SourceFile(name, record_text(r).encode("utf-8"), f"{doc_id}_{k:0{width}d}", record_fields(r), record=k,
                       source_hash=digest)
            for k, r in enumerate(records, 1)]


def _decoded(data: bytes) -> str | None:
    from corpus.ingest import decode

    try:
        return decode(data).text
    except InputError:
        return None


def record_fields(record) -> dict:
    """A record's metadata as the pipeline's sidecar fields (only those the record has)."""
    fields = {}
    for name in RECORD_FIELDS:
        value = getattr(record, name, None)
        if value not in (None, "", []):
            fields[name] = list(value) if isinstance(value, list) else value
    return fields


ABSTRACT_LABEL = "摘要："


def record_text(record) -> str:
    """The text a record is processed as: its abstract, labelled as one (so its paragraph is the
    document's abstract, what terms, events, mechanisms and policies are read from); empty for a
    record without one (it still counts in the bibliometric views)."""
    abstract = (record.abstract or "").strip()
    return ABSTRACT_LABEL + abstract if abstract else ""


# ---- the same paper kept once ----------------------------------------------------------------


def title_key(title: str | None) -> str:
    """A title compared without spaces, punctuation, width or case (CNKI and WoS spell them differently)."""
    return _NOT_TITLE.sub("", unicodedata.normalize("NFKC", title or "")).casefold()


def paper_keys(row: Mapping) -> list[tuple]:
    """The keys that identify a paper: its DOI, and its title with first author and year."""
    keys = []
    doi = row.get("doi")
    if isinstance(doi, str) and doi.strip():
        keys.append(("doi", doi.strip().casefold()))
    title = title_key(row.get("title"))
    if len(title) >= 6:
        authors = row.get("authors")
        first = str(list(authors)[0]).strip() if authors is not None and len(authors) else ""
        year = row.get("year")
        keys.append(("title", title, first, int(year) if year is not None and pd.notna(year) else None))
    return keys


def _matches(full: Mapping, record: Mapping) -> bool:
    """A full text is the paper of a record: the same DOI, or the same title with no conflicting
    year or first author (a full text's own metadata is often partial)."""
    full_doi, record_doi = (str(r.get("doi") or "").strip().casefold() for r in (full, record))
    if full_doi and record_doi:
        return full_doi == record_doi
    if title_key(full.get("title")) != title_key(record.get("title")) or len(title_key(full.get("title"))) < 6:
        return False
    years = [r.get("year") for r in (full, record)]
    if all(y is not None and pd.notna(y) for y in years) and int(years[0]) != int(years[1]):
        return False
    firsts = [str(list(r["authors"])[0]).strip() if r.get("authors") is not None and len(r["authors"]) else ""
              for r in (full, record)]
    return not (firsts[0] and firsts[1] and firsts[0] != firsts[1])


@dataclass
class Resolution:
    parts: list[Processed]  # the documents to assemble (duplicates gone, full texts patched)
    drop_base: set[str] = field(default_factory=set)  # base documents (records) a new full text replaces
    skipped: list[Failure] = field(default_factory=list)  # `duplicate_record`, named `<export> #<k>`
    replaced: list[Failure] = field(default_factory=list)  # `record_replaced` notes (not failures)


def record_name(row: Mapping) -> str:
    """How a record is named in messages: its export file and its number there."""
    return f"{row['source_file']} #{int(row['record'])}"


def _is_record(row: Mapping) -> bool:
    value = row.get("record")
    return value is not None and pd.notna(value)


def resolve(parts: Iterable[Processed], base_documents: pd.DataFrame | None = None) -> Resolution:
    """Keep each paper once across `base_documents` (the corpus already there) and the new `parts`."""
    parts = list(parts)
    base_rows = base_documents.to_dict("records") if base_documents is not None and len(base_documents) else []
    new_rows = [row for part in parts for row in part.tables["documents"].to_pylist()]
    kept: dict[tuple, dict] = {}  # key → the record row that holds it
    for row in base_rows:
        if _is_record(row):
            for key in paper_keys(row):
                kept.setdefault(key, row)
    result = Resolution(parts=[])
    drop: set[str] = set()
    base_full = [row for row in base_rows if not _is_record(row)]
    for row in new_rows:
        if not _is_record(row):
            continue
        holder = next((kept[key] for key in paper_keys(row) if key in kept), None)
        twin = holder or next((full for full in base_full if _matches(full, row)), None)
        if twin is not None:
            drop.add(row["doc_id"])
            other = record_name(twin) if _is_record(twin) else twin["source_file"]
            result.skipped.append(Failure(record_name(row), InputError("duplicate_record", other=other)))
            continue
        for key in paper_keys(row):
            kept.setdefault(key, row)
    records = [row for row in (*base_rows, *new_rows) if _is_record(row) and row["doc_id"] not in drop]
    patches: dict[str, dict] = {}
    taken: set[str] = set()
    for row in new_rows:
        if _is_record(row):
            continue
        record = next((r for r in records if r["doc_id"] not in taken and _matches(row, r)), None)
        if record is None:
            continue
        taken.add(record["doc_id"])
        patches[row["doc_id"]] = _taken_over(row, record)
        (result.drop_base if record["doc_id"] not in {r["doc_id"] for r in new_rows} else drop).add(record["doc_id"])
        result.replaced.append(Failure(row["source_file"], InputError("record_replaced", record=record_name(record))))
    result.parts = [_without(part, drop, patches) for part in parts]
    result.parts = [part for part in result.parts if part.doc_ids]
    return result


def _taken_over(full: Mapping, record: Mapping) -> dict:
    """The full text's metadata after it takes the record's place: the record's fields, except
    those the full text's own sidecar sets, and its own abstract when it has one."""
    sources = json.loads(full.get("metadata_source") or "{}")
    patch = {}
    for name in KEPT_FROM_RECORD:
        value = record.get(name)
        if sources.get(name) == "sidecar" or not _has(value):
            continue
        patch[name] = list(value) if not isinstance(value, str) and hasattr(value, "__len__") else value
        sources[name] = "record"
    if not full.get("abstract") and record.get("abstract"):
        patch["abstract"], sources["abstract"] = record["abstract"], "record"
    if patch.get("title"):
        patch["label"], patch["label_derived"] = patch["title"], False
    patch["metadata_source"] = json.dumps(sources, ensure_ascii=False, sort_keys=True)
    return patch


def _has(value) -> bool:
    if value is None or isinstance(value, str):
        return bool(value and value.strip())
    if hasattr(value, "__len__"):
        return len(value) > 0
    return bool(pd.notna(value))


def _without(part: Processed, drop: set[str], patches: dict[str, dict]) -> Processed:
    """A part without the dropped documents' rows, with the patched documents rows."""
    if not (drop & set(part.doc_ids)) and not (patches.keys() & set(part.doc_ids)):
        return part
    keep = pa.array([d for d in part.doc_ids if d not in drop], pa.string())
    tables = {name: table.filter(pc.is_in(table["doc_id"], value_set=keep)) for name, table in part.tables.items()}
    if patches.keys() & set(part.doc_ids):
        rows = tables["documents"].to_pylist()
        for row in rows:
            row.update(patches.get(row["doc_id"], {}))
        tables["documents"] = pa.Table.from_pylist(rows, schema=tables["documents"].schema)
    return Processed([d for d in part.doc_ids if d not in drop], tables)
