"""Build: every raw file of a folder through the pipeline, assembled, written atomically.

    raw folder ─ files.raw_inputs (+ sidecars; an export's records one by one, corpus/records.py)
               → Pipeline.pipe → records.resolve → assemble → store.write_processed

A file that cannot be read or processed, for any reason, is reported by name with the reason
and the other files are still built; a sidecar with a refused field, or without its file, is
reported too (the document keeps the sidecar's valid fields). `python -m corpus build` exits
non-zero when anything was reported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpus.assemble import assemble
from corpus.errors import InputError
from corpus.files import (
    DEFAULT_PROCESSED_DIR,
    DEFAULT_RAW_DIR,
    corpus_version,
    is_sidecar,
    orphan_problem,
    orphan_sidecars,
    raw_inputs,
    read_sidecar,
    sha256_bytes,
    sidecar_name,
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
    # Full texts that took the place of an export's record (`record_replaced`): reported, not failures.
    notes: list[Failure] = field(default_factory=list)


@dataclass
class Folder:
    """A raw folder read for the pipeline: the files to process (an export's records one by one),
    in name order, and what was reported before processing (unreadable files, duplicates, exports
    without a usable record, sidecar problems)."""

    files: list[SourceFile]
    positions: list[int]  # each file's place among all inputs (failures are reported in name order)
    failures: dict[int, Failure]
    sidecar_problems: list[Failure]


def read_folder(raw_dir: Path) -> Folder:
    from corpus.records import records_of

    inputs = raw_inputs(raw_dir)
    readable: list[tuple[int, str, bytes, str]] = []
    failures: dict[int, Failure] = {}
    sidecars: dict[Path, object] = {}  # each read once (x.txt and x.md share x.meta.yaml)
    seen_hashes: set[str] = set()
    # listed once: an export's every record would otherwise stat its own `<doc_id>.meta.yaml`
    sidecar_files = {p.name for p in Path(raw_dir).iterdir() if is_sidecar(p.name) and p.is_file()}
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
        try:
            records = records_of(name, data, doc_id)
        except InputError as exc:  # looks like an export, holds no usable record
            failures[position] = Failure(name, exc)
            continue
        if records is not None:
            for record in records:  # a record's own sidecar is `<doc_id>.meta.yaml` (its metadata, edited)
                name_of_side = sidecar_name(record.doc_id)
                side = Path(raw_dir) / name_of_side if name_of_side in sidecar_files else None
                if side is not None and side not in sidecars:
                    sidecars[side] = read_sidecar(side)
                fields = {**record.sidecar, **(sidecars[side].fields if side in sidecars else {})}
                files.append(replace(record, sidecar=fields))
                positions.append(position)
            continue
        side = sidecar_path(Path(raw_dir) / name)
        if side is not None and side not in sidecars:
            sidecars[side] = read_sidecar(side)
        files.append(SourceFile(name, data, doc_id, sidecars[side].fields if side is not None else {}))
        positions.append(position)
    problems = [Failure(side.name, problem) for side, parsed in sidecars.items() for problem in parsed.problems]
    problems += [Failure(side.name, orphan_problem(side.name)) for side in orphan_sidecars(raw_dir, inputs)
                 if side not in sidecars]
    return Folder(files, positions, failures, problems)


def build_tables(raw_dir: Path = DEFAULT_RAW_DIR, lexicon: Lexicon | Path | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None,
                 workers: int | None = None) -> BuildResult:
    """Process every raw file and assemble the tables. `workers`: see Pipeline.pipe."""
    from corpus.records import resolve

    started = time.perf_counter()
    pipeline = Pipeline(lexicon, max_bytes=max_bytes)
    folder = read_folder(raw_dir)
    failures = [(position, 0, failure) for position, failure in folder.failures.items()]
    if progress:
        for failure in folder.failures.values():
            progress(failure.source_file, "failed")
    parts = []
    index = iter(zip(folder.positions, folder.files, strict=True))
    for batch, batch_failures, part in pipeline.pipe(folder.files, workers=workers, progress=progress):
        for _, failure in zip(batch, batch_failures, strict=True):
            position, file = next(index)
            if failure is not None:
                failures.append((position, file.record or 0, failure))
        if part is not None:
            parts.append(part)  # batches arrive in file order
    resolved = resolve(parts)  # the same paper exported twice kept once; full texts replace records
    places = {file.shown: (position, file.record or 0) for position, file in zip(folder.positions, folder.files,
                                                                                strict=True)}
    failures += [(*places[f.source_file], f) for f in resolved.skipped]
    tables = assemble(resolved.parts, pipeline.lexicon)
    return BuildResult(tables, [f for *_, f in sorted(failures, key=lambda x: (x[0], x[1]))],
                       time.perf_counter() - started, pipeline.workers_used, folder.sidecar_problems, resolved.replaced)


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
