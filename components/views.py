"""Pure helpers that apply the global selection to corpus tables (shared by the pages)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from components.charts import short_labels


def shown(value) -> str:
    """A value as text on screen: missing (None, NaN, pd.NA) is empty, never "nan" or "None"."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def section_title(number, heading) -> str:
    """`一、 引言` from a section's number and heading, either of which may be missing."""
    return f"{shown(number)} {shown(heading)}".strip()


def years_text(year, year_end) -> str:
    """`2023` or `2023–2025`: an event's years as one piece of text."""
    start, end = shown(year), shown(year_end)
    return f"{start}–{end}" if end and end != start else start


def doc_order(documents: pd.DataFrame) -> list[str]:
    return documents["doc_id"].astype(str).tolist() if not documents.empty else []


_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE_END = re.compile(r"[，。；：,;:]")
DERIVED_CHARS = 26


def document_label(row: Mapping[str, Any], lang: str) -> str:
    """A document's name in the UI language: its title (English: the English title when it has
    one); without a printed title, the pipeline's derived label — in the Chinese UI a Chinese one,
    the abstract's first clause, rather than an English title."""
    title, title_en, label = shown(row.get("title")), shown(row.get("title_en")), shown(row.get("label"))
    if lang == "en" and title_en:
        return title_en
    if title:
        return title
    if lang == "zh" and not _CJK.search(label):
        clause = _CLAUSE_END.split(shown(row.get("abstract")), maxsplit=1)[0].strip()
        if _CJK.search(clause):
            return clause if len(clause) <= DERIVED_CHARS else clause[:DERIVED_CHARS] + "…"
    return label or shown(row.get("doc_id"))


def document_labels(documents: pd.DataFrame, lang: str) -> dict[str, str]:
    if documents.empty:
        return {}
    columns = [c for c in ("doc_id", "title", "title_en", "label", "abstract") if c in documents.columns]
    return {row["doc_id"]: document_label(row, lang) for row in documents[columns].to_dict("records")}


def paper_labels(documents: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """doc_id -> short label, in corpus order (legend / axis names)."""
    return short_labels(document_labels(documents, lang))


def year_bounds(tables: Mapping[str, pd.DataFrame]) -> tuple[int, int]:
    """Smallest and largest year the corpus mentions (events and publication years)."""
    years: list[int] = []
    events = tables.get("events")
    if events is not None and not events.empty:
        years += events["year"].dropna().astype(int).tolist()
        years += events["year_end"].dropna().astype(int).tolist()
    docs = tables.get("documents")
    if docs is not None and not docs.empty:
        years += docs["year"].dropna().astype(int).tolist()
    return (min(years), max(years)) if years else (0, 0)


def year_counts(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per year: papers published (documents.year) and events dated to it (events.year, the start
    of a span); only years with either."""
    def counted(table: pd.DataFrame | None) -> pd.Series:
        if table is None or table.empty:
            return pd.Series(dtype="int64")
        return table["year"].dropna().astype(int).value_counts()

    frame = pd.DataFrame({"papers": counted(tables.get("documents")), "events": counted(tables.get("events"))})
    frame = frame.fillna(0).astype(int).rename_axis("year").reset_index().sort_values("year", ignore_index=True)
    return frame


# Charts that draw a mark, panel or column per paper stay legible (and quick to send to the
# browser) up to this many papers; with more in view they draw the first ones and say so.
MAX_PAPERS_DRAWN = 24


def drawn_docs(in_view: list[str]) -> list[str]:
    """The papers a per-paper chart draws: the first MAX_PAPERS_DRAWN of those in view."""
    return in_view[:MAX_PAPERS_DRAWN]


def selected_docs(documents: pd.DataFrame, selection: Mapping[str, Any],
                  cluster_keywords: set[str] | None = None,
                  index: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
                  order: list[str] | None = None) -> list[str]:
    """The papers in view: the global paper filter (every paper when it is empty), narrowed to an
    author's, an author keyword's or a keyword cluster's papers when one is selected (文献计量).
    `index` and `order` are `papers_by(documents)` and `doc_order(documents)` when already known."""
    every = order if order is not None else doc_order(documents)
    known = set(every)
    chosen = [d for d in selection.get("papers") or [] if d in known] or every
    author, keyword = selection.get("author"), selection.get("kw")
    if not (author or keyword or cluster_keywords) or documents.empty:
        return chosen
    from corpus.bibliometrics import normalised

    index = index if index is not None else papers_by(documents)
    keep = set(chosen)
    if author:
        keep &= index["author"].get(author, frozenset())
    if keyword:
        keep &= index["kw"].get(normalised(keyword), frozenset())
    if cluster_keywords:
        keep &= set().union(*(index["kw"].get(k, frozenset()) for k in cluster_keywords))
    return [d for d in chosen if d in keep]


def papers_by(documents: pd.DataFrame) -> dict[str, dict[str, frozenset[str]]]:
    """`author` → name → doc_ids, `kw` → normalised author keyword → doc_ids."""
    from corpus.bibliometrics import normalised

    found: dict[str, dict[str, set[str]]] = {"author": {}, "kw": {}}
    if documents.empty:
        return found
    for doc_id, authors, keywords in zip(documents["doc_id"], documents["authors"], documents["keywords"],
                                         strict=True):
        for name in {a.strip() for a in _listed(authors)}:
            found["author"].setdefault(name, set()).add(doc_id)
        for word in {normalised(k) for k in _listed(keywords)}:
            found["kw"].setdefault(word, set()).add(doc_id)
    return {axis: {k: frozenset(v) for k, v in names.items()} for axis, names in found.items()}


def paper_search_text(documents: pd.DataFrame) -> dict[str, str]:
    """doc_id → its label, titles, authors, journal, year and keywords as one case-folded string:
    what the sidebar's paper search looks in."""
    if documents.empty:
        return {}
    fields = [c for c in ("label", "title", "title_en", "journal", "issuer", "doc_number") if c in documents.columns]
    lists = [c for c in ("authors", "authors_en", "keywords") if c in documents.columns]
    found = {}
    for row in documents[["doc_id", "year", *fields, *lists]].to_dict("records"):
        parts = [shown(row[c]) for c in fields] + [" ".join(_listed(row[c])) for c in lists]
        year = row["year"]
        parts.append("" if year is None or pd.isna(year) else str(int(year)))
        found[row["doc_id"]] = " ".join(parts).casefold()
    return found


def find_papers(search_text: Mapping[str, str], query: str, limit: int) -> tuple[list[str], int]:
    """The first `limit` papers (corpus order) whose search text holds every word of the query,
    and how many match in all."""
    words = query.casefold().split()
    hits = [doc_id for doc_id, text in search_text.items() if all(w in text for w in words)]
    return hits[:limit], len(hits)


def _listed(value) -> list[str]:
    if value is None or isinstance(value, float):
        return []
    return [str(v) for v in value]


def by_docs(table: pd.DataFrame, doc_ids: list[str]) -> pd.DataFrame:
    """The rows of these papers; the table itself when that is every row (no copy: with 1,000
    papers the terms tables have about a million rows)."""
    if table.empty:
        return table
    # pyarrow's is_in, not Series.isin: pandas converts each wanted id to an Arrow scalar first,
    # which for 5,000 papers was most of a Terms rerun (0.25 s)
    keep = pc.is_in(pa.array(table["doc_id"], from_pandas=True), value_set=pa.array(list(doc_ids), pa.string()))
    return table if pc.all(keep).as_py() else table[keep.to_numpy(zero_copy_only=False)]


def events_in_years(events: pd.DataFrame, y0: int | None, y1: int | None) -> pd.DataFrame:
    """Events whose [year, year_end] overlaps [y0, y1] (open ends when None)."""
    if events.empty or (y0 is None and y1 is None):
        return events
    end = events["year_end"].fillna(events["year"])
    keep = pd.Series(True, index=events.index)
    if y0 is not None:
        keep &= end >= y0
    if y1 is not None:
        keep &= events["year"] <= y1
    return events[keep]
