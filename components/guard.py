"""URL values are checked against what the corpus allows before any widget or page sees them.

A shared link is typed by people and tools: `?y0=3000`, `?n=61`, an unknown paper or paragraph
id. Streamlit raises on a slider value outside its range and a page would look up an id that
is not there, so every field of the selection is validated here, at the top of each run:
years are clamped to the corpus range (swapped when reversed), top-N to its options, codes to
their taxonomies, ids to the corpus. What cannot be used is dropped and reported in a short
notice; nothing raises. Pure functions: a selection and a corpus in, changes and notices out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from components.i18n import LANGUAGES, translate
from components.safe import md, shorten

TOP_N_RANGE = (5, 60)  # the Terms page's top-N slider
AXES = ("factor", "level", "type")  # the Mechanisms page's matrix axis
# selection field → the tabs of a page's lazy tabs (layout.view_tabs); labels `tab.<field>.<id>`
TABS = {
    "otab": ("counts", "terms"),  # Overview
    "btab": ("output", "sources", "network", "timezone", "bursts"),  # 文献计量
}
# selection field → the lexicon's code group its values must come from
CODE_FIELDS = {"tool": "policy.tool", "actor": "policy.actor", "horizon": "policy.horizon"}
FIELDS_NAMED = 4  # in the notice of dropped values
MAX_TERM_CHARS = 40  # a term is a word or short phrase; anything longer did not come from a chart


@dataclass(frozen=True)
class Notice:
    field: str
    value: str  # what the link carried
    outcome: str  # "dropped" | "clamped" | "swapped"
    now: str = ""  # the value used instead (clamped / swapped)


def notice_texts(notices: list[Notice], lang: str) -> list[str]:
    """Short messages in the UI language, the link's values escaped as data. Dropped values are
    told in one message (a hostile link carries a dozen), each change of a value in its own."""
    texts = []
    dropped = [n for n in notices if n.outcome == "dropped"]
    if len(dropped) == 1:
        texts.append(translate("guard.dropped", lang, field=dropped[0].field, value=md(shorten(dropped[0].value, 24))))
    elif dropped:
        names = list(dict.fromkeys(n.field for n in dropped))
        fields = ("、" if lang == "zh" else ", ").join(names[:FIELDS_NAMED])
        if len(names) > FIELDS_NAMED:  # a toast longer than three lines folds behind Streamlit's English "view more"
            fields += translate("guard.and_more", lang)
        texts.append(translate("guard.dropped_many", lang, fields=fields, n=len(dropped)))
    for notice in notices:
        if notice.outcome != "dropped":
            texts.append(translate(f"guard.{notice.outcome}", lang, field=notice.field, value=md(notice.value),
                                   now=md(notice.now)))
    return texts


def check_view(selection: Mapping[str, Any]) -> tuple[dict[str, Any], list[Notice]]:
    """Fields that need no corpus: language, top-N, mechanism axis, open tabs."""
    changes: dict[str, Any] = {}
    notices: list[Notice] = []
    lang = selection.get("lang")
    if lang not in LANGUAGES:
        changes["lang"] = "zh"
        notices.append(Notice("lang", str(lang), "dropped"))
    n = selection.get("n")
    lo, hi = TOP_N_RANGE
    if n is not None and not lo <= n <= hi:
        changes["n"] = min(hi, max(lo, n))
        notices.append(Notice("n", str(n), "clamped", str(changes["n"])))
    if selection.get("axis") not in AXES:
        changes["axis"] = AXES[0]
        notices.append(Notice("axis", str(selection.get("axis")), "dropped"))
    for field, tabs in TABS.items():
        if selection.get(field) is not None and selection.get(field) not in tabs:
            changes[field] = None
            notices.append(Notice(field, str(selection.get(field)), "dropped"))
    return changes, notices


def check_against_corpus(selection: Mapping[str, Any], tables: Mapping[str, pd.DataFrame],
                         year_range: tuple[int, int], codes: Mapping[str, list[str]] | None = None,
                         cluster_labels: list[str] | None = None) -> tuple[dict[str, Any], list[Notice]]:
    """Ids, codes and years against the corpus in view (`year_range`: its smallest and largest
    year; `codes`: each lexicon code group's codes, `Lexicon.order`)."""
    codes = codes or {}
    changes: dict[str, Any] = {}
    notices: list[Notice] = []

    def drop(name: str) -> None:
        changes[name] = None
        notices.append(Notice(name, str(selection.get(name)), "dropped"))

    documents = tables.get("documents", pd.DataFrame())
    doc_ids = set(documents["doc_id"]) if "doc_id" in documents else set()
    papers = list(selection.get("papers") or [])
    known_papers = [d for d in papers if d in doc_ids]
    if known_papers != papers:
        changes["papers"] = known_papers
        notices += [Notice("papers", str(d), "dropped") for d in papers if d not in doc_ids]
    for name in ("doc", "pdoc", "tdoc"):
        if selection.get(name) is not None and selection.get(name) not in doc_ids:
            drop(name)
    doc = changes.get("doc", selection.get("doc"))
    para = selection.get("para")
    if para is not None and not (doc is not None and _has_row(tables.get("paragraphs"), doc_id=doc, para_id=para)):
        drop("para")
    event = selection.get("event")
    if event is not None and not _known_event(tables.get("events"), event):
        drop("event")
    mech = selection.get("mech")
    if mech is not None and not _known_mechanism(tables.get("mechanisms"), mech):
        drop("mech")
    domain = selection.get("domain")
    if domain is not None and not _has_row(tables.get("policies"), domain=domain):
        drop("domain")
    for name, group in CODE_FIELDS.items():
        if selection.get(name) is not None and selection.get(name) not in codes.get(group, ()):
            drop(name)
    term = selection.get("term")
    if term is not None and not _usable_term(term):
        drop("term")
    for name, column in (("author", "authors"), ("kw", "keywords")):
        if selection.get(name) is not None and not _listed_in(documents, column, selection[name], name == "kw"):
            drop(name)
    if selection.get("cluster") is not None and selection["cluster"] not in set(cluster_labels or ()):
        drop("cluster")
    year_changes, year_notices = _years(selection.get("y0"), selection.get("y1"), year_range)
    changes.update(year_changes)
    notices += year_notices
    return changes, notices


def _years(y0: int | None, y1: int | None, year_range: tuple[int, int]) -> tuple[dict[str, Any], list[Notice]]:
    """y0/y1 within the corpus range, reversed ends swapped; an end at the range's edge means open."""
    if y0 is None and y1 is None:
        return {}, []
    lo, hi = year_range
    swapped = y0 is not None and y1 is not None and y0 > y1
    a, b = (y1, y0) if swapped else (y0, y1)
    a = None if a is None else min(hi, max(lo, a))
    b = None if b is None else min(hi, max(lo, b))
    if swapped:
        notices = [Notice("y0–y1", f"{y0}–{y1}", "swapped", f"{a}–{b}")]
    else:
        notices = [Notice(name, str(before), "clamped", str(after))
                   for name, before, after in (("y0", y0, a), ("y1", y1, b)) if before != after]
    # the slider's ends mean "no limit": the URL leaves them out
    new_a = None if a is None or a <= lo or lo >= hi else a
    new_b = None if b is None or b >= hi or lo >= hi else b
    changes = {k: v for k, v, old in (("y0", new_a, y0), ("y1", new_b, y1)) if v != old}
    return changes, notices


def _listed_in(documents: pd.DataFrame, column: str, value: str, keyword: bool) -> bool:
    """Whether some paper lists `value` in its `column` (keywords compared in their normal spelling)."""
    if column not in documents.columns:
        return False
    from corpus.bibliometrics import normalised

    wanted = normalised(value) if keyword else value.strip()
    for listed in documents[column]:
        if listed is None or isinstance(listed, float):
            continue
        if any((normalised(str(v)) if keyword else str(v).strip()) == wanted for v in listed):
            return True
    return False


def _has_row(table: pd.DataFrame | None, **values: Any) -> bool:
    if table is None or table.empty or any(c not in table.columns for c in values):
        return False
    keep = pd.Series(True, index=table.index)
    for column, value in values.items():
        keep &= table[column] == value
    return bool(keep.any())


def _known_event(events: pd.DataFrame | None, uid: str) -> bool:
    doc_id, _, event_id = str(uid).rpartition(":")
    return bool(doc_id) and _has_row(events, doc_id=doc_id, event_id=event_id)


def _known_mechanism(mechanisms: pd.DataFrame | None, name: str) -> bool:
    from components.charts.mechanisms import concept_key

    if mechanisms is None or mechanisms.empty:
        return False
    key = concept_key(name)
    return bool(key) and key in set(mechanisms["name"].map(concept_key))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _usable_term(term: str) -> bool:
    text = str(term)
    return (0 < len(text.strip()) <= MAX_TERM_CHARS and not _CONTROL.search(text)
            and all(unicodedata.category(ch)[0] != "C" for ch in text))
