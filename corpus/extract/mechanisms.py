"""Each document's own mechanisms and paths, with the defining sentence, aligned to shared axes.

Rules, each generic and driven by `mechanism_axes.yaml` (what counts as a name, and the cues of
every axis value):

1. heading names  `1. 人工智能促进员工新质生产力涌现机制：能力机制` → a family row; the members
   found in that section get it as `group`;
2. definitions    `首先，能力整合机制强调……`, `(1)营销路径中，……` (name at sentence start + a cue);
3. enumerations   `通过A机制、B机制和C机制` (two or more names with the same suffix);
4. section kinds  the sub-sections of `二、……机理分析` are mechanisms;
5. list cues      `A、B、C是其内在机理`;
6. factor clauses `在劳动者层面催生智能生产力` (factor from the text); the `基于A、B以及C` list
                  before them, aligned one-to-one, names the same items (aliases);
7. numbered lists `提出……的四条路径：一是……；二是……`;
8. named mechanisms in any document and section (regulations, plans, reports, papers):
   `建立健全推进协调机制`, `完善数据要素收益的再分配调节机制`, `国务院联防联控机制统筹协调` — the
   noun phrase before `机制`, from the clause start or after a lead word (`建立`, `完善`, `通过` …),
   kept out when it is a bare generic head (`激励机制`, `有效的监管机制`), a described
   `……的机制`, a technical term or a problem statement (`未能形成……机制`).

Rules 1–7 skip recommendation sections (they restate the mechanisms as policy targets); rule 8
reads every section, and the abstract only when the document has no body. A name that is an axis
value itself (`劳动者`, `劳动资料`) or a single word (`科技`) is no mechanism.

The same name found several times becomes one row (the best evidence wins: a definition over a
heading over an enumeration over a named mention, body over abstract); a named mention whose name
ends with a name found by rules 1–7 is that mechanism, and of two named mentions the longer one
ending with the other (`数据要素价格形成机制`, `价格形成机制`) is an alias, when the shorter one has
a qualifier of its own (`same_as_min_chars`). Two enumerations of the
same length that differ in one position (abstract `劳动替代机制` vs body `互补式替代机制`) name the
same mechanism: one row with the defined name and the other in `aliases`. Names in sentences that
report another author (`朱宏任……提出`, `张文武等从……`, `借鉴卢江等的研究`) get `own=False`.

Axes (factor, level, type): what the text states first (`在劳动者层面`, a `员工层面` heading), else
the cue nearest the name's head in the name, then the cue nearest the name in its clause (other
mechanisms' names aside), then — level only — the issuing government's when the document itself
directs the mechanism (`建立健全……机制`, not in a paper), then the cue nearest the name in its
sentence, then — factor and type only — the section headings. The words that decided are kept in
`<axis>_reason`, as the document writes them. No cue, no value; a text naming three factors at once
aligns with none.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.extract.dates import cn_number
from corpus.extract.policies import recommendation_sections
from corpus.extract.rows import Para, Section, group_by
from corpus.extract.text import (
    clauses,
    compact,
    contains_any,
    sentences,
    shorten,
    spans_of,
    strip_clause_punct,
    strip_list_marker,
)
from corpus.extract.tree import SectionTree
from corpus.lexicon import cached_per_file, read_yaml

if TYPE_CHECKING:  # a type only: the lexicon module imports this one's loader
    from corpus.lexicon import Lexicon

AXES_FILE = "mechanism_axes.yaml"
NAME_CHARS = r"[\u4e00-\u9fff“”\"\-－]"
MAX_NAME_CHARS = 14
_LEAD_INS = ("通过", "包括", "涉及", "以及", "及", "即", "是", "为", "了", "的", "在", "对", "由", "将", "以", "用", "从",
             "其", "和", "与", "挖掘", "提出", "形成", "构建", "基于")
_BAD_START = re.compile(r"^(?:这|该|此|其|两|各|多|每|[一二三四五六七八九十\d]+[种条个大项])")
_SPLIT_ITEMS = re.compile(r"(以及|及其|及|和|与|、|，|,|；|。|：)")
_LIST_SEPARATORS = {"以及", "及其", "及", "和", "与", "、"}
_COUNT_WORD = re.compile(r"(?:等)?([一二三四五六七八九十两\d]+)个$")
_NUMBERED = re.compile(r"提出(?P<what>[^：:。；]{0,30}?)(?P<n>[一二三四五六七八九十\d]+)(?:条|种|个|大)(?P<kind>路径|机制)[：:]")
_SHI_ITEM = re.compile(r"[一二三四五六七八九十]是(.+?)(?=；|;|。|[一二三四五六七八九十]是|$)")
_CHARACTERISED = re.compile(r"^以(.{2,10}?)为(?:特征|标志|核心)的")
_NAME_RE = re.compile(rf"{NAME_CHARS}{{2,{MAX_NAME_CHARS + 2}}}")
# Rule 8: what a clause may open with before its text (article, list and heading numbers).
_OPENING = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款]|[（(][一二三四五六七八九十\d]{1,3}[）)]"
                      r"|第[一二三四五六七八九十]+[，,、]|[一二三四五六七八九十]+[是要][，,]?|[一二三四五六七八九十]+[、.．]"
                      r"|[①-⑳]|\d{1,2}[.．、])\s*")
_NAMED_CHARS = re.compile(r"[\u4e00-\u9fff“”\"、\-－·A-Za-z0-9]+$")  # the run a named mechanism is made of
_JOINERS = ("以及", "、", "和", "及", "与", "或")  # between two parts of one name, or two names
_QUOTE = "“”\""


@dataclass(frozen=True)
class NamedRules:
    """Rule 8's word lists (`named_mechanisms` in mechanism_axes.yaml)."""

    heads: list[str]
    head_modifiers: list[str]
    lead_words: list[str]
    opening_words: list[str]
    leading_prepositions: str
    weak_prepositions: str
    imperative_openings: list[str]
    generic_qualifiers: set[str]
    evaluative_modifiers: list[str]
    other_heads: list[str]
    demonstratives: list[str]
    negation_cues: list[str]
    study_cues: list[str]
    process_words: list[str]
    not_before: list[str]
    machine_words: list[str]
    same_as_min_chars: int
    max_chars: int

    @cached_property
    def head_re(self) -> re.Pattern | None:
        return re.compile("|".join(map(re.escape, self.heads))) if self.heads else None

    @cached_property
    def lead_re(self) -> re.Pattern | None:
        """Lead words, each with an optional `了` (`建立了`)."""
        words = sorted(self.lead_words, key=len, reverse=True)
        return re.compile("(?:" + "|".join(map(re.escape, words)) + ")了?") if words else None

    def head_of(self, name: str) -> str | None:
        return next((h for h in self.heads if name.endswith(h)), None)


@dataclass(frozen=True)
class Axes:
    factors: list[tuple[str, list[str]]]
    levels: list[tuple[str, list[str]]]
    factor_cues: list[tuple[str, list[str]]]
    factor_spread: int
    level_cues: list[tuple[str, list[str]]]
    directive_level: str | None
    directive_words: list[str]
    type_cues: list[tuple[str, list[str]]]
    cue_blockers: list[str]
    kinds: list[tuple[str, list[str]]]  # kind -> name suffixes
    min_chars_without_suffix: int
    definition_cues: list[str]
    sequence_words: list[str]
    section_kinds: list[tuple[str, list[str]]]
    list_cues: dict[str, list[str]]
    not_mechanisms: set[str]
    named: NamedRules
    attribution_cues: list[str]
    literature_keywords: list[str]
    surnames: str
    borrowed_cues: list[str]

    def kind_of(self, name: str) -> str | None:
        for kind, suffixes in self.kinds:
            if name.endswith(tuple(suffixes)):
                return kind
        return None

    def factor_of(self, text: str) -> str | None:
        for code, aliases in self.factors:
            if text in aliases:
                return code
        return None

    def level_of_heading(self, heading: str) -> tuple[str, str] | None:
        """(level, the words saying it) of the one level a heading is about; None when it names
        several (`员工、企业和产业层面`)."""
        named = {name for name, _ in self.levels if name in heading}
        if len(named) > 1:
            return None
        return self.level_in(heading)

    # Patterns built from the lists above, compiled once per loaded file (not once per sentence).
    @cached_property
    def suffixes(self) -> tuple[str, ...]:
        return tuple(s for _, sfx in self.kinds for s in sfx)

    @cached_property
    def axis_words(self) -> set[str]:
        """The axes' own names (`劳动者`, `劳动资料`, `要素组合`): a coordinate, never a mechanism."""
        return {w for code, aliases in self.factors for w in [code, *aliases]} | {name for name, _ in self.levels}

    @cached_property
    def definition_re(self) -> re.Pattern | None:
        suffixes = "|".join(map(re.escape, self.suffixes))
        cues = "|".join(map(re.escape, self.definition_cues))
        if not suffixes or not cues:
            return None
        return re.compile(rf"({NAME_CHARS}{{2,{MAX_NAME_CHARS}}}?(?:{suffixes}))(?:{cues})")

    @cached_property
    def factor_clause_re(self) -> re.Pattern | None:
        aliases = "|".join(re.escape(a) for _, al in self.factors for a in al)
        if not aliases:
            return None
        return re.compile(rf"在(?:[\u4e00-\u9fff]{{0,8}}的)?({aliases})层面(?:催生|提供|促发|形成|推动|实现|带来|表现为)(.+?)(?=[，。；,;]|$)")

    @cached_property
    def attribution_re(self) -> re.Pattern | None:
        cues = "|".join(map(re.escape, self.attribution_cues))
        if not cues:
            return None
        surname = "[" + re.escape(self.surnames) + "]" if self.surnames else r"[\u4e00-\u9fff]"
        person = rf"(?:{surname}[\u4e00-\u9fff]{{1,2}}|[\u4e00-\u9fff]{{2,5}}·[\u4e00-\u9fff]{{2,6}})"
        return re.compile(rf"^(?:如|正如|据)?{person}(?:等人?|和{person})?(?:{cues})")

    @cached_property
    def list_cue_order(self) -> list[tuple[str, str]]:
        """(kind, cue) in the order rule 5 tries them: kinds as in the file, longer cues first."""
        return [(kind, cue) for kind, cues in self.list_cues.items() for cue in sorted(cues, key=len, reverse=True)]

    def level_in(self, text: str) -> tuple[str, str] | None:
        """(level, words) of the last level named in `text` (the one closest to what follows it)."""
        best, where = None, -1
        for name, aliases in self.levels:
            for alias in aliases:
                pos = text.rfind(alias)
                if pos > where:
                    best, where = (name, alias), pos
        return best


@cached_per_file(AXES_FILE)
def load_axes(lexicon_dir: Path) -> Axes:
    path = Path(lexicon_dir) / AXES_FILE
    data = (read_yaml(AXES_FILE, lexicon_dir) if path.exists() else None) or {}
    words = lambda v: [str(w) for w in v or []]  # noqa: E731
    factors = data.get("factors") or []
    levels = data.get("levels") or []
    named = data.get("named_mechanisms") or {}
    return Axes(
        factors=[(str(f["code"]), words(f.get("aliases")) or [str(f["code"])]) for f in factors],
        levels=[(str(v["name"]), words(v.get("aliases"))) for v in levels],
        factor_cues=[(str(f["code"]), words(f.get("cues"))) for f in factors],
        factor_spread=int(data.get("factor_spread") or 0),
        level_cues=[(str(v["name"]), words(v.get("cues"))) for v in levels],
        directive_level=str(data["directive_level"]) if data.get("directive_level") else None,
        directive_words=sorted(words(data.get("directive_words")), key=len, reverse=True),
        type_cues=[(str(t["code"]), words(t.get("cues"))) for t in data.get("types") or []],
        cue_blockers=sorted(words(data.get("cue_blockers")), key=len, reverse=True),
        kinds=[(str(k), words(v)) for k, v in (data.get("kinds") or {}).items()],
        min_chars_without_suffix=int(data.get("min_chars_without_suffix") or 2),
        definition_cues=sorted(words(data.get("definition_cues")), key=len, reverse=True),
        sequence_words=sorted(words(data.get("sequence_words")), key=len, reverse=True),
        section_kinds=[(str(k), words(v)) for k, v in (data.get("section_kinds") or {}).items()],
        list_cues={str(k): words(v) for k, v in (data.get("list_cues") or {}).items()},
        not_mechanisms=set(words(data.get("not_mechanisms"))),
        named=NamedRules(
            heads=sorted(words(named.get("heads")), key=len, reverse=True),
            head_modifiers=words(named.get("head_modifiers")),
            lead_words=words(named.get("lead_words")),
            opening_words=sorted(words(named.get("opening_words")), key=len, reverse=True),
            leading_prepositions="".join(words(named.get("leading_prepositions"))),
            weak_prepositions="".join(words(named.get("weak_prepositions"))),
            imperative_openings=words(named.get("imperative_openings")),
            generic_qualifiers=set(words(named.get("generic_qualifiers"))),
            evaluative_modifiers=sorted(words(named.get("evaluative_modifiers")), key=len, reverse=True),
            other_heads=words(named.get("other_heads")),
            demonstratives=sorted(words(named.get("demonstratives")), key=len, reverse=True),
            negation_cues=words(named.get("negation_cues")),
            study_cues=words(named.get("study_cues")),
            process_words=words(named.get("process_words")),
            not_before=words(named.get("not_before")),
            machine_words=words(named.get("machine_words")),
            same_as_min_chars=int(named.get("same_as_min_chars") or 4),
            max_chars=int(named.get("max_chars") or 40),
        ),
        attribution_cues=words(data.get("attribution_cues")),
        literature_keywords=words(data.get("literature_section_keywords")),
        surnames=str(data.get("common_surnames") or ""),
        borrowed_cues=words(data.get("borrowed_cues")),
    )


@dataclass
class Occurrence:
    name: str
    kind: str
    section_id: str
    para_id: str
    sentence: str
    priority: int  # 5 definition, 4 heading / section kind / factor clause, 3 list cue, 2 enumeration, 1 named
    order: tuple[int, int]
    in_abstract: bool = False
    level: str | None = None
    group: str | None = None
    factor: str | None = None
    own: bool = True
    aliases: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # axis -> the words that stated it


def document_mechanisms(doc_id: str, paras: list[Para], sections: list[Section], lexicon: Lexicon) -> list[dict]:
    """Mechanism rows of one document (`paras`: all its paragraphs in reading order)."""
    if not paras:
        return []
    axes, taxonomy = lexicon.axes, lexicon.taxonomy
    tree = SectionTree(sections)
    skipped = {s for top in recommendation_sections(tree, taxonomy) for s in _descendants(tree, top)}
    found = _DocumentScan(tree, axes).run(paras, skipped)
    rows = _merge(found, axes)
    is_paper = any(p.kind == "abstract" for p in paras)  # a paper's recommendations have no issuer
    aligned = [_align(occ, rows, tree, axes, is_paper) for occ in rows]
    return [{
        "doc_id": doc_id, "mechanism_id": f"m{k:03d}", "name": occ.name, "kind": occ.kind,
        "level": axis["level"][0], "factor": axis["factor"][0], "type": axis["type"][0], "group": occ.group,
        "description": occ.sentence, "section_id": occ.section_id, "para_id": occ.para_id, "own": occ.own,
        "aliases": occ.aliases, "factor_reason": axis["factor"][1], "level_reason": axis["level"][1],
        "type_reason": axis["type"][1],
    } for k, (occ, axis) in enumerate(zip(rows, aligned, strict=True), start=1)]


def _descendants(tree: SectionTree, sid: str) -> list[str]:
    out = [sid]
    for kid in tree.children(sid):
        out.extend(_descendants(tree, kid))
    return out


class _DocumentScan:
    def __init__(self, tree: SectionTree, axes: Axes):
        self.tree, self.axes = tree, axes
        self.found: list[Occurrence] = []
        self.enumerations: list[list[Occurrence]] = []
        self.families: dict[str, str] = {}  # section id -> family name from its heading

    def run(self, all_paras: list[Para], skipped: set[str]) -> tuple[list[Occurrence], list[list[Occurrence]]]:
        paras = [p for p in all_paras if p.section_id not in skipped]
        by_section = group_by(paras, lambda p: p.section_id)
        order_of = {p.para_id: int(p.order) for p in all_paras}
        self._headings(by_section, order_of)
        self._section_kinds(by_section, order_of)
        # A section's level, family and literature status do not change from sentence to sentence.
        section_context: dict[str, tuple] = {}
        for p in paras:
            in_abstract = p.kind == "abstract"
            context = section_context.get(p.section_id)
            if context is None:
                context = section_context[p.section_id] = (
                    self._in_literature(p.section_id), self._level(p.section_id), self._family(p.section_id))
            in_literature, level, family = context
            for offset, sent in sentences(p.text):
                ctx = _Context(p.section_id, p.para_id, sent, (int(p.order), offset), in_abstract,
                               not in_literature and not _attributed(sent, self.axes), level, family)
                self._definition(ctx)
                self._enumerations(ctx)
                self._list_cues(ctx)
                self._factor_clauses(ctx)
                self._numbered(ctx)
        self._named(all_paras, order_of)
        return self.found, self.enumerations

    # --- context -------------------------------------------------------------------------
    def _level(self, section_id: str) -> tuple[str, str] | None:
        for heading in self.tree.headings_up(section_id):
            level = self.axes.level_of_heading(heading)
            if level:
                return level
        return None

    def _family(self, section_id: str) -> str | None:
        for sid in self.tree.lineage(section_id):
            if sid in self.families:
                return self.families[sid]
        return None

    def _own(self, section_id: str, sent: str) -> bool:
        return not self._in_literature(section_id) and not _attributed(sent, self.axes)

    def _in_literature(self, section_id: str) -> bool:
        return any(contains_any(h, self.axes.literature_keywords) for h in self.tree.headings_up(section_id))

    def _add(self, ctx: _Context, name: str, kind: str, priority: int, named: bool = False,
             **extra) -> Occurrence | None:
        name = compact(name).strip("，、；：。 ")
        if not named and self.axes.named.head_of(name):
            name, _ = _name_before(name, self.axes, at_opening=True)  # `健全激励机制` → none; `通过A机制` → `A机制`
            if name and _problem_or_study_sentence(ctx.sentence, name, self.axes.named):
                return None
        if not name or not _valid_name(name, self.axes, named):
            return None
        level = extra.pop("level", ctx.level)
        if ctx.in_abstract and level is None:
            level = self.axes.level_in(ctx.sentence[: max(0, ctx.sentence.find(name))])
        reasons = extra.pop("reasons", {})
        if level:
            level, reasons["level"] = level
        if extra.get("factor") and "factor" not in reasons:
            reasons["factor"] = extra.get("factor_words") or name
        extra.pop("factor_words", None)
        occ = Occurrence(name=name, kind=kind, section_id=ctx.section_id, para_id=ctx.para_id, sentence=ctx.sentence,
                         priority=priority, order=ctx.order, in_abstract=ctx.in_abstract, level=level,
                         group=extra.pop("group", ctx.family), own=extra.pop("own", ctx.own), reasons=reasons, **extra)
        if occ.group == occ.name:
            occ.group = None
        self.found.append(occ)
        return occ

    # --- rule 1: heading names -------------------------------------------------------------
    def _headings(self, by_section: dict, order_of: dict) -> None:
        for sid in self.tree.ids():
            heading = self.tree.heading(sid)
            head, sep, tail = heading.replace(":", "：").partition("：")
            name = compact(tail).strip()
            kind = self.axes.kind_of(name) if sep else None
            if not kind or not _valid_name(name, self.axes):
                continue
            self.families[sid] = name
            sent, para_id, order = self._first_sentence(sid, by_section, order_of, containing=name)
            ctx = _Context(sid, para_id, sent or heading, order, False, self._own(sid, heading), self._level(sid), None)
            self._add(ctx, name, kind, 4, group=None)

    def _first_sentence(self, sid: str, by_section: dict, order_of: dict, containing: str | None = None,
                        strict: bool = False):
        """The section's first sentence containing `containing` (else, unless strict, its first)."""
        none = (None, None, (10**6, 0))
        group = by_section.get(sid)
        if not group:
            return none
        first = None
        for p in group:
            for offset, sent in sentences(p.text):
                if first is None:
                    first = (sent, p.para_id, (order_of[p.para_id], offset))
                if containing and containing.strip("“”") in sent:
                    return sent, p.para_id, (order_of[p.para_id], offset)
        return none if strict else first

    # --- rule 4: sub-sections of a mechanism section -----------------------------------------
    def _section_kinds(self, by_section: dict, order_of: dict) -> None:
        for top in self.tree.ids():
            if self.tree.level(top) != 1:
                continue
            kind = next((k for k, kws in self.axes.section_kinds if contains_any(self.tree.heading(top), kws)), None)
            if not kind:
                continue
            for sid in self.tree.children(top):
                heading = self.tree.heading(sid)
                text = "\n".join("\n".join(p.text for p in by_section[s] if isinstance(p.text, str))
                                 for s in _descendants(self.tree, sid) if s in by_section)
                name = _heading_subject(heading, text)
                # Evidence: the sub-section's first sentence naming its subject; else the parent's
                # introduction, which names each sub-section in one framing sentence; else the first.
                where = sid
                sent, para_id, order = self._first_sentence(sid, by_section, order_of, containing=name, strict=True)
                if sent is None:
                    where = top
                    sent, para_id, order = self._first_sentence(top, by_section, order_of, containing=name, strict=True)
                if sent is None:
                    where = sid
                    sent, para_id, order = self._first_sentence(sid, by_section, order_of)
                ctx = _Context(where, para_id or "", sent or heading, order, False, self._own(sid, heading),
                               self._level(sid), None)
                self._add(ctx, name, kind, 4, group=None)

    # --- rule 2: definitions ---------------------------------------------------------------
    def _definition(self, ctx: _Context) -> None:
        text = strip_list_marker(ctx.sentence)
        for word in self.axes.sequence_words:
            if text.startswith(word):
                text = text[len(word):].lstrip("，,、 ")
                break
        pattern = self.axes.definition_re
        if pattern is None:
            return
        m = pattern.match(text)
        if m:
            self._add(ctx, m.group(1), self.axes.kind_of(m.group(1)), 5)

    # --- rule 3: enumerations of names with the same suffix ---------------------------------
    def _enumerations(self, ctx: _Context) -> None:
        pieces = _SPLIT_ITEMS.split(ctx.sentence)
        chunks = [(pieces[i], pieces[i + 1] if i + 1 < len(pieces) else "") for i in range(0, len(pieces), 2)]
        run: list[str] = []
        run_kind = None

        def flush():
            if len(run) >= 2:
                items = [o for o in (self._add(ctx, n, run_kind, 2) for n in run) if o]
                if len(items) >= 2:
                    self.enumerations.append(items)

        suffixes = self.axes.suffixes
        for chunk, sep in chunks:
            # A name is the end of its chunk: a chunk that ends in no kind suffix holds none.
            name = _trim_lead_in(chunk) if chunk.strip().endswith(suffixes) else ""
            kind = self.axes.kind_of(name) if name else None
            if kind and (not run or kind == run_kind):
                run.append(name)
                run_kind = kind
            else:
                flush()
                run, run_kind = ([name], kind) if kind else ([], None)
            if sep not in _LIST_SEPARATORS:
                flush()
                run, run_kind = [], None
        flush()

    # --- rule 5: lists before a cue word ----------------------------------------------------
    def _list_cues(self, ctx: _Context) -> None:
        for kind, cue in self.axes.list_cue_order:
            if cue not in ctx.sentence:
                continue
            for start, _ in spans_of(cue, ctx.sentence):
                region = self._cue_region(ctx.sentence, start, kind, cue)
                if region is None:
                    continue
                items, expected = region
                if len(items) < 2 or (expected and len(items) != expected):
                    continue
                for item in items:
                    self._add(ctx, item, kind, 3, factor=self.axes.factor_of(item))

    def _cue_region(self, sent: str, cue_start: int, kind: str, cue: str):
        spans = clauses(sent)
        a = next((x for x, y in spans if x <= cue_start < y), 0)
        region = sent[a:cue_start]
        if kind == "mechanism":
            found = re.search(r"(?:是其|是|为|构成)$", region)
            if not found:
                return None
            region = region[: found.start()]
        else:
            # `从A、B、C三个方面` frames a framework; `在A、B方面` only says "in terms of"
            leads = ("从",) if cue == "方面" else ("在", "从")
            pos = max(region.rfind(lead) for lead in leads)
            if pos < 0:
                return None
            region = region[pos + 1:]
        region = region.rstrip("上的 ")
        expected = None
        count = _COUNT_WORD.search(region)
        if count:
            expected = cn_number(count.group(1))
            region = region[: count.start()]
        elif kind != "mechanism":
            return None  # `在制度建设、技术路径等方面` without a count is a manner of speaking, not a framework
        region = region.rstrip("等")
        items = [x for x in region.split("、")]
        if len(items) < (expected or 0) or (expected is None and len(items) < 3):
            last = re.split(r"及其|以及|及|和|与" if expected else r"及其|以及|及|和", items[-1], maxsplit=1)
            if len(last) == 2:
                items = items[:-1] + last
        items = [strip_clause_punct(x) for x in items]
        if any(not (2 <= len(x) <= MAX_NAME_CHARS) for x in items):
            return None
        return items, expected

    # --- rule 6: 在劳动者层面催生智能生产力 -----------------------------------------------------
    def _factor_clauses(self, ctx: _Context) -> None:
        pattern = self.axes.factor_clause_re
        if pattern is None or "层面" not in ctx.sentence:
            return
        hits = list(pattern.finditer(ctx.sentence))
        if not hits:
            return
        found = [self._add(ctx, _object_name(m.group(2)), "mechanism", 4, factor=self.axes.factor_of(m.group(1)),
                           factor_words=f"{m.group(1)}层面") for m in hits]
        # `基于A、B以及C，……在劳动者层面催生X，在劳动资料层面提供Y……`: A is what X is made of, the
        # same item under the name the sentence gives its basis.
        before = ctx.sentence[: hits[0].start()]
        basis = re.search(r"(?:基于|通过|依托)([^，。；]+)，[^，。；]*$", before)
        if basis:
            items = basis.group(1).split("、")
            last = re.split(r"以及|及|和", items[-1], maxsplit=1)
            items = [strip_clause_punct(x) for x in items[:-1] + last]
            if len(items) == len(found):
                for item, occ in zip(items, found, strict=True):
                    if occ and _valid_name(item, self.axes):
                        occ.aliases.append(item)

    # --- rule 7: 提出……的四条路径：一是……；二是…… --------------------------------------------------
    def _numbered(self, ctx: _Context) -> None:
        m = _NUMBERED.search(ctx.sentence)
        if not m:
            return
        kind = self.axes.kind_of(m.group("kind")) or "path"
        group = compact(f"{m.group('what')}{m.group('n')}条{m.group('kind')}").lstrip("的")
        items = [strip_clause_punct(x) for x in _SHI_ITEM.findall(ctx.sentence[m.end():])]
        expected = cn_number(m.group("n"))
        if expected and len(items) != expected:
            return
        for item in items:
            self._add(ctx, shorten(item, 24), kind, 3, group=group, level=None)

    # --- rule 8: named mechanisms in any document ------------------------------------------
    def _named(self, paras: list[Para], order_of: dict) -> None:
        if self.axes.named.head_re is None:
            return
        has_body = any(p.kind != "abstract" for p in paras)
        readable = [p for p in paras if p.kind != "abstract" or not has_body]
        by_section = group_by(readable, lambda p: p.section_id)
        for sid in self.tree.ids():
            # `（四）推进实施公共数据确权授权机制`: a heading's topic is what follows its colon, if any.
            topic = re.split("[：:]", self.tree.heading(sid))[-1]
            for name in named_mechanisms(topic, self.axes):
                evidence = next((found for s in _descendants(self.tree, sid)
                                 if (found := self._first_sentence(s, by_section, order_of, containing=name))[0]), None)
                if evidence:
                    sent, para_id, order = evidence
                    where = next(p.section_id for p in readable if p.para_id == para_id)
                    self._add_named(where, para_id, sent, order, name)
        for p in readable:
            for offset, sent in sentences(p.text):
                for name in named_mechanisms(sent, self.axes):
                    self._add_named(p.section_id, p.para_id, sent, (int(p.order), offset), name,
                                    p.kind == "abstract")

    def _add_named(self, sid: str, para_id: str, sent: str, order: tuple[int, int], name: str,
                   in_abstract: bool = False) -> None:
        ctx = _Context(sid, para_id, sent, order, in_abstract, self._own(sid, sent), self._level(sid), None)
        self._add(ctx, name, "mechanism", 1, named=True)


@dataclass(frozen=True)
class _Context:
    section_id: str
    para_id: str
    sentence: str
    order: tuple[int, int]
    in_abstract: bool
    own: bool
    level: tuple[str, str] | None  # (level, the words saying it) from the section headings
    family: str | None


def _attributed(sent: str, axes: Axes) -> bool:
    """Does the sentence report another author's view (`张文武等从……`, `借鉴卢江等的研究`)?"""
    if contains_any(sent, axes.borrowed_cues):
        return True
    pattern = axes.attribution_re
    return bool(pattern and pattern.match(sent))


def _trim_lead_in(chunk: str) -> str:
    """`人工智能通过能力整合机制` → `能力整合机制` (what follows the last lead-in word)."""
    chunk = chunk.strip()
    cut = 0
    for word in _LEAD_INS:
        pos = chunk.rfind(word)
        if pos >= 0:
            cut = max(cut, pos + len(word))
    name = chunk[cut:] if len(chunk) - cut >= 4 else chunk
    return name if _NAME_RE.fullmatch(name or "") else ""


def _valid_name(name: str, axes: Axes, named: bool = False) -> bool:
    """A name a row may carry: not a technical term, an axis value, a bare suffix, a single word,
    or (for `……机制`) a generic head without a qualifier."""
    bare = name.strip(_QUOTE)
    longest = axes.named.max_chars if named else MAX_NAME_CHARS + 4
    if not 2 <= len(bare) <= longest or {name, bare} & axes.not_mechanisms:
        return False
    if bare in axes.suffixes or bare in axes.axis_words or (not named and _BAD_START.match(bare)):
        return False
    if axes.named.head_of(bare):
        return _qualified(bare, axes.named)
    return bare.endswith(axes.suffixes) or len(bare) >= axes.min_chars_without_suffix


def named_mechanisms(text: str, axes: Axes) -> list[str]:
    """Rule 8: the named mechanisms of one sentence or heading, as the text names them
    (`建立健全推进协调机制` → `推进协调机制`; `完善协调机制以及安全预警、安全处置机制` → `安全预警、安全处置机制`)."""
    rules = axes.named
    if rules.head_re is None or not contains_any(text, rules.heads):
        return []
    if text.rstrip().endswith(("？", "?")):
        return []  # a question asks what a mechanism is; it names none
    out = []
    for a, b in clauses(text):
        clause = text[a:b].rstrip("，；：,;:。！？!? ")
        opening = _OPENING.match(clause)
        begin = opening_end = opening.end() if opening else 0
        for m in rules.head_re.finditer(clause, begin):
            if _is_head(clause, m, rules):
                name, start = _name_before(clause[begin:m.end()], axes, at_opening=begin == opening_end,
                                           as_subject=m.end() < len(clause))
                # a name read from the clause's start has no lead word: what it spans counts too
                led = begin + start if start else m.end()
                if name and not _problem_or_study(clause, led, m.end(), rules):
                    out.append(name)
            begin = m.end()  # a name never spans another mechanism's head
    return out


def _is_head(clause: str, m: re.Match, rules: NamedRules) -> bool:
    """`机制` ends a name here: not `机制性`, not the `机` of `无人机` before `制作`."""
    if any(clause.startswith(w, m.end()) for w in rules.not_before):
        return False
    through = clause[: m.end() - len(rules.heads[-1]) + 1]  # up to the head's first character
    return not through.endswith(tuple(rules.machine_words))


def _problem_or_study(clause: str, start: int, end: int, rules: NamedRules) -> bool:
    """Does the clause around `start`–`end` (the name, or the words a lead word introduces) state a
    problem (`未能形成……机制`) or study it (`探讨了……的形成机制`)? Then it names no mechanism the
    document proposes. Words inside count for nothing: `完善对基础研究……的长期稳定支持机制`."""
    around = clause[:start] + clause[end:]
    return contains_any(around, rules.negation_cues) or contains_any(around, rules.study_cues)


def _problem_or_study_sentence(sentence: str, name: str, rules: NamedRules) -> bool:
    at = sentence.find(name)
    for a, b in clauses(sentence) if at >= 0 else []:
        if a <= at < b:
            return _problem_or_study(sentence[a:b], at - a, at - a + len(name), rules)
    return False


def _name_before(segment: str, axes: Axes, at_opening: bool, as_subject: bool = True) -> tuple[str | None, int]:
    """(name, where in `segment` the words it is read from begin) for the name ending `segment`
    (which ends with a head): from after the last lead word that leaves a valid name, else from the
    segment's start when the name can be the clause's subject (`as_subject`: the clause goes on
    after the head); (None, 0) for none."""
    rules = axes.named
    joiner = next((j for j in _JOINERS if segment.startswith(j)), None)
    skipped = len(joiner) if joiner else 0
    if joiner:  # `A机制和B机制`: B starts after the joiner
        segment, at_opening = segment[len(joiner):], False
    leads = [m.end() for m in rules.lead_re.finditer(segment)] if rules.lead_re is not None else []
    starts = set(leads)
    if at_opening:
        starts |= {len(w) for w in rules.opening_words if segment.startswith(w)}
    # From the segment's start only when the name is the clause's subject: no imperative opening
    # (`抓紧解决机制`) and no lead word introducing it (`地方政府要建立健全工作机制`), one fused with
    # the head aside (`人民币汇率形成机制`).
    fused = all(segment[end:] == rules.heads[-1] for end in leads)
    subject = (as_subject or segment.startswith(tuple(rules.demonstratives))) and fused and not segment.startswith(
        tuple(rules.imperative_openings))
    if joiner or subject:
        starts.add(0)
    for start in sorted(starts, reverse=True):
        name = _clean_name(segment[start:], axes)
        if name == _GENERIC:
            break  # `建立对接机制`: what the lead word introduces is a generic head, whatever precedes it
        if name:
            return name, skipped + start
    return None, 0


_GENERIC = ""  # _clean_name's answer for a bare generic head (`激励机制`), as opposed to None (no name)


def _clean_name(raw: str, axes: Axes) -> str | None:
    """The name in `raw` (the words after a lead word, up to the head), or _GENERIC, or None."""
    rules = axes.named
    run = _NAMED_CHARS.search(raw)
    name = run.group() if run else ""
    demonstrative = next((d for d in rules.demonstratives if name.startswith(d)), None)
    if demonstrative:  # `这种内需导向下的“逆向倒逼”机制` → `“逆向倒逼”机制`
        rest = name[len(demonstrative):]
        name = rest[rest.rfind("的") + 1:]
    if name[:1] and name[0] in rules.leading_prepositions:
        name = name[1:]  # `向省级以上……机制` → `省级以上……机制`
    if name[:1] and name[0] in rules.weak_prepositions:
        rest = name[name.rfind("的") + 1:] if "的" in name else name[1:]
        if rest in rules.heads or _generic(rest, rules):
            return _GENERIC  # `在体制机制`, `对国有企业的监管机制`
        if "的" in name:
            name = rest  # `为核心的项目管理机制` → `项目管理机制`
    name = _without_other_objects(name, axes)
    if name and _valid_name(name, axes, named=True):
        return name
    return _GENERIC if name and _generic(name, axes.named) else None


def _without_other_objects(name: str, axes: Axes) -> str:
    """`主体功能区制度和生态补偿机制` → `生态补偿机制`: a part before a joiner that ends with another
    object's head (制度, 体系, 标准 …) is that other object. An `A、B等机制` list is one name."""
    rules = axes.named
    head = rules.head_of(name)
    if not head or name[: -len(head)].endswith("等"):
        return name
    cuts = sorted(((m.start(), m.end()) for m in re.finditer("|".join(map(re.escape, _JOINERS)), name)), reverse=True)
    for start, end in cuts:
        if name[:start].endswith(tuple(rules.other_heads)):
            return name[end:]  # `法规体系、市场机制` → `市场机制`, a generic head: nothing named
    return name


def _qualified(name: str, rules: NamedRules) -> bool:
    """Does a `……机制` name say which mechanism it is? Not `激励机制`, `有效的监管机制`,
    `激励和保护机制`, `……的机制`, `A、B等机制` with quoted examples for A and B."""
    head = rules.head_of(name)
    qualifier = name[: -len(head)] if head else name
    if not qualifier.strip(_QUOTE) or qualifier[-1] in "的和及与、或" or qualifier[0] in "的等、和及与或":
        return False
    if qualifier.endswith("等") and ("、" not in qualifier or qualifier[:-1].endswith(tuple(_QUOTE))):
        return False
    if any(len(part.strip(_QUOTE)) < 2 for part in qualifier.rstrip("等").split("、")):
        return False  # `保基本、兜底线、建机制`: one character names nothing
    core = qualifier.rpartition("的")[2]
    if "的" in qualifier and (not _without_words(core, rules.evaluative_modifiers + rules.head_modifiers)
                             or core in rules.process_words):
        return False  # `……的有效机制`, `……的新机制`, `……的作用机制`: described, not named
    return not _generic(name, rules)


def _generic(name: str, rules: NamedRules) -> bool:
    """A generic head: the qualifier, past any evaluative `有效的`, is generic words only."""
    head = rules.head_of(name)
    if not head:
        return False
    modifier, _, core = name[: -len(head)].rpartition("的")
    if modifier and _without_words(modifier, rules.evaluative_modifiers):
        return False  # a specific modifier: `促进房地产市场平稳健康发展的长效机制`
    parts = [p.strip(_QUOTE) for p in re.split("|".join(map(re.escape, _JOINERS)), core)]
    generic = rules.generic_qualifiers

    def plain(part: str) -> bool:  # `治理新` is `治理` with a head modifier; `完善` only says what to do with it
        forms = {part} | {part[: -len(m)] for m in rules.head_modifiers if part.endswith(m)}
        return any(f in generic or f in rules.lead_words or not f for f in forms)

    return any(parts) and all(plain(p) or not p for p in parts)


def _without_words(text: str, words: list[str]) -> str:
    """What is left of `text` after removing the listed words (and list punctuation)."""
    for word in words:
        text = text.replace(word, "")
    return text.strip("、，, ")


def _object_name(phrase: str) -> str:
    """`以产业生态化为特征的新型生产体系` → `产业生态化`; `高效数字化的劳动工具` stays."""
    phrase = strip_clause_punct(phrase)
    m = _CHARACTERISED.match(phrase)
    return m.group(1) if m else phrase


def _heading_subject(heading: str, text: str) -> str:
    """The phrase of a sub-heading that its section keeps talking about:
    `制度创新效能释放：新型举国体制的攻关突破与协同网络重构` → `新型举国体制`."""
    chunks = [c for c in re.split(r"[：:、，与和及的]", heading) if len(c) >= 3]
    candidates = Counter()
    for chunk in chunks:
        for end in range(len(chunk), 2, -1):
            phrase = chunk[:end]
            candidates[phrase] = text.count(phrase) * len(phrase)
    if not candidates or max(candidates.values()) == 0:
        return heading
    best = max(candidates.items(), key=lambda kv: (kv[1], len(kv[0])))
    return best[0] if text.count(best[0]) >= 2 else heading


def _key(name: str) -> str:
    return name.replace("“", "").replace("”", "").replace("\"", "")


def _merge(found: tuple[list[Occurrence], list[list[Occurrence]]], axes: Axes) -> list[Occurrence]:
    occurrences, enumerations = found
    aliases = _aliases(enumerations, occurrences, _key)
    aliases.update(_same_as_longer(occurrences, axes))
    by_name: dict[str, list[Occurrence]] = {}
    for occ in occurrences:
        canonical = aliases.get(_key(occ.name), _key(occ.name))
        by_name.setdefault(canonical, []).append(occ)
    merged = []
    for canonical, group in by_name.items():
        best = max(group, key=lambda o: (o.priority, _key(o.name) == canonical, not o.in_abstract, -o.order[0],
                                         -o.order[1]))
        row = replace(best, reasons=dict(best.reasons))
        body = [o for o in group if not o.in_abstract]
        for attr in ("level", "group", "factor"):
            if getattr(row, attr) is None:
                source = next((o for o in body + group if getattr(o, attr)), None)
                if source:
                    setattr(row, attr, getattr(source, attr))
                    if attr in source.reasons:
                        row.reasons[attr] = source.reasons[attr]
        row.own = any(o.own for o in group)
        names = {o.name for o in group} | {a for o in group for a in o.aliases}
        row.aliases = sorted(n for n in names if _key(n) != _key(row.name))
        row.order = min(o.order for o in group if not o.in_abstract) if body else best.order
        merged.append(row)
    return sorted(merged, key=lambda o: o.order)


def _same_as_longer(occurrences: list[Occurrence], axes: Axes) -> dict[str, str]:
    """Named mentions (rule 8) that end with another name of the document, with a qualifier of
    at least `same_as_min_chars` (`数据要素价格形成机制` … `价格形成机制`): key -> that name's key.
    A name found by rules 1–7 wins over a named mention's own wording."""
    shortest = axes.named.same_as_min_chars
    defined = {_key(o.name) for o in occurrences if o.priority > 1}
    named = {_key(o.name) for o in occurrences if o.priority == 1}
    out = {}
    for name in named - defined:
        for pool in (defined, named):
            targets = [t for t in pool if t != name and name.endswith(t) and _qualifier_chars(t, axes) >= shortest]
            if targets:
                out[name] = max(targets, key=len)
                break
    for name, target in list(out.items()):  # `A` → `B` → `C`: straight to `C`
        seen = {name}
        while target in out and target not in seen:
            seen.add(target)
            target = out[target]
        out[name] = target
    return out


def _qualifier_chars(name: str, axes: Axes) -> int:
    head = axes.named.head_of(name) or next((s for s in axes.suffixes if name.endswith(s)), "")
    return len(name) - len(head)


def _aliases(enumerations: list[list[Occurrence]], occurrences: list[Occurrence], key) -> dict[str, str]:
    """alias key -> canonical key, from enumerations that differ in exactly one position."""
    defined = {key(o.name) for o in occurrences if o.priority >= 4}
    out: dict[str, str] = {}
    lists = [[key(o.name) for o in e] for e in enumerations]
    for i, first in enumerate(lists):
        for second in lists[i + 1:]:
            if len(first) != len(second) or len(first) < 3:
                continue
            diff = [(a, b) for a, b in zip(first, second, strict=True) if a != b]
            if len(diff) != 1:
                continue
            a, b = diff[0]
            if a in defined and b not in defined:
                out[b] = a
            elif b in defined and a not in defined:
                out[a] = b
    return out


# --- axes ---------------------------------------------------------------------------------

def _align(occ: Occurrence, rows: list[Occurrence], tree: SectionTree, axes: Axes,
           is_paper: bool) -> dict[str, tuple]:
    """axis -> (value, the words that decided it) for one merged row; (None, None) without a cue."""
    name = occ.name.strip(_QUOTE)
    sentence = occ.sentence
    where = sentence.find(name)
    span = (where, where + len(name)) if where >= 0 else None
    clause = next((sentence[a:b] for a, b in clauses(sentence) if span and a <= span[0] < b), None)
    clause_span = None
    if clause is not None:
        at = clause.find(name)
        clause_span = (at, at + len(name))
    headings = [h for h in tree.headings_up(occ.section_id) if h]
    head = axes.named.head_of(name) or next((x for x in axes.suffixes if name.endswith(x)), "")
    qualifier = name[: len(name) - len(head)]  # `数据要素市场体制机制` → `数据要素市场`
    # Around the name, the names of other mechanisms speak for those (`由内而外的结构嵌入、链式闭环的功能组合`).
    blockers = [*axes.cue_blockers, *(r.name.strip(_QUOTE) for r in rows if r is not occ and len(r.name) > 1)]
    out = {}
    for axis, cues, read_headings in (("factor", axes.factor_cues, True), ("level", axes.level_cues, False),
                                      ("type", axes.type_cues, True)):
        stated = getattr(occ, axis, None)
        if stated:
            out[axis] = (stated, occ.reasons.get(axis) or stated)
            continue
        spread = axes.factor_spread if axis == "factor" else 0
        found = _nearest_cue(qualifier, None, cues, axes.cue_blockers, spread)
        if found is None and clause is not None:
            found = _nearest_cue(clause, clause_span, cues, blockers, spread)
        if found is None and axis == "level" and not is_paper and axes.directive_level:
            directive = _directive(occ, clause, headings, axes)
            found = (axes.directive_level, directive) if directive else None
        if found is None:
            found = _nearest_cue(sentence, span, cues, blockers, spread)
        for heading in headings if read_headings else []:
            if found is not None:
                break
            found = _nearest_cue(heading, None, cues, blockers, spread)
        if found == _SPREAD:
            found = None  # the text names the factors together: none of them in particular
        out[axis] = found or (None, None)
    return out


def _directive(occ: Occurrence, clause: str | None, headings: list[str], axes: Axes) -> str | None:
    """The verb by which the document itself directs the mechanism (`建立健全……机制`): the last
    directive word before the name in its clause (or in the heading that names it)."""
    name = occ.name.strip(_QUOTE)
    for text in [clause or "", *headings]:
        at = text.find(name)
        if at >= 0:
            before = text[:at]
            found = [(before.rfind(w) + len(w), len(w), w) for w in axes.directive_words if w in before]
            return max(found)[2] if found else None
    return None


_SPREAD = (None, None)  # _nearest_cue's answer when the text names `spread` values or more at once


def _nearest_cue(text: str, span: tuple[int, int] | None, cues: list[tuple[str, list[str]]],
                 blockers: list[str] = (), spread: int = 0) -> tuple | None:
    """(value, cue) of the cue nearest to `span` in `text`, outside it; without a span, the cue that
    ends last (nearest a name's head). Ties: the longer cue. A cue inside a longer blocker word
    (`人工` in `人工智能`) does not count. With `spread`, a text holding cues of that many values or
    more gives _SPREAD."""
    # `in` first: most cue words are absent, and a substring test costs far less than a regex
    blocked = [span for b in blockers if b in text for span in spans_of(b, text)]
    best, best_rank, values = None, None, set()
    for value, words in cues:
        for word in words:
            if word not in text:
                continue
            for start, end in spans_of(word, text):
                if any(a <= start and end <= b and b - a > len(word) for a, b in blocked):
                    continue
                if span is None:
                    rank = (-end, -len(word))
                elif end <= span[0]:
                    rank = (span[0] - end, -len(word))
                elif start >= span[1]:
                    rank = (start - span[1], -len(word))
                else:
                    continue  # inside the name: the name's own cues were read first
                values.add(value)
                if best_rank is None or rank < best_rank:
                    best, best_rank = (value, word), rank
    return _SPREAD if spread and len(values) >= spread else best
