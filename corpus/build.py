"""Build: run every stage over a folder of raw files and write the processed corpus atomically.

`process_document` turns one file into its per-document rows (the function the CLI and the
app's upload page share); `assemble` adds the corpus-level tables (TF-IDF needs all documents);
`write_processed` writes Parquet files into a temporary folder, stamps the manifest last and
renames the folder into place, so a reader never sees a half-written corpus.

Speed: every stage but TF-IDF works on one document at a time, so `build_tables` runs them
(extraction included) in a pool of worker processes when there is enough text to pay for
starting it; the workers are forked after the segmenter is loaded and share its dictionary.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus import PIPELINE_VERSION
from corpus.clean import clean
from corpus.errors import InputError
from corpus.ingest import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, read_bytes
from corpus.lexicon import DEFAULT_LEXICON_DIR, ROOT, lexicon_hash
from corpus.metadata import Sidecar, document_row, read_sidecar, sidecar_path
from corpus.schema import TABLES, arrow_schema, column_names, to_markdown, to_pandas
from corpus.segment import get_segmenter, load_stopwords
from corpus.structure import structure
from corpus.terms import (
    SECTION_COUNT_COLUMNS,
    TERM_COUNT_COLUMNS,
    document_counts,
    tables_from_counts,
    term_tables,
)

DEFAULT_RAW_DIR = ROOT / "data" / "raw"
DEFAULT_PROCESSED_DIR = ROOT / "data" / "processed"
MANIFEST = "manifest.json"
SIDECAR_SUFFIX = ".meta.yaml"
PER_DOCUMENT_TABLES = ("documents", "sections", "paragraphs", "references", "citations")
EXTRACTED_TABLES = ("events", "mechanisms", "policies")
# Below this much raw text a build stays in one process: forking workers and shipping their
# tables back (~40 ms) costs more than the second core saves. Measured with scripts/bench.py:
# the four seed papers (160 kB) build 20-25% faster in two processes, 13 kB of fixtures 30% slower.
PARALLEL_MIN_BYTES = 64 * 1024
MAX_WORKERS = 4  # each worker holds one document's tables at a time; the dictionary is shared
STAGES = ("ingest", "clean", "structure", "metadata", "segment")
# Paragraphs per document: the largest real documents in ../shared/devset (government work reports
# 2003–2010, 100–150 thousand characters) have 400–800 paragraphs, a 300-page book a few thousand;
# 50,000 is far above both and keeps segmenting and the page tables bounded.
MAX_PARAGRAPHS = 50_000

Progress = Callable[[str, str], None]  # (file name, stage) → None


@dataclass
class Failure:
    source_file: str
    error: InputError

    def message(self, lang: str = "zh") -> str:
        return f"{self.source_file}: {self.error.message(lang)}"


@dataclass
class BuildResult:
    tables: dict[str, pd.DataFrame]
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1  # processes that read the documents
    # Sidecars with refused fields or without their file (named by the sidecar): the documents
    # were still built, so these are not failed files, but they do make the CLI exit non-zero.
    sidecar_problems: list[Failure] = field(default_factory=list)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_inputs(raw_dir: Path) -> list[Path]:
    """Every file in the raw folder except sidecars and hidden files, in name order."""
    return sorted(
        p for p in Path(raw_dir).iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(SIDECAR_SUFFIX)
    )


def orphan_sidecars(raw_dir: Path, inputs: list[Path]) -> list[Path]:
    """Sidecars in the raw folder that no raw file would read (`x.meta.yaml` or `x.txt.meta.yaml` for `x.txt`)."""
    claimed = {name for p in inputs for name in (p.with_suffix(SIDECAR_SUFFIX).name, p.name + SIDECAR_SUFFIX)}
    return sorted(p for p in Path(raw_dir).iterdir() if p.is_file() and not p.name.startswith(".")
                  and p.name.endswith(SIDECAR_SUFFIX) and p.name not in claimed)


def orphan_problem(sidecar_name: str) -> InputError:
    """The report for a sidecar whose file is missing: `x.meta.yaml` belongs to `x.*`, `x.txt.meta.yaml` to `x.txt`."""
    stem = sidecar_name[: -len(SIDECAR_SUFFIX)]
    expected = stem if Path(stem).suffix.lower() in SUPPORTED_SUFFIXES else stem + ".*"
    return InputError("sidecar_orphan", expected=expected)


def process_document(source_file: str, data: bytes, *, sidecar: dict | None = None, segmenter=None,
                     max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """One raw file → its rows in the per-document tables. Raises InputError for unusable input."""
    records = document_records(source_file, data, sidecar=sidecar, segmenter=segmenter, max_bytes=max_bytes,
                               progress=progress)
    return {name: _frame(name, records[name]) for name in PER_DOCUMENT_TABLES}


def document_records(source_file: str, data: bytes, *, sidecar: dict | None = None, segmenter=None,
                     max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None) -> dict[str, list[dict]]:
    """`process_document` as lists of row dicts (a build makes each table's DataFrame once, not per file)."""
    report = progress or (lambda name, stage: None)
    doc_id = Path(source_file).stem
    report(source_file, "ingest")
    text = read_bytes(data, source_file, max_bytes).text
    report(source_file, "clean")
    cleaned = clean(text)
    report(source_file, "structure")
    parts = structure(doc_id, cleaned)
    if not parts.paragraphs:
        raise InputError("no_text")
    if len(parts.paragraphs) > MAX_PARAGRAPHS:  # before segmenting, the slow stage
        raise InputError("too_many_paragraphs", paragraphs=f"{len(parts.paragraphs):,}", limit=f"{MAX_PARAGRAPHS:,}")
    report(source_file, "metadata")
    body = [p for p in parts.paragraphs if p["kind"] != "abstract"]
    headings = [s["heading"] for s in parts.sections if s["level"] >= 1]
    document = document_row(
        doc_id, source_file, cleaned, sidecar or {},
        first_heading=headings[0] if headings else None,
        n_chars=sum(len(p["text"]) for p in body), n_paragraphs=len(body),
        structured=bool(headings), content_hash=sha256_bytes(data),
    )
    report(source_file, "segment")
    segmenter = segmenter or get_segmenter()
    for para in parts.paragraphs:
        para["tokens"], para["pos"] = segmenter.tokens(para["text"])
    return {
        "documents": [document],
        "sections": parts.sections,
        "paragraphs": parts.paragraphs,
        "references": parts.references,
        "citations": parts.citations,
    }


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=column_names(table))


def empty_table(table: str) -> pd.DataFrame:
    return to_pandas(arrow_schema(table).empty_table())


def assemble(per_document: list[dict[str, pd.DataFrame]], lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> dict[str, pd.DataFrame]:
    """Concatenate per-document rows and add the corpus-level tables (terms, extraction)."""
    from corpus.extract import extract_all

    tables = {}
    for name in PER_DOCUMENT_TABLES:
        frames = [doc[name] for doc in per_document if len(doc[name])]
        tables[name] = pd.concat(frames, ignore_index=True) if frames else empty_table(name)
    tables.update(extract_all(tables["documents"], tables["sections"], tables["paragraphs"], lexicon_dir))
    tables["terms"], tables["section_terms"] = term_tables(
        tables["paragraphs"], load_stopwords(lexicon_dir), user_words=get_segmenter(lexicon_dir).user_words)
    return {name: conform(name, tables[name]) for name in TABLES}


COUNTS = ("section_counts", "term_counts")  # term counts per section and term, per term (terms.py)


@dataclass
class _Processed:
    """Documents as a worker hands them back: their ids, in file order, and every table as Arrow —
    per-document tables, extraction rows and term counts (COUNTS) — compact to send and cheap to
    join, with no Python object per row in the main process."""

    doc_ids: list[str]
    tables: dict[str, pa.Table]


def _merged(parts: list[_Processed]) -> _Processed:
    if len(parts) == 1:
        return parts[0]
    return _Processed([d for part in parts for d in part.doc_ids],
                      {name: pa.concat_tables([part.tables[name] for part in parts]).combine_chunks()
                       for name in parts[0].tables})


class _Collected:
    """Documents as they arrive (in file order), merged every COMPACT_EVERY documents: thousands
    of tiny tables cost far more memory than their rows."""

    COMPACT_EVERY = 64

    def __init__(self) -> None:
        self.doc_ids: list[str] = []
        self.merged: list[_Processed] = []
        self.pending: list[_Processed] = []

    def add(self, part: _Processed) -> None:
        self.doc_ids += part.doc_ids
        self.pending.append(part)
        if sum(len(p.doc_ids) for p in self.pending) >= self.COMPACT_EVERY:
            self._compact()

    def _compact(self) -> None:
        if self.pending:
            self.merged.append(_merged(self.pending))
            self.pending = []

    def take(self, name: str, by_doc_id: bool = False) -> pa.Table | None:
        """All rows of a table (released here), in file order or (stably) in doc_id order."""
        self._compact()
        parts = [part.tables.pop(name) for part in self.merged]
        if not parts:
            return None
        table = pa.concat_tables(parts)
        return table.take(pc.sort_indices(table, [("doc_id", "ascending")])) if by_doc_id else table


def _assemble_processed(collected: _Collected, lexicon_dir: Path) -> dict[str, pd.DataFrame]:
    """`assemble` for the build: documents processed with their extraction rows and term counts
    (`_process_file`), so only TF-IDF is left to do over the whole corpus."""
    tables = {name: _conformed(name, collected.take(name)) for name in PER_DOCUMENT_TABLES}
    user_words = get_segmenter(lexicon_dir).user_words
    if len(set(collected.doc_ids)) < len(collected.doc_ids):  # a.txt and a.md: one document to the rest
        from corpus.extract import extract_all

        extracted = extract_all(tables["documents"], tables["sections"], tables["paragraphs"], lexicon_dir)
        tables.update({name: conform(name, frame) for name, frame in extracted.items()})
        terms = term_tables(tables["paragraphs"], load_stopwords(lexicon_dir), user_words=user_words)
    else:  # each document's rows, in doc_id order (a stable sort), are what the corpus-wide functions give
        for name in EXTRACTED_TABLES:
            tables[name] = _conformed(name, collected.take(name, by_doc_id=True))
        section_counts, term_counts = (
            table.to_pandas() if (table := collected.take(name, by_doc_id=True)) is not None
            else pd.DataFrame(columns=columns) for name, columns in zip(COUNTS, (SECTION_COUNT_COLUMNS, TERM_COUNT_COLUMNS),
                                                                       strict=True))
        terms = tables_from_counts(section_counts, term_counts, user_words=user_words)
    tables["terms"], tables["section_terms"] = (conform(name, frame) for name, frame in
                                                zip(("terms", "section_terms"), terms, strict=True))
    return {name: tables[name] for name in TABLES}


def _arrow(table: str, rows: list[dict]) -> pa.Table:
    """Rows → an Arrow table of the schema; through pandas only when a value needs its coercion."""
    try:
        return pa.Table.from_pylist(rows, schema=arrow_schema(table))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        frame = _frame(table, rows)
        return pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False).replace_schema_metadata()


def _conformed(table: str, arrow: pa.Table | None) -> pd.DataFrame:
    """A table of the schema (None: no rows) → the frame `conform` gives for its rows."""
    return to_pandas(arrow if arrow is not None else arrow_schema(table).empty_table())


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Exactly the schema's columns, in order, with the schema's types (raises if a column is missing)."""
    missing = [c for c in column_names(table) if c not in frame.columns]
    if missing:
        raise ValueError(f"table {table} lacks columns {missing}")
    arrow = pa.Table.from_pandas(frame[column_names(table)], schema=arrow_schema(table), preserve_index=False)
    return to_pandas(arrow)


def load_dictionaries(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> None:
    """Load what every document needs once per process: the segmenter (jieba's dictionary, the
    domain words, the POS table), the stopwords and the extraction rules (cached per file version)."""
    from corpus.extract.events import load_rules
    from corpus.extract.gazetteer import load_gazetteer
    from corpus.extract.mechanisms import load_axes
    from corpus.extract.policies import load_taxonomy

    get_segmenter(lexicon_dir)
    load_stopwords(lexicon_dir)
    for load in (load_rules, load_gazetteer, load_axes, load_taxonomy):
        load(lexicon_dir)


def _is_conformed(table: str, frame: pd.DataFrame) -> bool:
    """Already what `conform` returns (schema columns in order, schema dtypes): no round trip needed."""
    expected = empty_table(table)
    return list(frame.columns) == list(expected.columns) and list(frame.dtypes) == list(expected.dtypes)


def build_tables(raw_dir: Path = DEFAULT_RAW_DIR, lexicon_dir: Path = DEFAULT_LEXICON_DIR,
                 max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None,
                 workers: int | None = None) -> BuildResult:
    """Process every raw file and assemble the tables. `workers`: processes to use (None: one per
    core, up to MAX_WORKERS, once there is PARALLEL_MIN_BYTES of input; 1: this process only)."""
    started = time.perf_counter()
    load_dictionaries(lexicon_dir)  # before any worker is forked, so they all share them
    outcomes: list[Failure | None] = []  # one per raw file, in name order
    jobs: list[tuple[int, str, bytes, dict]] = []
    seen_hashes: set[str] = set()
    inputs = raw_inputs(raw_dir)
    sidecars: dict[Path, Sidecar] = {}  # each read once (x.txt and x.md share x.meta.yaml)
    for path in inputs:
        try:
            data = path.read_bytes()
            digest = sha256_bytes(data)
            if digest in seen_hashes:
                raise InputError("duplicate")
            seen_hashes.add(digest)
            side = sidecar_path(path)
            if side is not None and side not in sidecars:
                sidecars[side] = read_sidecar(side)
            jobs.append((len(outcomes), path.name, data, sidecars[side].fields if side is not None else {}))
            outcomes.append(None)
        except InputError as exc:
            outcomes.append(Failure(path.name, exc))
            if progress:
                progress(path.name, "failed")
        except OSError as exc:
            outcomes.append(Failure(path.name, InputError("unreadable", detail=str(exc))))
    n_workers = _worker_count(len(jobs), sum(len(data) for _, _, data, _ in jobs), workers)
    collected = _Collected()
    for batch, batch_failures, part in _process_jobs(jobs, lexicon_dir, max_bytes, progress, n_workers):
        for (index, name, *_), failure in zip(batch, batch_failures, strict=True):
            outcomes[index] = failure
            if progress:
                progress(name, "failed" if failure else "done")
        if part is not None:
            collected.add(part)  # batches arrive in file order
    failures = [o for o in outcomes if isinstance(o, Failure)]
    sidecar_problems = [Failure(side.name, problem) for side, parsed in sidecars.items() for problem in parsed.problems]
    sidecar_problems += [Failure(side.name, orphan_problem(side.name)) for side in orphan_sidecars(raw_dir, inputs)]
    tables = _assemble_processed(collected, lexicon_dir)
    return BuildResult(tables, failures, time.perf_counter() - started, n_workers, sidecar_problems)


def _process_jobs(jobs, lexicon_dir: Path, max_bytes: int, progress: Progress | None, n_workers: int):
    """(jobs of a batch, their Failure or None each, the batch's _Processed or None) in file order,
    here one file at a time or in a pool a few files per task (one message per batch, not per file)."""
    if n_workers <= 1:
        for job in jobs:
            _, name, data, sidecar = job
            outcome = _process_file(name, data, sidecar, lexicon_dir, max_bytes, progress)
            failed = isinstance(outcome, Failure)
            yield [job], [outcome if failed else None], None if failed else outcome
        return
    # Small batches: the last ones decide when the pool ends; a few files per task cut the cost
    # of sending many tiny tables (measured: 4 files per message, a fifth of the pickling).
    size = max(1, min(8, len(jobs) // (n_workers * 16)))
    batches = [jobs[k:k + size] for k in range(0, len(jobs), size)]
    args = [([(name, data, sidecar) for _, name, data, sidecar in batch], lexicon_dir, max_bytes) for batch in batches]
    with ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_init,
                             initargs=(os.getpid(),)) as pool:
        for batch, (failures, part) in zip(batches, pool.map(_process_batch, *zip(*args, strict=True)), strict=True):
            yield batch, failures, part


def _process_batch(files: list[tuple[str, bytes, dict]], lexicon_dir: Path,
                   max_bytes: int) -> tuple[list[Failure | None], _Processed | None]:
    """In a worker: a few files → each one's Failure (or None) and the documents as one _Processed.
    A Failure pickles with its error's code and params."""
    outcomes = [_process_file(name, data, sidecar, lexicon_dir, max_bytes) for name, data, sidecar in files]
    done = [o for o in outcomes if isinstance(o, _Processed)]
    return [o if isinstance(o, Failure) else None for o in outcomes], (_merged(done) if done else None)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


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


def _worker_count(n_jobs: int, n_bytes: int, requested: int | None) -> int:
    # Workers are forked (they inherit the loaded dictionary): Linux only, and never from a
    # process with other threads running (a fork copies their locks, not the threads).
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    if requested is not None:
        return max(1, min(requested, n_jobs))
    if n_bytes < PARALLEL_MIN_BYTES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS, n_jobs))


def _process_file(name: str, data: bytes, sidecar: dict, lexicon_dir: Path, max_bytes: int,
                  progress: Progress | None = None) -> _Processed | Failure:
    """One file's tables, extraction and term counts included (all but TF-IDF is per document)."""
    from corpus.extract import extract_document

    try:
        records = document_records(name, data, sidecar=sidecar, segmenter=get_segmenter(lexicon_dir),
                                   max_bytes=max_bytes, progress=progress)
    except InputError as exc:
        return Failure(name, exc)
    document = records["documents"][0]
    doc_id = document["doc_id"]
    year = int(document["year"]) if pd.notna(document.get("year")) else None
    records.update(extract_document(doc_id, records["paragraphs"], records["sections"], year, lexicon_dir))
    section_rows, term_rows = document_counts(
        ((p["kind"], p["section_id"], p["tokens"], p["pos"]) for p in records["paragraphs"]), load_stopwords(lexicon_dir))
    tables = {table: _arrow(table, rows) for table, rows in records.items()}
    tables["section_counts"] = _counts_table(SECTION_COUNT_COLUMNS, doc_id, section_rows)
    tables["term_counts"] = _counts_table(TERM_COUNT_COLUMNS, doc_id, term_rows)
    return _Processed([doc_id], tables)


def _counts_table(columns: list[str], doc_id: str, rows: list[tuple]) -> pa.Table:
    """One document's term counts as a small Arrow table (columns: doc_id, then the row fields)."""
    fields = list(zip(*rows, strict=True)) if rows else [[] for _ in columns[1:]]
    types = [pa.string()] * (len(columns) - 1) + [pa.int64()]
    return pa.table([pa.array([doc_id] * len(rows), pa.string()),
                     *(pa.array(f, t) for f, t in zip(fields, types[1:], strict=True))], names=columns)


def corpus_version(raw_dir: Path = DEFAULT_RAW_DIR, lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> str:
    """Hash of the raw files and sidecars, the lexicon and the pipeline version."""
    digest = hashlib.sha256(f"pipeline={PIPELINE_VERSION}\nlexicon={lexicon_hash(lexicon_dir)}\n".encode())
    for path in sorted(p for p in Path(raw_dir).iterdir() if p.is_file() and not p.name.startswith(".")):
        digest.update(f"{path.name}={sha256_bytes(path.read_bytes())}\n".encode())
    return digest.hexdigest()[:16]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _leftovers(out_dir: Path) -> list[tuple[Path, str, int]]:
    """(folder, "tmp" or "old", pid) of the temporary siblings builds leave while they write `out_dir`."""
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}\.(tmp|old)-(\d+)")
    if not out_dir.parent.is_dir():
        return []
    return [(p, m.group(1), int(m.group(2))) for p in out_dir.parent.iterdir()
            if p.is_dir() and (m := pattern.fullmatch(p.name))]


def recover_output(out_dir: Path) -> None:
    """Clean up after builds that were killed: an output folder moved aside (`.<out>.old-<pid>`) comes
    back when the output itself is missing; the leftovers of builds no longer running are removed.
    A running build's folders are left alone."""
    out_dir = Path(out_dir)
    stale = [(path, kind, pid) for path, kind, pid in _leftovers(out_dir) if pid != os.getpid() and not _pid_alive(pid)]
    try:
        old = sorted((p for p, kind, _ in stale if kind == "old"), key=lambda p: p.stat().st_mtime)
        if old and not out_dir.exists():
            old[-1].rename(out_dir)  # the newest: what the output was before the swap that failed
    except OSError:  # another process got there first, or a read-only folder: leave it all as it is
        return
    for path, _, _ in stale:
        shutil.rmtree(path, ignore_errors=True)


def write_processed(tables: dict[str, pd.DataFrame], out_dir: Path, version: str, *, extra: dict | None = None) -> Path:
    """Write every table into a temporary sibling folder, then swap it into place."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_output(out_dir)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    files = {}
    for name in TABLES:
        frame = tables[name]
        if not _is_conformed(name, frame):
            frame = conform(name, frame)
        arrow = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
        path = tmp / f"{name}.parquet"
        pq.write_table(arrow, path, compression="zstd")
        files[name] = {"file": path.name, "rows": arrow.num_rows, "sha256": sha256_bytes(path.read_bytes())}
    (tmp / "SCHEMA.md").write_text(to_markdown() + "\n", encoding="utf-8")
    manifest = {
        "corpus_version": version,
        "pipeline_version": PIPELINE_VERSION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": files,
        **(extra or {}),
        "complete": True,
    }
    # The manifest is written last: a folder without it is, by definition, half-written.
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    if out_dir.exists():
        if old.exists():  # left by an earlier process with this pid
            shutil.rmtree(old)
        out_dir.rename(old)
    try:
        tmp.rename(out_dir)
    except BaseException:  # the old output goes back where it was: never no output at all
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old.exists():
        shutil.rmtree(old)
    return out_dir


def build_corpus(raw_dir: Path = DEFAULT_RAW_DIR, out_dir: Path = DEFAULT_PROCESSED_DIR,
                 lexicon_dir: Path = DEFAULT_LEXICON_DIR, max_bytes: int = DEFAULT_MAX_BYTES,
                 progress: Progress | None = None, workers: int | None = None) -> BuildResult:
    result = build_tables(raw_dir, lexicon_dir, max_bytes, progress, workers)
    raw_files = {p.name: sha256_bytes(p.read_bytes()) for p in raw_inputs(raw_dir)}
    write_processed(result.tables, out_dir, corpus_version(raw_dir, lexicon_dir), extra={
        "raw_files": raw_files,
        "failed_files": {f.source_file: f.error.code for f in result.failures},
        "sidecar_problems": {f.source_file: f.error.code for f in result.sidecar_problems},
        "build_seconds": round(result.seconds, 3),
    })
    return result
