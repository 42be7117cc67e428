"""语料管理 Corpus page: add papers, fix their metadata, share the corpus as one zip.

Every change stays in the session (components/data.py); the shipped corpus on disk is never
written. Files go through `corpus.intake.ingest_uploads`, the pipeline the CLI's build runs, and
bad files come back as messages in the UI language while the rest of the batch goes on.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from components import state
from components.data import (
    META_EDITS,
    RAW_DIR,
    AppCorpus,
    SessionCorpus,
    add_uploads,
    edit_metadata,
    replace_with_bundle,
    reset_session_corpus,
    session_corpus,
)
from components.i18n import translate
from components.layout import md
from corpus.files import is_sidecar, read_sidecar, sidecar_key, sidecar_name, sidecar_path, sidecar_text
from corpus.metadata import EDITABLE_FIELDS, LIST_FIELDS, parse_sidecar

# Per-file limit; Streamlit's own uploader limit is set higher so that an oversized file still
# reaches the pipeline and gets its message in the UI language rather than the widget's English one.
UPLOAD_LIMIT_MB = int(os.environ.get("CORPUS_UPLOAD_LIMIT_MB") or 50)
WIDGET_LIMIT_MB = max(2 * UPLOAD_LIMIT_MB, 200)
BUNDLE_LIMIT_MB = 200  # corpus.bundle.MAX_BUNDLE_BYTES
STAGE_SHARE = {"ingest": 0.05, "clean": 0.15, "structure": 0.3, "metadata": 0.4, "segment": 0.5, "extract": 0.75,
               "count": 0.9, "done": 1.0, "failed": 1.0, "skipped": 1.0}  # share of a file's time at each stage's start
EDITED_FIELDS = ("title", "title_en", "authors", "journal", "year", "keywords")
LIST_SPLIT = re.compile(r"\s*[；;，,、\n]\s*")
NAMES_SHOWN = 8
# The uploader's own size line is English and states the widget's limit, not ours: the caption
# above says it in the UI language.
_UPLOADER_CSS = '<style>[data-testid="stFileUploaderDropzoneInstructions"] {display: none;}</style>'

_REPORT = "_upload_report"  # the last batch's outcome, shown after the rerun that adds it
_UPLOADER_EPOCH = "_uploader_epoch"  # a new uploader key empties the widget once its files are in
_BUNDLE_MESSAGE = "_bundle_message"


# ---- the session's files (pure, testable) ---------------------------------------------------


def edits() -> dict[str, dict[str, Any]]:
    return st.session_state.get(META_EDITS, {})


def source_files(documents: pd.DataFrame, session: SessionCorpus | None, raw_dir: Path = RAW_DIR) -> dict[str, bytes]:
    """Every document's raw file: uploaded ones from the session, shipped ones from `raw_dir`."""
    files = dict(session.raw_files) if session is not None else {}
    for name in documents["source_file"]:
        if name not in files and (raw_dir / name).is_file():
            files[name] = (raw_dir / name).read_bytes()
    return files


def sidecar_fields(doc_id: str, source_file: str, session: SessionCorpus | None,
                   edited: dict[str, dict[str, Any]], raw_dir: Path = RAW_DIR) -> dict[str, Any]:
    """A document's sidecar: the one it came with (uploaded, imported or on disk), then the edits.

    Read with the pipeline's parser (no aliases, size-capped): an editable field keeps only a valid
    value, as the build used it; other keys an editor added are kept as they are."""
    text = session.sidecars.get(doc_id) if session is not None else None
    parsed = None
    if text:
        parsed = parse_sidecar(text)
    elif not (session is not None and session.from_bundle):
        parsed = read_sidecar(sidecar_path(raw_dir / source_file))  # the file the build reads
    fields = {}
    if parsed is not None:
        fields = {key: parsed.fields[key] if key in EDITABLE_FIELDS else value
                  for key, value in (parsed.values or {}).items() if key not in EDITABLE_FIELDS or key in parsed.fields}
    fields.update(edited.get(doc_id, {}))
    return fields


def edited_sidecars(corpus: AppCorpus, session: SessionCorpus | None, edited: dict[str, dict[str, Any]],
                    raw_dir: Path = RAW_DIR) -> dict[str, str]:
    """`<stem>.meta.yaml` → YAML for every document that has a sidecar or an edit."""
    out = {}
    docs = corpus.documents
    records = docs["record"] if "record" in docs.columns else [None] * len(docs)
    for doc_id, source_file, record in zip(docs["doc_id"], docs["source_file"], records, strict=True):
        key = sidecar_key(doc_id, source_file, record)
        fields = sidecar_fields(doc_id, key, session, edited, raw_dir)
        if fields:
            out[sidecar_name(key)] = sidecar_text(fields)
    return out


def sidecars_zip(sidecars: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(sidecars.items()):
            archive.writestr(name, text)
    return buffer.getvalue()


def bundle_bytes(corpus: AppCorpus, session: SessionCorpus | None, edited: dict[str, dict[str, Any]],
                 raw_dir: Path = RAW_DIR) -> bytes:
    """The session's corpus as one zip (tables, manifest, raw files, sidecars with the edits)."""
    from corpus.bundle import export_bundle

    return export_bundle(corpus.tables, corpus.manifest, source_files(corpus.documents, session, raw_dir),
                         edited_sidecars(corpus, session, edited, raw_dir))


def parse_metadata_form(values: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Form strings → typed metadata changes, and the names of fields that could not be read."""
    changes: dict[str, Any] = {}
    bad = []
    for name, raw in values.items():
        text = (raw or "").strip()
        if name in LIST_FIELDS:
            changes[name] = [part for part in LIST_SPLIT.split(text) if part]
        elif name == "year":
            if not text:
                changes[name] = None
            elif re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
                changes[name] = int(text)
            else:
                bad.append(name)
        else:
            changes[name] = text or None
    return changes, bad


def _shown(value: Any) -> str:
    """A metadata value as the form shows it: lists joined by ；, unknown as empty."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "；".join(str(v) for v in value)
    if value is None or pd.isna(value):
        return ""
    return str(value)


# ---- panels --------------------------------------------------------------------------------


def documents_table(corpus: AppCorpus, lang: str) -> None:
    docs = corpus.documents
    session = session_corpus()
    added = set(session.added) if session is not None else set()
    shown = pd.DataFrame({
        translate("corpus.col_label", lang): docs["label"],
        translate("corpus.col_file", lang): docs["source_file"],
        translate("corpus.col_authors", lang): docs["authors"].map(_shown),
        translate("corpus.col_journal", lang): docs["journal"].map(_shown),
        translate("corpus.col_year", lang): docs["year"].map(_shown),
        translate("corpus.col_chars", lang): docs["n_chars"],
        translate("corpus.col_added", lang): docs["doc_id"].isin(added),
    })
    st.dataframe(shown, hide_index=True, width="stretch")


def upload_panel(corpus: AppCorpus, lang: str) -> None:
    ss = st.session_state
    st.subheader(translate("corpus.upload", lang))
    st.caption(translate("corpus.upload_help", lang, limit=UPLOAD_LIMIT_MB))
    st.html(_UPLOADER_CSS)
    epoch = ss.get(_UPLOADER_EPOCH, 0)
    files = st.file_uploader(
        translate("corpus.upload_label", lang),
        accept_multiple_files=True,
        key=f"uploads_{epoch}",
        max_upload_size=WIDGET_LIMIT_MB,
    )
    if files and st.button(translate("corpus.process", lang, n=len(files)), type="primary", icon=":material/add:"):
        ss[_REPORT] = process_uploads([(f.name, f.getvalue()) for f in files], corpus, lang)
        ss[_UPLOADER_EPOCH] = epoch + 1
        st.rerun()
    _report(ss.get(_REPORT), lang)
    if session_corpus() is not None or edits():
        st.info(translate("corpus.session_only", lang), icon=":material/info:")


def process_uploads(files: list[tuple[str, bytes]], corpus: AppCorpus, lang: str) -> dict[str, Any]:
    """Run the batch with a progress bar per file and stage; the documents join the session."""
    from corpus.intake import display_name, ingest_uploads

    bars = {}
    for name, _ in files:
        shown = display_name(name)
        if not is_sidecar(shown):
            bars[shown] = st.progress(0.0, text=f"{md(shown)} · {translate('corpus.stage.waiting', lang)}")

    def progress(name: str, stage: str) -> None:
        bar = bars.get(name)
        if bar is not None:
            bar.progress(STAGE_SHARE.get(stage, 0.0), text=f"{md(name)} · {translate(f'corpus.stage.{stage}', lang)}")

    docs = corpus.documents
    result = ingest_uploads(
        files,
        known_hashes=set(docs["content_hash"].dropna()),
        known_ids=set(docs["doc_id"]),
        max_bytes=UPLOAD_LIMIT_MB * 2**20,
        progress=progress,
        base_documents=docs,
    )
    if result.processed:
        with st.spinner(translate("corpus.combining", lang)):
            add_uploads(result)
    return {"added": [(f.name, f.doc_id, result.records.get(f.doc_id)) for f in result.files],
            "failures": list(result.failures), "notes": list(result.notes), "seconds": result.seconds}


def _report(report: dict[str, Any] | None, lang: str) -> None:
    if not report:
        return
    if report["added"]:
        shown = [md(name) if not records else translate("corpus.records", lang, name=md(name), n=records)
                 for name, _, records in report["added"][:NAMES_SHOWN]]
        names = "、".join(shown)
        if len(report["added"]) > NAMES_SHOWN:
            names += translate("corpus.and_more", lang, n=len(report["added"]) - NAMES_SHOWN)
        st.success(translate("corpus.added", lang, n=len(report["added"]), names=names), icon=":material/check:")
    for note in report.get("notes", []):
        st.info(f"{md(note.name)} {md(note.error.message(lang))}", icon=":material/swap_horiz:")
    twins = [f for f in report["failures"] if f.code == "duplicate_record"]
    if twins:  # an export overlapping another: hundreds of these would bury the real problems
        with st.expander(translate("corpus.twins", lang, n=len(twins)), icon=":material/content_copy:"):
            for failure in twins:
                st.markdown(f"{md(failure.name)}: {md(failure.error.message(lang))}")
    for failure in report["failures"]:
        if failure.code == "duplicate_record":
            continue
        message = f"{md(failure.name)}: {md(failure.error.message(lang))}"  # names are the uploader's text
        if failure.code == "duplicate":
            st.warning(message, icon=":material/content_copy:")
        else:
            st.error(message, icon=":material/error:")


def metadata_panel(corpus: AppCorpus, lang: str) -> None:
    st.subheader(translate("corpus.meta", lang))
    docs = corpus.documents
    labels = corpus.labels(lang)
    ids = list(docs["doc_id"])
    chosen = state.get("papers") or []
    preferred = state.get("doc") or (chosen[0] if len(chosen) == 1 else None)  # the paper in view elsewhere
    doc_id = st.selectbox(translate("corpus.meta_doc", lang), ids, index=ids.index(preferred) if preferred in ids else 0,
                          format_func=lambda d: labels.get(d, d), placeholder=translate("widget.choose", lang), key="meta_doc")
    row = docs.set_index("doc_id").loc[doc_id]
    if bool(row.get("label_derived")):
        st.caption(translate("corpus.meta_derived", lang))
    with st.form(f"meta_form_{doc_id}"):
        left, right = st.columns(2)
        columns = {"title": left, "title_en": right, "authors": left, "journal": right, "year": left, "keywords": right}
        values = {
            name: column.text_input(translate(f"meta.{name}", lang), _shown(row.get(name)), key=f"meta_{name}_{doc_id}")
            for name, column in columns.items()
        }
        submitted = st.form_submit_button(translate("corpus.meta_save", lang), icon=":material/save:")
    if submitted:
        changes, bad = parse_metadata_form(values)
        if bad:
            st.error(translate("corpus.meta_bad_year", lang), icon=":material/error:")
        else:
            current = {name: _shown(row.get(name)) for name in EDITED_FIELDS}
            changed = {k: v for k, v in changes.items() if _shown(v) != current[k]}
            if changed:
                edit_metadata(doc_id, **changed)
                st.rerun()
    session, edited = session_corpus(), edits()
    key = sidecar_key(doc_id, row["source_file"], row.get("record"))
    fields = sidecar_fields(doc_id, key, session, edited)
    left, right = st.columns(2)
    left.download_button(
        translate("corpus.meta_download", lang), sidecar_text(fields) if fields else "",
        file_name=sidecar_name(key), mime="application/x-yaml", on_click="ignore",
        icon=":material/download:", disabled=not fields, key="dl_sidecar",
    )
    if edited:
        right.download_button(
            translate("corpus.meta_download_all", lang, n=len(edited)),
            lambda: sidecars_zip(edited_sidecars(corpus, session, edited)),
            file_name="metadata-sidecars.zip", mime="application/zip", on_click="ignore",
            icon=":material/folder_zip:", key="dl_sidecars",
        )


def share_panel(corpus: AppCorpus, lang: str) -> None:
    ss = st.session_state
    st.subheader(translate("corpus.share", lang))
    st.caption(translate("corpus.share_help", lang))
    session, edited = session_corpus(), edits()
    left, right = st.columns(2)
    with left:
        st.download_button(
            translate("corpus.export", lang),
            lambda: bundle_bytes(corpus, session, edited),
            file_name=f"corpus-{corpus.version.split('@')[0][:12]}.zip",
            mime="application/zip", on_click="ignore", icon=":material/folder_zip:", key="dl_bundle",
        )
        if session is not None or edited:
            st.button(translate("corpus.reset", lang), on_click=_reset, icon=":material/restart_alt:")
    with right:
        epoch = ss.get(_UPLOADER_EPOCH, 0)
        bundle = st.file_uploader(translate("corpus.import", lang), key=f"bundle_{epoch}",
                                  max_upload_size=BUNDLE_LIMIT_MB)
        if bundle is not None and st.button(translate("corpus.import_go", lang), icon=":material/upload:"):
            ss[_BUNDLE_MESSAGE] = import_bundle_file(bundle.name, bundle.getvalue(), lang)
            ss[_UPLOADER_EPOCH] = epoch + 1
            st.rerun()
        message = ss.get(_BUNDLE_MESSAGE)
        if message:
            kind, payload = message
            if kind == "ok":
                st.success(translate("corpus.imported", lang, name=md(payload["name"]), n=payload["n"]),
                           icon=":material/check:")
            else:
                st.error(f"{md(payload['name'])}: {md(payload['error'].message(lang))}", icon=":material/error:")


def import_bundle_file(name: str, data: bytes, lang: str) -> tuple[str, dict[str, Any]]:
    """Load a bundle with a progress bar; the session's corpus is replaced only when it loaded."""
    from corpus.bundle import import_bundle
    from corpus.errors import InputError

    bar = st.progress(0.0, text=translate("corpus.importing", lang))
    try:
        tables, manifest, raw_files, sidecars = import_bundle(data, progress=BundleProgress(bar, lang))
    except InputError as exc:
        return "error", {"name": name, "error": exc}
    except Exception as exc:  # a pipeline bug: a message, never a traceback, the corpus unchanged
        return "error", {"name": name, "error": InputError("processing_failed", detail=type(exc).__name__)}
    finally:
        bar.empty()
    replace_with_bundle(tables, manifest, raw_files, sidecars)
    return "ok", {"name": name, "n": len(tables["documents"])}


class BundleProgress:
    """`import_bundle`'s (name, stage) reports on one progress bar: the tables as they are checked,
    or, when the bundle is rebuilt from its raw files, each file through its stages."""

    def __init__(self, bar, lang: str) -> None:
        self.bar, self.lang = bar, lang
        self.tables, self.files, self.finished = 0, 0, 0

    def __call__(self, name: str, stage: str) -> None:
        from corpus.schema import TABLES

        if stage == "table":
            self.tables += 1
            self.bar.progress(min(self.tables / len(TABLES), 1.0),
                              text=f"{translate('corpus.importing', self.lang)} {md(name)}")
            return
        if stage == "waiting":  # a rebuild announces every file first
            self.files += 1
            return
        if stage in ("done", "failed"):
            self.finished += 1
        share = 0.0 if stage in ("done", "failed") else STAGE_SHARE.get(stage, 0.0)
        total = max(self.files, 1)
        self.bar.progress(min((self.finished + share) / total, 1.0),
                          text=f"{md(name)} · {translate(f'corpus.stage.{stage}', self.lang)} ({self.finished}/{total})")


def _reset() -> None:
    reset_session_corpus()
    st.session_state.pop(_REPORT, None)
    st.session_state.pop(_BUNDLE_MESSAGE, None)


def render(corpus: AppCorpus, lang: str, present: bool = False) -> None:
    if present:  # on the big screen: what is in the corpus, no editing controls
        st.subheader(translate("corpus.documents", lang, n=len(corpus.documents)))
        documents_table(corpus, lang)
        return
    upload_panel(corpus, lang)
    st.divider()
    metadata_panel(corpus, lang)
    st.divider()
    share_panel(corpus, lang)
    st.divider()
    st.subheader(translate("corpus.documents", lang, n=len(corpus.documents)))
    documents_table(corpus, lang)
