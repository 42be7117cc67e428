"""Build: every raw file of a folder through the pipeline, assembled, written atomically.

    raw folder ─ files.raw_inputs (+ sidecars) → Pipeline.pipe → assemble → store.write_processed

A file that cannot be read or processed, for any reason, is reported by name with the reason
and the other files are still built; a sidecar with a refused field, or without its file, is
reported too (the document keeps the sidecar's valid fields). `python -m corpus build` exits
non-zero when anything was reported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from corpus.assemble import assemble
from corpus.errors import InputError
from corpus.files import (
    DEFAULT_PROCESSED_DIR,
    DEFAULT_RAW_DIR,
    corpus_version,
    orphan_problem,
    orphan_sidecars,
    raw_inputs,
    read_sidecar,
    sha256_bytes,
    sidecar_path,
)
from corpus.ingest import DEFAULT_MAX_BYTES
from corpus.lexicon import Lexicon
from corpus.pipeline import Failure, Pipeline, Progress, SourceFile, unique_doc_ids
from corpus.store import write_processed

__all__ = ["BuildResult", "Failure", "build_corpus", "build_tables", "read_folder"]


@dataclass
class BuildResult:
    tables: dict
    failures: list[Failure] = field(default_factory=list)  # files not built, in file name order
    seconds: float = 0.0
    workers: int = 1  # processes that read the documents
    # Sidecars with refused fields or without their file (named by the sidecar): the documents
    # were still built, so these are not failed files, but they do make the CLI exit non-zero.
    sidecar_problems: list[Failure] = field(default_factory=list)


@dataclass
class Folder:
    """A raw folder read for the pipeline: the files to process, in name order, and what was
    reported before processing (unreadable files, duplicates, sidecar problems)."""

    files: list[SourceFile]
    positions: list[int]  # each file's place among all inputs (failures are reported in name order)
    failures: dict[int, Failure]
    sidecar_problems: list[Failure]


def read_folder(raw_dir: Path) -> Folder:
    inputs = raw_inputs(raw_dir)
    readable: list[tuple[int, str, bytes, str]] = []
    failures: dict[int, Failure] = {}
    sidecars: dict[Path, object] = {}  # each read once (x.txt and x.md share x.meta.yaml)
    seen_hashes: set[str] = set()
    for position, path in enumerate(inputs):
        try:
            data = path.read_bytes()
        except OSError as exc:
            failures[position] = Failure(path.name, InputError("unreadable", detail=str(exc)))
            continue
        digest = sha256_bytes(data)
        if digest in seen_hashes:
            failures[position] = Failure(path.name, InputError("duplicate"))
            continue
        seen_hashes.add(digest)
        readable.append((position, path.name, data, digest))
    doc_ids = unique_doc_ids((name, digest) for _, name, _, digest in readable)
    files, positions = [], []
    for (position, name, data, _), doc_id in zip(readable, doc_ids, strict=True):
        side = sidecar_path(Path(raw_dir) / name)
        if side is not None and side not in sidecars:
            sidecars[side] = read_sidecar(side)
        files.append(SourceFile(name, data, doc_id, sidecars[side].fields if side is not None else {}))
        positions.append(position)
    problems = [Failure(side.name, problem) for side, parsed in sidecars.items() for problem in parsed.problems]
    problems += [Failure(side.name, orphan_problem(side.name)) for side in orphan_sidecars(raw_dir, inputs)]
    return Folder(files, positions, failures, problems)


def build_tables(raw_dir: Path = DEFAULT_RAW_DIR, lexicon: Lexicon | Path | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None,
                 workers: int | None = None) -> BuildResult:
    """Process every raw file and assemble the tables. `workers`: see Pipeline.pipe."""
    started = time.perf_counter()
    pipeline = Pipeline(lexicon, max_bytes=max_bytes)
    folder = read_folder(raw_dir)
    failures = dict(folder.failures)
    if progress:
        for failure in failures.values():
            progress(failure.source_file, "failed")
    parts = []
    index = iter(folder.positions)
    for batch, batch_failures, part in pipeline.pipe(folder.files, workers=workers, progress=progress):
        for _, failure in zip(batch, batch_failures, strict=True):
            position = next(index)
            if failure is not None:
                failures[position] = failure
        if part is not None:
            parts.append(part)  # batches arrive in file order
    tables = assemble(parts, pipeline.lexicon)
    return BuildResult(tables, [failures[k] for k in sorted(failures)], time.perf_counter() - started,
                       pipeline.workers_used, folder.sidecar_problems)


def build_corpus(raw_dir: Path = DEFAULT_RAW_DIR, out_dir: Path = DEFAULT_PROCESSED_DIR,
                 lexicon: Lexicon | Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 progress: Progress | None = None, workers: int | None = None) -> BuildResult:
    lexicon = Lexicon.of(lexicon)
    result = build_tables(raw_dir, lexicon, max_bytes, progress, workers)
    raw_files = {p.name: sha256_bytes(p.read_bytes()) for p in raw_inputs(raw_dir)}
    write_processed(result.tables, out_dir, corpus_version(raw_dir, lexicon.version), extra={
        "raw_files": raw_files,
        "failed_files": {f.source_file: f.error.code for f in result.failures},
        "sidecar_problems": {f.source_file: f.error.code for f in result.sidecar_problems},
        "build_seconds": round(result.seconds, 3),
    })
    return result
