"""Cached access to the processed corpus: the shipped tables plus this session's additions.

Pages call `current_corpus()` and nothing else. The shipped Parquet tables are read once per
process and corpus version (keyed on the manifest's version string, which is read cheaply
first); documents an editor adds in the session (`add_session_tables`) are appended to them and
metadata edits (`edit_metadata`) are applied on top, per session, without touching the disk.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from components import state
from components.i18n import translate

ROOT = Path(__file__).resolve().parent.parent
# Overridable so tests and benchmarks can serve another processed corpus (e.g. 1,000 documents).
PROCESSED_DIR = Path(os.environ.get("CORPUS_PROCESSED_DIR") or ROOT / "data" / "processed")

SESSION_TABLES = "session_tables"  # dict[table name, DataFrame]: documents added in this session
META_EDITS = "meta_edits"  # dict[doc_id, dict[column, value]]: metadata edited in the browser
_SESSION_REVISION = "_session_revision"
_MERGED = "_merged_corpus"


@dataclass(frozen=True)
class AppCorpus:
    tables: dict[str, pd.DataFrame]
    version: str
    manifest: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame())

    @property
    def documents(self) -> pd.DataFrame:
        return self.table("documents")

    def labels(self) -> dict[str, str]:
        docs = self.documents
        if docs.empty:
            return {}
        return dict(zip(docs["doc_id"], docs["label"].fillna(docs["doc_id"]), strict=True))


class CorpusUnavailable(Exception):
    """Carries the bilingual message of a corpus that cannot be shown."""

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def manifest_version(processed_dir: Path) -> str:
    """The version stamp in `manifest.json` without reading any table ('' when missing)."""
    try:
        manifest = json.loads((Path(processed_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    # built_at too: a rebuild over unchanged inputs (a pipeline fix) still gets fresh tables
    return f"{manifest.get('corpus_version') or manifest.get('version', '')}@{manifest.get('built_at', '')}"


@st.cache_resource(show_spinner=False, max_entries=2)
def _load_shipped(processed_dir: str, version: str) -> AppCorpus:
    # `version` only keys the cache: a rebuilt corpus gets a new entry. cache_resource, not
    # cache_data: cache_data would unpickle a private copy of every table on every call, per
    # session; these frames are never mutated (merge_corpus and the views copy what they change).
    try:
        from corpus.store import CorpusError, load_processed
    except ImportError as exc:  # the pipeline is not installed with this checkout
        raise CorpusUnavailable(translate("data.missing", "zh"), translate("data.missing", "en")) from exc
    try:
        loaded = load_processed(Path(processed_dir))
    except CorpusError as exc:
        raise CorpusUnavailable(exc.message_zh, exc.message_en) from exc
    except Exception as exc:  # an unreadable file (pyarrow raises several types): say so, no traceback
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        raise CorpusUnavailable(
            translate("data.unreadable", "zh", detail=detail), translate("data.unreadable", "en", detail=detail)
        ) from exc
    return AppCorpus(dict(loaded.tables), str(loaded.version), dict(loaded.manifest))


def shipped_corpus(processed_dir: Path | None = None) -> AppCorpus:
    processed_dir = Path(processed_dir or PROCESSED_DIR)
    return _load_shipped(str(processed_dir), manifest_version(processed_dir))


def merge_corpus(
    shipped: AppCorpus, added: dict[str, pd.DataFrame] | None, edits: dict[str, dict[str, Any]] | None
) -> AppCorpus:
    """Shipped tables + session tables (same schema), then metadata edits. Pure."""
    added = added or {}
    edits = edits or {}
    if not added and not edits:
        return shipped
    tables = dict(shipped.tables)
    for name, extra in added.items():
        if extra is None or extra.empty:
            continue
        base = tables.get(name)
        tables[name] = extra.copy() if base is None or base.empty else pd.concat([base, extra], ignore_index=True)
    if edits and "documents" in tables:
        tables["documents"] = apply_metadata_edits(tables["documents"], edits)
    stamp = hashlib.sha256(
        json.dumps([sorted(added), {k: len(v) for k, v in added.items()}, edits], sort_keys=True, default=str).encode()
    ).hexdigest()[:8]
    return AppCorpus(tables, f"{shipped.version}+{stamp}", shipped.manifest)


def apply_metadata_edits(documents: pd.DataFrame, edits: dict[str, dict[str, Any]]) -> pd.DataFrame:
    docs = documents.copy()
    for doc_id, changes in edits.items():
        rows = docs.index[docs["doc_id"] == doc_id]
        for column, value in changes.items():
            if column not in docs.columns:
                continue
            for row in rows:
                docs.at[row, column] = value
        if changes.get("title"):
            for row in rows:
                docs.at[row, "label"] = changes["title"]
                docs.at[row, "label_derived"] = False
    return docs


def add_session_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Append processed tables of documents added in this session (issue 5's uploads)."""
    ss = st.session_state
    current: dict[str, pd.DataFrame] = ss.setdefault(SESSION_TABLES, {})
    for name, frame in tables.items():
        current[name] = frame if name not in current else pd.concat([current[name], frame], ignore_index=True)
    ss[_SESSION_REVISION] = ss.get(_SESSION_REVISION, 0) + 1


def edit_metadata(doc_id: str, **changes: Any) -> None:
    ss = st.session_state
    ss.setdefault(META_EDITS, {}).setdefault(doc_id, {}).update(changes)
    ss[_SESSION_REVISION] = ss.get(_SESSION_REVISION, 0) + 1


def current_corpus() -> AppCorpus:
    """The corpus every page shows. Stops the page with a translated message when unavailable."""
    try:
        shipped = shipped_corpus()
    except CorpusUnavailable as exc:
        lang = state.get("lang")
        st.error(exc.message_en if lang == "en" else exc.message_zh, icon=":material/error:")
        st.stop()
    ss = st.session_state
    key = (shipped.version, ss.get(_SESSION_REVISION, 0))
    cached = ss.get(_MERGED)
    if cached is None or cached[0] != key:
        cached = (key, merge_corpus(shipped, ss.get(SESSION_TABLES), ss.get(META_EDITS)))
        ss[_MERGED] = cached
    return cached[1]


@st.cache_resource(show_spinner=False)
def segmenter():
    """jieba with the domain dictionary, loaded once per process."""
    from corpus.segment import get_segmenter

    return get_segmenter()
