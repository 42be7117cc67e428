"""Date expressions in one Chinese sentence: pure functions, no I/O.

`find_dates(sentence, doc_year, rules)` returns every date the sentence states, with its span, so
the caller can cut the clause it belongs to. Recognised (spaces such as `1956 年` are tolerated):

- years `1956年`, year + month (+ day) `2023年7月`, `2022年11月30日`, ISO `2023-07-13`;
- ranges `1955-2005年`, `2006—2016 年`, `2021～2025年`, `2021年至2025年`, and two dates joined by a
  dash or 至/到 with nothing between them (`2012年6月至2014年10月`, `自2021年起至2025年`);
- `年底/年末` (month 12), `以来/至今/迄今` (open end: the document year, approximate),
  `起/开始` (a start point);
- decades `20世纪80年代`, `上世纪90年代`, `1980年代`;
- five-year plans `“十四五”` → 2021–2025 (plan N ≥ 3 starts in 1966 + 5(N−3));
- a bare year or range opening a sentence, as list items and era headings write them
  (`1956：…`, `1956 - 1974: …`);
- relative `近10年`, `过去五年` (N at least `DateRules.relative_min_years`): resolved against the
  document's own year, approximate; nothing when the document has no year of its own.

Never dates: centuries (`21世纪`), years inside a title `《…2024…》` (except a range in brackets
closing it, the period of a plan: `《…行动计划（2021—2023年）》`), citation tails `2024年第4期` /
`2021年版`, quantities `6710亿`, and what `DateRules` (from `event_categories.yaml`) lists:
comparison and price baselines (`较2023年末`, `按2010年价格计算`), durations (`近70年的发展历史`),
other numbered series (`“七五”普法` is not the seventh five-year plan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """`14`, `十四`, `二十一`, `十` → int; None when it is not a number below 100."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def five_year_plan_years(n: int) -> tuple[int, int]:
    """The years of China's N-th five-year plan: 1st 1953–57, 2nd 1958–62, from the 3rd on 1966 + 5(N−3)."""
    start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return start, start + 4


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str  # the expression as written
    year: int
    year_end: int | None = None
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    kind: str = "point"  # point | range | since | plan | decade | relative
    connector: str | None = None  # 自 / 从 / 到 / 截至 / 于 … written just before the date


def _words_pattern(words: tuple[str, ...], template: str) -> re.Pattern:
    """`template` with `{words}` replaced by an alternation of `words`; never matches without words."""
    if not words:
        return re.compile(r"(?!)")
    alternation = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(template.replace("{words}", alternation))


@dataclass(frozen=True)
class DateRules:
    """The word lists that make a year no date (`dates:` in `event_categories.yaml`)."""

    baseline_before: tuple[str, ...] = ()  # 较2023年末, 比2010年翻一番
    baseline_after: tuple[str, ...] = ()  # 2010年不变价, 按2010年价格计算
    duration_before: tuple[str, ...] = ()  # 已有近70年
    duration_after: tuple[str, ...] = ()  # 近70年的发展历史
    other_series: tuple[str, ...] = ()  # “七五”普法: another numbered series, not the 7th five-year plan
    relative_min_years: int = 2  # 过去一年 is deictic, like 今年

    @cached_property
    def _baseline_before(self) -> re.Pattern:
        return _words_pattern(self.baseline_before, r"(?:{words})于?[ \t\u3000]*$")

    @cached_property
    def _baseline_after(self) -> re.Pattern:
        return _words_pattern(self.baseline_after, r"^[ \t\u3000]*(?:{words})")

    @cached_property
    def _duration_before(self) -> re.Pattern:
        return _words_pattern(self.duration_before, r"(?:{words})[ \t\u3000]*$")

    @cached_property
    def _duration_after(self) -> re.Pattern:
        return _words_pattern(self.duration_after, r"^[ \t\u3000]*的?[ \t\u3000]*(?:发展)?(?:{words})")

    @cached_property
    def _other_series(self) -> re.Pattern:
        return _words_pattern(self.other_series, r"^[ \t\u3000]*(?:{words})")

    def is_other_series(self, sentence: str, end: int) -> bool:
        return bool(self._other_series.match(sentence[end:end + 8]))

    def is_baseline(self, sentence: str, start: int, end: int) -> bool:
        return bool(self._baseline_before.search(sentence[max(0, start - 4):start])
                    or self._baseline_after.match(sentence[end:end + 8]))

    def is_duration(self, sentence: str, start: int, end: int) -> bool:
        return bool(self._duration_after.match(sentence[end:end + 8])
                    or self._duration_before.search(sentence[max(0, start - 3):start]))


NO_RULES = DateRules()

_SP = r"[ \t\u3000]*"
_YEAR = r"(?<![\d.\-A-Za-z])(1[5-9]\d\d|20\d\d)(?![\d.])"
_DASH = r"[-—–－～~〜至到]"
_MD = rf"(?:{_SP}(?P<month>1[0-2]|0?[1-9]){_SP}月(?:{_SP}(?P<day>3[01]|[12]\d|0?[1-9]){_SP}[日号])?)?"
_TAIL = (rf"(?:{_SP}(?P<part>底|末|初(?![步期次级中])|上半年|下半年))?"
         rf"(?:{_SP}(?P<open>以来|(?:起{_SP})?(?:至今|迄今)|起|开始))?")

_RANGE_RE = re.compile(rf"{_YEAR}{_SP}(?:年{_SP})?{_DASH}{_SP}(1[5-9]\d\d|20\d\d){_SP}年(?:{_SP}(?P<open>以来))?")
_ISO_RE = re.compile(r"(?<![\d\-])(1[5-9]\d\d|20\d\d)-(1[0-2]|0?[1-9])-(3[01]|[12]\d|0?[1-9])(?![\d\-])"
                     r"(?:[ T]?(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?")
_YEAR_RE = re.compile(rf"{_YEAR}{_SP}年(?!代){_MD}{_TAIL}")
_DECADE_RE = re.compile(rf"(?P<prefix>上个?世纪|(?P<c>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){_SP}世纪)?{_SP}"
                        rf"(?P<d>(?:1[5-9]|20)?\d)0{_SP}年代(?P<part>初|末|中期|后期|前期)?")
_PLAN_RE = re.compile(r"(?P<q>[“\"「])?(?P<n>十[一二三四五六七八九]?|[一二三四五六七八九])五(?(q)[”\"」]|(?=规划|计划|时期|期间))")
_RELATIVE_RE = re.compile(rf"(?:近|过去|最近){_SP}(?P<n>\d{{1,2}}|[一二两三四五六七八九十]{{1,3}}){_SP}(?:多)?{_SP}年(?!代|级)")
# A bare year (or range) opening a sentence and followed by a colon or 、, as a list item or an
# era heading writes it; a range may also be followed by a space and its name.
_BARE_RE = re.compile(rf"^(?:[-*+•·]{_SP})?{_YEAR}(?:{_SP}{_DASH}{_SP}(1[5-9]\d\d|20\d\d)(?![\d.])"
                      rf"(?=[ \t]*[:：、](?!\d)|[ \t]+[^\d\s])|(?=[ \t]*[:：、](?!\d)))")
# Two dates with only a dash or 至/到 between them (the first may end in 起) are one range.
_JOIN_RE = re.compile(rf"^{_SP}(?:起{_SP})?{_DASH}{_SP}$")

# Every pattern above needs one of these (年, the 五 of a plan, the - of an ISO date, a year
# opening the sentence): a sentence with none states no date, and most are skipped with one search.
_MAY_HOLD_DATE = re.compile(r"[年五\-]|^\D{0,3}\d{4}")

# Things that make a year a citation rather than a dated statement.
_CITATION_TAIL = re.compile(rf"^{_SP}(?:年)?{_SP}(?:第{_SP}\d+{_SP}期|版|第{_SP}\d+{_SP}卷|\(\d+\)|（\d+）)")
_CONNECTOR_BEFORE = re.compile(r"(截至|截止到?|自从|自|从|到|至|于|在)" + _SP + "$")


def _title_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of 《…》 titles (a year inside a title is part of the name, not a date)."""
    spans, stack = [], []
    for i, ch in enumerate(sentence):
        if ch == "《":
            stack.append(i)
        elif ch == "》" and stack:
            spans.append((stack.pop(), i + 1))
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _closes_title(sentence: str, start: int, end: int) -> bool:
    """Is sentence[start:end] in the brackets that end a title: `《…行动计划（2024—2028年）》`?"""
    return sentence[start - 1:start] in ("（", "(") and re.match(r"[ \t]*[）)][ \t]*》", sentence[end:]) is not None


def _connector(sentence: str, start: int) -> str | None:
    m = _CONNECTOR_BEFORE.search(sentence[max(0, start - 4):start])
    return m.group(1) if m else None


def find_dates(sentence: str, doc_year: int | None = None, rules: DateRules = NO_RULES) -> list[DateMention]:
    """Every date stated in `sentence`, in order, non-overlapping (longest expression wins).

    `doc_year` (the document's own year) closes open ranges (`2017年至今`) and resolves relative
    phrases (`近10年`); without it a relative phrase is no date. `rules` says which years are
    baselines or durations rather than dates.
    """
    if not _MAY_HOLD_DATE.search(sentence):
        return []
    titles = _title_spans(sentence)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, start: int | None = None, end: int | None = None, in_title: bool = False, **fields) -> None:
        a, b = (m.start(1), m.end()) if start is None else (start, end)
        if any(a < y and x < b for x, y in taken) or (_inside(a, titles) and not in_title):
            return
        if rules.is_baseline(sentence, a, b) or _CITATION_TAIL.match(sentence[b:b + 10]):
            return
        taken.append((a, b))
        found.append(DateMention(a, b, sentence[a:b].strip(), connector=_connector(sentence, a), **fields))

    def open_end(word: str | None) -> tuple[int | None, bool]:
        """(year_end, approximate) for 以来/至今 (ongoing) and 起/开始 (a start point)."""
        if word and word not in ("起", "开始"):
            return doc_year, True
        return None, False

    for m in _RANGE_RE.finditer(sentence):
        y1, y2 = int(m.group(1)), int(m.group(2))
        if y1 < y2:
            add(m, in_title=_closes_title(sentence, m.start(1), m.end()), year=y1, year_end=y2, kind="range")
    for m in _ISO_RE.finditer(sentence):
        add(m, year=int(m.group(1)), month=int(m.group(2)), day=int(m.group(3)))
    for m in _YEAR_RE.finditer(sentence):
        if _CITATION_TAIL.match(sentence[m.end(1):m.end(1) + 10]):
            continue  # 2024年第4期, 2021年版
        year = int(m.group(1))
        month = int(m.group("month")) if m.group("month") else None
        day = int(m.group("day")) if m.group("day") else None
        part, approximate = m.group("part"), False
        if part in ("底", "末") and month is None:
            month = 12
        elif part and month is None:
            approximate = True
        year_end, open_approx = open_end(m.group("open"))
        kind = "since" if open_approx else "point"
        add(m, year=year, year_end=year_end, month=month, day=day if month else None,
            approximate=approximate or open_approx, kind=kind)
    m = _BARE_RE.match(sentence)
    if m:
        y1, y2 = int(m.group(1)), int(m.group(2)) if m.group(2) else None
        if y2 is None or y1 < y2:
            add(m, year=y1, year_end=y2, kind="range" if y2 else "point")
    for m in _DECADE_RE.finditer(sentence):
        digits = m.group("d")
        if m.group("prefix"):
            if len(digits) != 1:
                continue
            century = 20 if m.group("prefix").startswith("上") else cn_number(m.group("c") or "")
            if not century:
                continue
            start = (century - 1) * 100 + int(digits) * 10
        elif len(digits) == 3:
            start = int(digits) * 10
        else:
            continue  # a bare `80年代` has no century
        add(m, m.start(), m.end(), year=start, year_end=start + 9, approximate=True, kind="decade")
    for m in _PLAN_RE.finditer(sentence):
        n = cn_number(m.group("n"))
        if not n or rules.is_other_series(sentence, m.end()):
            continue
        start, end = five_year_plan_years(n)
        add(m, m.start(), m.end(), year=start, year_end=end, kind="plan")
    if doc_year is not None:  # without the document's own year a relative phrase dates nothing
        for m in _RELATIVE_RE.finditer(sentence):
            n = cn_number(m.group("n"))
            a, b = m.span()
            if not n or n < rules.relative_min_years or rules.is_duration(sentence, a, b):
                continue
            add(m, a, b, year=doc_year - n, year_end=doc_year, approximate=True, kind="relative")

    return _joined_ranges(sentence, sorted(found, key=lambda d: d.start))


def _joined_ranges(sentence: str, dates: list[DateMention]) -> list[DateMention]:
    """`2012年6月至2014年10月`, `自2021年起至2025年`: two points with only a dash between are one range."""
    out: list[DateMention] = []
    for d in dates:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "point" and d.kind == "point" and d.year >= prev.year
                and _JOIN_RE.match(sentence[prev.end:d.start])):
            out[-1] = replace(prev, end=d.end, text=sentence[prev.start:d.end].strip(), kind="range",
                              year_end=d.year if d.year > prev.year else None)
        else:
            out.append(d)
    return out
