"""Metadata: the `documents` row, from what the text itself prints plus an optional sidecar.

Sources, in order of precedence: the sidecar `data/raw/<stem>.meta.yaml` (an editor's fix or
addition), then the text (a journal web page's `… ›› 2026, Vol. 28 ›› Issue (3): 120-131.`
line, the first-line title, the English block at the end). A value neither carries stays empty;
nothing is guessed from citations or file names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from corpus.clean import PINYIN_AUTHORS, PINYIN_NAME, CleanDoc

EDITABLE_FIELDS = ("title", "title_en", "authors", "authors_en", "journal", "year", "volume", "issue",
                   "pages", "published", "keywords", "keywords_en", "abstract", "abstract_en")
LIST_FIELDS = {"authors", "authors_en", "keywords", "keywords_en"}

JOURNAL_PAGE_LINE = re.compile(
    r"^(?P<journal>.+?)\s*(?:››|»)\s*(?P<year>\d{4})\s*,\s*Vol\.\s*(?P<volume>\w+)\s*(?:››|»)\s*"
    r"Issue\s*\((?P<issue>[^)]+)\)\s*(?::\s*(?P<pages>[\d\-–]+))?"
)
DERIVED_LABEL_CHARS = 26


def sidecar_path(raw_path: Path) -> Path | None:
    """`000_x.txt` → `000_x.meta.yaml` (or `000_x.txt.meta.yaml`), whichever exists."""
    for candidate in (raw_path.with_suffix(".meta.yaml"), raw_path.with_name(raw_path.name + ".meta.yaml")):
        if candidate.exists():
            return candidate
    return None


def read_sidecar(path: Path | None) -> dict:
    if path is None:
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in EDITABLE_FIELDS}


def from_text(doc: CleanDoc) -> dict:
    front, english = doc.front, doc.english
    meta: dict = {
        "title": front.get("title"),
        "title_en": english.get("title_en"),
        "authors": list(front.get("authors") or []),
        "authors_en": list(english.get("authors_en") or []),
        "journal": None, "year": None, "volume": None, "issue": None, "pages": None,
        "published": front.get("published"),
        "keywords": list(front.get("keywords") or []),
        "keywords_en": list(english.get("keywords_en") or []),
        "abstract": front.get("abstract"),
        "abstract_en": english.get("abstract_en"),
    }
    for line in front.get("english_front", []):  # web page: English title and pinyin author
        if PINYIN_AUTHORS.fullmatch(line.strip()):
            meta["authors_en"] = meta["authors_en"] or [m.group(0) for m in PINYIN_NAME.finditer(line)]
        elif meta["title_en"] is None:
            meta["title_en"] = line.strip()
    journal_line = front.get("journal_line")
    if journal_line:
        m = JOURNAL_PAGE_LINE.search(journal_line)
        if m:
            meta.update({k: m.group(k) for k in ("journal", "volume", "issue", "pages")})
            meta["year"] = int(m.group("year"))
    return meta


def _normalise_value(field: str, value):
    if field in LIST_FIELDS:
        if value is None:
            return []
        if isinstance(value, str):
            return [v.strip() for v in re.split(r"[;；,，、]", value) if v.strip()]
        return [str(v).strip() for v in value if str(v).strip()]
    if field == "year":
        if value in (None, ""):
            return None
        return int(str(value).strip()[:4])
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def derive_label(meta: dict, first_heading: str | None) -> str:
    """A short label for a document without a printed Chinese title; the app marks it as derived."""
    for candidate in (meta.get("title_en"), _first_clause(meta.get("abstract")), first_heading):
        if candidate:
            return candidate if len(candidate) <= DERIVED_LABEL_CHARS * 2 else candidate[: DERIVED_LABEL_CHARS * 2] + "…"
    return ""


def _first_clause(text: str | None) -> str | None:
    if not text:
        return None
    clause = re.split(r"[，。；,;]", text, maxsplit=1)[0]
    return clause[:DERIVED_LABEL_CHARS] + ("…" if len(clause) > DERIVED_LABEL_CHARS else "")


def document_row(doc_id: str, source_file: str, doc: CleanDoc, sidecar: dict, *, first_heading: str | None,
                 n_chars: int, n_paragraphs: int, structured: bool, content_hash: str) -> dict:
    text_meta = from_text(doc)
    row, sources = {}, {}
    for field in EDITABLE_FIELDS:
        value = _normalise_value(field, text_meta.get(field))
        source = "text" if value not in (None, []) else None
        if field in sidecar:
            value, source = _normalise_value(field, sidecar[field]), "sidecar"
        row[field] = value
        if source:
            sources[field] = source
    label = row["title"] or derive_label(row, first_heading) or doc_id
    row.update({
        "doc_id": doc_id,
        "source_file": source_file,
        "label": label,
        "label_derived": not row["title"],
        "metadata_source": json.dumps(sources, ensure_ascii=False, sort_keys=True),
        "n_chars": n_chars,
        "n_paragraphs": n_paragraphs,
        "structured": structured,
        "content_hash": content_hash,
    })
    return row
