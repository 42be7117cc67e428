"""Store: read the processed corpus back, refusing stale or half-written data with a clear message."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq

from corpus import PIPELINE_VERSION
from corpus.build import DEFAULT_PROCESSED_DIR, DEFAULT_RAW_DIR, MANIFEST, corpus_version, recover_output
from corpus.lexicon import DEFAULT_LEXICON_DIR
from corpus.schema import TABLES, TableError, column_names, to_pandas, validate_tables

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
          lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> dict:
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
        expected = corpus_version(raw_dir, lexicon_dir)
        if manifest.get("corpus_version") != expected:
            raise CorpusError("stale", detail=f"{manifest.get('corpus_version')} ≠ {expected}")
    return manifest


def load_processed(out_dir: Path = DEFAULT_PROCESSED_DIR, raw_dir: Path | None = DEFAULT_RAW_DIR,
                   lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> ProcessedCorpus:
    """All tables of a complete, fresh processed corpus. Pass raw_dir=None to skip the freshness check
    (e.g. a corpus loaded from a shared zip without its lexicon)."""
    manifest = check(out_dir, raw_dir, lexicon_dir)
    tables = {name: pq.read_table(Path(out_dir) / f"{name}.parquet", columns=column_names(name)) for name in TABLES}
    # Types and nulls: 0.2% of the load time. Keys, references and ids (~25%) are checked for bundles
    # only; the build also makes one doc_id of `x.txt` and `x.md`, which a key check would refuse.
    try:
        tables = validate_tables(tables, deep=False)
    except TableError as exc:
        raise CorpusError("invalid", table=exc.table, detail=exc.detail, detail_en=exc.detail_en) from exc
    return ProcessedCorpus(manifest["corpus_version"], manifest, {name: to_pandas(t) for name, t in tables.items()})
