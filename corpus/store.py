"""Store: the processed corpus read back (refusing stale or half-written data with a clear message)
and written (into a temporary sibling folder swapped into place, so no reader sees half of it)."""

from __future__ import annotations

import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from corpus import PIPELINE_VERSION
from corpus.files import DEFAULT_PROCESSED_DIR, DEFAULT_RAW_DIR, MANIFEST, corpus_version, sha256_bytes
from corpus.lexicon import Lexicon
from corpus.schema import TABLES, TableError, arrow_schema, column_names, to_markdown, to_pandas, validate_tables

if TYPE_CHECKING:
    import pandas as pd

REBUILD_HINT = "python -m corpus build"

MESSAGES = {
    "missing": (
        "找不到已处理的语料（{path}）。请先运行 `{hint}` 生成。",
        "No processed corpus at {path}. Run `{hint}` to create it.",
    ),
    "incomplete": (
        "已处理的语料不完整（{detail}），可能是构建中断。请重新运行 `{hint}`。",
        "The processed corpus is incomplete ({detail}); a build was probably interrupted. Run `{hint}` again.",
    ),
    "stale": (
        "已处理的语料已过期：原始文件、词表或处理程序在构建后有改动（{detail}）。请重新运行 `{hint}`。",
        "The processed corpus is stale: raw files, lexicon or pipeline changed since it was built ({detail}). "
        "Run `{hint}` again.",
    ),
    "invalid": (
        "已处理的语料中的表 {table} 不符合格式（{detail}）。请重新运行 `{hint}`。",
        "Table {table} of the processed corpus does not match the schema ({detail}). Run `{hint}` again.",
    ),
}


class CorpusError(Exception):
    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        zh, en = MESSAGES[code]
        params.setdefault("hint", REBUILD_HINT)
        self.message_zh = zh.format(**params)
        self.message_en = en.format(**{**params, "detail": params.get("detail_en", params.get("detail", ""))})
        super().__init__(self.message_en)

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en


@dataclass
class ProcessedCorpus:
    version: str
    manifest: dict
    tables: dict[str, pd.DataFrame]

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def read_manifest(out_dir: Path = DEFAULT_PROCESSED_DIR) -> dict:
    out_dir = Path(out_dir)
    if not out_dir.exists():
        recover_output(out_dir)  # a build killed between its two renames left the old output aside
    path = out_dir / MANIFEST
    if not out_dir.exists() or not any(out_dir.glob("*.parquet")) and not path.exists():
        raise CorpusError("missing", path=str(out_dir))
    if not path.exists():
        raise CorpusError("incomplete", detail=f"{MANIFEST} 缺失 / missing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorpusError("incomplete", detail=f"{MANIFEST}: {exc}") from exc
    if not manifest.get("complete"):
        raise CorpusError("incomplete", detail=f"{MANIFEST} 未标记完成 / not marked complete")
    return manifest


def check(out_dir: Path = DEFAULT_PROCESSED_DIR, raw_dir: Path | None = DEFAULT_RAW_DIR,
          lexicon: Lexicon | Path | None = None) -> dict:
    """Validate the manifest, every table file and (when raw_dir is given) freshness; return the manifest."""
    out_dir = Path(out_dir)
    manifest = read_manifest(out_dir)
    for name in TABLES:
        entry = manifest.get("tables", {}).get(name)
        path = out_dir / f"{name}.parquet"
        if entry is None or not path.exists():
            raise CorpusError("incomplete", detail=f"{name}.parquet 缺失 / missing")
        try:
            rows = pq.ParquetFile(path).metadata.num_rows
        except Exception as exc:  # a truncated or corrupt file: pyarrow raises several types
            raise CorpusError("incomplete", detail=f"{name}.parquet: {exc}") from exc
        if rows != entry.get("rows"):
            raise CorpusError("incomplete", detail=f"{name}.parquet: {rows} ≠ {entry.get('rows')} rows")
    if manifest.get("pipeline_version") != PIPELINE_VERSION:
        raise CorpusError("stale", detail=f"pipeline {manifest.get('pipeline_version')} → {PIPELINE_VERSION}")
    if raw_dir is not None and Path(raw_dir).exists():
        expected = corpus_version(raw_dir, Lexicon.of(lexicon).version)
        if manifest.get("corpus_version") != expected:
            raise CorpusError("stale", detail=f"{manifest.get('corpus_version')} ≠ {expected}")
    return manifest


def load_processed(out_dir: Path = DEFAULT_PROCESSED_DIR, raw_dir: Path | None = DEFAULT_RAW_DIR,
                   lexicon: Lexicon | Path | None = None) -> ProcessedCorpus:
    """All tables of a complete, fresh processed corpus. Pass raw_dir=None to skip the freshness check
    (e.g. a corpus loaded from a shared zip without its lexicon)."""
    manifest = check(out_dir, raw_dir, lexicon)
    tables = {name: pq.read_table(Path(out_dir) / f"{name}.parquet", columns=column_names(name)) for name in TABLES}
    # Types and nulls: 0.2% of the load time. Keys, references and ids (~25%) are checked for bundles
    # only; the build also makes one doc_id of `x.txt` and `x.md`, which a key check would refuse.
    try:
        tables = validate_tables(tables, deep=False)
    except TableError as exc:
        raise CorpusError("invalid", table=exc.table, detail=exc.detail, detail_en=exc.detail_en) from exc
    return ProcessedCorpus(manifest["corpus_version"], manifest, {name: to_pandas(t) for name, t in tables.items()})


# ---- writing: a temporary sibling folder, swapped into place -----------------------------------


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
    from corpus.assemble import conform

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover_output(out_dir)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()

    def write(name: str) -> dict:
        frame = conform(name, tables[name])
        arrow = pa.Table.from_pandas(frame, schema=arrow_schema(name), preserve_index=False)
        path = tmp / f"{name}.parquet"
        pq.write_table(arrow, path, compression="zstd")
        return {"file": path.name, "rows": arrow.num_rows, "sha256": sha256_bytes(path.read_bytes())}

    # Two at a time: Arrow converts and compresses without the GIL, and after a build's workers
    # have ended the second core would otherwise wait.
    with ThreadPoolExecutor(2) as pool:
        files = dict(zip(TABLES, pool.map(write, TABLES), strict=True))
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
