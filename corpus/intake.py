"""Uploads: the one entry point the app's corpus page and scripts call for a batch of files.

`ingest_uploads` never raises for bad input: every file either becomes per-document tables
(through `build.process_document`, exactly as the CLI builds) or a failure with a message in
Chinese and English, and the rest of the batch is processed. `combine` joins the new documents
with an existing corpus and recomputes the corpus-level tables (terms, extraction).

File names from a browser are untrusted: only the basename is kept, control characters are
dropped, and the stored name (`source_file`) and `doc_id` are derived from it plus a content
hash, so they are safe as file names and stable across sessions (a sidecar downloaded for a
document applies again when the same file is uploaded later).
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from corpus.build import (
    PER_DOCUMENT_TABLES,
    SIDECAR_SUFFIX,
    _is_conformed,
    assemble,
    conform,
    orphan_problem,
    process_document,
    sha256_bytes,
)
from corpus.errors import InputError
from corpus.ingest import DEFAULT_MAX_BYTES, check_size
from corpus.lexicon import DEFAULT_LEXICON_DIR
from corpus.metadata import parse_sidecar
from corpus.schema import TABLES
from corpus.segment import get_segmenter
from corpus.terms import SECTION_COUNT_COLUMNS, TERM_COUNT_COLUMNS, tables_from_counts

log = logging.getLogger(__name__)

Progress = Callable[[str, str], None]  # (display name, stage) → None; stages as in build, then done/failed/skipped
MAX_NAME_CHARS = 120
MAX_ID_CHARS = 48
UNNAMED = "未命名"


@dataclass
class UploadFailure:
    name: str  # the display name
    error: InputError

    @property
    def code(self) -> str:
        return self.error.code

    def message(self, lang: str = "zh") -> str:
        return f"{self.name}: {self.error.message(lang)}"


@dataclass
class AcceptedFile:
    name: str  # display name: the uploaded basename, Chinese characters and spaces kept
    source_file: str  # stored name, `<doc_id><suffix>`: what documents.source_file and raw/ hold
    doc_id: str
    content_hash: str  # SHA-256 of the bytes
    data: bytes


@dataclass
class IntakeResult:
    per_document: list[dict[str, pd.DataFrame]] = field(default_factory=list)
    failures: list[UploadFailure] = field(default_factory=list)  # includes `duplicate` skips
    files: list[AcceptedFile] = field(default_factory=list)
    sidecars: dict[str, str] = field(default_factory=dict)  # doc_id → sidecar YAML as uploaded
    seconds: float = 0.0

    @property
    def accepted(self) -> list[str]:
        """The stored (safe) names of the files that became documents."""
        return [f.source_file for f in self.files]

    @property
    def raw_files(self) -> dict[str, bytes]:
        return {f.source_file: f.data for f in self.files}

    @property
    def hashes(self) -> set[str]:
        return {f.content_hash for f in self.files}


def display_name(raw_name: str) -> str:
    """The basename an editor recognises, with path parts, `..` and control characters removed."""
    name = unicodedata.normalize("NFC", str(raw_name))
    name = re.split(r"[\\/]", name)[-1]  # browsers and zip tools may send `C:\dir\x.pdf` or `../x.pdf`
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip()
    stem, suffix = _split_suffix(name)
    stem = stem.strip(" .")
    if not stem:
        stem = UNNAMED
    if len(stem) > MAX_NAME_CHARS:
        stem = stem[:MAX_NAME_CHARS].rstrip() + "…"
    return stem + suffix


def _split_suffix(name: str) -> tuple[str, str]:
    if name.lower().endswith(SIDECAR_SUFFIX):
        return name[: -len(SIDECAR_SUFFIX)], SIDECAR_SUFFIX
    dot = name.rfind(".")
    if dot < 0 or not re.fullmatch(r"\.[A-Za-z0-9]{1,8}", name[dot:]):
        return name, ""
    return name[:dot], name[dot:].lower()


def make_doc_id(name: str, content_hash: str, taken: Iterable[str] = ()) -> str:
    """`人工智能 论文(终稿).pdf` → `人工智能_论文_终稿_3f6d6f34`: word characters (CJK included)
    of the stem, then the start of the content hash; unique against `taken`."""
    stem, _ = _split_suffix(name)
    slug = re.sub(r"[^\w\-]+", "_", stem, flags=re.UNICODE).strip("_-")[:MAX_ID_CHARS] or "doc"
    taken = set(taken)
    for length in (8, 12, 16, 64):
        candidate = f"{slug}_{content_hash[:length]}"
        if candidate not in taken:
            return candidate
    n = 2
    while f"{candidate}_{n}" in taken:
        n += 1
    return f"{candidate}_{n}"


def ingest_uploads(files: list[tuple[str, bytes]], *, known_hashes: Iterable[str] = frozenset(),
                   known_ids: Iterable[str] = frozenset(), max_bytes: int = DEFAULT_MAX_BYTES,
                   progress: Progress | None = None, lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> IntakeResult:
    """(name, bytes) pairs → per-document tables and failures. Never raises for bad input.

    `known_hashes`: content hashes already in the corpus (duplicates are skipped with the
    `duplicate` message); `known_ids`: doc_ids already in use. Files named `*.meta.yaml` are
    sidecars: they apply to the upload with the same stem (or the same doc_id, or `<name>.meta.yaml`
    for the full name). A refused sidecar field, and a sidecar with no upload to apply to, is a
    failure under the sidecar's name; the document is built with the sidecar's valid fields.
    """
    started = time.perf_counter()
    report = progress or (lambda name, stage: None)
    result = IntakeResult()
    seen_hashes, taken_ids = set(known_hashes), set(known_ids)
    documents, sidecar_files = [], []
    for raw_name, data in files:
        name, data = display_name(raw_name), bytes(data)  # bytes: a memoryview or bytearray also works
        (sidecar_files if name.lower().endswith(SIDECAR_SUFFIX) else documents).append((name, data))
    sidecars = _parse_sidecars(sidecar_files, result)
    claimed: set[str] = set()  # sidecar keys some upload of the batch answers to
    segmenter = get_segmenter(lexicon_dir)

    for name, data in documents:
        stem = _split_suffix(name)[0]
        claimed |= {stem, name}
        try:
            check_size(len(data), max_bytes)  # before hashing or decoding anything
            digest = sha256_bytes(data)
            if digest in seen_hashes:
                result.failures.append(UploadFailure(name, InputError("duplicate")))
                report(name, "skipped")
                continue
            doc_id = make_doc_id(name, digest, taken_ids)
            claimed.add(doc_id)
            source_file = doc_id + _split_suffix(name)[1]
            key = next((k for k in (doc_id, stem, name) if k in sidecars), None)
            _, sidecar_text, sidecar = sidecars[key] if key is not None else (None, None, {})
            tables = process_document(source_file, data, sidecar=sidecar, segmenter=segmenter, max_bytes=max_bytes,
                                      progress=lambda _file, stage, name=name: report(name, stage))
        except InputError as exc:
            result.failures.append(UploadFailure(name, exc))
            report(name, "failed")
            continue
        except Exception as exc:  # a pipeline bug must not take the rest of the batch down
            log.exception("processing %s failed", name)
            result.failures.append(UploadFailure(name, InputError("processing_failed", detail=type(exc).__name__)))
            report(name, "failed")
            continue
        seen_hashes.add(digest)
        taken_ids.add(doc_id)
        result.per_document.append(tables)
        result.files.append(AcceptedFile(name, source_file, doc_id, digest, data))
        if sidecar_text is not None:
            result.sidecars[doc_id] = sidecar_text
        report(name, "done")
    for key, (name, _, _) in sidecars.items():
        if key not in claimed:
            result.failures.append(UploadFailure(name, orphan_problem(name)))
    result.seconds = time.perf_counter() - started
    return result


def _parse_sidecars(sidecar_files: list[tuple[str, bytes]], result: IntakeResult) -> dict[str, tuple[str, str, dict]]:
    """stem → (sidecar name, YAML text, valid fields) for each uploaded `.meta.yaml`; each problem
    becomes a failure under the sidecar's name, and one that cannot be read at all is left out."""
    parsed = {}
    for name, data in sidecar_files:
        sidecar = parse_sidecar(data)
        result.failures.extend(UploadFailure(name, problem) for problem in sidecar.problems)
        if sidecar.values is not None:  # read as a mapping (so it is UTF-8 within the size limit)
            parsed[_split_suffix(name)[0]] = (name, data.decode("utf-8-sig"), sidecar.fields)
    return parsed


def combine(tables: dict[str, pd.DataFrame] | None, per_document: list[dict[str, pd.DataFrame]],
            lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> dict[str, pd.DataFrame]:
    """An existing corpus plus new documents → all tables, as `assemble` gives them for the whole.

    Only the new documents are extracted and counted: extraction and term counts are per
    document, so the existing rows stand; TF-IDF and keyphrases (corpus-wide) are recomputed from
    all documents' counts. (Re-assembling a 1,000-paper corpus for one upload took 20 s and 1 GB.)
    """
    if not tables or not len(tables["documents"]):
        return assemble(list(per_document), lexicon_dir)
    existing = [{name: tables[name] for name in PER_DOCUMENT_TABLES}]
    new = assemble(list(per_document), lexicon_dir)
    if set(new["documents"]["doc_id"]) & set(tables["documents"]["doc_id"]):  # one id, two files
        return assemble(existing + list(per_document), lexicon_dir)
    # per-document tables in file order (existing first), extraction and counts in doc_id order, as `assemble` has them
    out = {name: _appended(tables[name], new[name], by_doc_id=name not in PER_DOCUMENT_TABLES)
           for name in TABLES if name not in ("terms", "section_terms")}
    counts = [_appended(tables[name][columns], new[name][columns], by_doc_id=True) for name, columns in
              (("section_terms", SECTION_COUNT_COLUMNS), ("terms", TERM_COUNT_COLUMNS))]
    terms, section_terms = tables_from_counts(*counts, user_words=get_segmenter(lexicon_dir).user_words)
    out["terms"], out["section_terms"] = (frame if _is_conformed(name, frame) else conform(name, frame)
                                          for name, frame in (("terms", terms), ("section_terms", section_terms)))
    return {name: out[name] for name in TABLES}


def _appended(old: pd.DataFrame, new: pd.DataFrame, by_doc_id: bool) -> pd.DataFrame:
    """The rows of both; `by_doc_id`: stably sorted by doc_id (each document's rows keep their order)."""
    frames = [f for f in (old, new) if len(f)]
    if not frames:
        return old
    joined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return joined.sort_values("doc_id", kind="stable", ignore_index=True) if by_doc_id else joined
