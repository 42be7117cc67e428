"""Events for the timeline: every dated statement in body text and headings, plus undated
mentions of well-known milestones dated by the gazetteer.

One event per date expression. Its label is the clause the date stands in (the date itself and
filler removed; a period in brackets is labelled by the name it follows, `…行动计划（2024—2028年）`;
a date alone on its line by the line above it, the title or signature it dates); its category comes
from the phase structure, a target connector (`到2025年…实现`), the gazetteer entity it mentions, or
the first matching keyword list in `event_categories.yaml`. A heading with one period
(`萌芽与诞生（1943—1956年）`, `1956 - 1974: 黄金时代`) is a phase. An entity mentioned without a
date gets one `gazetteer` row per document (first mention).

Not events (rules in `event_categories.yaml`): dates inside web addresses, values of `key:` fields
(front matter), page furniture (来源, 发布时间 …), reference-list entries, baselines and durations,
deictic 今年/过去一年, relative dates in a document without a year of its own, and the same dated
statement made again (a summary repeating the body, a repeated title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from corpus.extract.dates import DateMention, DateRules, find_dates
from corpus.extract.gazetteer import Gazetteer, Mention
from corpus.extract.rows import Para, Section, source_subset
from corpus.extract.text import (
    clauses,
    compact,
    contains_any,
    drop_parentheticals,
    mask_urls,
    sentences,
    shorten,
    strip_clause_punct,
    strip_list_marker,
)
from corpus.lexicon import cached_per_file, read_yaml

if TYPE_CHECKING:  # a type only: the lexicon module imports this one's loader
    from corpus.lexicon import Lexicon

CATEGORIES_FILE = "event_categories.yaml"
_PHASE_RE = re.compile(r"第([一二三四五六七八九十]+)(?:个)?阶段[ \t]*[（(]")
_HAS_QUANTITY = re.compile(r"\d[\d.,]*[ \t]*(?:万|亿|%|台|个|家|项|人|倍)")
_ANAPHOR = re.compile(r"^(?:这款|这个|这一|这项|该|此)")
_TITLE_COMPACT = re.compile(r"^(.{0,10}?)(发布|印发|出台|颁布|通过|实施|作出)了?.*?(《[^》]+》)")
_PERIOD_KINDS = ("range", "since", "decade")
# The name a bracketed period follows: `可信数据空间发展行动计划（2024—2028年）`.
_NAME_BEFORE_BRACKET = re.compile(r"([^\s\d，。；：、,.;:！？!?（）()《》“”\"「」【】]{2,})[ \t]*[（(][ \t]*$")
# A date that is the value of a `key:` field: front matter, a scraper's `fetch_date:`, a
# bibliographic export's `{Date}:`.
_FIELD_KEY = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_\-]*|\{[^{}]{1,40}\})[ \t]*[:：][ \t]*$")
_QUOTES = re.compile(r"[《》“”‘’\"「」\s]")
_WORDY = re.compile(r"[\u3400-\u9fffA-Za-z]")
_TITLE_OR_SIGNATURE_MAX = 40  # a line above a lone date that is a title or signature, not prose


@dataclass(frozen=True)
class EventRules:
    categories: list[tuple[str, list[str]]]
    target_connectors: list[str]
    target_keywords: list[str]
    entering_verbs: list[str]
    min_chars: int
    max_chars: int
    strip_prefixes: list[str]
    strip_suffixes: list[str]
    skip_clause_words: list[str]
    reference_marks: list[str]
    same_event_min_chars: int
    dates: DateRules


@cached_per_file(CATEGORIES_FILE)
def load_rules(lexicon_dir: Path) -> EventRules:
    data = (read_yaml(CATEGORIES_FILE, lexicon_dir) if (Path(lexicon_dir) / CATEGORIES_FILE).exists() else None) or {}
    target, phase, label = data.get("target") or {}, data.get("phase") or {}, data.get("label") or {}
    dates = data.get("dates") or {}
    by_length = lambda words: sorted((str(w) for w in words or []), key=len, reverse=True)  # noqa: E731
    words = lambda key: tuple(str(w) for w in dates.get(key) or [])  # noqa: E731
    return EventRules(
        categories=[(str(c["code"]), [str(k) for k in c.get("keywords") or []])
                    for c in data.get("categories") or [] if c and c.get("code")],
        target_connectors=[str(w) for w in target.get("connectors") or ["到"]],
        target_keywords=[str(w) for w in target.get("keywords") or []],
        entering_verbs=[str(w) for w in phase.get("entering_verbs") or ["进入"]],
        min_chars=int(label.get("min_chars", 4)),
        max_chars=int(label.get("max_chars", 32)),
        strip_prefixes=by_length(label.get("strip_prefixes")),
        strip_suffixes=by_length(label.get("strip_suffixes")),
        skip_clause_words=[str(w) for w in data.get("skip_clause_words") or []],
        reference_marks=[str(w) for w in data.get("reference_marks") or []],
        same_event_min_chars=int(label.get("same_event_min_chars", 10)),
        dates=DateRules(
            baseline_before=words("baseline_before"), baseline_after=words("baseline_after"),
            duration_before=words("duration_before"), duration_after=words("duration_after"),
            other_series=words("other_series"),
            relative_min_years=int(dates.get("relative_min_years", 2)),
        ),
    )


def document_events(doc_id: str, paras: list[Para], sections: list[Section], doc_year: int | None,
                    lexicon: Lexicon) -> list[dict]:
    """Event rows of one document (`paras`: all its paragraphs in reading order; `doc_year`: the
    document's own year, the only anchor of relative dates)."""
    paras = source_subset(paras)
    if not paras:
        return []
    return _document_events(doc_id, paras, doc_year, lexicon.events, lexicon.gazetteer, sections)


def document_years(documents: pd.DataFrame) -> dict:
    if documents is None or documents.empty or "year" not in documents:
        return {}
    return {d: int(y) for d, y in zip(documents["doc_id"], documents["year"], strict=True) if pd.notna(y)}


@dataclass(frozen=True)
class _Unit:
    """A sentence of a paragraph, or a heading: what one event's evidence can be."""

    section_id: str
    para_id: str  # a heading's: the first paragraph after it
    text: str  # as written: the evidence
    search: str  # the same with web addresses masked: what dates and names are read from
    heading: bool
    above: str  # for a sentence that is its whole paragraph, the line above it (else "")


def _units(paras: list[Para], sections: list[Section]) -> list[_Unit]:
    """Headings and sentences in reading order; a heading goes just before the first paragraph
    that follows it (a heading with no paragraph after it dates nothing)."""
    order = {s.section_id: s.order for s in sections}
    headings = sorted((s for s in sections if s.level and isinstance(s.heading, str) and s.heading.strip()),
                      key=lambda s: s.order)
    units: list[_Unit] = []
    above, next_heading = "", 0
    for p in paras:
        here = order.get(p.section_id)
        while next_heading < len(headings) and here is not None and headings[next_heading].order <= here:
            h = headings[next_heading]
            next_heading += 1
            text = h.heading.strip()
            units.append(_Unit(h.section_id, p.para_id, text, mask_urls(text), True, ""))
            above = text
        masked = mask_urls(p.text)
        whole = p.text.strip()
        for offset, sent in sentences(p.text):
            units.append(_Unit(p.section_id, p.para_id, sent, masked[offset:offset + len(sent)], False,
                               above if sent == whole else ""))
        above = whole
    return units


def _document_events(doc_id: str, paras: list[Para], doc_year: int | None, rules: EventRules,
                     gazetteer: Gazetteer, sections: list[Section]) -> list[dict]:
    events: list[dict] = []
    dated_entities: set[str] = set()
    undated: dict[str, dict] = {}
    for k, unit in enumerate(_units(paras, sections)):
        if contains_any(unit.search.replace("［", "[").replace("］", "]"), rules.reference_marks):
            continue  # a reference-list entry that reached the body (a PDF's list not recognised)
        mentions = gazetteer.mentions(unit.search)
        dates = find_dates(unit.search, doc_year, rules.dates)
        for row, attached in _sentence_events(unit, dates, mentions, rules, gazetteer):
            row.update(doc_id=doc_id, section_id=unit.section_id, para_id=unit.para_id, sentence=unit.text,
                       date_source="text", _key=(k, row.pop("_start")))
            events.append(row)
            if attached:
                dated_entities.add(attached.milestone.entity)
        for mention in mentions:
            if mention.milestone.entity not in undated:
                row = _gazetteer_row(doc_id, unit, mention, gazetteer)
                row["_key"] = (k, mention.start)
                undated[mention.milestone.entity] = row
    events = _once_each(events, rules)
    events += [row for entity, row in undated.items() if entity not in dated_entities]
    events.sort(key=lambda r: r["_key"])
    for k, row in enumerate(events, start=1):
        del row["_key"]
        row["event_id"] = f"e{k:03d}"
    return events


def _once_each(events: list[dict], rules: EventRules) -> list[dict]:
    """The same dated statement made again (same date, one label containing the other, the shorter
    at least `same_event_min_chars` long, or equal) is one event: the first."""
    kept: list[dict] = []
    seen: dict[tuple, list[str]] = {}
    for row in events:
        when = (row["year"], row["year_end"], row["month"], row["day"])
        label = _QUOTES.sub("", row["label"])
        labels = seen.setdefault(when, [])
        if any(label == other or (min(len(label), len(other)) >= rules.same_event_min_chars
                                  and (label in other or other in label)) for other in labels):
            continue
        labels.append(label)
        kept.append(row)
    return kept


def _sentence_events(unit: _Unit, dates: list[DateMention], mentions: list[Mention], rules: EventRules,
                     gazetteer: Gazetteer):
    sent = unit.text
    if unit.heading and len(dates) == 1 and dates[0].kind in _PERIOD_KINDS:
        name = strip_clause_punct(compact(drop_parentheticals(_without_dates(sent, 0, len(sent), dates))))
        if len(name) >= 2:  # `萌芽与诞生（1943—1956年）`, `1956 - 1974: 黄金时代`: a phase of the history
            yield {**_date_fields(dates[0]), "label": name, "category": "phase", "entity": None, "conflict": None,
                   "_start": dates[0].start}, None
            return
    phase_dates = _phase_dates(sent, dates)
    phase_years = {d.year for d in phase_dates}
    used_entities: set[str] = set()
    for date in dates:
        if date in phase_dates:
            yield {**_phase_row(sent, date, rules), "_start": date.start}, None
            continue
        if _is_page_furniture(sent, date, rules):
            continue  # `发布日期：2024-09-10 文号：…`, `fetch_date: 2025-10-04T08:22:17`
        label_text, span = _label_source(sent, date, dates, rules)
        if date.year in phase_years and "阶段" in label_text:
            continue  # `第三阶段（2017年至今）：……自2017年开始进入快速发展阶段` restates the phase
        if not _WORDY.search(_clean(label_text, rules)) and len(unit.above) <= _TITLE_OR_SIGNATURE_MAX:
            label_text = unit.above  # `（2022年12月2日）` under the title it dates
        mention = _attached_mention(sent, mentions, span, used_entities, rules)
        category = _category(sent, date, label_text, span, mention, rules)
        label = _finish_label(label_text, rules, mention.milestone.entity if mention else None)
        conflict = None
        if mention:
            used_entities.add(mention.milestone.entity)
            conflict = gazetteer.developer_conflict(sent, mention) or gazetteer.date_conflict(
                mention, date.year, date.month)
        yield {
            **_date_fields(date), "label": label, "category": category,
            "entity": mention.milestone.entity if mention else None, "conflict": conflict, "_start": date.start,
        }, mention


def _date_fields(date: DateMention) -> dict:
    return {"year": date.year, "year_end": date.year_end, "month": date.month, "day": date.day,
            "date_text": date.text, "approximate": date.approximate}


def _is_page_furniture(sent: str, date: DateMention, rules: EventRules) -> bool:
    if _FIELD_KEY.search(sent[max(0, date.start - 40):date.start]):
        return True  # `date: 2023-03-01`, `fetch_date: 2025-10-04T08:22:17`: metadata, not a statement
    spans = clauses(sent) or [(0, len(sent))]
    index = next((i for i, (a, b) in enumerate(spans) if a <= date.start < b), 0)
    nearby = sent[spans[index][0]:spans[index][1]]
    if index > 0 and sent[spans[index - 1][1] - 1] in "：:":
        nearby = sent[spans[index - 1][0]:spans[index - 1][1]] + nearby
    return contains_any(nearby, rules.skip_clause_words)


def _phase_dates(sent: str, dates: list[DateMention]) -> list[DateMention]:
    """Dates written in the parentheses of `第一阶段（1955-2005年）`."""
    out = []
    for m in _PHASE_RE.finditer(sent):
        inside = [d for d in dates if m.end() <= d.start <= m.end() + 3]
        if inside:
            out.append(inside[0])
    return out


def _phase_row(sent: str, date: DateMention, rules: EventRules) -> dict:
    ordinal = next(m for m in _PHASE_RE.finditer(sent) if m.end() <= date.start)
    name = None
    verbs = "|".join(map(re.escape, rules.entering_verbs)) or "进入"
    found = re.search(rf"(?:{verbs})([^，。；：、]{{1,14}}?阶段)", sent[date.end:])
    if found:
        name = found.group(1)
    label = f"第{ordinal.group(1)}阶段" + (f"：{name}" if name else "")
    return {"year": date.year, "year_end": date.year_end, "month": None, "day": None, "label": label,
            "category": "phase", "date_text": date.text, "approximate": date.approximate,
            "entity": None, "conflict": None}


def _label_source(sent: str, date: DateMention, dates: list[DateMention], rules: EventRules) -> tuple[str, tuple[int, int]]:
    """The clause that says what happened at `date` (without the date), and its span."""
    if date.kind in _PERIOD_KINDS:  # `…行动计划（2024—2028年）`: the period of what it follows
        window = max([date.start - 40, 0, *(d.end for d in dates if d.end <= date.start)])
        named = _NAME_BEFORE_BRACKET.search(sent[window:date.start])
        if named:
            a = window + named.start(1)
            return (f"《{named.group(1)}》" if sent[a - 1:a] == "《" else named.group(1)), (a, date.end)
    spans = clauses(sent) or [(0, len(sent))]
    index = next((i for i, (a, b) in enumerate(spans) if a <= date.start < b), 0)
    a, b = spans[index]
    text = _without_dates(sent, a, b, dates, keep=date if date.kind == "plan" else None)
    span = (a, b)
    if len(_clean(text, rules)) < rules.min_chars and index + 1 < len(spans):
        a2, b2 = spans[index + 1]
        if not any(a2 <= d.start < b2 for d in dates):
            text, span = _without_dates(sent, a2, b2, dates), (a2, b2)
    elif not _HAS_QUANTITY.search(text) and index + 1 < len(spans):
        a2, b2 = spans[index + 1]  # `2024年我国数字产业总体运行平稳，完成业务收入35万亿元`
        follow = sent[a2:b2]
        if _HAS_QUANTITY.search(follow) and not any(a2 <= d.start < b2 for d in dates):
            text, span = strip_clause_punct(text) + "，" + strip_clause_punct(follow), (a, b2)
    return text, span


def _without_dates(sent: str, a: int, b: int, dates: list[DateMention], keep: DateMention | None = None) -> str:
    """sent[a:b] with the date expressions (and their connectors 自/从/到/截至) cut out."""
    pieces, cursor = [], a
    for d in dates:
        if not (a <= d.start < b):
            continue
        cut = d.start
        if d.connector:
            before = sent[max(a, cut - len(d.connector) - 2):cut]
            idx = before.rfind(d.connector)
            if idx >= 0:
                cut = max(a, cut - len(before) + idx)
        pieces.append(sent[cursor:cut])
        cursor = max(cursor, d.start if d is keep else d.end)  # a plan keeps its name, loses 在/到
    pieces.append(sent[cursor:b])
    return "".join(pieces)


def _clean(text: str, rules: EventRules) -> str:
    text = compact(drop_parentheticals(strip_list_marker(text)))
    text = strip_clause_punct(text)
    changed = True
    while changed and text:
        changed = False
        for p in rules.strip_prefixes:
            if text.startswith(p) and len(text) > len(p) + 1:
                text, changed = strip_clause_punct(text[len(p):]), True
                break
        for s in rules.strip_suffixes:
            if text.endswith(s) and len(text) > len(s) + 3 and not text[: -len(s)].endswith(("被", "所")):
                text, changed = strip_clause_punct(text[: -len(s)]), True
                break
    return text


def _finish_label(text: str, rules: EventRules, entity: str | None = None) -> str:
    label = _clean(text, rules)
    if entity and _ANAPHOR.match(label):  # `这款面世的生成式人工智能模型` → `Claude面世`
        label = _ANAPHOR.sub(entity, label, count=1)
        label = label.split("的", 1)[0] if len(label.split("的", 1)[0]) >= len(entity) + 2 else label
    if len(label) > rules.max_chars:
        compacted = _TITLE_COMPACT.match(label)
        if compacted:
            label = "".join(compacted.groups())
    return shorten(label, rules.max_chars) or "（无标签）"


def _attached_mention(sent: str, mentions: list[Mention], span: tuple[int, int], used: set[str],
                      rules: EventRules) -> Mention | None:
    """The entity the dated clause is about: named in it, or referred back to by `这款/该…` from
    the clause just before (`以谷歌推出的 Claude为例，这款于2023年面世的…`)."""
    free = [m for m in mentions if m.milestone.entity not in used]
    inside = [m for m in free if span[0] <= m.start < span[1]]
    if inside:
        return inside[0]
    if _ANAPHOR.match(_clean(sent[span[0]:span[1]], rules)):
        spans = clauses(sent)
        previous = [(a, b) for a, b in spans if b <= span[0]]
        if previous:
            a, b = previous[-1]
            before = [m for m in free if a <= m.start < b]
            if before:
                return before[-1]
    return None


def _category(sent: str, date: DateMention, label_text: str, span: tuple[int, int], mention: Mention | None,
              rules: EventRules) -> str:
    if (date.connector in rules.target_connectors and contains_any(sent[span[0]:span[1]], rules.target_keywords)
            and "从" not in sent[: date.start]):
        return "target"
    if mention:
        return mention.milestone.category
    for code, keywords in rules.categories:
        if contains_any(label_text, keywords):
            return code
    return "other"


def _gazetteer_row(doc_id: str, unit: _Unit, mention: Mention, gazetteer: Gazetteer) -> dict:
    ms = mention.milestone
    return {
        "doc_id": doc_id, "year": ms.year, "year_end": None, "month": ms.month, "day": ms.day,
        "label": ms.label, "category": ms.category, "sentence": unit.text, "section_id": unit.section_id,
        "para_id": unit.para_id, "date_text": ms.entity, "date_source": "gazetteer", "approximate": False,
        "entity": ms.entity, "conflict": gazetteer.developer_conflict(unit.text, mention),
    }
