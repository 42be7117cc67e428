"""One document's journey: raw bytes through named stages to its rows in every table.

    Pipeline(lexicon)(name, data)  → Processed (this document's tables, as Arrow)
    Pipeline(lexicon).pipe(files)  → batches in order: each file's Failure or None, the batch's Processed
    assemble(processed, lexicon)   → the corpus tables (corpus/assemble.py)

As in spaCy's `Language`, a pipeline is an ordered list of stages over one working document
(`Doc`); each stage declares what it reads (`requires`) and what it writes (`assigns`), and
`STAGES` is the data-flow diagram of the README, checked by a test. The CLI build, the corpus
page's uploads and the rebuild of a colleague's bundle all run documents through `pipe`, the
only per-document path and the only process pool, with one error policy: a document that fails,
for any reason, becomes a `Failure` with a message in Chinese and English; the others go on.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from corpus.errors import InputError
from corpus.files import sha256_bytes
from corpus.ingest import DEFAULT_MAX_BYTES, read_bytes
from corpus.lexicon import Lexicon
from corpus.schema import arrow_schema, column_names, empty_table
from corpus.terms import SECTION_COUNT_COLUMNS, TERM_COUNT_COLUMNS, document_counts

log = logging.getLogger(__name__)

Progress = Callable[[str, str], None]  # (file name, stage name | "done" | "failed") → None

# Paragraphs per document: the largest real documents in ../shared/devset (government work reports
# 2003–2010, 100–150 thousand characters) have 400–800 paragraphs, a 300-page book a few thousand;
# 50,000 is far above both and keeps segmenting and the page tables bounded.
MAX_PARAGRAPHS = 50_000
# Below this much raw text a batch stays in one process: forking workers and shipping their
# tables back (~40 ms) costs more than the second core saves. Measured with scripts/bench.py:
# the four seed papers (160 kB) build 20–25 % faster in two processes, 13 kB of fixtures 30 % slower.
PARALLEL_MIN_BYTES = 64 * 1024
MAX_WORKERS = 4  # each worker holds one document's tables at a time; the dictionary is shared
# Tables a document fills, and the two kinds of term counts the assembler turns into TF-IDF.
DOCUMENT_TABLES = ("documents", "sections", "paragraphs", "references", "citations")
EXTRACTED_TABLES = ("events", "mechanisms", "policies")
COUNT_TABLES = {"section_counts": SECTION_COUNT_COLUMNS, "term_counts": TERM_COUNT_COLUMNS}


@dataclass
class Doc:
    """The working document the stages fill in."""

    name: str  # the stored file name (documents.source_file)
    data: bytes
    doc_id: str
    sidecar: dict  # the sidecar's checked fields (corpus.metadata.parse_sidecar)
    max_bytes: int = DEFAULT_MAX_BYTES
    record: int | None = None  # an export's record (corpus/records.py): `data` is its text, `sidecar` its metadata
    source_hash: str | None = None  # a record's: its export file's hash (documents.content_hash)
    text: str = ""
    clean: object = None  # corpus.clean.CleanDoc
    rows: dict[str, list[dict]] = field(default_factory=dict)  # table → this document's rows
    counts: dict[str, list[tuple]] = field(default_factory=dict)  # COUNT_TABLES → rows without doc_id


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]  # what it reads: `text`, `clean`, a table, or `table.column`
    assigns: tuple[str, ...]  # what it writes
    run: Callable[[Doc, Lexicon], None]


def _ingest(doc: Doc, lexicon: Lexicon) -> None:
    if doc.record is not None:  # already text, taken from its export (corpus/records.py)
        from corpus.ingest import normalise

        doc.text = normalise(doc.data.decode("utf-8"))  # empty for a record without an abstract
        return
    doc.text = read_bytes(doc.data, doc.name, doc.max_bytes).text


def _clean(doc: Doc, lexicon: Lexicon) -> None:
    from corpus.clean import clean

    doc.clean = clean(doc.text, lexicon.furniture)


def _structure(doc: Doc, lexicon: Lexicon) -> None:
    from corpus.structure import structure

    parts = structure(doc.doc_id, doc.clean)
    if not parts.paragraphs and doc.record is None:  # a record without an abstract is its metadata
        raise InputError("no_text")
    if len(parts.paragraphs) > MAX_PARAGRAPHS:  # before segmenting, the slow stage
        raise InputError("too_many_paragraphs", paragraphs=f"{len(parts.paragraphs):,}", limit=f"{MAX_PARAGRAPHS:,}")
    doc.rows.update(sections=parts.sections, paragraphs=parts.paragraphs, references=parts.references,
                    citations=parts.citations)


def _metadata(doc: Doc, lexicon: Lexicon) -> None:
    from corpus.metadata import document_row

    # the body's size; a page that is only an abstract (a journal's web page) is its abstract
    body = [p for p in doc.rows["paragraphs"] if p["kind"] != "abstract"] or doc.rows["paragraphs"]
    headings = [s["heading"] for s in doc.rows["sections"] if s["level"] >= 1]
    doc.rows["documents"] = [document_row(
        doc.doc_id, doc.name, doc.clean, doc.sidecar, first_heading=headings[0] if headings else None,
        n_chars=sum(len(p["text"]) for p in body), n_paragraphs=len(body), structured=bool(headings),
        content_hash=doc.source_hash or sha256_bytes(doc.data), record=doc.record,
    )]


def _segment(doc: Doc, lexicon: Lexicon) -> None:
    segmenter = lexicon.segmenter
    for para in doc.rows["paragraphs"]:
        para["tokens"], para["pos"] = segmenter.tokens(para["text"])


def _extract(doc: Doc, lexicon: Lexicon) -> None:
    from corpus.extract import extract_document

    year = doc.rows["documents"][0].get("year")
    year = int(year) if year is not None and pd.notna(year) else None
    doc.rows.update(extract_document(doc.doc_id, doc.rows["paragraphs"], doc.rows["sections"], year, lexicon))


def _count(doc: Doc, lexicon: Lexicon) -> None:
    paragraphs = ((p["kind"], p["section_id"], p["tokens"], p["pos"]) for p in doc.rows["paragraphs"])
    doc.counts["section_counts"], doc.counts["term_counts"] = document_counts(paragraphs, lexicon.stopwords)


STAGES: tuple[Stage, ...] = (
    Stage("ingest", ("raw bytes",), ("text",), _ingest),
    Stage("clean", ("text", "lexicon.furniture"), ("clean",), _clean),
    Stage("structure", ("clean",), ("sections", "paragraphs", "references", "citations"), _structure),
    Stage("metadata", ("clean", "sections", "paragraphs", "sidecar"), ("documents",), _metadata),
    Stage("segment", ("paragraphs.text", "lexicon.segmenter"), ("paragraphs.tokens", "paragraphs.pos"), _segment),
    Stage("extract", ("documents.year", "sections", "paragraphs", "lexicon.events", "lexicon.gazetteer",
                      "lexicon.axes", "lexicon.taxonomy"), EXTRACTED_TABLES, _extract),
    Stage("count", ("paragraphs.tokens", "paragraphs.pos", "lexicon.stopwords"), tuple(COUNT_TABLES), _count),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)


@dataclass
class Processed:
    """Documents as the pipeline hands them on: their ids, in file order, and every table as
    Arrow (per-document tables, extraction rows, term counts): compact to send from a worker
    and cheap to join, with no Python object per row."""

    doc_ids: list[str]
    tables: dict[str, pa.Table]

    @staticmethod
    def merged(parts: list[Processed]) -> Processed:
        if len(parts) == 1:  # a new object all the same: the assembler takes tables out of what it merged
            return Processed(list(parts[0].doc_ids), dict(parts[0].tables))
        return Processed([d for part in parts for d in part.doc_ids],
                         {name: pa.concat_tables([part.tables[name] for part in parts]).combine_chunks()
                          for name in parts[0].tables})


@dataclass
class Failure:
    source_file: str  # the name the file was given under (an upload: its display name)
    error: InputError

    @property
    def name(self) -> str:
        return self.source_file

    @property
    def code(self) -> str:
        return self.error.code

    def message(self, lang: str = "zh") -> str:
        return f"{self.source_file}: {self.error.message(lang)}"


@dataclass(frozen=True)
class SourceFile:
    """One file for `pipe`: its stored name, bytes, checked sidecar fields and doc_id; or one
    record of an export (`record`: its number there; `data`: its text; `sidecar`: its metadata)."""

    name: str
    data: bytes
    doc_id: str
    sidecar: dict = field(default_factory=dict)
    record: int | None = None
    source_hash: str | None = None  # a record's: the SHA-256 of its export file

    @property
    def shown(self) -> str:
        """How messages name it: the file, or `<export> #<k>` for a record."""
        return self.name if self.record is None else f"{self.name} #{self.record}"


class Pipeline:
    def __init__(self, lexicon: Lexicon | Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.lexicon = Lexicon.of(lexicon)
        self.max_bytes = max_bytes
        self.workers_used = 1  # processes the last `pipe` ran in

    def __call__(self, name: str, data: bytes, *, doc_id: str | None = None, sidecar: dict | None = None,
                 progress: Progress | None = None, record: int | None = None, source_hash: str | None = None,
                 ) -> Processed:
        """One file (or one record of an export) → its tables. Raises InputError for input it cannot use."""
        return _processed([self._document(name, data, doc_id=doc_id, sidecar=sidecar, progress=progress,
                                          record=record, source_hash=source_hash)])

    def _document(self, name: str, data: bytes, *, doc_id: str | None = None, sidecar: dict | None = None,
                  progress: Progress | None = None, record: int | None = None, source_hash: str | None = None,
                  ) -> Doc:
        doc = Doc(name, bytes(data), doc_id or Path(name).stem, dict(sidecar or {}), self.max_bytes, record=record,
                  source_hash=source_hash)
        for stage in STAGES:
            if progress:
                progress(name, stage.name)
            stage.run(doc, self.lexicon)
        return doc

    def safely(self, file: SourceFile, progress: Progress | None = None) -> Doc | Failure:
        """The file's processed Doc, with every failure, expected or not, as a Failure naming the file."""
        try:
            # a record reports only when it is done: hundreds of them share one export's progress
            return self._document(file.name, file.data, doc_id=file.doc_id, sidecar=file.sidecar,
                                  progress=progress if file.record is None else None, record=file.record,
                                  source_hash=file.source_hash)
        except InputError as exc:
            return Failure(file.shown, exc)
        except Exception as exc:  # a bug in a stage: that file is reported, the others go on
            log.exception("processing %s failed", file.shown)
            return Failure(file.shown, InputError("processing_failed", detail=f"{type(exc).__name__}: {exc}"[:160]))

    def pipe(self, files: list[SourceFile], *, workers: int | None = None, progress: Progress | None = None,
             ) -> Iterator[tuple[list[SourceFile], list[Failure | None], Processed | None]]:
        """Batches in file order: (the batch's files, each one's Failure or None, the batch's
        documents as one Processed or None). `workers`: processes (None: one per core, up to
        MAX_WORKERS, once there is PARALLEL_MIN_BYTES of input; 1: this process only)."""
        n_workers = self.workers_used = worker_count(len(files), sum(len(f.data) for f in files), workers)
        if n_workers <= 1:
            for batch in _batches(files, BATCH_FILES):
                outcomes = []
                for file in batch:  # each file's outcome is reported as it is known: one bar fills file by file
                    outcomes.append(self.safely(file, progress))
                    _report(progress, [file], [_failure(outcomes[-1])])
                yield batch, *_converted(batch, outcomes)
            return
        self.lexicon.warm()  # before forking: every worker shares the loaded dictionary and rules
        # At least 16 batches per worker (the last ones decide when the pool ends), each as large as
        # that allows up to BATCH_FILES: every batch costs its tables' sending and merging
        # (5,000 records: batches of 8 → 128 took the build from 6.2 s to 4.7 s).
        batches = _batches(files, max(1, min(BATCH_FILES, len(files) // (n_workers * 16))))
        global _WORKER_PIPELINE
        _WORKER_PIPELINE = self
        try:
            with ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork"),
                                     initializer=_worker_init, initargs=(os.getpid(),)) as pool:
                for batch, (failures, part) in zip(batches, pool.map(_process_batch, batches), strict=True):
                    _report(progress, batch, failures)
                    yield batch, failures, part
        finally:
            _WORKER_PIPELINE = None


def _report(progress: Progress | None, batch: list[SourceFile], failures: list[Failure | None]) -> None:
    if progress:
        for file, failure in zip(batch, failures, strict=True):
            progress(file.shown, "failed" if failure else "done")


# Files per batch at most: a batch's documents become Arrow together and travel as one message.
# Converted one by one, a short record's eight small tables cost more than its segmentation
# (1.9 s of 11 for 5,000 records).
BATCH_FILES = 128


def _batches(files: list[SourceFile], size: int) -> list[list[SourceFile]]:
    return [files[k:k + size] for k in range(0, len(files), size)]


def _failure(outcome: Doc | Failure) -> Failure | None:
    return outcome if isinstance(outcome, Failure) else None


def _converted(batch: list[SourceFile], outcomes: list[Doc | Failure]) -> tuple[list[Failure | None], Processed | None]:
    """A batch's outcomes → each file's Failure (or None) and its documents as one Processed. Should
    the batch not convert, each document is converted alone and the one that fails is reported."""
    docs = [o for o in outcomes if isinstance(o, Doc)]
    try:
        return [_failure(o) for o in outcomes], _processed(docs) if docs else None
    except Exception:
        if len(batch) == 1:
            log.exception("converting %s failed", batch[0].shown)
            return [Failure(batch[0].shown, InputError("processing_failed", detail="tables"))], None
    failures, parts = [], []
    for file, outcome in zip(batch, outcomes, strict=True):
        if isinstance(outcome, Failure):
            failures.append(outcome)
            continue
        failed, part = _converted([file], [outcome])
        failures += failed
        parts += [part] if part is not None else []
    return failures, Processed.merged(parts) if parts else None


def _processed(docs: list[Doc]) -> Processed:
    """Processed documents → one Processed: each table's rows of all of them, converted at once."""
    tables = {name: _arrow(name, [row for doc in docs for row in doc.rows.get(name, ())])
              for name in (*DOCUMENT_TABLES, *EXTRACTED_TABLES)}
    for name, columns in COUNT_TABLES.items():
        tables[name] = _counts_table(columns, [(doc.doc_id, doc.counts.get(name, [])) for doc in docs])
    return Processed([doc.doc_id for doc in docs], tables)


def _arrow(table: str, rows: list[dict]) -> pa.Table:
    """Rows → an Arrow table of the schema; through pandas only when a value needs its coercion.
    Most of a literature record's tables are empty (no references, often no events): shared."""
    if not rows:
        return empty_table(table)
    try:
        return pa.Table.from_pylist(rows, schema=arrow_schema(table))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        frame = pd.DataFrame(rows, columns=column_names(table))
        return pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False).replace_schema_metadata()


def _counts_table(columns: list[str], per_doc: list[tuple[str, list[tuple]]]) -> pa.Table:
    """Documents' term counts as one Arrow table (columns: doc_id, then the row fields)."""
    rows = [row for _, doc_rows in per_doc for row in doc_rows]
    fields = list(zip(*rows, strict=True)) if rows else [[] for _ in columns[1:]]
    types = [pa.string()] * (len(columns) - 1) + [pa.int64()]
    doc_ids = [doc_id for doc_id, doc_rows in per_doc for _ in doc_rows]
    return pa.table([pa.array(doc_ids, pa.string()),
                     *(pa.array(f, t) for f, t in zip(fields, types[1:], strict=True))], names=columns)


# ---- the process pool ----------------------------------------------------------------------

_WORKER_PIPELINE: Pipeline | None = None  # set before the pool forks; each worker inherits it
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _process_batch(batch: list[SourceFile]) -> tuple[list[Failure | None], Processed | None]:
    """In a worker: a few files → each one's Failure (or None) and the documents as one Processed."""
    return _converted(batch, [_WORKER_PIPELINE.safely(file) for file in batch])


def _worker_init(parent_pid: int) -> None:
    # A worker must not outlive the build: after a SIGKILL of the build its workers (~250 MB each)
    # would wait forever on a queue nobody writes to. The kernel kills them when the parent dies;
    # a parent that died before this line ran is noticed by the changed parent pid.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: workers are only forked on Linux anyway
        pass
    if os.getppid() != parent_pid:
        os._exit(1)
    # A worker only allocates short-lived rows (freed by reference counting); the collector's
    # frequent passes over the heap it inherited cost ~6% of the build (measured), so run it rarely.
    gc.set_threshold(50_000, 20, 20)


def worker_count(n_files: int, n_bytes: int, requested: int | None) -> int:
    # Workers are forked (they inherit the loaded dictionary): Linux only, and never from a
    # process with other threads running (a fork copies their locks, not the threads).
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    if requested is not None:
        return max(1, min(requested, n_files))
    if n_bytes < PARALLEL_MIN_BYTES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS, n_files))


def stages_table() -> str:
    """The stages as the README's data-flow section lists them (checked by a test)."""
    lines = [f"{i}. {s.name}: {', '.join(s.requires)} → {', '.join(s.assigns)}" for i, s in enumerate(STAGES, 1)]
    return "\n".join(lines)


def unique_doc_ids(names: Iterable[tuple[str, str]], taken: Iterable[str] = ()) -> list[str]:
    """A doc_id for each (file name, content hash), in order: the file's stem when it is a safe id
    not taken yet (the shipped papers keep theirs), else the stem's word characters and the start
    of the content hash (`x.txt` and `x.md`: `x` and `x_3f6d6f34`)."""
    from corpus.files import make_doc_id
    from corpus.schema import ID_PATTERN

    used = set(taken)
    ids = []
    for name, digest in names:
        stem = Path(name).stem
        doc_id = stem if ID_PATTERN.fullmatch(stem) and stem not in used else make_doc_id(name, digest, used)
        used.add(doc_id)
        ids.append(doc_id)
    return ids
