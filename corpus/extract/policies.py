"""Policies: the directives, obligations and recommendations of any document, one row per item,
classified with `policy_taxonomy.yaml` (whose `directives` rules say what directs and where to look).

Where they are depends on the kind of document:
- A regulation (three or more articles 第X条): from the first article on, each paragraph (款) is an
  item unless it only states a purpose, a scope, a definition, a referral (从其规定), the entry into
  force or a private right. An article's （一）… list items are items of their own only when each
  carries its own 应当/不得; else they belong to the paragraph that introduces them.
- An official document without an abstract whose text is mostly directing paragraphs (a plan, an
  opinion, a notice, a work report): its directing paragraphs anywhere outside review and status
  sections (工作回顾, 发展现状) and the appendices after its body (附件1 名词解释).
- Any other text (a paper): only its recommendation sections (`recommendation_sections`: a
  top-level section whose heading names them, 政策建议, 实践进路 …, or whose sub-headings mostly
  start with an imperative verb); a text with only an abstract (a journal web page) contributes the
  items enumerated after a recommendation verb in a recommendation sentence (`……可以……打造A、B、C`).

What one item is (the gold's unit rule): the smallest marked item (第一，/①/一是/一要/——) is one
item and the heading or lead over marked items is not; an unmarked paragraph is one item.
Paragraphs are grouped under their heading — a section, or a paragraph that opens with its own
number and heading (`（三）加强数据供给。推动…`, as long as the text layer leaves such lines whole) —
and a group's short first paragraph over two or more others is its lead, not an item. A sentence
directs with a modal (应当/要/必须…, 需要 before an action), an imperative start (推动/加快/支持…,
after adverbs or a prepositional clause) or a target (到2027年…); it reports with a review or a
finding (去年, 取得显著成效, 研究发现, 从…来看); an unmarked paragraph is an item when it has more
directing sentences than reporting ones. Headings are never rows of their own: a group of a single
paragraph is one item titled by its heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
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
_PURPOSE = re.compile(r"^(?:为了|为|以便|通过对)")
# a clause that only dates, frames or links what follows: 到2028年 / 《规划》提出 / 为此 / 同时
_FRAME_CLAUSE = re.compile(r"^(?:(?:到|至|力争到)?\d{4}年(?:底|前)?|《[^》]+》\S{0,4}|为此|因此|同时|此外|与此同时|今年|除.{1,30}外)$")
_HEADING_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])\s*")
_ITEM_SPLIT = re.compile(r"、|以及|及|和|与")
# Numbering grammar (not vocabulary): an article 第十二条, a numbered heading opening a paragraph
# (一、… / （一）…), the numerals of an inline enumeration (一是 … 二是 …, 第一，… 第二，…, ① … ②).
_NUMERALS = "一二三四五六七八九十"
_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条")
_SUB_ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十\d]+[）)]")
_INLINE_HEADING = re.compile(rf"^\s*(?:([{_NUMERALS}]+)、|[（(]([{_NUMERALS}]+)[）)])\s*")
_YEAR_TARGET = re.compile(r"^(\d{4})年")
_QUOTED = re.compile(r"“[^“”]{0,80}”")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SENTENCE_START = r"(?:^|(?<=[。；！？：]))\s*"


@dataclass(frozen=True, eq=False)  # hashed by identity: a sentence's role is memoised per rule set
class Directives:
    """The `directives` rules of the taxonomy (see its comments for what each list does)."""
    regulation_min_articles: int = 3
    policy_document_share: float = 0.5
    lead_max_sentences: int = 2
    lead_max_chars: int = 120
    forward_cues: tuple[str, ...] = ()
    review_section_keywords: tuple[str, ...] = ()
    appendix_markers: tuple[str, ...] = ()
    enumeration_suffixes: tuple[str, ...] = ()
    item_dashes: tuple[str, ...] = ()
    modals: tuple[str, ...] = ()
    weak_modals: tuple[str, ...] = ()
    masked_words: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()
    item_modals: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ()
    adverbs: tuple[str, ...] = ()
    leading_prepositions: tuple[str, ...] = ()
    reporting_verbs: tuple[str, ...] = ()
    target_openers: tuple[str, ...] = ()
    target_words: tuple[str, ...] = ()
    description_cues: tuple[str, ...] = ()
    assessment_cues: tuple[str, ...] = ()
    not_policies: tuple[str, ...] = ()  # every kind's cues together: purpose, scope, definition …
    horizon_years: tuple[tuple[str, int], ...] = ()
    public_actor: str = ""  # the actor code whose mention makes a permission more than a private right

    @cached_property
    def enumeration(self) -> re.Pattern | None:
        """Inline item markers at a sentence start: 一是/二要 (numeral + suffix), 第一，, ①."""
        suffixes = "|".join(map(re.escape, self.enumeration_suffixes))
        numbered = rf"[{_NUMERALS}]+(?:{suffixes})" if suffixes else None
        parts = [p for p in (numbered, rf"第[{_NUMERALS}]+[，,、]", "[①-⑳]") if p]
        return re.compile(_SENTENCE_START + "(" + "|".join(parts) + ")")


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
    title_weight: int = 10
    default_domain: str = ""
    instruments: frozenset[str] = frozenset()  # policy instruments (标准, 制度 …): the default domain's, in the body only
    horizon_words: list[tuple[str, list[str]]] = field(default_factory=list)
    directives: Directives = field(default_factory=Directives)

    @cached_property
    def abstract_verb_re(self) -> re.Pattern | None:
        """An abstract's listing verb and what it lists (`推动产业升级、技术创新和制度完善`)."""
        verbs = "|".join(map(re.escape, sorted(self.abstract_verbs, key=len, reverse=True)))
        return re.compile(rf"(?:{verbs})([^，。；：]+)") if verbs else None

    @cached_property
    def abstract_look_alike(self) -> Directives:
        """Words that only look like a cue (顺应, 应用 …: the directives' masked words), except the cues themselves (需要)."""
        return Directives(masked_words=tuple(w for w in self.directives.masked_words if w not in self.abstract_cues))

    @cached_property
    def domain_of(self) -> dict[str, list[str]]:
        """keyword → the domains that list it."""
        found: dict[str, list[str]] = {}
        for code, kws in [*self.domains, (self.default_domain, sorted(self.instruments))]:
            for kw in kws:
                if kw and code not in found.setdefault(kw, []):
                    found[kw].append(code)
        return found

    @cached_property
    def domain_pattern(self) -> re.Pattern | None:
        """All domain keywords, longest first (a regex alternation takes the first that matches)."""
        words = sorted(self.domain_of, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, words))) if words else None


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
        title_weight=int(data.get("title_weight") or 10),
        default_domain=str(data.get("default_domain") or ""),
        instruments=frozenset(words(data.get("instrument_keywords"))),
        horizon_words=[(str(code), words(kws)) for code, kws in (data.get("horizon_words") or {}).items()],
        directives=_directives(data.get("directives") or {}, words),
    )


def _directives(spec: dict, words) -> Directives:
    defaults = Directives()
    lists = {name: tuple(words(spec.get(name))) for name, value in vars(defaults).items() if value == ()}
    # longest first, so 建立健全 wins over 建立 and 深入推进 over 深入
    for name in ("verbs", "adverbs", "leading_prepositions", "target_openers"):
        lists[name] = tuple(sorted(lists[name], key=len, reverse=True))
    lists["not_policies"] = tuple(w for cues in (spec.get("not_policies") or {}).values() for w in words(cues))
    lists["horizon_years"] = tuple((str(k), int(v)) for k, v in (spec.get("horizon_years") or {}).items())
    scalars = {name: type(getattr(defaults, name))(spec.get(name, getattr(defaults, name)))
               for name in ("regulation_min_articles", "policy_document_share", "lead_max_sentences", "lead_max_chars",
                            "public_actor")}
    return Directives(**lists, **scalars)


def recommendation_sections(tree: SectionTree, taxonomy: Taxonomy) -> list[str]:
    """Top-level sections of a paper that hold recommendations (see the module doc)."""
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


def document_policies(doc_id: str, paras: list[Para], sections: list[Section], lexicon: Lexicon,
                      year: int | None = None) -> list[dict]:
    """Policy rows of one document (`paras`: all its paragraphs in reading order; `year`: the
    document's own year, which turns 到2027年 into a horizon)."""
    has_abstract = any(p.kind == "abstract" for p in paras)
    paras = source_subset(paras)
    if not paras:
        return []
    taxonomy = lexicon.taxonomy
    rules = taxonomy.directives
    tree = SectionTree(sections)
    if all(p.kind == "abstract" for p in paras):
        items = _abstract_items(paras, taxonomy)
    elif sum(1 for p in paras if _is_article(p)) >= rules.regulation_min_articles:
        items = _article_items(paras, rules, taxonomy)
    else:
        body = _outside_reviews(paras, tree, rules)
        if not has_abstract and _directing_share(body, rules) >= rules.policy_document_share:
            groups = _groups(body, tree, rules, own_text=True)
        else:
            groups = _recommendation_groups(tree, paras, taxonomy, rules)
        items = [item for group in groups for item in _group_items(group, rules, taxonomy)]
    for k, item in enumerate(items, start=1):
        item["policy_id"] = f"r{k:03d}"
    ids = {id(item): item["policy_id"] for item in items}
    rows = []
    for item in items:
        parent = item.pop("_parent", None)
        rows.append(_classify({**item, "doc_id": doc_id, "parent_id": ids.get(id(parent)) if parent else None},
                              tree, taxonomy, year))
    order = [code for code, _ in taxonomy.actors]
    for row in rows:  # a lead addresses whoever its items address
        for kid in (r for r in rows if r["parent_id"] == row["policy_id"]):
            row["actors"] = row["actors"] + [a for a in kid["actors"] if a not in row["actors"]]
        row["actors"] = sorted(row["actors"], key=order.index)
    return rows


# ---- what a sentence does ------------------------------------------------------------------------

def _masked(text: str, rules: Directives) -> str:
    """`text` with the words that only look like a cue (重要, 应用, 而是, 比去年 …) and quoted
    words (a modal in someone else's words is not the text's directive) blanked out."""
    text = _QUOTED.sub(lambda m: "□" * len(m.group()), text)
    for word in rules.masked_words:
        if word in text:
            text = text.replace(word, "□" * len(word))
    return text


def _without_frame(sentence: str, rules: Directives) -> str:
    """The sentence without its list marker, dash, or a report's frame (`《规划》指出，`)."""
    s = strip_list_marker(sentence).lstrip("—-－ ")
    m = re.match(r"^《[^》]{1,40}》(?:" + "|".join(map(re.escape, rules.reporting_verbs)) + r")[，,：:]?", s) \
        if rules.reporting_verbs else None
    return s[m.end():] if m else s


def _imperative(sentence: str, rules: Directives) -> bool:
    """The sentence opens with an imperative verb (after adverbs, or after a prepositional clause):
    `积极扩大有效投资`, `围绕装备行业，研制…`; not `建设数字中国是…` (a copula) or `发展的…`."""
    spans = clauses(sentence)
    parts = [sentence[a:b] for a, b in spans] or [sentence]
    if len(parts) > 1 and parts[0].startswith(rules.leading_prepositions):
        parts = parts[1:]
    head = parts[0].strip()
    while head:
        verb = next((v for v in rules.verbs if head.startswith(v)), None)
        if verb:
            return not head[len(verb):].startswith("的") and "是" not in _masked(parts[0], rules)
        adverb = next((a for a in rules.adverbs if head.startswith(a)), None)
        if adverb is None:
            return False
        head = head[len(adverb):]
    return False


def _target(sentence: str, rules: Directives) -> bool:
    for opener in rules.target_openers:
        if sentence.startswith(opener) and _YEAR_TARGET.match(sentence[len(opener):]):
            return True
    return contains_any(sentence, rules.target_words)


@lru_cache(maxsize=65536)  # each sentence is asked about several times (item, lead, title, share)
def _role(sentence: str, rules: Directives) -> str | None:
    """`excluded` (purpose, scope, definition, referral, formula …: never a policy), `directs`
    (a target, a modal, an imperative start), `reports` (reviews and findings), or None (an
    assessment, a description)."""
    if contains_any(sentence, rules.not_policies):
        return "excluded"
    s = _without_frame(sentence, rules)
    if _target(s, rules):
        return "directs"
    if contains_any(_masked(sentence, rules), rules.description_cues):
        return "reports"
    if contains_any(sentence, rules.assessment_cues):
        return None
    if contains_any(_masked(s, rules), rules.modals) or _weak_modal_directs(s, rules) or _imperative(s, rules):
        return "directs"
    return None


def _weak_modal_directs(sentence: str, rules: Directives) -> bool:
    """需要 directs when an action follows (`需要构建…`, `需要在…方面出台…`, `需要从…发力，构建…`),
    not when a thing does (`需要一批拔尖创新人才`)."""
    for modal in rules.weak_modals:
        at = sentence.find(modal)
        if at < 0:
            continue
        rest = sentence[at + len(modal):]
        if rest.startswith(rules.leading_prepositions) or _imperative(rest, rules):
            return True
        spans = clauses(rest)
        if any(_imperative(rest[a:b].strip(), rules) for a, b in spans[1:]):
            return True
    return False


def _roles(text: str, rules: Directives) -> list[str | None]:
    return [_role(s, rules) for _, s in sentences(text)]


def _directs(text: str, rules: Directives) -> bool:
    """An unmarked paragraph directs when it has more directing sentences than reporting ones."""
    roles = _roles(text, rules)
    return roles.count("directs") > roles.count("reports")


def _kept_item(text: str, rules: Directives) -> bool:
    """A marked item is kept unless it reports more than it directs or says only what is excluded."""
    roles = _roles(text, rules)
    if roles and all(r == "excluded" for r in roles):
        return False
    return roles.count("directs") >= roles.count("reports")


def _strong_modal(text: str, rules: Directives) -> bool:
    return contains_any(_masked(text, rules), rules.modals)


def _grants_only(text: str, rules: Directives, taxonomy: Taxonomy) -> bool:
    """A clause that only grants a private right: 可以/有权/享有, nothing that directs, no public actor."""
    if not contains_any(text, rules.permissions) or "directs" in _roles(text, rules):
        return False
    public = next((kws for code, kws in taxonomy.actors if code == rules.public_actor), [])
    return not contains_any(text, public)


def _forward(text: str, rules: Directives) -> bool:
    """A lead-in that announces what follows: `着重抓好以下几个方面工作。`"""
    roles = _roles(text, rules)
    return len(roles) <= rules.lead_max_sentences and contains_any(text, rules.forward_cues)


# ---- regulations -----------------------------------------------------------------------------------

def _numbered(p: Para, pattern: re.Pattern) -> bool:
    """The paragraph opens with `pattern`, in its text or as its list marker."""
    return bool(pattern.match(p.text) or (isinstance(p.list_marker, str) and pattern.match(p.list_marker)))


def _is_article(p: Para) -> bool:
    return _numbered(p, _ARTICLE)


def _article_items(paras: list[Para], rules: Directives, taxonomy: Taxonomy) -> list[dict]:
    """One item per paragraph of the articles; an article's （一）… items go with the paragraph that
    introduces them unless each carries its own obligation."""
    units: list[dict] = []
    started = False
    for p in paras:
        started = started or _is_article(p)
        if not started:
            continue  # the adoption note and table of contents before the first article
        if _numbered(p, _SUB_ITEM) and units and units[-1]["section_id"] == p.section_id:
            units[-1]["_subs"].append(p)
        else:
            units.append({"section_id": p.section_id, "para_id": p.para_id, "text": p.text, "_subs": []})
    items = []
    for unit in units:
        subs = unit.pop("_subs")
        if subs and all(contains_any(_masked(s.text, rules), rules.item_modals) for s in subs):
            candidates = [{"section_id": s.section_id, "para_id": s.para_id, "text": s.text} for s in subs]
        else:
            unit["text"] = "\n".join([unit["text"], *(s.text for s in subs)])
            candidates = [unit]
        for item in candidates:
            roles = _roles(item["text"], rules)
            if any(r != "excluded" for r in roles) and not _grants_only(item["text"], rules, taxonomy):
                items.append({**item, "title": _title(item["text"]), "_focus": _directing_text(item["text"], rules)})
    return items


# ---- groups of paragraphs under a heading ----------------------------------------------------------

@dataclass
class _Group:
    section_id: str
    heading: str
    members: list[tuple[Para, str]]  # (paragraph, its text without an inline heading when it opened the group)
    names_text: bool = True  # False for a heading over sub-sections: it does not name the text before them


def _inline_heading(text: str) -> tuple[int, str, str] | None:
    """(level, heading, rest) of a paragraph that opens with its own numbered heading:
    `（一）用改革的办法深入推进“三去一降一补”。要在…` or a heading line `一、2016年工作回顾`."""
    m = _INLINE_HEADING.match(text)
    if not m:
        return None
    level = 1 if m.group(1) else 2
    body = text[m.end():]
    end = body.find("。")
    if end < 0:
        return (level, body.strip(), "") if len(body) <= TITLE_SENTENCE_CHARS else None
    return level, body[:end].strip(), body[end + 1:].strip()


def _outside_reviews(paras: list[Para], tree: SectionTree, rules: Directives) -> list[Para]:
    """The paragraphs outside review and status sections (by section or inline heading) and before
    an appendix that follows the body (`附件1 名词解释`)."""
    kept, inline, body_started = [], {1: "", 2: ""}, False
    for p in paras:
        if tree.level(p.section_id) >= 1:
            body_started = True
        if body_started and p.text.lstrip().startswith(rules.appendix_markers):
            break
        found = _inline_heading(p.text)
        if found:
            level, heading, _ = found
            inline[level] = heading
            if level == 1:
                inline[2] = ""
            body_started = True
        headings = [*tree.headings_up(p.section_id), *inline.values()]
        if not any(contains_any(h, rules.review_section_keywords) for h in headings):
            kept.append(p)
    return kept


def _directing_share(paras: list[Para], rules: Directives) -> float:
    """Share of the prose sentences (ten or more Chinese characters: not links, captions or
    interface words) that direct: over half in plans, opinions and reports, a fifth or less in
    papers (whose analysis also says 要 and 应) and in bibliographic exports."""
    roles = [_role(s, rules) for p in paras for _, s in sentences(p.text) if len(_CJK.findall(s)) >= 10]
    return roles.count("directs") / len(roles) if roles else 0.0


def _groups(paras: list[Para], tree: SectionTree, rules: Directives, own_text: bool) -> list[_Group]:
    """Consecutive paragraphs of one section, a paragraph with an inline heading starting a new group.
    `own_text` False drops a section's own paragraphs when it has sub-sections (a paper's summary
    before its recommendations)."""
    groups: list[_Group] = []
    for p in paras:
        found = _inline_heading(p.text)
        if found:
            groups.append(_Group(p.section_id, found[1], [(p, found[2])]))
            continue
        if not groups or groups[-1].section_id != p.section_id:
            if not own_text and tree.children(p.section_id):
                continue
            heading = _HEADING_NUMBER.sub("", tree.heading(p.section_id))
            groups.append(_Group(p.section_id, heading, [], names_text=not tree.children(p.section_id)))
        groups[-1].members.append((p, p.text))
    return [g for g in groups if g.members]


def _recommendation_groups(tree: SectionTree, paras: list[Para], taxonomy: Taxonomy, rules: Directives) -> list[_Group]:
    tops = recommendation_sections(tree, taxonomy)
    members = {s for top in tops for s in _descendants(tree, top)}
    inside = [p for p in paras if p.section_id in members]
    return _groups(_outside_reviews(inside, tree, rules), tree, rules, own_text=False)


def _descendants(tree: SectionTree, sid: str) -> list[str]:
    out = [sid]
    for kid in tree.children(sid):
        out.extend(_descendants(tree, kid))
    return out


def _marker_family(p: Para, rules: Directives) -> str | None:
    marker = p.list_marker if p.kind == "list_item" and isinstance(p.list_marker, str) else ""
    if not marker:
        return "dash" if rules.item_dashes and p.text.lstrip().startswith(rules.item_dashes) else None
    if marker.startswith("第"):
        return "ordinal"
    if marker[0] in "①②③④⑤⑥⑦⑧⑨⑩":
        return "circled"
    if marker[0] in "(（":
        return "paren"
    if marker.endswith("是"):
        return "shi"
    return "other"


def _group_items(group: _Group, rules: Directives, taxonomy: Taxonomy) -> list[dict]:
    """The items of one group (see the module doc): marked items, else its directing paragraphs
    without the lead; a group of one paragraph is one item titled by its heading."""
    marked: list[dict] = []
    family = None
    for p, text in group.members:
        this = _marker_family(p, rules)
        if this and (family is None or this == family):
            family = this
            marked.append({"section_id": p.section_id, "para_id": p.para_id, "text": text})
        elif marked:
            marked[-1]["text"] += "\n" + text  # a continuation or a nested item belongs to its item
    if marked:  # paragraphs before the first marked item introduce them
        if family == "dash":  # a dash also lists achievements: such an item must direct
            marked = [m for m in marked if _directs(m["text"], rules)]
        return [item for m in marked for item in _enumerated(m, rules, taxonomy, marked=True)]
    members = [(p, text) for p, text in group.members if text]
    if len(members) == 1:
        p, text = members[0]
        check = "。".join(filter(None, [group.heading, text]))
        if not _directs(check, rules) or _forward(text, rules) or _grants_only(text, rules, taxonomy):
            return []
        named = group.names_text and group.heading
        full = p.text if text != p.text or not named else "\n".join([group.heading, text])
        unit = {"section_id": p.section_id, "para_id": p.para_id, "text": full}
        items = _enumerated(unit, rules, taxonomy, marked=False)
        if len(items) == 1 and named:
            items[0]["title"] = shorten(group.heading, TITLE_CLAUSE_CHARS * 2)
            items[0].pop("_focus", None)
        return items
    if len(members) >= 3 and _is_lead(members[0][1], rules):
        members = members[1:]
    items = []
    for p, text in members:
        if _forward(text, rules) or _grants_only(text, rules, taxonomy):
            continue
        unit = {"section_id": p.section_id, "para_id": p.para_id, "text": text}
        if _enumeration_spans(text, rules) or _directs(text, rules):
            items.extend(_enumerated(unit, rules, taxonomy, marked=False))
    return items


def _is_lead(text: str, rules: Directives) -> bool:
    return (len(sentences(text)) <= rules.lead_max_sentences and len(text) <= rules.lead_max_chars) \
        or _forward(text, rules)


def _enumeration_spans(text: str, rules: Directives) -> list[int]:
    """Start offsets of an inline enumeration 一是…二是… (or 第一，…第二，…, ①…②…) in `text`:
    a run of two or more markers numbered in order; [] when there is none."""
    pattern = rules.enumeration
    if pattern is None:
        return []
    found = [(m.start(1), m.group(1)) for m in pattern.finditer(text)]
    best: list[int] = []
    for k, (_, first) in enumerate(found):
        if _ordinal(first) != 1:
            continue
        run, want = [], 1
        for start, marker in found[k:]:
            if _ordinal(marker) == want and _same_kind(marker, first):
                run.append(start)
                want += 1
        if len(run) >= 2 and len(run) > len(best):
            best = run
    return best


def _ordinal(marker: str) -> int:
    if marker[0] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳":
        return ord(marker[0]) - ord("①") + 1
    digits = marker.lstrip("第")
    value = _NUMERALS.find(digits[0]) + 1 if digits and digits[0] in _NUMERALS else 0
    if len(digits) > 1 and digits[1] in _NUMERALS and digits[0] == "十":
        value = 10 + _NUMERALS.find(digits[1]) + 1
    return value


def _same_kind(marker: str, first: str) -> bool:
    return marker[0].isascii() == first[0].isascii() and (marker.startswith("第") == first.startswith("第")) \
        and (marker[-1] == first[-1] or marker[0] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")


def _enumerated(unit: dict, rules: Directives, taxonomy: Taxonomy, marked: bool) -> list[dict]:
    """The unit, or its inline items 一是…二是… each as an item; the text before them is an item of
    its own only when a sentence after its first directs with a modal (`……。要大幅降低非税负担。`)."""
    text = unit["text"]
    starts = _enumeration_spans(text, rules)
    if not starts:
        keep = _kept_item(text, rules) if marked else True
        if not keep:
            return []
        item = {**unit, "title": _title(text, rules, first_directing=not marked)}
        return [item if marked else {**item, "_focus": _directing_text(text, rules)}]
    lead_text = text[:starts[0]].strip()
    lead_sentences = [s for _, s in sentences(lead_text)]
    lead = None
    if len(lead_sentences) > 1 and any(_strong_modal(s, rules) and _role(s, rules) == "directs"
                                       for s in lead_sentences[1:]):
        lead = {**unit, "text": lead_text, "title": _title(lead_text)}
    items = [lead] if lead else []
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        part = text[a:b].strip()
        if _kept_item(part, rules):
            items.append({**unit, "text": part, "title": _title(part), "_parent": lead})
    return items


def _directing_text(text: str, rules: Directives) -> str:
    """The sentences of an unmarked paragraph that direct: what its domain is read from."""
    return "".join(s for _, s in sentences(text) if _role(s, rules) == "directs")


def _title(text: str, rules: Directives | None = None, first_directing: bool = False) -> str:
    """The item's first sentence (or, for an unmarked paragraph, its first directing sentence) when
    short; else its first clause, skipping a purpose (`为……`), a target date (`到2028年`) or a
    report's frame (`《规划》提出`)."""
    first_line = strip_list_marker(text.split("\n", 1)[0])
    first_line = _INLINE_HEADING.sub("", first_line, count=1)
    first_line = re.sub(r"^第[一二三四五六七八九十百零〇\d]+条\s*", "", first_line)
    first_line = re.sub(rf"^[{_NUMERALS}]+[是要]", "", first_line).lstrip("—-－ ")
    sents = [s for _, s in sentences(first_line)]
    if first_directing and rules is not None:
        directing = [s for s in sents if _role(s, rules) == "directs"]
        if directing:  # from the clause where the directive starts: `新的一年，要…` → `要…`
            first = _from_directing_clause(directing[0], rules)
            return first if len(first) <= TITLE_SENTENCE_CHARS else shorten(_first_clause(first), TITLE_CLAUSE_CHARS)
    first = strip_clause_punct(sents[0]) if sents else first_line
    if len(first) <= TITLE_SENTENCE_CHARS:
        return first
    return shorten(_first_clause(first), TITLE_CLAUSE_CHARS)


def _first_clause(sentence: str) -> str:
    spans = clauses(sentence)
    parts = [strip_clause_punct(sentence[a:b]) for a, b in spans] or [sentence]
    while len(parts) > 1 and (_PURPOSE.match(parts[0]) or _FRAME_CLAUSE.match(parts[0])):
        parts = parts[1:]
    return parts[0]


def _from_directing_clause(sentence: str, rules: Directives) -> str:
    """The sentence from its first clause with a modal or an imperative start on."""
    sentence = strip_clause_punct(_without_frame(sentence, rules))
    for a, b in clauses(sentence):
        part = sentence[a:b].strip()
        if contains_any(_masked(part, rules), rules.modals) or _weak_modal_directs(part, rules) \
                or _imperative(part, rules) or _target(part, rules):
            return strip_clause_punct(sentence[a:])
    return sentence


# ---- an abstract-only document -----------------------------------------------------------------------

def _abstract_items(paras: list[Para], taxonomy: Taxonomy) -> list[dict]:
    verb_re, look_alike = taxonomy.abstract_verb_re, taxonomy.abstract_look_alike
    if verb_re is None:
        return []

    def cued(sentence: str) -> bool:
        return contains_any(_masked(sentence, look_alike), taxonomy.abstract_cues)

    items = []
    for p in paras:
        sents = [s for _, s in sentences(p.text)]
        for k, sent in enumerate(sents):
            if not cued(sent):
                continue
            # the next sentence usually says who acts (`发挥政府、市场、企业和社会共同作用`)
            context = sent + (sents[k + 1] if k + 1 < len(sents) and not cued(sents[k + 1]) else "")
            for m in verb_re.finditer(sent):
                parts = [strip_clause_punct(x) for x in _ITEM_SPLIT.split(m.group(1))]
                parts = [x for x in parts if len(x) >= 3]
                if len(parts) >= 3:
                    items.extend({"section_id": p.section_id, "para_id": p.para_id, "title": x, "text": context,
                                  "_shared_text": True}
                                 for x in parts)
    return items


# ---- classification ------------------------------------------------------------------------------------

def _count(text: str, keywords: list[str]) -> int:
    return sum(text.count(k) for k in keywords if k)


def _horizon(item: dict, tree: SectionTree, taxonomy: Taxonomy, year: int | None) -> str | None:
    """短期/中期/长期 in the headings above; else a target year against the document's year; else a
    horizon word of the text (今年, 近期 …)."""
    context = " ".join(tree.headings_up(item["section_id"]))
    found = next((code for code, kws in taxonomy.horizons if contains_any(context, kws)), None)
    if found:
        return found
    rules = taxonomy.directives
    if year and rules.target_openers:
        openers = "|".join(map(re.escape, rules.target_openers))
        for m in re.finditer(rf"(?:{openers})(\d{{4}})年", item["text"]):
            ahead = int(m.group(1)) - year
            if ahead >= 0:
                return next((code for code, limit in rules.horizon_years if ahead <= limit), "long")
    return next((code for code, kws in taxonomy.horizon_words if contains_any(item["text"], kws)), None)


def _domain_counts(text: str, taxonomy: Taxonomy, instruments: bool = True) -> dict[str, int]:
    """Keyword hits per domain, each place in the text read once as its longest keyword: 数据安全
    counts for governance, not also 数据 for data. `instruments` False skips 标准, 制度 … (a title
    is read for what the policy acts on, not for its instrument)."""
    counts: dict[str, int] = {}
    if taxonomy.domain_pattern is None:
        return counts
    for m in taxonomy.domain_pattern.finditer(text):
        if not instruments and m.group() in taxonomy.instruments:
            continue
        for code in taxonomy.domain_of[m.group()]:
            counts[code] = counts.get(code, 0) + 1
    return counts


def _classify(item: dict, tree: SectionTree, taxonomy: Taxonomy, year: int | None = None) -> dict:
    title, text = item["title"], item["text"]
    weight = taxonomy.title_weight
    # Items enumerated in one sentence share their text: only their own words tell them apart.
    shared = item.pop("_shared_text", False)
    # A heading or a marked item's first sentence names the item; an unmarked paragraph is read by
    # the sentences that direct, not by the context around them.
    focus = item.pop("_focus", None) or title
    in_title = _domain_counts(focus, taxonomy, instruments=False)
    in_text = {} if shared else _domain_counts(text, taxonomy)
    scores = [(weight * in_title.get(code, 0) + in_text.get(code, 0), -i, code)
              for i, (code, _) in enumerate(taxonomy.domains)]
    fallback = taxonomy.default_domain or (taxonomy.domains[0][0] if taxonomy.domains else "")
    domain = max(scores)[2] if scores and max(scores)[0] > 0 else fallback
    tool_scores = [(weight * _count(title, kws) + _count(text, kws), -i, tool, label)
                   for i, (tool, label, kws) in enumerate(taxonomy.subtools)]
    best = max(tool_scores) if tool_scores else None
    tool, subtool = (best[2], best[3]) if best and best[0] > 0 else (taxonomy.default_tool, None)
    actors = [code for code, kws in taxonomy.actors if contains_any(text, kws)]
    horizon = _horizon(item, tree, taxonomy, year)
    return {**item, "domain": domain, "tool": tool, "subtool": subtool, "actors": actors, "horizon": horizon}
