"""Policy recommendations, one row per item, classified with `policy_taxonomy.yaml`.

Where recommendations are: a top-level section whose heading names them (政策建议, 实践进路,
政策协同 …) or whose sub-headings mostly start with an imperative verb (形成… 建立… 培育…).
Each `（一）` sub-section is a row; its list items (第一，… / ①… / (1)…) are rows with `parent_id`
pointing at it; nested items (一是… inside 第三，…) stay in their item's text. A document with
only an abstract (a journal web page) contributes the items enumerated after a recommendation
verb in a recommendation sentence (`……可以……打造A、B、C以及D`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.extract.rows import Para, Section, source_subset
from corpus.extract.text import (
    clauses,
    contains_any,
    sentences,
    shorten,
    strip_clause_punct,
    strip_list_marker,
)
from corpus.extract.tree import SectionTree
from corpus.lexicon import cached_per_file, read_yaml

if TYPE_CHECKING:  # a type only: the lexicon module imports this one's loader
    from corpus.lexicon import Lexicon

TAXONOMY_FILE = "policy_taxonomy.yaml"
TITLE_SENTENCE_CHARS = 40
TITLE_CLAUSE_CHARS = 32
TITLE_WEIGHT = 10  # a keyword in the title outweighs its mentions in the text; the text breaks ties
_PURPOSE = re.compile(r"^(?:为了|为|以便|通过对)")
_HEADING_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])\s*")
_ITEM_SPLIT = re.compile(r"、|以及|及|和|与")


@dataclass(frozen=True)
class Taxonomy:
    domains: list[tuple[str, list[str]]]
    subtools: list[tuple[str, str, list[str]]]  # (tool, subtool label, keywords)
    default_tool: str
    actors: list[tuple[str, list[str]]]
    horizons: list[tuple[str, list[str]]]
    section_keywords: list[str]
    excluded_keywords: list[str]
    imperative_verbs: list[str]
    abstract_cues: list[str]
    abstract_verbs: list[str]


@cached_per_file(TAXONOMY_FILE)
def load_taxonomy(lexicon_dir: Path) -> Taxonomy:
    path = Path(lexicon_dir) / TAXONOMY_FILE
    data = (read_yaml(TAXONOMY_FILE, lexicon_dir) if path.exists() else None) or {}
    words = lambda v: [str(w) for w in v or []]  # noqa: E731
    rec = data.get("recommendations") or {}
    subtools = [(str(tool), str(sub.get("label")), words(sub.get("keywords")))
                for tool, spec in (data.get("tools") or {}).items()
                for sub in (spec or {}).get("subtools") or [] if sub and sub.get("label")]
    return Taxonomy(
        domains=[(str(d["code"]), words(d.get("keywords"))) for d in data.get("domains") or [] if d and d.get("code")],
        subtools=subtools,
        default_tool=str(data.get("default_tool") or "environment"),
        actors=[(str(code), words((spec or {}).get("keywords"))) for code, spec in (data.get("actors") or {}).items()],
        horizons=[(str(code), words(kws)) for code, kws in (data.get("horizons") or {}).items()],
        section_keywords=words(rec.get("section_keywords")),
        excluded_keywords=words(rec.get("excluded_section_keywords")),
        imperative_verbs=words(rec.get("imperative_verbs")),
        abstract_cues=words(rec.get("abstract_cues")),
        abstract_verbs=words(rec.get("abstract_verbs")),
    )


def recommendation_sections(tree: SectionTree, taxonomy: Taxonomy) -> list[str]:
    """Top-level sections that hold recommendations (see the module doc)."""
    found = []
    for sid in tree.ids():
        if tree.level(sid) != 1:
            continue
        heading = tree.heading(sid)
        if contains_any(heading, taxonomy.excluded_keywords):
            continue
        if contains_any(heading, taxonomy.section_keywords):
            found.append(sid)
            continue
        kids = [_HEADING_NUMBER.sub("", tree.heading(k)) for k in tree.children(sid)]
        imperative = [h for h in kids if h.startswith(tuple(taxonomy.imperative_verbs))]
        if len(kids) >= 2 and len(imperative) * 2 > len(kids):
            found.append(sid)
    return found


def document_policies(doc_id: str, paras: list[Para], sections: list[Section], lexicon: Lexicon) -> list[dict]:
    """Policy rows of one document (`paras`: all its paragraphs in reading order)."""
    paras = source_subset(paras)
    if not paras:
        return []
    taxonomy = lexicon.taxonomy
    tree = SectionTree(sections)
    items = _section_items(tree, paras, taxonomy)
    if not items and all(p.kind == "abstract" for p in paras):
        items = _abstract_items(paras, taxonomy)
    for k, item in enumerate(items, start=1):
        item["policy_id"] = f"r{k:03d}"
    ids = {id(item): item["policy_id"] for item in items}
    rows = []
    for item in items:
        parent = item.pop("_parent", None)
        rows.append(_classify({**item, "doc_id": doc_id, "parent_id": ids.get(id(parent)) if parent else None},
                              tree, taxonomy))
    order = [code for code, _ in taxonomy.actors]
    for row in rows:  # a heading addresses whoever its items address
        kids = [r for r in rows if r["parent_id"] == row["policy_id"]]
        for kid in kids:
            row["actors"] = row["actors"] + [a for a in kid["actors"] if a not in row["actors"]]
        row["actors"] = sorted(row["actors"], key=order.index)
    return rows


def _section_items(tree: SectionTree, paras: list[Para], taxonomy: Taxonomy) -> list[dict]:
    items: list[dict] = []
    for top in recommendation_sections(tree, taxonomy):
        groups = tree.children(top) or [top]
        for group in groups:
            members = set(_descendants(tree, group))
            group_paras = [p for p in paras if p.section_id in members]
            if not group_paras and group == top:
                continue
            items.extend(_group_items(tree, group, group_paras, is_heading_row=group != top))
    return items


def _descendants(tree: SectionTree, sid: str) -> list[str]:
    out = [sid]
    for kid in tree.children(sid):
        out.extend(_descendants(tree, kid))
    return out


def _marker_family(marker) -> str | None:
    if not isinstance(marker, str) or not marker:
        return None
    if marker.startswith("第"):
        return "ordinal"
    if marker[0] in "①②③④⑤⑥⑦⑧⑨⑩":
        return "circled"
    if marker[0] in "(（":
        return "paren"
    if marker.endswith("是"):
        return "shi"
    return "other"


def _group_items(tree: SectionTree, group: str, paras: list[Para], is_heading_row: bool) -> list[dict]:
    """The `（一）` heading row (with its intro text) and one row per top-level list item."""
    intro, items, family = [], [], None
    for p in paras:
        kind_family = _marker_family(p.list_marker) if p.kind == "list_item" else None
        if kind_family and (family is None or kind_family == family):
            family = kind_family
            items.append({"section_id": p.section_id, "para_id": p.para_id, "text": p.text})
        elif items:
            items[-1]["text"] += "\n" + p.text  # a continuation or a nested item belongs to its item
        else:
            intro.append(p)
    rows = []
    parent = None
    if is_heading_row:
        heading = _HEADING_NUMBER.sub("", tree.heading(group))
        first = intro[0] if intro else (paras[0] if paras else None)
        body = [p.text for p in intro] if items else [p.text for p in paras]
        parent = {"section_id": group, "para_id": first.para_id if first is not None else None,
                  "title": heading, "text": "\n".join([heading, *body])}
        rows.append(parent)
    for item in items:
        rows.append({**item, "title": _title(item["text"]), "_parent": parent})
    return rows


def _title(text: str) -> str:
    """The item's first sentence when short; else its first clause (skipping a `为……` purpose clause)."""
    first_line = strip_list_marker(text.split("\n", 1)[0])
    sents = sentences(first_line)
    first = strip_clause_punct(sents[0][1]) if sents else first_line
    if len(first) <= TITLE_SENTENCE_CHARS:
        return first
    spans = clauses(first)
    parts = [strip_clause_punct(first[a:b]) for a, b in spans] or [first]
    title = parts[0]
    if _PURPOSE.match(title) and len(parts) > 1:
        title = parts[1]
    return shorten(title, TITLE_CLAUSE_CHARS)


def _abstract_items(paras: list[Para], taxonomy: Taxonomy) -> list[dict]:
    verbs = "|".join(map(re.escape, sorted(taxonomy.abstract_verbs, key=len, reverse=True)))
    if not verbs:
        return []
    items = []
    for p in paras:
        sents = [s for _, s in sentences(p.text)]
        for k, sent in enumerate(sents):
            if not contains_any(sent, taxonomy.abstract_cues):
                continue
            # the next sentence usually says who acts (`发挥政府、市场、企业和社会共同作用`)
            context = sent + (sents[k + 1] if k + 1 < len(sents) and not contains_any(sents[k + 1], taxonomy.abstract_cues) else "")
            for m in re.finditer(rf"(?:{verbs})([^，。；：]+)", sent):
                parts = [strip_clause_punct(x) for x in _ITEM_SPLIT.split(m.group(1))]
                parts = [x for x in parts if len(x) >= 3]
                if len(parts) >= 3:
                    items.extend({"section_id": p.section_id, "para_id": p.para_id, "title": x, "text": context,
                                  "_shared_text": True}
                                 for x in parts)
    return items


def _count(text: str, keywords: list[str]) -> int:
    return sum(text.count(k) for k in keywords if k)


def _classify(item: dict, tree: SectionTree, taxonomy: Taxonomy) -> dict:
    title, text = item["title"], item["text"]
    # Items enumerated in one sentence share their text: only their own words tell them apart.
    shared = item.pop("_shared_text", False)
    scores = [(TITLE_WEIGHT * _count(title, kws) + (0 if shared else _count(text, kws)), -i, code)
              for i, (code, kws) in enumerate(taxonomy.domains)]
    domain = max(scores)[2] if scores and max(scores)[0] > 0 else (taxonomy.domains[0][0] if taxonomy.domains else "")
    tool_scores = [(TITLE_WEIGHT * _count(title, kws) + _count(text, kws), -i, tool, label)
                   for i, (tool, label, kws) in enumerate(taxonomy.subtools)]
    best = max(tool_scores) if tool_scores else None
    tool, subtool = (best[2], best[3]) if best and best[0] > 0 else (taxonomy.default_tool, None)
    actors = [code for code, kws in taxonomy.actors if contains_any(text, kws)]
    context = " ".join(tree.headings_up(item["section_id"]))
    horizon = next((code for code, kws in taxonomy.horizons if contains_any(context, kws)), None)
    return {**item, "domain": domain, "tool": tool, "subtool": subtool, "actors": actors, "horizon": horizon}
