"""The processed-corpus contract: every table, every column, its type and meaning.

`data/processed/SCHEMA.md` is generated from this module (`python -m corpus schema`), and the
build validates each table against it before anything is written, so code, files and docs
cannot drift apart.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str
    nullable: bool = True


def _c(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> Column:
    return Column(name, type_, doc, nullable)


STR = pa.string()
INT = pa.int64()
FLOAT = pa.float64()
BOOL = pa.bool_()
STRS = pa.list_(pa.string())

TABLES: dict[str, tuple[str, list[Column]]] = {
    "documents": (
        "One row per source document. Metadata comes from the text itself or from the sidecar "
        "`data/raw/<name>.meta.yaml`; a value that is not known stays empty, never guessed.",
        [
            _c("doc_id", STR, "Stable id: the raw file's name without extension.", False),
            _c("source_file", STR, "The raw file's name, e.g. `000_e938fc2a5e09f312.txt`.", False),
            _c("title", STR, "Chinese title as printed; null when the text does not carry one."),
            _c("title_en", STR, "English title as printed; null when absent."),
            _c("authors", STRS, "Authors in Chinese, in printed order (empty list when unknown).", False),
            _c("authors_en", STRS, "Authors in pinyin/English as printed, e.g. `ZHOU Wen`.", False),
            _c("affiliations", STRS, "Authors' affiliations as an export lists them (empty list when unknown).", False),
            _c("journal", STR, "Journal name; null when unknown."),
            _c("year", INT, "Publication year (int) or null when unknown."),
            _c("volume", STR, "Volume, e.g. `28`; null when unknown."),
            _c("issue", STR, "Issue, e.g. `3`; null when unknown."),
            _c("pages", STR, "Page range, e.g. `120-131`; null when unknown."),
            _c("published", STR, "Publication date as printed (ISO `YYYY-MM-DD` when given)."),
            _c("doi", STR, "DOI, e.g. `10.16538/j.cnki.fem.20240301.101`; null when unknown."),
            _c("issuer", STR, "Issuing body of an official document as printed (`国家数据局`; several joined by "
               "`、`), from its adoption line, signature, header or byline; null when none is printed."),
            _c("doc_number", STR, "Document number as printed, e.g. `国发〔2024〕5号`; null when none."),
            _c("keywords", STRS, "Chinese keywords as printed (empty list when none).", False),
            _c("keywords_en", STRS, "English keywords as printed (empty list when none).", False),
            _c("abstract", STR, "Chinese abstract, re-flowed into one paragraph; null when absent."),
            _c("abstract_en", STR, "English abstract, re-joined into readable text; null when absent."),
            _c("label", STR, "What the app shows: the title, or a derived label (see label_derived).", False),
            _c("label_derived", BOOL, "True when `label` is not a printed title but derived from the text.", False),
            _c("metadata_source", STR, "Per-field provenance as JSON: field -> `text` | `sidecar` | `record` (from an "
               "export's record).", False),
            _c("n_chars", INT, "Characters of clean body text (paragraphs, without notes).", False),
            _c("n_paragraphs", INT, "Number of body paragraphs.", False),
            _c("structured", BOOL, "True when at least one section heading was recognised.", False),
            _c("content_hash", STR, "SHA-256 of the raw file's bytes (of a record's text for a record; duplicate "
               "detection).", False),
            _c("record", INT, "The record's number in its export (`source_file`, 1 = first) when the document is one "
               "record of a literature-database export (corpus/records.py); null for a full text."),
        ],
    ),
    "sections": (
        "The section tree. Level 1 = `一、`, level 2 = `（一）`, level 3 = `1.`; level 0 holds the "
        "abstract (`abs`) and text before the first heading (`s0`).",
        [
            _c("doc_id", STR, "Document id.", False),
            _c("section_id", STR, "Id unique within the document: `abs`, `s0`, `s2`, `s2.1`, `s3.1.2`.", False),
            _c("parent_id", STR, "The enclosing section's id; null for level 0 and 1."),
            _c("level", INT, "0 (abstract / untitled opening), 1, 2 or 3.", False),
            _c("number", STR, "The heading's printed number: `二`, `（一）`, `1.`; null for level 0."),
            _c("heading", STR, "Heading text without its number, joined when it wrapped across lines.", False),
            _c("order", INT, "Position of the section in reading order.", False),
            _c("text", STR, "The section's own clean body text (its paragraphs joined by newlines).", False),
        ],
    ),
    "paragraphs": (
        "Re-flowed body paragraphs, in reading order. Footnotes, references, captions, tables and "
        "page furniture are never here; citation markers are removed from `text` and kept in `citations`.",
        [
            _c("doc_id", STR, "Document id.", False),
            _c("section_id", STR, "Section the paragraph belongs to.", False),
            _c("para_id", STR, "Id unique within the document, `p0001`, in reading order.", False),
            _c("order", INT, "Position in the document's reading order.", False),
            _c("kind", STR, "`body`, `list_item` (第一，… / ①… / (1)… / 一是…) or `abstract`.", False),
            _c("list_marker", STR, "The list marker of a list item (`第一`, `①`, `(1)`, `一是`); else null."),
            _c("text", STR, "Clean paragraph text, one line, no citation markers.", False),
            _c("tokens", STRS, "jieba segmentation of `text` (HMM on, domain dictionary), punctuation dropped.", False),
            _c("pos", STRS, "Part-of-speech tag of each token (parallel to `tokens`).", False),
        ],
    ),
    "references": (
        "Footnotes and reference-list entries, re-joined when they wrapped. Never part of body text.",
        [
            _c("doc_id", STR, "Document id.", False),
            _c("ref_id", STR, "Id unique within the document, `n001`, in order of appearance.", False),
            _c("marker", STR, "The printed marker: `(1)`, `④`, `[3]`; null when unmarked."),
            _c("kind", STR, "`footnote` (bottom-of-page note) or `reference` (list entry).", False),
            _c("text", STR, "The note's text.", False),
        ],
    ),
    "citations": (
        "Inline citation markers removed from body text, each linked to the note it points at.",
        [
            _c("doc_id", STR, "Document id.", False),
            _c("para_id", STR, "Paragraph the marker stood in.", False),
            _c("marker", STR, "The marker as printed: `(1)`, `④`, `[2,11]`, `［3］`.", False),
            _c("offset", INT, "Character offset in the paragraph's clean text where the marker stood.", False),
            _c("ref_id", STR, "The linked note in `references`; null when the text has no such note."),
        ],
    ),
    "terms": (
        "Term statistics per document: counts, TF-IDF against the corpus, keyphrase flag.",
        [
            _c("doc_id", STR, "Document id.", False),
            _c("term", STR, "The term (a jieba token after stopword filtering).", False),
            _c("pos", STR, "Most frequent part-of-speech tag of the term in this document.", False),
            _c("count", INT, "Occurrences in the document's body paragraphs.", False),
            _c("tf", FLOAT, "count / tokens in the document.", False),
            _c("tfidf", FLOAT, "tf × smoothed idf over the corpus' documents.", False),
            _c("keyphrase", BOOL, "True when the term is among the document's keyphrases.", False),
        ],
    ),
    "section_terms": (
        "Term counts per section (for a term's distribution across sections).",
        [
            _c("doc_id", STR, "Document id.", False),
            _c("section_id", STR, "Section id.", False),
            _c("term", STR, "The term.", False),
            _c("count", INT, "Occurrences in the section's own paragraphs.", False),
        ],
    ),
    "events": (
        "Dated statements about AI development found in body text (never notes or references).",
        [
            _c("doc_id", STR, "Document id.", False),
            _c("event_id", STR, "Id unique within the document, `e001`.", False),
            _c("year", INT, "Start year.", False),
            _c("year_end", INT, "End year for ranges, phases and plans; else null."),
            _c("month", INT, "Month when stated; else null."),
            _c("day", INT, "Day when stated; else null."),
            _c("label", STR, "Short readable title of the event.", False),
            _c("category", STR, "Category code from `data/lexicon/event_categories.yaml`.", False),
            _c("sentence", STR, "The evidence sentence, verbatim from the paragraph.", False),
            _c("section_id", STR, "Section of the evidence.", False),
            _c("para_id", STR, "Paragraph of the evidence.", False),
            _c("date_text", STR, "The date expression as written (or the gazetteer entity)."),
            _c("date_source", STR, "`text` (stated in the paper) or `gazetteer` (dated by `ai_milestones.yaml`).", False),
            _c("approximate", BOOL, "True for relative or vague dates (近10年, 21世纪以来, 至今).", False),
            _c("entity", STR, "Gazetteer entity the sentence mentions, if any."),
            _c("conflict", STR, "Why the gazetteer disagrees with the paper's statement; else null."),
        ],
    ),
    "mechanisms": (
        "Each document's own named mechanisms and paths (a paper's analytic mechanisms, a regulation's or "
        "plan's governance mechanisms), aligned to shared axes by the cues of `mechanism_axes.yaml`.",
        [
            _c("doc_id", STR, "Document id.", False),
            _c("mechanism_id", STR, "Id unique within the document, `m001`.", False),
            _c("name", STR, "Name as the document uses it, e.g. `能力整合机制`, `数据要素收益分配机制`.", False),
            _c("kind", STR, "`mechanism` | `path` | `dimension` (by the name's suffix: 机制/机理, 路径, 维度).", False),
            _c("level", STR, "员工 | 企业 | 产业 | 区域·国家 (see `mechanism_axes.yaml`); null without a cue."),
            _c("factor", STR, "劳动者 | 劳动资料 | 劳动对象 | 要素组合 (see `mechanism_axes.yaml`); null without a cue."),
            _c("type", STR, "替代 | 增强 | 融合·溢出 | 创新 | 协同·生态 | 重构 | 供给·需求 | 治理·监管 "
               "(see `mechanism_axes.yaml`); null without a cue."),
            _c("group", STR, "The family it belongs to in the paper (e.g. `能力机制`); else null."),
            _c("description", STR, "The defining sentence.", False),
            _c("section_id", STR, "Section of the defining sentence.", False),
            _c("para_id", STR, "Paragraph of the defining sentence.", False),
            _c("own", BOOL, "False when the paper cites someone else's mechanism (literature review).", False),
            _c("aliases", STRS, "Other names the paper uses for the same item (e.g. the abstract's `劳动替代机制` "
               "for the body's `互补式替代机制`); empty when none.", False),
            _c("factor_reason", STR, "The words that decided `factor`, as the document writes them (`劳动者层面`, "
               "`数据`); null when `factor` is."),
            _c("level_reason", STR, "The words that decided `level` (`员工层面`, `市场主体`); null when `level` is."),
            _c("type_reason", STR, "The words that decided `type` (`重构`, `分配`); null when `type` is."),
        ],
    ),
    "policies": (
        "Policy recommendations, one row per item, classified by domain, tool, actors and horizon.",
        [
            _c("doc_id", STR, "Document id.", False),
            _c("policy_id", STR, "Id unique within the document, `r001`.", False),
            _c("parent_id", STR, "The item whose lead introduces this one (`…要大幅降低非税负担。一是…`) when that "
               "lead directs something of its own; else null (headings are never rows)."),
            _c("title", STR, "Short title.", False),
            _c("text", STR, "Full text of the item.", False),
            _c("domain", STR, "Domain code from `policy_taxonomy.yaml` (talent, innovation, …).", False),
            _c("tool", STR, "`supply` | `environment` | `demand` (Rothwell & Zegveld).", False),
            _c("subtool", STR, "Sub-tool label, e.g. `人才培养`; null when none fits."),
            _c("actors", STRS, "Among government, enterprise, university, society, international.", False),
            _c("horizon", STR, "`short` | `medium` | `long` when the text says so (短期/中期/长期 above it, 今年, "
               "a target year); else null."),
            _c("section_id", STR, "Section of the item.", False),
            _c("para_id", STR, "Paragraph of the item (evidence).", False),
        ],
    ),
}


@functools.cache  # TABLES is fixed: every per-document table of a build asks for its schema
def arrow_schema(table: str) -> pa.Schema:
    _, columns = TABLES[table]
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in columns])


@functools.cache
def empty_table(table: str) -> pa.Table:
    """The table with no rows; Arrow tables are immutable, so one serves every caller."""
    return arrow_schema(table).empty_table()


def to_pandas(table: pa.Table):
    """Arrow → pandas keeping nullable integers as integers (year stays 2026, not 2026.0)."""
    import pandas as pd

    return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}.get)


def column_names(table: str) -> list[str]:
    return [c.name for c in TABLES[table][1]]


def to_markdown() -> str:
    """Render the contract as the SCHEMA.md shipped next to the Parquet files."""
    lines = [
        "# Processed corpus schema",
        "",
        "Generated from `corpus/schema.py` by `python -m corpus schema`; do not edit by hand.",
        "Every table is a Parquet file `<table>.parquet`; `manifest.json` stamps the corpus version",
        "(a hash of the raw files, the lexicon and the pipeline version) and lists the files.",
        "",
    ]
    for name, (doc, columns) in TABLES.items():
        lines += [f"## `{name}`", "", doc, "", "| column | type | meaning |", "|---|---|---|"]
        for c in columns:
            type_name = str(c.type).replace("large_", "")
            type_name = "list<string>" if type_name.startswith("list<") else type_name
            null = "" if c.nullable else " (never null)"
            lines.append(f"| `{c.name}` | {type_name}{null} | {c.doc} |")
        lines.append("")
    return "\n".join(lines)


# ---- validation: a corpus read from outside (a bundle, data/processed) against this contract ------

# Ids end up in HTML id attributes and URLs: word characters (letters of any script, CJK included,
# digits, `_`, as uploads' ids are made) and `. : -`, nothing else.
ID_PATTERN = re.compile(r"[\w.:\-]{1,128}")
# A file name that stays inside the raw folder: no folders, no control characters, not hidden.
FILE_NAME_PATTERN = re.compile(r"[^./\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]{0,254}")
KEYS = {  # columns unique together
    "documents": ("doc_id",), "sections": ("doc_id", "section_id"), "paragraphs": ("doc_id", "para_id"),
    "references": ("doc_id", "ref_id"), "events": ("doc_id", "event_id"),
    "mechanisms": ("doc_id", "mechanism_id"), "policies": ("doc_id", "policy_id"),
}
REFERENCES = [  # (table, its columns) must be among (table, columns) — null values aside
    *((table, ("doc_id",), "documents", ("doc_id",)) for table in TABLES if table != "documents"),
    *((table, ("doc_id", "para_id"), "paragraphs", ("doc_id", "para_id"))
      for table in ("citations", "events", "mechanisms", "policies")),
    *((table, ("doc_id", "section_id"), "sections", ("doc_id", "section_id"))
      for table in ("paragraphs", "events", "mechanisms", "policies")),
    ("sections", ("doc_id", "parent_id"), "sections", ("doc_id", "section_id")),
    ("policies", ("doc_id", "parent_id"), "policies", ("doc_id", "policy_id")),
    ("citations", ("doc_id", "ref_id"), "references", ("doc_id", "ref_id")),
]


class TableError(ValueError):
    """A table that breaks the contract: which table and column, and why (zh, en)."""

    def __init__(self, table: str, column: str, detail: str, detail_en: str) -> None:
        super().__init__(f"{table}.{column}: {detail_en}")
        self.table, self.column, self.detail, self.detail_en = table, column, detail, detail_en


def validate_tables(tables: dict[str, pa.Table], *, deep: bool = True) -> dict[str, pa.Table]:
    """Every table cast to its schema, or TableError: columns of the right kind (strings, integers,
    lists of strings …) and no nulls where the schema has none; and (`deep`) unique keys, references
    that resolve, ids and file names of the safe shapes above. Returns the cast tables.

    Measured on the generated 1,000-paper corpus: types and nulls 0.002 s, keys 0.01 s, references
    and ids 0.2–0.5 s (its load takes 0.9 s): the store checks types and nulls on every load,
    bundles get everything."""
    typed = {name: _typed(name, tables[name]) for name in TABLES}
    if not deep:
        return typed
    for name, columns in KEYS.items():
        _check_unique(name, typed[name], columns)
    for child, columns, parent, parent_columns in REFERENCES:
        _check_reference(typed, child, columns, parent, parent_columns)
    for name, columns in KEYS.items():  # each id where it is defined: the references hold every other use
        _check_pattern(name, typed[name], columns[-1], ID_PATTERN, "文字、数字和 _ . : -，最长 128 个字符",
                       "letters, digits and _ . : -, at most 128 characters")
    _check_pattern("documents", typed["documents"], "source_file", FILE_NAME_PATTERN,
                   "一个文件名（不含文件夹，不以 . 开头）", "a file name (no folders, not starting with .)")
    return typed


def _kind(type_: pa.DataType) -> str:
    """What a column holds, whatever its physical encoding: `string`, `int`, `list<string>` …"""
    if pa.types.is_dictionary(type_):
        return _kind(type_.value_type)
    if pa.types.is_string(type_) or pa.types.is_large_string(type_):
        return "string"
    if pa.types.is_integer(type_):
        return "int"
    if pa.types.is_floating(type_):
        return "float"
    if pa.types.is_boolean(type_):
        return "bool"
    if pa.types.is_null(type_):
        return "null"
    if pa.types.is_list(type_) or pa.types.is_large_list(type_):
        return f"list<{_kind(type_.value_type)}>"
    return str(type_)


def _fits(actual: str, expected: str) -> bool:
    return (actual == expected or actual == "null" or (actual, expected) == ("int", "float")
            or (actual == "list<null>" and expected.startswith("list<")))


def _typed(name: str, table: pa.Table) -> pa.Table:
    columns = []
    for field in arrow_schema(name):
        if table.column_names.count(field.name) != 1:
            raise TableError(name, field.name, f"列 {field.name} 缺少或重复", f"column {field.name} is missing or repeated")
        column = table.column(field.name)
        expected = _kind(field.type)
        if not _fits(_kind(column.type), expected):
            raise TableError(name, field.name, f"列 {field.name} 应为 {expected}，实际为 {_kind(column.type)}",
                             f"column {field.name} should be {expected}, not {_kind(column.type)}")
        try:
            column = column.cast(field.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:  # e.g. an integer beyond int64
            raise TableError(name, field.name, f"列 {field.name} 无法转为 {expected}（{str(exc)[:80]}）",
                             f"column {field.name} cannot be read as {expected} ({str(exc)[:80]})") from exc
        if not field.nullable and column.null_count:
            raise TableError(name, field.name, f"列 {field.name} 有空值", f"column {field.name} has empty values")
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=arrow_schema(name))


def _key(table: pa.Table, columns: tuple[str, ...]) -> pa.ChunkedArray:
    """One string per row for the given columns (joined with a separator no id contains)."""
    if len(columns) == 1:
        return table.column(columns[0])
    return pc.binary_join_element_wise(*(table.column(c) for c in columns), "\x1f")


def _shown(value: str) -> str:
    value = str(value).replace("\x1f", " / ")
    return value if len(value) <= 60 else value[:60] + "…"


def _check_unique(name: str, table: pa.Table, columns: tuple[str, ...]) -> None:
    key = _key(table, columns)
    if pc.count_distinct(key).as_py() == len(key):
        return
    counts = pc.value_counts(key)
    value = counts.filter(pc.greater(counts.field("counts"), 1))[0]["values"].as_py()
    label = " + ".join(columns)
    raise TableError(name, columns[-1], f"{label} “{_shown(value)}” 出现了不止一次",
                     f"{label} “{_shown(value)}” occurs more than once")


def _check_reference(tables: dict[str, pa.Table], child: str, columns: tuple[str, ...], parent: str,
                     parent_columns: tuple[str, ...]) -> None:
    table = tables[child]
    table = table.filter(pc.is_valid(table.column(columns[-1])))
    key = _key(table, columns)
    found = pc.is_in(key, value_set=pa.chunked_array(_key(tables[parent], parent_columns)).combine_chunks())
    if pc.all(found).as_py() is not False:
        return
    value = key.filter(pc.invert(found))[0].as_py()
    raise TableError(child, columns[-1], f"{' + '.join(columns)} “{_shown(value)}” 在表 {parent} 中不存在",
                     f"{' + '.join(columns)} “{_shown(value)}” is not in table {parent}")


def _check_pattern(name: str, table: pa.Table, column: str, pattern: re.Pattern, expected: str,
                   expected_en: str) -> None:
    # Python's \w, as uploads' ids are made; over distinct values only (p0001 recurs in every document)
    for value in pc.unique(table.column(column)).to_pylist():
        if value is not None and not pattern.fullmatch(value):
            raise TableError(name, column, f"列 {column} 的值 “{_shown(value)}” 不合要求，只能是{expected}",
                             f"column {column} holds “{_shown(value)}”; it may only be {expected_en}")
