"""Each paper's own mechanisms, paths, framework dimensions and risks, with the defining sentence.

Rules, each generic and driven by `mechanism_axes.yaml` (what counts as a name, a level, a factor):

1. heading names  `1. 人工智能促进员工新质生产力涌现机制：能力机制` → a family row; the members
   found in that section get it as `group`;
2. definitions    `首先，能力整合机制强调……`, `(1)营销路径中，……` (name at sentence start + a cue);
3. enumerations   `通过A机制、B机制和C机制` (two or more names with the same suffix);
4. section kinds  the sub-sections of `二、……机理分析` are mechanisms, of `三、……风险挑战` risks;
5. list cues      `在A、B、C及其D等四个维度`, `A、B、C是其内在机理`, `从A、B、C三个方面`;
6. factor clauses `在劳动者层面催生智能生产力` (factor from the text), with the `基于A、B以及C` list
                  before them aligned one-to-one as dimensions;
7. numbered lists `提出……的四条路径：一是……；二是……`.

The same name found several times becomes one row (the best evidence wins: a definition over a
heading over an enumeration, body over abstract). Two enumerations of the same length that differ
in one position (abstract `劳动替代机制` vs body `互补式替代机制`) name the same mechanism: one row
with the defined name and the other in `aliases`. Names in sentences that report another author
(`朱宏任……提出`, `张文武等从……`, `借鉴卢江等的研究`) get `own=False`. Recommendation sections are
skipped: they restate the mechanisms as policy targets.
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


@dataclass(frozen=True)
class Axes:
    factors: list[tuple[str, list[str]]]
    levels: list[tuple[str, list[str]]]
    kinds: list[tuple[str, list[str]]]  # kind -> name suffixes
    definition_cues: list[str]
    sequence_words: list[str]
    section_kinds: list[tuple[str, list[str]]]
    list_cues: dict[str, list[str]]
    not_mechanisms: set[str]
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

    def level_of_heading(self, heading: str) -> str | None:
        """The one level a heading is about; None when it names several (`员工、企业和产业层面`)."""
        named = {name for name, _ in self.levels if name in heading}
        if len(named) > 1:
            return None
        return self.level_in(heading)

    # Patterns built from the lists above, compiled once per loaded file (not once per sentence).
    @cached_property
    def suffixes(self) -> tuple[str, ...]:
        return tuple(s for _, sfx in self.kinds for s in sfx)

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

    def level_in(self, text: str) -> str | None:
        """The last level named in `text` (the one closest to what follows it)."""
        best, where = None, -1
        for name, aliases in self.levels:
            for alias in aliases:
                pos = text.rfind(alias)
                if pos > where:
                    best, where = name, pos
        return best


@cached_per_file(AXES_FILE)
def load_axes(lexicon_dir: Path) -> Axes:
    path = Path(lexicon_dir) / AXES_FILE
    data = (read_yaml(AXES_FILE, lexicon_dir) if path.exists() else None) or {}
    words = lambda v: [str(w) for w in v or []]  # noqa: E731
    return Axes(
        factors=[(str(f["code"]), words(f.get("aliases")) or [str(f["code"])]) for f in data.get("factors") or []],
        levels=[(str(v["name"]), words(v.get("aliases"))) for v in data.get("levels") or []],
        kinds=[(str(k), words(v)) for k, v in (data.get("kinds") or {}).items()],
        definition_cues=sorted(words(data.get("definition_cues")), key=len, reverse=True),
        sequence_words=sorted(words(data.get("sequence_words")), key=len, reverse=True),
        section_kinds=[(str(k), words(v)) for k, v in (data.get("section_kinds") or {}).items()],
        list_cues={str(k): words(v) for k, v in (data.get("list_cues") or {}).items()},
        not_mechanisms=set(words(data.get("not_mechanisms"))),
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
    priority: int  # 5 definition, 4 heading / section kind / factor clause, 3 list cue, 2 enumeration
    order: tuple[int, int]
    in_abstract: bool = False
    level: str | None = None
    group: str | None = None
    factor: str | None = None
    own: bool = True
    aliases: list[str] = field(default_factory=list)


def document_mechanisms(doc_id: str, paras: list[Para], sections: list[Section], lexicon: Lexicon) -> list[dict]:
    """Mechanism rows of one document (`paras`: all its paragraphs in reading order)."""
    if not paras:
        return []
    axes, taxonomy = lexicon.axes, lexicon.taxonomy
    tree = SectionTree(sections)
    skipped = {s for top in recommendation_sections(tree, taxonomy) for s in _descendants(tree, top)}
    paras = [p for p in paras if p.section_id not in skipped]
    found = _DocumentScan(tree, axes).run(paras)
    return [{
        "doc_id": doc_id, "mechanism_id": f"m{k:03d}", "name": occ.name, "kind": occ.kind,
        "level": occ.level, "factor": occ.factor, "group": occ.group, "description": occ.sentence,
        "section_id": occ.section_id, "para_id": occ.para_id, "own": occ.own, "aliases": occ.aliases,
    } for k, occ in enumerate(_merge(found, axes), start=1)]


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

    def run(self, paras: list[Para]) -> tuple[list[Occurrence], list[list[Occurrence]]]:
        by_section = group_by(paras, lambda p: p.section_id)
        order_of = {p.para_id: int(p.order) for p in paras}
        self._headings(by_section, order_of)
        self._section_kinds(by_section, order_of)
        # A section's level, family and literature status do not change from sentence to sentence.
        section_context: dict[str, tuple] = {}
        for p in paras:
            in_abstract = p.kind == "abstract"
            context = section_context.get(p.section_id)
            if context is None:
                context = section_context[p.section_id] = (
                    self._in_literature(p.section_id), self._level(p.section_id, ""), self._family(p.section_id))
            in_literature, level, family = context
            for offset, sent in sentences(p.text):
                ctx = _Context(p.section_id, p.para_id, sent, (int(p.order), offset), in_abstract,
                               not in_literature and not _attributed(sent, self.axes), level, family)
                self._definition(ctx)
                self._enumerations(ctx)
                self._list_cues(ctx)
                self._factor_clauses(ctx)
                self._numbered(ctx)
        return self.found, self.enumerations

    # --- context -------------------------------------------------------------------------
    def _level(self, section_id: str, sent: str) -> str | None:
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

    def _add(self, ctx: _Context, name: str, kind: str, priority: int, **extra) -> Occurrence | None:
        name = compact(name).strip("，、；：。 ")
        if not _valid_name(name, self.axes):
            return None
        level = extra.pop("level", ctx.level)
        if ctx.in_abstract and level is None:
            level = self.axes.level_in(ctx.sentence[: max(0, ctx.sentence.find(name))])
        occ = Occurrence(name=name, kind=kind, section_id=ctx.section_id, para_id=ctx.para_id, sentence=ctx.sentence,
                         priority=priority, order=ctx.order, in_abstract=ctx.in_abstract, level=level,
                         group=extra.pop("group", ctx.family), own=extra.pop("own", ctx.own), **extra)
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
            level = self._level(sid, heading)
            ctx = _Context(sid, para_id, sent or heading, order, False, self._own(sid, heading), level, None)
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

    # --- rule 4: sub-sections of a mechanism / risk section ----------------------------------
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
                name = _heading_subject(heading, text) if kind != "risk" else heading
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
                               self._level(sid, heading), None)
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
            for m in re.finditer(re.escape(cue), ctx.sentence):
                region = self._cue_region(ctx.sentence, m.start(), kind, cue)
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
        elif cue == "方面":
            return None  # `等方面` without a count is a manner of speaking, not a framework
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
        factors = []
        for m in hits:
            factor = self.axes.factor_of(m.group(1))
            factors.append(factor)
            self._add(ctx, _object_name(m.group(2)), "mechanism", 4, factor=factor)
        before = ctx.sentence[: hits[0].start()]
        basis = re.search(r"(?:基于|通过|依托)([^，。；]+)，[^，。；]*$", before)
        if basis:
            items = basis.group(1).split("、")
            last = re.split(r"以及|及|和", items[-1], maxsplit=1)
            items = [strip_clause_punct(x) for x in items[:-1] + last]
            if len(items) == len(factors):
                for item, factor in zip(items, factors, strict=True):
                    self._add(ctx, item, "dimension", 4, factor=factor)

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


@dataclass(frozen=True)
class _Context:
    section_id: str
    para_id: str
    sentence: str
    order: tuple[int, int]
    in_abstract: bool
    own: bool
    level: str | None
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


def _valid_name(name: str, axes: Axes) -> bool:
    bare = name.strip("“”\"")
    return (2 <= len(bare) <= MAX_NAME_CHARS + 4 and name not in axes.not_mechanisms
            and bare not in axes.not_mechanisms and not _BAD_START.match(bare)
            and bare not in axes.suffixes)


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


def _merge(found: tuple[list[Occurrence], list[list[Occurrence]]], axes: Axes) -> list[Occurrence]:
    occurrences, enumerations = found
    key = lambda name: name.replace("“", "").replace("”", "").replace("\"", "")  # noqa: E731
    aliases = _aliases(enumerations, occurrences, key)
    by_name: dict[str, list[Occurrence]] = {}
    for occ in occurrences:
        canonical = aliases.get(key(occ.name), key(occ.name))
        by_name.setdefault(canonical, []).append(occ)
    merged = []
    for group in by_name.values():
        best = max(group, key=lambda o: (o.priority, not o.in_abstract, -o.order[0], -o.order[1]))
        row = replace(best)
        body = [o for o in group if not o.in_abstract]
        for attr in ("level", "group", "factor"):
            if getattr(row, attr) is None:
                value = next((getattr(o, attr) for o in body + group if getattr(o, attr)), None)
                setattr(row, attr, value)
        row.own = any(o.own for o in group if o.priority >= 2)
        row.aliases = sorted({o.name for o in group if key(o.name) != key(row.name)})
        row.order = min(o.order for o in group if not o.in_abstract) if body else best.order
        merged.append(row)
    return sorted(merged, key=lambda o: o.order)


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
