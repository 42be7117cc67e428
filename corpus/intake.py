"""Uploads: the one entry point the app's corpus page and scripts call for a batch of files.

`ingest_uploads` never raises for bad input: every file runs through the pipeline the CLI
build runs (`Pipeline.pipe`) and becomes a document or a failure with a message in Chinese and
English, and the rest of the batch goes on. `corpus.assemble.assemble(result.processed,
base=…)` then joins the new documents to the session's corpus.

File names from a browser are untrusted: only the basename is kept, control characters are
dropped, and the stored name (`source_file`) and `doc_id` are derived from it plus a content
hash, so they are safe as file names and stable across sessions (a sidecar downloaded for a
document applies again when the same file is uploaded later).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from corpus.errors import InputError
from corpus.files import is_sidecar, make_doc_id, orphan_problem, sha256_bytes, split_suffix
from corpus.ingest import DEFAULT_MAX_BYTES, check_size
from corpus.lexicon import Lexicon
from corpus.metadata import parse_sidecar
from corpus.pipeline import Failure, Pipeline, Processed, SourceFile
from corpus.records import records_of, resolve

Progress = Callable[[str, str], None]  # (display name, stage) → None; the pipeline's stages, then done/failed/skipped
MAX_NAME_CHARS = 120
UNNAMED = "未命名"
UploadFailure = Failure  # named by the upload's display name


@dataclass
class AcceptedFile:
    name: str  # display name: the uploaded basename, Chinese characters and spaces kept
    source_file: str  # stored name, `<doc_id><suffix>`: what documents.source_file and raw/ hold
    doc_id: str
    content_hash: str  # SHA-256 of the bytes
    data: bytes


@dataclass
class IntakeResult:
    processed: list[Processed] = field(default_factory=list)  # the new documents, for `assemble`
    failures: list[Failure] = field(default_factory=list)  # includes `duplicate` skips and sidecar problems
    files: list[AcceptedFile] = field(default_factory=list)
    sidecars: dict[str, str] = field(default_factory=dict)  # doc_id → sidecar YAML as uploaded
    records: dict[str, int] = field(default_factory=dict)  # an export's doc_id → records it added
    notes: list[Failure] = field(default_factory=list)  # full texts that replaced a record (not failures)
    replaced_ids: set[str] = field(default_factory=set)  # the corpus's records those full texts replace
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
    stem, suffix = split_suffix(name)
    stem = stem.strip(" .")
    if not stem:
        stem = UNNAMED
    if len(stem) > MAX_NAME_CHARS:
        stem = stem[:MAX_NAME_CHARS].rstrip() + "…"
    return stem + suffix


def ingest_uploads(files: list[tuple[str, bytes]], *, known_hashes: Iterable[str] = frozenset(),
                   known_ids: Iterable[str] = frozenset(), max_bytes: int = DEFAULT_MAX_BYTES,
                   progress: Progress | None = None, lexicon: Lexicon | Path | None = None,
                   base_documents: pd.DataFrame | None = None) -> IntakeResult:
    """(name, bytes) pairs → the new documents and failures. Never raises for bad input.

    `known_hashes`: content hashes already in the corpus (duplicates are skipped with the
    `duplicate` message); `known_ids`: doc_ids already in use. Files named `*.meta.yaml` are
    sidecars: they apply to the upload with the same stem (or the same doc_id, or `<name>.meta.yaml`
    for the full name). A refused sidecar field, and a sidecar with no upload to apply to, is a
    failure under the sidecar's name; the document is built with the sidecar's valid fields.

    A literature-database export becomes one document per record (corpus/records.py); a paper
    already in `base_documents` (the corpus) or earlier in the batch is kept once, and a full text
    of a record there takes its place (`replaced_ids`: drop those from the corpus when joining).
    """
    started = time.perf_counter()
    report = progress or (lambda name, stage: None)
    result = IntakeResult()
    seen_hashes, taken_ids = set(known_hashes), set(known_ids)
    documents, sidecar_files = [], []
    for raw_name, data in files:
        name, data = display_name(raw_name), bytes(data)  # bytes: a memoryview or bytearray also works
        (sidecar_files if is_sidecar(name) else documents).append((name, data))
    sidecars = _parse_sidecars(sidecar_files, result)
    claimed: set[str] = set()  # sidecar keys some upload of the batch answers to
    queued: list[tuple[SourceFile, AcceptedFile, str | None]] = []
    for name, data in documents:
        stem, suffix = split_suffix(name)
        claimed |= {stem, name}
        try:
            check_size(len(data), max_bytes)  # before hashing or decoding anything
        except InputError as exc:
            result.failures.append(Failure(name, exc))
            report(name, "failed")
            continue
        digest = sha256_bytes(data)
        if digest in seen_hashes:
            result.failures.append(Failure(name, InputError("duplicate")))
            report(name, "skipped")
            continue
        seen_hashes.add(digest)
        doc_id = make_doc_id(name, digest, taken_ids)
        taken_ids.add(doc_id)
        claimed.add(doc_id)
        accepted = AcceptedFile(name, doc_id + suffix, doc_id, digest, data)
        try:
            records = records_of(accepted.source_file, data, doc_id)
        except InputError as exc:  # an export without a usable record: named, the batch goes on
            result.failures.append(Failure(name, exc))
            report(name, "failed")
            continue
        if records is not None:
            for record in records:  # a record's sidecar, when uploaded with it, is `<record doc_id>.meta.yaml`
                taken_ids.add(record.doc_id)
                claimed.add(record.doc_id)
                _, sidecar_text, fields = sidecars.get(record.doc_id, (None, None, {}))
                queued.append((replace(record, sidecar={**record.sidecar, **fields}), accepted, sidecar_text))
            continue
        key = next((k for k in (doc_id, stem, name) if k in sidecars), None)
        _, sidecar_text, fields = sidecars[key] if key is not None else (None, None, {})
        queued.append((SourceFile(accepted.source_file, data, doc_id, fields), accepted, sidecar_text))
    by_shown = {file.shown: (accepted, text) for file, accepted, text in queued}
    exports = {accepted.source_file: accepted for file, accepted, _ in queued if file.record is not None}

    def staged(shown: str, stage: str) -> None:  # the pipeline names files by their stored name
        accepted = by_shown[shown][0] if shown in by_shown else None
        if accepted is not None and accepted.source_file not in exports:
            report(accepted.name, stage)

    pipeline = Pipeline(lexicon, max_bytes=max_bytes)
    parts = []
    done_records: dict[str, int] = {}
    for batch, batch_failures, part in pipeline.pipe([file for file, _, _ in queued], workers=1, progress=staged):
        for file, failure in zip(batch, batch_failures, strict=True):
            accepted, sidecar_text = by_shown[file.shown]
            if failure is not None:
                result.failures.append(Failure(file.shown.replace(accepted.source_file, accepted.name, 1), failure.error))
                continue
            if sidecar_text is not None:
                result.sidecars[file.doc_id] = sidecar_text
            if file.record is None:
                result.files.append(accepted)
            else:
                done_records[accepted.source_file] = done_records.get(accepted.source_file, 0) + 1
        if part is not None:
            parts.append(part)
    for stored, accepted in exports.items():
        if done_records.get(stored):
            result.files.append(accepted)
            result.records[accepted.doc_id] = done_records[stored]
        report(accepted.name, "done" if done_records.get(stored) else "failed")
    resolved = resolve(parts, base_documents)
    result.processed = resolved.parts
    result.replaced_ids = resolved.drop_base
    for failure in resolved.skipped + resolved.replaced:
        stored = failure.source_file.split(" #")[0]
        shown = exports[stored].name if stored in exports else next(
            (f.name for f in result.files if f.source_file == stored), stored)
        (result.failures if failure.code == "duplicate_record" else result.notes).append(
            Failure(failure.source_file.replace(stored, shown, 1), failure.error))
    for key, (name, _, _) in sidecars.items():
        if key not in claimed:
            result.failures.append(Failure(name, orphan_problem(name)))
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
            parsed[split_suffix(name)[0]] = (name, data.decode("utf-8-sig"), sidecar.fields)
    return parsed
