"""Evaluate a processed corpus against a gold file (data/gold/devset.yaml): precision, recall and
F1 per document and table, plus domain accuracy, axis alignment, metadata accuracy, furniture left
in paragraphs and policies found in documents that recommend nothing.

    python -m corpus evaluate GOLD --processed DIR      score an existing build
    python -m corpus evaluate GOLD --build DIR          copy the gold's files to DIR/raw, build
                                                        DIR/processed, then score it

Matching (the gold file's header says the same for editors):
- a gold document is the processed document whose `source_file` is its file's basename;
- sections: number + heading with spaces and punctuation removed; found when the extracted
  heading equals the gold heading, or equals number + heading (the number left in the heading);
  level-0 rows (abstract, untitled opening) are not headings and are not scored;
- events: same year (and year_end when the gold has one) and the gold quote inside the
  extracted `sentence` or `label`; unmatched rows dated by the gazetteer are not counted against
  precision (the gold holds dates the text states), only reported;
- mechanisms: names without spaces, punctuation, quotes or brackets; equal, or one contains the
  other and both end in the same head (…机制, …机理, …路径); gold `aliases` count as names;
  unmatched rows marked `own = False` (cited from others) are not counted against precision;
- policies: the gold quote inside the extracted `text` or `title`;
- quotes and texts are compared after NFKC and with all whitespace removed;
- each extracted row matches at most one gold item: gold items take, in gold order, the first
  unmatched row that fits (greedy), in passes from strict to loose (an exact heading or name before
  a contained one; for events a row whose label holds the quote before one whose sentence does).
The result is a measurement: the command exits 0 whatever the scores.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from corpus.files import ROOT

DEFAULT_GOLD = ROOT / "data" / "gold" / "devset.yaml"
DEFAULT_DEVSET_DIR = ROOT.parent / "shared" / "devset"
TABLES = ("sections", "events", "mechanisms", "policies")
METADATA_COLUMNS = {  # gold field → documents column
    "title": "title", "title_en": "title_en", "year": "year", "date": "published",
    "issuer": "issuer", "doc_number": "doc_number", "authors": "authors", "authors_en": "authors_en",
}
AXES = ("factor", "level", "type")
AXIS_COLUMNS = {"factor": ("factor",), "level": ("level",), "type": ("type", "mechanism_type")}
UNASSIGNED = {"", "未归类", "unassigned", "none", "null", "nan"}
# The lexicon's factor code 优化组合 is the 要素组合; levels may be written without the dot.
AXIS_SYNONYMS = {"优化组合": "要素组合", "区域": "区域·国家", "国家": "区域·国家", "区域国家": "区域·国家"}
HEADS = ("机制", "机理", "路径")
BUILD_MARKER = ".evaluate-build"


# ---- normalisation ---------------------------------------------------------------------------

def _missing(value: object) -> bool:
    if value is None or isinstance(value, (list, tuple, np.ndarray)):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def norm_text(value: object) -> str:
    """NFKC, every whitespace removed: how quotes are looked for in texts."""
    if _missing(value):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def norm_name(value: object) -> str:
    """norm_text without punctuation (quotes, brackets, 、，。：…): how names and headings compare."""
    return "".join(ch for ch in norm_text(value) if not unicodedata.category(ch).startswith("P"))


def _head(name: str) -> str | None:
    return next((h for h in HEADS if name.endswith(h)), None)


def _present(value: object) -> bool:
    if _missing(value):
        return False
    if isinstance(value, (list, tuple, np.ndarray)):
        return len(value) > 0
    return norm_text(value).lower() not in UNASSIGNED


# ---- gold ------------------------------------------------------------------------------------

@dataclass
class GoldDocument:
    key: str  # path as written in the gold file
    root: str  # "devset" (relative to the devset folder) or "seeds" (relative to the project)
    data: dict

    @property
    def source_file(self) -> str:
        return Path(self.key).name

    def path(self, devset_dir: Path) -> Path:
        return (Path(devset_dir) if self.root == "devset" else ROOT) / self.key


def load_gold(path: Path) -> list[GoldDocument]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    docs = [GoldDocument(str(key), root, value or {})
            for root in ("devset", "seeds") for key, value in (raw.get(root) or {}).items()]
    names = [d.source_file for d in docs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:  # documents are matched by basename, so two gold files may not share one
        raise ValueError(f"gold documents share a file name: {', '.join(dupes)}")
    return docs


# ---- matching --------------------------------------------------------------------------------

def greedy(gold: list, rows: list, passes: Iterable[Callable[[object, object], bool]]) -> list[tuple[int, int]]:
    """(gold index, row index) pairs: in each pass, each unmatched gold item takes, in gold order,
    the first unused row that fits. Stricter passes come first (an exact name before a contained one)."""
    used: set[int] = set()
    taken: dict[int, int] = {}
    for fits in passes:
        for gi, item in enumerate(gold):
            if gi in taken:
                continue
            for ri, row in enumerate(rows):
                if ri not in used and fits(item, row):
                    used.add(ri)
                    taken[gi] = ri
                    break
    return sorted(taken.items())


def section_exact(item: dict, row: dict) -> bool:
    heading = norm_name(item.get("heading"))
    got = norm_name(row.get("heading"))
    same_number = norm_name(item.get("number")) == norm_name(row.get("number"))
    return bool(got) and ((got == heading and same_number) or got == norm_name(item.get("number")) + heading)


def section_fits(item: dict, row: dict) -> bool:
    got = norm_name(row.get("heading"))
    return bool(got) and got == norm_name(item.get("heading")) or section_exact(item, row)


def _event_dated(item: dict, row: dict) -> bool:
    if _int(row.get("year")) != _int(item.get("year")):
        return False
    return item.get("year_end") is None or _int(row.get("year_end")) == _int(item.get("year_end"))


def event_in_label(item: dict, row: dict) -> bool:
    return _event_dated(item, row) and norm_text(item.get("quote")) in norm_text(row.get("label"))


def event_fits(item: dict, row: dict) -> bool:
    quote = norm_text(item.get("quote"))
    return _event_dated(item, row) and (quote in norm_text(row.get("sentence")) or quote in norm_text(row.get("label")))


def _names(item: dict) -> list[str]:
    return [norm_name(n) for n in [item.get("name"), *(item.get("aliases") or [])] if norm_name(n)]


def mechanism_exact(item: dict, row: dict) -> bool:
    return norm_name(row.get("name")) in _names(item)


def mechanism_fits(item: dict, row: dict) -> bool:
    got = norm_name(row.get("name"))
    if not got:
        return False
    for want in _names(item):
        if want == got:
            return True
        head = _head(want)
        if head and head == _head(got) and (want in got or got in want):
            return True
    return False


def policy_fits(item: dict, row: dict) -> bool:
    quote = norm_text(item.get("quote"))
    return bool(quote) and (quote in norm_text(row.get("text")) or quote in norm_text(row.get("title")))


# Matching passes per table, strictest first: an exact heading (number included) before the heading
# alone, a row whose label holds the quote before one whose sentence does (one sentence can give
# several events), an exact name before a contained one.
PASSES = {
    "sections": (section_exact, section_fits),
    "events": (event_in_label, event_fits),
    "mechanisms": (mechanism_exact, mechanism_fits),
    "policies": (policy_fits,),
}


def _int(value: object) -> int | None:
    try:
        return None if value is None or pd.isna(value) else int(value)
    except (TypeError, ValueError):
        return None


def _unscored(table: str, row: dict) -> bool:
    """Rows outside what the gold annotates, not counted against precision when unmatched."""
    if table == "events":
        return row.get("date_source") == "gazetteer"
    if table == "mechanisms":
        own = row.get("own")
        return not _missing(own) and not bool(own)
    return False


def _rows(tables: dict, table: str, doc_id: str | None) -> list[dict]:
    frame = tables.get(table)
    if doc_id is None or frame is None or frame.empty:
        return []
    rows = frame[frame["doc_id"] == doc_id]
    if table == "sections" and "level" in rows:
        rows = rows[rows["level"] != 0]
    if "order" in rows:
        rows = rows.sort_values("order", kind="stable")
    return rows.to_dict("records")


@dataclass
class TableScore:
    gold: int = 0
    extracted: int = 0  # rows counted for precision
    matched: int = 0
    unscored: int = 0  # unmatched rows outside the gold's scope (gazetteer events, cited mechanisms)
    missed: list = field(default_factory=list)  # gold items not found
    spurious: list = field(default_factory=list)  # counted rows that matched nothing

    def add(self, other: TableScore) -> None:
        self.gold += other.gold
        self.extracted += other.extracted
        self.matched += other.matched
        self.unscored += other.unscored

    @property
    def precision(self) -> float | None:
        return self.matched / self.extracted if self.extracted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def numbers(self) -> dict:
        return {"gold": self.gold, "extracted": self.extracted, "matched": self.matched, "unscored": self.unscored,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


def score_table(table: str, gold: list[dict], rows: list[dict]) -> tuple[TableScore, list[tuple[int, int]]]:
    pairs = greedy(gold, rows, PASSES[table])
    matched_rows = {ri for _, ri in pairs}
    matched_gold = {gi for gi, _ in pairs}
    unscored = {ri for ri, row in enumerate(rows) if ri not in matched_rows and _unscored(table, row)}
    score = TableScore(gold=len(gold), extracted=len(rows) - len(unscored), matched=len(pairs), unscored=len(unscored))
    score.missed = [item for gi, item in enumerate(gold) if gi not in matched_gold]
    score.spurious = [row for ri, row in enumerate(rows) if ri not in matched_rows and ri not in unscored]
    return score, pairs


# ---- metadata, axes, furniture ---------------------------------------------------------------

def _iso_date(value: object) -> str | None:
    m = re.search(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})", norm_text(value))
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def _as_list(value: object) -> list[str]:
    if not _present(value):
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in list(value)]


def metadata_ok(field_name: str, gold_meta: dict, got: object) -> bool:
    want = gold_meta.get(field_name)
    if want is None or want == []:  # the text prints nothing: the field must stay empty
        return not _present(got)
    if field_name in ("authors", "authors_en"):
        return [norm_name(a) for a in _as_list(got)] == [norm_name(a) for a in _as_list(want)]
    if field_name == "year":
        return _int(got) == _int(want)
    alternatives = [want, *(gold_meta.get(f"{field_name}_alt") or [])]
    if field_name == "date":
        return _iso_date(got) is not None and _iso_date(got) in {_iso_date(a) for a in alternatives}
    return _present(got) and norm_name(got) in {norm_name(a) for a in alternatives}


def _axis_value(row: dict, axis: str) -> str | None:
    for column in AXIS_COLUMNS[axis]:
        if column in row and _present(row[column]):
            value = str(row[column]).strip()
            return AXIS_SYNONYMS.get(value, value)
    return None


def absent_found(entries: Iterable, paragraphs: list[str]) -> list[str]:
    """The gold `absent` entries found in paragraph texts: a string anywhere in a paragraph, or
    {paragraph: s} for a whole paragraph equal to s (interface words such as 赞 or 分享)."""
    texts = [norm_text(p) for p in paragraphs]
    found = []
    for entry in entries or []:
        if isinstance(entry, dict):
            want = norm_text(entry.get("paragraph"))
            if any(t == want for t in texts):
                found.append(f"¶{entry.get('paragraph')}")
        elif norm_text(entry) and any(norm_text(entry) in t for t in texts):
            found.append(str(entry))
    return found


# ---- evaluation ------------------------------------------------------------------------------

@dataclass
class DocumentResult:
    key: str
    doc_id: str | None
    tables: dict[str, TableScore] = field(default_factory=dict)
    metadata: dict[str, dict] = field(default_factory=dict)
    domain: tuple[int, int] = (0, 0)  # (matched policies, same domain)
    axes: dict[str, dict[str, int]] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    recommends: bool = True
    policies_found: int = 0


def evaluate_document(doc: GoldDocument, tables: dict[str, pd.DataFrame]) -> DocumentResult:
    documents = tables.get("documents", pd.DataFrame())
    hits = documents[documents["source_file"] == doc.source_file] if "source_file" in documents else documents.iloc[0:0]
    info = hits.iloc[0].to_dict() if len(hits) else {}
    doc_id = info.get("doc_id")
    result = DocumentResult(doc.key, doc_id, recommends=doc.data.get("recommends", True) is not False)
    for table in TABLES:
        if table not in doc.data:
            continue  # this document's gold does not annotate the table
        gold = list(doc.data.get(table) or [])
        rows = _rows(tables, table, doc_id)
        score, pairs = score_table(table, gold, rows)
        result.tables[table] = score
        if table == "policies":
            result.domain = (len(pairs), sum(1 for gi, ri in pairs if rows[ri].get("domain") == gold[gi].get("domain")))
        if table == "mechanisms":
            for axis in AXES:
                counts = {"matched": len(pairs), "assigned": 0, "gold_valued": 0, "agree": 0}
                for gi, ri in pairs:
                    got, want = _axis_value(rows[ri], axis), gold[gi].get(axis)
                    counts["assigned"] += got is not None
                    if want:
                        counts["gold_valued"] += 1
                        counts["agree"] += got == AXIS_SYNONYMS.get(want, want)
                result.axes[axis] = counts
    meta = doc.data.get("metadata") or {}
    for name, column in METADATA_COLUMNS.items():
        if name in meta:
            got = info.get(column)
            result.metadata[name] = {"gold": meta[name], "extracted": _plain(got), "ok": metadata_ok(name, meta, got)}
    paragraphs = [r.get("text") for r in _rows(tables, "paragraphs", doc_id)]
    result.absent = absent_found(doc.data.get("absent"), paragraphs)
    result.policies_found = len(_rows(tables, "policies", doc_id))
    return result


def _plain(value: object) -> object:
    if hasattr(value, "tolist"):
        return value.tolist()
    return None if _missing(value) else value


@dataclass
class Report:
    documents: list[DocumentResult]

    def overall(self) -> dict:
        tables = {t: TableScore() for t in TABLES}
        domain = [0, 0]
        axes = {a: {"matched": 0, "assigned": 0, "gold_valued": 0, "agree": 0} for a in AXES}
        meta: dict[str, list[int]] = {}
        for doc in self.documents:
            for t, score in doc.tables.items():
                tables[t].add(score)
            domain[0] += doc.domain[0]
            domain[1] += doc.domain[1]
            for a, counts in doc.axes.items():
                for k, v in counts.items():
                    axes[a][k] += v
            for name, entry in doc.metadata.items():
                meta.setdefault(name, [0, 0])
                meta[name][0] += 1
                meta[name][1] += entry["ok"]
        return {
            "tables": {t: s.numbers() for t, s in tables.items()},
            "domain_accuracy": _ratio(domain[1], domain[0]), "domain_matched": domain[0],
            "axes": {a: {**c, "assigned_share": _ratio(c["assigned"], c["matched"]),
                         "agreement": _ratio(c["agree"], c["gold_valued"])} for a, c in axes.items()},
            "metadata": {n: {"documents": v[0], "correct": v[1], "accuracy": _ratio(v[1], v[0])} for n, v in meta.items()},
            "absent_found": sum(len(d.absent) for d in self.documents),
            "policies_in_non_recommending": sum(d.policies_found for d in self.documents if not d.recommends),
            "documents_missing": [d.key for d in self.documents if d.doc_id is None],
        }

    def to_json(self) -> dict:
        return {
            "documents": {d.key: {
                "doc_id": d.doc_id,
                "tables": {t: s.numbers() for t, s in d.tables.items()},
                "domain": {"matched": d.domain[0], "same_domain": d.domain[1]},
                "axes": d.axes, "metadata": d.metadata, "absent_found": d.absent,
                "recommends": d.recommends, "policies_found": d.policies_found,
            } for d in self.documents},
            "overall": self.overall(),
        }


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def evaluate(gold: list[GoldDocument], tables: dict[str, pd.DataFrame]) -> Report:
    return Report([evaluate_document(doc, tables) for doc in gold])


def read_tables(processed_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of a processed folder, all columns (new ones such as `issuer` or `type` included)."""
    processed_dir = Path(processed_dir)
    if not (processed_dir / "documents.parquet").exists():
        raise FileNotFoundError(f"no processed corpus in {processed_dir}")
    return {p.stem: pd.read_parquet(p) for p in sorted(processed_dir.glob("*.parquet"))}


# ---- building the sample ---------------------------------------------------------------------

def build_sample(gold: list[GoldDocument], devset_dir: Path, work_dir: Path, lexicon=None, progress=None):
    """Copy the gold's files into work_dir/raw and build work_dir/processed; returns the BuildResult."""
    from corpus.build import build_corpus

    work_dir = Path(work_dir)
    if work_dir.exists() and any(work_dir.iterdir()) and not (work_dir / BUILD_MARKER).exists():
        raise FileExistsError(f"{work_dir} is not empty and was not made by evaluate --build; choose another folder")
    raw = work_dir / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir(parents=True)
    (work_dir / BUILD_MARKER).write_text("made by python -m corpus evaluate --build\n", encoding="utf-8")
    for doc in gold:
        shutil.copyfile(doc.path(devset_dir), raw / doc.source_file)
    return build_corpus(raw, work_dir / "processed", lexicon, progress=progress)


# ---- output ----------------------------------------------------------------------------------

def _fmt(x: float | None) -> str:
    return "  –  " if x is None else f"{x:5.2f}"


def format_report(report: Report, misses: bool = False) -> str:
    width = max([len(d.key) for d in report.documents] + [8])
    head = f"{'document':<{width}}  {'table':<10} {'gold':>5} {'found':>5} {'match':>5} {'P':>5} {'R':>5} {'F1':>5}"
    lines = [head, "-" * len(head)]
    for doc in report.documents:
        if doc.doc_id is None:
            lines.append(f"{doc.key:<{width}}  (not in the processed corpus: every gold item missed)")
        for table, s in doc.tables.items():
            extra = f"  (+{s.unscored} unscored)" if s.unscored else ""
            lines.append(f"{doc.key:<{width}}  {table:<10} {s.gold:>5} {s.extracted:>5} {s.matched:>5} "
                         f"{_fmt(s.precision)} {_fmt(s.recall)} {_fmt(s.f1)}{extra}")
            if misses:
                lines += [f"    missed: {_describe(table, item)}" for item in s.missed]
                lines += [f"    spurious: {_describe(table, row)}" for row in s.spurious]
    o = report.overall()
    lines += ["-" * len(head)]
    for table, n in o["tables"].items():
        extra = f"  (+{n['unscored']} unscored)" if n["unscored"] else ""
        lines.append(f"{'overall (micro)':<{width}}  {table:<10} {n['gold']:>5} {n['extracted']:>5} {n['matched']:>5} "
                     f"{_fmt(n['precision'])} {_fmt(n['recall'])} {_fmt(n['f1'])}{extra}")
    lines += ["", f"policy domain accuracy (matched policies): {_fmt(o['domain_accuracy']).strip()} "
                  f"of {o['domain_matched']}",
              "mechanism axes (matched mechanisms): axis, assigned share, agreement with gold where gold has a value"]
    for axis, a in o["axes"].items():
        lines.append(f"  {axis:<7} assigned {_fmt(a['assigned_share']).strip()} ({a['assigned']}/{a['matched']})   "
                     f"agree {_fmt(a['agreement']).strip()} ({a['agree']}/{a['gold_valued']})")
    lines.append("metadata accuracy: field, correct / documents with that field in the gold")
    for name, m in o["metadata"].items():
        wrong = [f"{d.key}: {d.metadata[name]['extracted']!r}" for d in report.documents
                 if name in d.metadata and not d.metadata[name]["ok"]]
        lines.append(f"  {name:<10} {m['correct']}/{m['documents']} = {_fmt(m['accuracy']).strip()}"
                     + (f"   wrong: {'; '.join(wrong)}" if misses and wrong else ""))
    lines.append(f"furniture strings (absent) found in paragraphs: {o['absent_found']} (should be 0)")
    for doc in report.documents:
        if doc.absent:
            lines.append(f"  {doc.key}: " + " | ".join(doc.absent))
    non = [d for d in report.documents if not d.recommends]
    lines.append(f"policies in documents that recommend nothing: {o['policies_in_non_recommending']} "
                 f"(should be 0; {len(non)} such document{'s' if len(non) != 1 else ''} in the gold)")
    return "\n".join(lines)


def _describe(table: str, item: dict) -> str:
    if table == "sections":
        return f"{item.get('number') or ''} {item.get('heading')}".strip()
    if table == "events":
        span = f"{_int(item.get('year'))}" + (f"–{_int(item.get('year_end'))}" if _int(item.get("year_end")) else "")
        return f"{span} {item.get('quote') or item.get('label') or ''}"
    if table == "mechanisms":
        return str(item.get("name"))
    return str(item.get("quote") or item.get("title") or "")[:40]


def run(gold_path: Path, processed: Path | None, build: Path | None, devset_dir: Path,
        json_path: Path | None = None, misses: bool = False, lexicon=None, stream=None) -> int:
    gold = load_gold(gold_path)
    if build is not None:
        result = build_sample(gold, devset_dir, build, lexicon)
        for failure in result.failures + result.sidecar_problems:
            print(f"✗ {failure.message('en')}", file=sys.stderr)
        processed = Path(build) / "processed"
    report = evaluate(gold, read_tables(processed))
    print(format_report(report, misses), file=stream or sys.stdout)
    if json_path is not None:
        Path(json_path).write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1, default=_plain),
                                   encoding="utf-8")
    return 0
