"""Literature-database exports → records: one record per paper, with its metadata and abstract.

Formats (what CNKI, CSSCI and Web of Science export, and what CiteSpace reads):
- NoteExpress: `{Reference Type}: …` / `{Author}: a;b` / `{Keywords}: x;y` …, records separated by
  a blank line; `(#br)` marks a line break inside a value.
- EndNote / Refer: `%0 Journal Article` / `%A author` (one per line) / `%+ affiliations` / `%T` /
  `%J` / `%D` / `%K` / `%X` …, CRLF or bare CR line ends.
- RefWorks: `RT Journal Article` / `A1 author` / `T1` / `JF` / `YR` / `K1` / `AB` / `AD` / `DS CNKI`,
  one tag per line, records separated by a blank line.
- Web of Science / CiteSpace tagged: `PT J` … `ER`, two-letter tags, continuation lines indented.
- Spreadsheets (CSV, TSV, XLSX) whose columns are named in Chinese or English (题名/标题/title,
  作者/author, …: `data/lexicon/export_columns.yaml`), or a headerless layout listed there.

`read_export(name, data)` returns the records, or raises InputError `not_an_export` when the file
is none of these (a full text is then processed as a document instead). Parsers are pure.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import InputError
from corpus.lexicon import DEFAULT_LEXICON_DIR, read_yaml

EXPORT_SUFFIXES = {".txt", ".net", ".enw", ".ris", ".csv", ".tsv", ".xlsx"}
LIST_SPLIT = re.compile(r"\s*[;；]\s*|\s*[,，、]\s*(?=\S)")
KEYWORD_SPLIT = re.compile(r"\s*[;；,，、]\s*")
YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100)")
DOI = re.compile(r"10\.\d{4,9}/\S+")


@dataclass
class Record:
    """One paper of an export, as the documents table holds its metadata."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    reference_type: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.title or self.abstract)


# ---- one function per format: text → records ------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _blocks(lines: list[str], starts: Callable[[str], bool]) -> list[list[str]]:
    blocks: list[list[str]] = []
    for line in lines:
        if starts(line):
            blocks.append([])
        if blocks:
            blocks[-1].append(line)
    return blocks


def _year(value: str | None) -> int | None:
    match = YEAR.search(value or "")
    return int(match.group(1)) if match else None


def _names(values: list[str]) -> list[str]:
    names = [part.strip(" ,，;；") for value in values for part in LIST_SPLIT.split(value)]
    return list(dict.fromkeys(n for n in names if n))


def _affiliations(values: list[str]) -> list[str]:
    """`1.中国铁道科学研究院 研究生部；2.…` → each affiliation once, without its number."""
    parts = [re.sub(r"^\s*\d+[.．、]\s*", "", p).strip() for v in values for p in re.split(r"[;；]", v)]
    return list(dict.fromkeys(p for p in parts if p))


def _keywords(values: list[str]) -> list[str]:
    words = [w.strip() for v in values for w in KEYWORD_SPLIT.split(v)]
    return list(dict.fromkeys(w for w in words if w))


def _clean(value: str | None) -> str | None:
    value = re.sub(r"\s+", " ", value or "").strip()
    return value or None


def _pages(first: str | None, last: str | None = None) -> str | None:
    first, last = _clean(first), _clean(last)
    return f"{first}-{last}" if first and last else first


def _doi(*values: str | None) -> str | None:
    for value in values:
        match = DOI.search(value or "")
        if match:
            return match.group(0).rstrip(".,;")
    return None


def _first(fields: dict[str, list[str]], tag: str) -> str | None:
    return (fields.get(tag) or [None])[0]


def _tagged(lines: list[str], tag: re.Pattern) -> dict[str, list[str]]:
    """Tag → its values; a line without a tag continues the previous value."""
    fields: dict[str, list[str]] = {}
    last = None
    for line in lines:
        match = tag.match(line)
        if match:
            last = match.group("tag")
            fields.setdefault(last, []).append(match.group("value").strip())
        elif last and line.strip():
            fields[last][-1] = (fields[last][-1] + " " + line.strip()).strip()
    return fields


_NOTEEXPRESS_TAG = re.compile(r"^\{(?P<tag>[^}]+)\}:\s?(?P<value>.*)$")


def parse_noteexpress(text: str) -> list[Record]:
    records = []
    for block in _blocks(_lines(text), lambda line: line.startswith("{Reference Type}")):
        f = {k: [v.replace("(#br)", " ") for v in vs] for k, vs in _tagged(block, _NOTEEXPRESS_TAG).items()}
        records.append(Record(
            title=_clean(_first(f, "Title")), authors=_names(f.get("Author", [])),
            affiliations=_affiliations(f.get("Author Address", [])),
            # a thesis names its university, a conference paper its proceedings
            journal=_clean(_first(f, "Journal") or _first(f, "Secondary Title") or _first(f, "Publisher")),
            year=_year(_first(f, "Year") or _first(f, "Date")), volume=_clean(_first(f, "Volume")), issue=_clean(_first(f, "Issue")),
            pages=_clean(_first(f, "Pages")), doi=_doi(_first(f, "DOI"), _first(f, "URL")),
            keywords=_keywords(f.get("Keywords", [])),
            abstract=_clean(re.sub(r"^Abstract\s*", "", _first(f, "Abstract") or "")),
            reference_type=_clean(_first(f, "Reference Type")),
        ))
    return records


_REFER_TAG = re.compile(r"^%(?P<tag>\S)\s?(?P<value>.*)$")


def parse_endnote(text: str) -> list[Record]:
    records = []
    for block in _blocks(_lines(text), lambda line: line.startswith("%0")):
        f = _tagged(block, _REFER_TAG)
        records.append(Record(
            title=_clean(_first(f, "T")), authors=_names(f.get("A", [])), affiliations=_affiliations(f.get("+", [])),
            journal=_clean(_first(f, "J") or _first(f, "B")), year=_year(_first(f, "D")), volume=_clean(_first(f, "V")),
            issue=_clean(_first(f, "N")), pages=_clean(_first(f, "P")), doi=_doi(_first(f, "R"), _first(f, "U")),
            keywords=_keywords(f.get("K", [])), abstract=_clean(_first(f, "X")), reference_type=_clean(_first(f, "0")),
        ))
    return records


_REFWORKS_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])\s(?P<value>.*)$")


def parse_refworks(text: str) -> list[Record]:
    records = []
    for block in _blocks(_lines(text), lambda line: line.startswith("RT ")):
        f = _tagged(block, _REFWORKS_TAG)
        records.append(Record(
            title=_clean(_first(f, "T1")), authors=_names(f.get("A1", []) + f.get("AU", [])),
            affiliations=_affiliations(f.get("AD", [])), journal=_clean(_first(f, "JF") or _first(f, "JO")),
            year=_year(_first(f, "YR") or _first(f, "FD")), volume=_clean(_first(f, "VO")), issue=_clean(_first(f, "IS")),
            pages=_pages(_first(f, "SP"), _first(f, "OP")), doi=_doi(_first(f, "DO"), _first(f, "LK"), _first(f, "UL")),
            keywords=_keywords(f.get("K1", [])), abstract=_clean(_first(f, "AB")), reference_type=_clean(_first(f, "RT")),
        ))
    return records


_WOS_TAG = re.compile(r"^(?P<tag>[A-Z][A-Z0-9])(?:\s(?P<value>.*))?$")


def parse_wos(text: str) -> list[Record]:
    """Web of Science tagged (and CiteSpace's converted CNKI): `PT J` … `ER`; indented lines
    continue the tag above (each author, each affiliation, on its own line)."""
    records = []
    for block in _blocks(_lines(text), lambda line: line.startswith("PT ")):
        fields: dict[str, list[str]] = {}
        last = None
        for line in block:
            match = _WOS_TAG.match(line)
            if match and not line.startswith(" "):
                last = match.group("tag")
                fields.setdefault(last, []).append((match.group("value") or "").strip())
            elif last and line.strip():
                fields[last].append(line.strip())  # WoS lists one value per line
        authors = _names(fields.get("AU", []) or fields.get("AF", []))
        records.append(Record(
            title=_clean(" ".join(fields.get("TI", []))), authors=authors,
            affiliations=_affiliations(fields.get("C1", [])), journal=_clean(_first(fields, "SO")), year=_year(_first(fields, "PY")),
            volume=_clean(_first(fields, "VL")), issue=_clean(_first(fields, "IS")), pages=_pages(_first(fields, "BP"), _first(fields, "EP")),
            doi=_doi(_first(fields, "DI")), keywords=_keywords(fields.get("DE", []) + fields.get("ID", [])),
            abstract=_clean(" ".join(fields.get("AB", []))), reference_type=_clean(_first(fields, "DT") or _first(fields, "PT")),
        ))
    return records


# ---- spreadsheets: columns named in Chinese or English -----------------------------------------

COLUMNS_FILE = "export_columns.yaml"


def _column_rules(lexicon_dir: Path) -> dict:
    return read_yaml(COLUMNS_FILE, lexicon_dir) or {}


def _rows_of(name: str, data: bytes, text: str | None) -> list[list[str]]:
    if Path(name).suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    first_line = (text or "").split("\n", 1)[0]
    if Path(name).suffix.lower() == ".tsv" or first_line.count("\t") > first_line.count(","):
        # tab-separated: quotes are text (titles quote terms), not CSV quoting
        return [row for row in csv.reader(io.StringIO(text or ""), delimiter="\t", quoting=csv.QUOTE_NONE)]
    return [row for row in csv.reader(io.StringIO(text or ""))]


def parse_table(name: str, data: bytes, text: str | None, lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> list[Record]:
    """A spreadsheet whose header names its columns (export_columns.yaml `headers`), or one of the
    headerless layouts listed there (`layouts`)."""
    rows = [r for r in _rows_of(name, data, text) if any(cell.strip() for cell in r)]
    if not rows:
        return []
    rules = _column_rules(lexicon_dir)
    header = [re.sub(r"\s+", "", cell).lower() for cell in rows[0]]
    names = {str(alias).lower(): field_name for field_name, aliases in (rules.get("headers") or {}).items()
             for alias in aliases}
    columns = {i: names[h] for i, h in enumerate(header) if h in names}
    body = rows[1:]
    split_title = None
    if "title" not in columns.values() and "abstract" not in columns.values():
        layout = _layout(rows, rules.get("layouts") or [])
        if layout is None:
            return []
        columns = {int(i): field_name for i, field_name in layout["columns"].items()}
        body, split_title = rows, layout.get("title_after_abstract", False)
    records = []
    for row in body:
        values: dict[str, str] = {columns[i]: row[i].strip() for i in columns if i < len(row)}
        abstract, title = values.get("abstract"), values.get("title")
        if split_title and abstract and not title:
            abstract, title = _split_trailing_title(abstract)
        keywords = re.split(rules.get("keyword_separators", "[;；,，、_]"), values.get("keywords", ""))
        records.append(Record(
            title=_clean(title), authors=_names([values.get("authors", "")]),
            affiliations=_affiliations([values.get("affiliations", "")]), journal=_clean(values.get("journal")),
            year=_year(values.get("year")), volume=_clean(values.get("volume")), issue=_clean(values.get("issue")),
            pages=_clean(values.get("pages")), doi=_doi(values.get("doi")),
            keywords=list(dict.fromkeys(k.strip() for k in keywords if k.strip())), abstract=_clean(abstract),
        ))
    return records


def _layout(rows: list[list[str]], layouts: list[dict]) -> dict | None:
    """The headerless layout every row fits: its column count, and the first column's values."""
    for layout in layouts:
        width = int(layout.get("width", 0))
        first_values = set(layout.get("first_column_values") or [])
        if all(len(r) == width for r in rows) and (not first_values or all(r[0] in first_values for r in rows)):
            return layout
    return None


_SENTENCE_GAP = re.compile(r"[.。!?！？;；:：…]\s+")


def _split_trailing_title(text: str) -> tuple[str, str | None]:
    """`abstract… . Title` → (abstract, title): the text after the last sentence end followed by a
    space (a title may itself hold a `.` or `?`, but not a sentence end and a space)."""
    text = text.strip()
    gaps = list(_SENTENCE_GAP.finditer(text))
    if not gaps:
        return text, None
    last = gaps[-1]
    title = text[last.end():].strip()
    return (text[: last.start() + 1], title) if 2 <= len(title) <= 100 else (text, None)


# ---- which format a file is ------------------------------------------------------------------

FORMATS: list[tuple[str, re.Pattern, Callable[[str], list[Record]]]] = [
    ("noteexpress", re.compile(r"^\{Reference Type\}:", re.M), parse_noteexpress),
    ("endnote", re.compile(r"^%0 \S", re.M), parse_endnote),
    ("refworks", re.compile(r"^RT \S", re.M), parse_refworks),
    ("wos", re.compile(r"^PT \S+\s*$", re.M), parse_wos),
]


def export_format(text: str) -> str | None:
    """The tagged format whose record start opens the file's first non-empty line, or None."""
    head = text.lstrip("\ufeff \r\n")[:200]
    for name, start, _ in FORMATS:
        if start.match(head):
            return name
    return None


def read_export(name: str, data: bytes, text: str | None = None,
                lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> list[Record]:
    """The records of an export file; raises InputError `not_an_export` when it is not one (or
    `empty_export` when it is one without a record that has a title or an abstract)."""
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".tsv", ".xlsx"):
        records = parse_table(name, data, text, lexicon_dir)
    else:
        fmt = export_format(text or "")
        if fmt is None:
            raise InputError("not_an_export")
        records = dict((n, parse) for n, _, parse in FORMATS)[fmt](text or "")
    if suffix in (".csv", ".tsv", ".xlsx") and not records:
        raise InputError("not_an_export")
    records = [r for r in records if not r.is_empty]
    if not records:
        raise InputError("empty_export")
    return records


def is_export(name: str, text: str | None) -> bool:
    """Whether a file should be read as an export rather than as one document's full text."""
    suffix = Path(name).suffix.lower()
    return suffix in (".csv", ".tsv", ".xlsx", ".net", ".enw", ".ris") or export_format(text or "") is not None
