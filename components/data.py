"""Cached access to the processed corpus: the shipped tables plus this session's additions.

Pages call `current_corpus()` and nothing else. The shipped Parquet tables are read once per
process and corpus version (keyed on the manifest's version string, which is read cheaply
first). What an editor changes lives in the session only, never on disk: documents uploaded on
the corpus page (`add_uploads`, which recomputes the corpus-wide terms and extraction) or a whole
imported bundle (`replace_with_bundle`) become the session's corpus, and metadata edits
(`edit_metadata`) are applied on top.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import state
from components.i18n import translate

# Arrow's default allocator (mimalloc) keeps the pages of freed tables; jemalloc with no decay
# delay hands them back at once. Every page filters the corpus tables (with 1,000 papers, about
# a million rows), so this keeps the server ~70 MB smaller (scripts/load.py, 1,000 papers).
# Here, not in app.py: this module runs once per process, app.py on every rerun.
try:
    pa.set_memory_pool(pa.jemalloc_memory_pool())
    pa.jemalloc_set_decay_ms(0)
except NotImplementedError:  # a pyarrow built without jemalloc keeps its default
    pass

ROOT = Path(__file__).resolve().parent.parent
# Overridable so tests and benchmarks can serve another processed corpus (e.g. 1,000 documents).
PROCESSED_DIR = Path(os.environ.get("CORPUS_PROCESSED_DIR") or ROOT / "data" / "processed")

RAW_DIR = Path(os.environ.get("CORPUS_RAW_DIR") or PROCESSED_DIR.parent / "raw")  # the shipped sources

SESSION_CORPUS = "session_corpus"  # SessionCorpus: the corpus this session shows instead of the shipped one
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

    # what every run derives from the documents, kept with the corpus: its tables never change (a
    # metadata edit or an upload makes a new corpus); with 5,000 records this was ~0.3 s per run
    _derived: dict = field(default_factory=dict, compare=False, repr=False)

    def _kept(self, key: tuple, make):
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def labels(self, lang: str = "zh") -> dict[str, str]:
        """doc_id → the document's name in the UI language (views.document_label)."""
        from components.views import document_labels

        return dict(self._kept(("labels", lang), lambda: document_labels(self.documents, lang)))

    def short_labels(self, lang: str = "zh") -> dict[str, str]:
        """doc_id → short label, in corpus order (legends, axes)."""
        from components.views import short_labels

        return dict(self._kept(("short", lang), lambda: short_labels(self.labels(lang))))

    def order(self) -> list[str]:
        """Every doc_id, in corpus order."""
        from components.views import doc_order

        return list(self._kept(("order",), lambda: doc_order(self.documents)))

    def search_text(self) -> dict[str, str]:
        """doc_id → what the sidebar's paper search looks in (views.paper_search_text), corpus order."""
        from components.views import paper_search_text

        def make() -> dict[str, str]:
            text = paper_search_text(self.documents)
            return {doc_id: text.get(doc_id, "") for doc_id in self.order()}

        return self._kept(("search",), make)

    def papers_by(self) -> dict[str, dict[str, frozenset[str]]]:
        """`author` / `kw` → name → the doc_ids that name it (an author or keyword picked on 文献计量)."""
        from components.views import papers_by

        return self._kept(("papers_by",), lambda: papers_by(self.documents))


@dataclass(frozen=True)
class SessionCorpus:
    """The corpus of one session once an editor has added documents or imported a bundle."""

    tables: dict[str, pd.DataFrame]  # every table, corpus-wide terms and extraction recomputed
    raw_files: dict[str, bytes] = field(default_factory=dict)  # source files not on disk, by stored name
    sidecars: dict[str, str] = field(default_factory=dict)  # metadata YAML that came with them, by doc_id
    added: tuple[str, ...] = ()  # doc_ids uploaded in this session
    from_bundle: bool = False  # an imported bundle replaced the shipped corpus
    manifest: dict[str, Any] = field(default_factory=dict)


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
        loaded = load_processed(Path(processed_dir), raw_dir=RAW_DIR)  # freshness against RAW_DIR's sources
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
    shipped: AppCorpus, session: SessionCorpus | None, edits: dict[str, dict[str, Any]] | None
) -> AppCorpus:
    """The corpus a session shows: its own corpus (or the shipped one), then metadata edits. Pure."""
    edits = edits or {}
    if session is None and not edits:
        return shipped
    tables = dict(session.tables if session is not None else shipped.tables)
    if edits and "documents" in tables:
        tables["documents"] = apply_metadata_edits(tables["documents"], edits)
    hashes = sorted(tables["documents"]["content_hash"].astype(str)) if session is not None else []
    stamp = hashlib.sha256(json.dumps([hashes, edits], sort_keys=True, default=str).encode()).hexdigest()[:8]
    manifest = session.manifest if session is not None and session.from_bundle else shipped.manifest
    return AppCorpus(tables, f"{shipped.version}+{stamp}", manifest)


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


def session_corpus() -> SessionCorpus | None:
    return st.session_state.get(SESSION_CORPUS)


def _set_session_corpus(session: SessionCorpus | None) -> None:
    ss = st.session_state
    if session is None:
        ss.pop(SESSION_CORPUS, None)
    else:
        ss[SESSION_CORPUS] = session
    ss[_SESSION_REVISION] = ss.get(_SESSION_REVISION, 0) + 1


def add_uploads(intake) -> None:
    """Join the documents of a `corpus.intake.IntakeResult` to this session's corpus."""
    from corpus.assemble import assemble

    if not intake.processed:
        return
    session = session_corpus()
    base = session.tables if session is not None else shipped_corpus().tables
    if intake.replaced_ids:  # records whose full text this batch brings (corpus/records.py)
        base = {name: table[~table["doc_id"].isin(intake.replaced_ids)] if "doc_id" in table.columns else table
                for name, table in base.items()}
    _set_session_corpus(
        SessionCorpus(
            tables=assemble(intake.processed, lexicon(), base=base),
            raw_files={**(session.raw_files if session else {}), **intake.raw_files},
            sidecars={**(session.sidecars if session else {}), **intake.sidecars},
            added=(*(session.added if session else ()), *(f.doc_id for f in intake.files)),
            from_bundle=bool(session and session.from_bundle),
            manifest=session.manifest if session else {},
        )
    )


def replace_with_bundle(tables: dict[str, pd.DataFrame], manifest: dict, raw_files: dict[str, bytes],
                        sidecars: dict[str, str]) -> None:
    """An imported bundle becomes this session's corpus; earlier uploads and edits are dropped.
    Each sidecar is kept under the doc_id of the document whose file it belongs to."""
    from corpus.files import sidecar_stem

    docs = tables["documents"]
    owners = {}
    for doc_id, source_file in zip(docs["doc_id"], docs["source_file"], strict=True):
        owners.setdefault(Path(source_file).stem, doc_id)
        owners[source_file] = doc_id
    doc_sidecars = {owners[sidecar_stem(name)]: text for name, text in sidecars.items() if sidecar_stem(name) in owners}
    st.session_state.pop(META_EDITS, None)
    _set_session_corpus(SessionCorpus(dict(tables), dict(raw_files), doc_sidecars, (), True, dict(manifest)))


def reset_session_corpus() -> None:
    """Back to the shipped corpus: uploads, imported bundle and metadata edits are dropped."""
    st.session_state.pop(META_EDITS, None)
    _set_session_corpus(None)


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
        # our own message about the deployed corpus folder (never a visitor's data): its `code` stays code
        st.error(exc.message_en if lang == "en" else exc.message_zh, icon=":material/error:")
        st.stop()
    ss = st.session_state
    key = (shipped.version, ss.get(_SESSION_REVISION, 0))
    cached = ss.get(_MERGED)
    if cached is None or cached[0] != key:
        cached = (key, merge_corpus(shipped, ss.get(SESSION_CORPUS), ss.get(META_EDITS)))
        ss[_MERGED] = cached
    return cached[1]


def lexicon():
    """The shipped lexicon (`corpus.lexicon.Lexicon`): codes, their order and names for the pages,
    rules for uploads. Loaded once per process and lexicon version; jieba only when segmenting."""
    from corpus.lexicon import Lexicon

    return Lexicon.load()


def segmenter():
    """jieba with the domain dictionary, loaded once per process."""
    return lexicon().segmenter


# ---- what pages need from the pipeline's own code (pages never import `corpus` themselves) ----


def distinct_years(documents: pd.DataFrame) -> int:
    """How many publication years the documents span (trend views need three or more)."""
    from corpus.trends import distinct_years as count

    return count(documents)


def term_trend(documents: pd.DataFrame, terms: pd.DataFrame, shown: list[str]) -> pd.DataFrame:
    """Each shown term's relative frequency per publication year (corpus/trends.py)."""
    from corpus.trends import term_trend as trend

    return trend(documents, terms, shown)


def papers_key(doc_ids: Iterable[str]) -> str:
    """A short cache key for a set of papers in order: Streamlit hashes a tuple element by
    element, ~80 ms per run for 5,000 ids."""
    return hashlib.blake2b("\x1f".join(doc_ids).encode(), digest_size=16).hexdigest()


def burst_terms(version: str, doc_ids: Iterable[str], edits: str, documents: pd.DataFrame,
                terms: pd.DataFrame) -> pd.DataFrame:
    """Kleinberg burst terms (corpus/trends.py), once per corpus version, papers in view and the
    session's term edits."""
    return _burst_terms(version, papers_key(doc_ids), edits, documents, terms)


@st.cache_resource(show_spinner=False, max_entries=8)
def _burst_terms(version: str, papers: str, edits: str, _documents: pd.DataFrame, _terms: pd.DataFrame,
                 ) -> pd.DataFrame:
    # the frames are not hashed (one shared result, never mutated)
    from corpus.trends import burst_table

    return burst_table(_documents, _terms)


@st.cache_resource(show_spinner=False, max_entries=4)
def _network(version: str, _documents: pd.DataFrame):
    from corpus.bibliometrics import keyword_network

    return keyword_network(_documents)


def keyword_network(corpus: AppCorpus) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The author-keyword network (nodes, edges) with its clusters and layout, computed once per
    corpus version (its force layout is the slow part) and shared by every session."""
    return _network(corpus.version, corpus.documents)


def cluster_keywords(corpus: AppCorpus, label: str | None) -> set[str] | None:
    """The keywords of the cluster named `label` (None when no cluster is selected)."""
    if not label:
        return None
    nodes, _ = keyword_network(corpus)
    return set(nodes.loc[nodes["cluster_label"] == label, "keyword"]) if not nodes.empty else set()


@st.cache_resource(show_spinner=False, max_entries=8)
def _keyword_bursts(version: str, papers: str, _documents: pd.DataFrame) -> pd.DataFrame:
    from corpus.bibliometrics import keyword_bursts

    return keyword_bursts(_documents)


def keyword_bursts(corpus: AppCorpus, doc_ids: Iterable[str], documents: pd.DataFrame) -> pd.DataFrame:
    """Kleinberg bursts of the authors' keywords of these papers (CiteSpace's burst table), once per
    corpus version and set of papers."""
    return _keyword_bursts(corpus.version, papers_key(doc_ids), documents)
