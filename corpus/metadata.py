"""Metadata: the `documents` row, from what the text itself prints plus an optional sidecar.

Sources, in order of precedence: the sidecar `data/raw/<stem>.meta.yaml` (an editor's fix or
addition), then the text (a journal web page's `… ›› 2026, Vol. 28 ›› Issue (3): 120-131.`
line, the first-line title, the English block at the end, an official document's header: title,
issuing body, document number, adoption or signing date), then a scraper's YAML front matter for
what the text does not print (a WeChat post's title and date). A value none carries stays empty;
nothing is guessed from citations or file names. This module is the public entry for metadata:
it parses sidecars and builds the row; finding what the text prints is corpus/frontmatter.py's
part (`read_front_matter`, `from_text`), imported from here.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re

import yaml

from corpus.errors import InputError
from corpus.frontmatter import from_text
from corpus.frontmatter import plan_year as plan_year  # public here: the one entry for metadata
from corpus.frontmatter import read_front_matter as read_front_matter
from corpus.frontmatter import read_site_header as read_site_header
from corpus.lines import CleanDoc

EDITABLE_FIELDS = ("title", "title_en", "authors", "authors_en", "affiliations", "journal", "year", "volume", "issue",
                   "pages", "published", "doi", "issuer", "doc_number", "keywords", "keywords_en", "abstract",
                   "abstract_en")
LIST_FIELDS = {"authors", "authors_en", "affiliations", "keywords", "keywords_en"}

DERIVED_LABEL_CHARS = 26


# ---- sidecars: the one parser every reader uses (build, uploads, the corpus page) ----------------

# A sidecar with both abstracts written out is a few KB; 64 KB leaves room and keeps the YAML parse instant.
MAX_SIDECAR_BYTES = 64 * 1024
# A sidecar needs three levels (mapping → list of authors → name); a little deeper still gets a message
# naming the field, far deeper (`[[[[…` 64 KB of them) would recurse in the composer.
MAX_SIDECAR_DEPTH = 10
YEARS = (1900, 2100)
LIST_SEPARATORS = re.compile(r"[;；,，、]")
_EXPECTED = {  # what a field must be, as the messages say it (zh, en; a space before digits in zh)
    "year": (" 1900–2100 之间的年份", "a year between 1900 and 2100"),
    "list": ("文字列表（如 [甲, 乙]）或用 ; ， 、 分隔的一段文字", "a list of texts (e.g. [A, B]) or one text separated by ; , or 、"),
    "text": ("一段文字", "a text"),
}


@dataclasses.dataclass
class Sidecar:
    fields: dict = dataclasses.field(default_factory=dict)  # the valid editable fields, typed as `documents` holds them
    problems: list[InputError] = dataclasses.field(default_factory=list)  # one per refused field (or one for the whole file)
    values: dict | None = None  # every string key as parsed, unknown keys included (None: not readable)


class _Refused(Exception):
    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code, self.params = code, params


class _SidecarLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases outright (a sidecar has no use for them, and nine
    levels of `&a [*b, *b, …]` — a "billion laughs" — expand 457 bytes into gigabytes) and deep nesting."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused("sidecar_aliases")
        self.depth += 1
        try:
            if self.depth > MAX_SIDECAR_DEPTH:
                raise _Refused("sidecar_too_deep", limit=str(MAX_SIDECAR_DEPTH))
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def parse_sidecar(data: bytes | str) -> Sidecar:
    """A sidecar's bytes (or text) → its valid fields and a problem for each refused one. Never raises
    for bad input: a sidecar that cannot be read at all gives no fields and one problem."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_SIDECAR_BYTES:
        return Sidecar(problems=[InputError("sidecar_too_large", size_kb=f"{len(raw) / 1024:.0f}",
                                            limit_kb=f"{MAX_SIDECAR_BYTES / 1024:.0f}")])
    try:
        loaded = yaml.load(raw.decode("utf-8-sig"), Loader=_SidecarLoader)
    except _Refused as refused:
        return Sidecar(problems=[InputError(refused.code, **refused.params)])
    except UnicodeDecodeError:
        return Sidecar(problems=[InputError("bad_sidecar", detail="不是 UTF-8 编码", detail_en="not UTF-8")])
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: e.g. an integer of thousands of digits
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        return Sidecar(problems=[InputError("bad_sidecar", detail=detail)])
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        return Sidecar(problems=[InputError("bad_sidecar", detail="不是“字段: 值”的形式",
                                            detail_en="not a mapping of field: value")])
    values = {k: v for k, v in loaded.items() if isinstance(k, str)}
    fields, problems = check_fields(values)
    return Sidecar(fields, problems, values)


def check_fields(values: dict) -> tuple[dict, list[InputError]]:
    """Editable fields one by one → (the valid ones, typed; a problem naming each invalid one)."""
    fields, problems = {}, []
    for name in EDITABLE_FIELDS:
        if name not in values:
            continue
        value = values[name]
        kind = "list" if name in LIST_FIELDS else "year" if name == "year" else "text"
        checked = _checked(kind, value)
        if checked is _INVALID:
            zh, en = _EXPECTED[kind]
            problems.append(InputError("sidecar_bad_field", field=name, value=_shown(value), expected=zh, expected_en=en))
        else:
            fields[name] = checked
    return fields, problems


_INVALID = object()


def _checked(kind: str, value):
    """A sidecar value as the field's type, or _INVALID. An empty value (`year:`) empties the field."""
    if kind == "list":
        if value is None:
            return []
        if isinstance(value, str):
            return [v.strip() for v in LIST_SEPARATORS.split(value) if v.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.strip() for v in value if v.strip()]
        return _INVALID
    if value is None or value == "":
        return None
    if kind == "year":
        if isinstance(value, datetime.date):  # `year: 2024-05-01` is read as a date
            value = value.year
        elif isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and YEARS[0] <= value <= YEARS[1]:
            return value
        return _INVALID
    if isinstance(value, bool) or not isinstance(value, (str, int, float, datetime.date)):
        return _INVALID
    return str(value).strip() or None  # `volume: 28`, `published: 2024-03-01` are numbers and dates in YAML


def _shown(value) -> str:
    """A refused value as the message quotes it, cut short."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = str(value).lower()
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:60] + "…"


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
                 n_chars: int, n_paragraphs: int, structured: bool, content_hash: str, record: int | None = None,
                 ) -> dict:
    text_meta = from_text(doc)
    sidecar = check_fields(sidecar)[0]  # callers pass checked fields; anything else is dropped here, never raised
    row, sources = {}, {}
    for field in EDITABLE_FIELDS:
        value = _normalise_value(field, text_meta.get(field))
        source = "text" if value not in (None, []) else None
        if field in sidecar:  # an export's record brings its metadata as the sidecar does
            value, source = sidecar[field], "sidecar" if record is None else "record"
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
        "record": record,
    })
    return row
