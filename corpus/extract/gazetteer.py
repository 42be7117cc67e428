"""The AI-milestone gazetteer (`data/lexicon/ai_milestones.yaml`): find entities in a sentence,
date them, and check a sentence's claims (year, month, developer) against the gazetteer.

An alias is never found inside a web address, and a Latin alias only as a whole word (`Claude`
is not in `Claude_Shannon`, `GPT-4` not in `GPT-4o`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.extract.text import literal_alternation, mask_urls
from corpus.lexicon import cached_per_file, read_yaml

GAZETTEER_FILE = "ai_milestones.yaml"
_IGNORED = re.compile(r"[\s“”‘’\"'《》〈〉「」]")
_LATIN_GAP = re.compile(r"(?<=[A-Za-z0-9])\s+(?=[A-Za-z0-9])")
_DEVELOPED_BY = "(?:公司|集团)?(?:所|率先|正式|最新|新)?(?:推出|发布|开发|研发|打造|开源|提出|出品|印发|颁布|出台)?(?:了)?的?"


@dataclass(frozen=True)
class Milestone:
    entity: str
    aliases: tuple[str, ...]
    year: int
    month: int | None
    day: int | None
    category: str
    label: str
    developer: str | None = None
    note: str = ""
    source: str = ""

    @property
    def date_text(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)


@dataclass(frozen=True)
class Mention:
    milestone: Milestone
    start: int  # offset in the original sentence
    end: int


@dataclass
class Gazetteer:
    milestones: list[Milestone]
    organizations: dict[str, list[str]] = field(default_factory=dict)  # code -> aliases

    def mentions(self, sentence: str) -> list[Mention]:
        """Entities named in `sentence`, first mention each, in order of appearance."""
        sentence = mask_urls(sentence)  # a product name in a link (a wiki page's address) is no mention
        # Most sentences name no entity: one search for any alias (without spaces or word-boundary
        # checks, so it never misses one) rules them out before the per-alias scan.
        if not self._any_alias().search(_IGNORED.sub("", sentence)):
            return []
        squeezed, index = _squeeze(sentence)
        found: dict[str, Mention] = {}
        for ms in self.milestones:
            for alias in ms.aliases:
                for m in _alias_pattern(alias).finditer(squeezed):
                    start, end = index[m.start()], index[m.end() - 1] + 1
                    best = found.get(ms.entity)
                    if best is None or start < best.start:
                        found[ms.entity] = Mention(ms, start, end)
                    break
        # A longer entity wins over one it contains (DeepSeek-V3 over DeepSeek).
        kept = [m for m in found.values()
                if not any(o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                           for o in found.values())]
        return sorted(kept, key=lambda m: m.start)

    def _any_alias(self) -> re.Pattern:
        pattern = self.__dict__.get("_any_pattern")
        if pattern is None:
            bodies = sorted({_IGNORED.sub("", a) for ms in self.milestones for a in ms.aliases}, key=len, reverse=True)
            # An alias of quote marks only matches everywhere, and so does this pattern then.
            pattern = re.compile(literal_alternation(bodies), re.I) if bodies else re.compile(r"(?!)")
            self.__dict__["_any_pattern"] = pattern
        return pattern

    def developer_conflict(self, sentence: str, mention: Mention) -> str | None:
        """`谷歌推出的 Claude` when the gazetteer says Anthropic → a message; else None."""
        dev = mention.milestone.developer
        if not dev:
            return None
        before = sentence[max(0, mention.start - 16):mention.start]
        before = _IGNORED.sub("", before)
        for code, aliases in self.organizations.items():
            for alias in aliases:
                if re.search(re.escape(alias) + _DEVELOPED_BY + "$", before, flags=re.I):
                    if code == dev:
                        return None
                    return (f"知识库记载 {mention.milestone.entity} 由 {dev} 推出（{mention.milestone.date_text}），"
                            f"文中称由“{alias}”推出")
        return None

    def date_conflict(self, mention: Mention, year: int, month: int | None) -> str | None:
        ms = mention.milestone
        if year != ms.year:
            return f"知识库记载 {ms.entity} 的日期为 {ms.date_text}，文中为 {year} 年"
        if month and ms.month and month != ms.month:
            return f"知识库记载 {ms.entity} 的日期为 {ms.date_text}，文中为 {year} 年 {month} 月"
        return None


def _squeeze(text: str) -> tuple[str, list[int]]:
    """`text` without spaces and quote marks (`文心 一言`, `“深蓝”`), but with one space kept between
    two Latin words so that whole-word matching holds (`mp weixin` is two words); and for each
    character kept, its offset in `text`."""
    gaps = {m.start() for m in _LATIN_GAP.finditer(text)}
    index = [i for i, ch in enumerate(text) if i in gaps or not _IGNORED.match(ch)]
    return "".join(" " if i in gaps else text[i] for i in index), index


_PATTERN_CACHE: dict[str, re.Pattern] = {}


def _alias_pattern(alias: str) -> re.Pattern:
    pattern = _PATTERN_CACHE.get(alias)
    if pattern is None:
        body = re.escape(_squeeze(alias)[0])
        if alias.isascii():  # whole word, case-insensitive: GPT-4 is not GPT-4o, DeepSeek is not DeepSeek-V3
            pattern = re.compile(rf"(?<![A-Za-z0-9_\-]){body}(?![A-Za-z0-9_]|-[A-Za-z0-9])", re.I)
        else:
            pattern = re.compile(body)
        _PATTERN_CACHE[alias] = pattern
    return pattern


def _parse_date(value) -> tuple[int, int | None, int | None]:
    parts = [int(p) for p in str(value).split("-")]
    return parts[0], (parts[1] if len(parts) > 1 else None), (parts[2] if len(parts) > 2 else None)


@cached_per_file(GAZETTEER_FILE)
def load_gazetteer(lexicon_dir: Path) -> Gazetteer:
    data = read_yaml(GAZETTEER_FILE, lexicon_dir) if (Path(lexicon_dir) / GAZETTEER_FILE).exists() else {}
    data = data or {}
    milestones = []
    for item in data.get("milestones") or []:
        if not item or not item.get("entity") or not item.get("date"):
            continue
        year, month, day = _parse_date(item["date"])
        aliases = tuple(dict.fromkeys([str(a) for a in (item.get("aliases") or [])] + [item["entity"]]))
        milestones.append(Milestone(
            entity=str(item["entity"]), aliases=aliases, year=year, month=month, day=day,
            category=str(item.get("category") or "other"), label=str(item.get("label") or item["entity"]),
            developer=item.get("developer"), note=str(item.get("note") or ""), source=str(item.get("source") or ""),
        ))
    organizations = {str(o["code"]): [str(a) for a in (o.get("aliases") or [o["code"]])]
                     for o in data.get("organizations") or [] if o and o.get("code")}
    return Gazetteer(milestones, organizations)
