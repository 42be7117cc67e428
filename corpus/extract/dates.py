"""Date expressions in one Chinese sentence: pure functions, no lexicon, no I/O.

`find_dates(sentence, doc_year)` returns every date the sentence states, with its span, so the
caller can cut the clause it belongs to. Recognised (spaces such as `1956 年` are tolerated):

- years `1956年`, year + month (+ day) `2023年7月`, `2022年11月30日`, ISO `2023-07-13`;
- ranges `1955-2005年`, `2006—2016 年`, `2021～2025年`, `2021年至2025年`;
- `年底/年末` (month 12), `以来/至今/迄今` (open end: the document year, approximate),
  `起/开始` (a start point);
- centuries and decades `21世纪以来`, `20世纪80年代`, `上世纪90年代`, `1980年代`;
- five-year plans `“十四五”` → 2021–2025 (plan N ≥ 3 starts in 1966 + 5(N−3));
- relative `近10年`, `过去五年`: resolved against the document year, always approximate.

Never dates: years inside a title `《…2024…》`, citation tails `2024年第4期` / `2021年版`,
comparison baselines `较2023年末`, durations `近70年的发展历史`, quantities `6710亿`, `27.6万台`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    kind: str = "point"  # point | range | since | plan | century | decade | relative
    connector: str | None = None  # 自 / 从 / 到 / 截至 / 于 … written just before the date


_SP = r"[ \t\u3000]*"
_YEAR = r"(?<![\d.\-A-Za-z])(1[5-9]\d\d|20\d\d)(?![\d.])"
_DASH = r"[-—–－～~〜至到]"
_MD = rf"(?:{_SP}(?P<month>1[0-2]|0?[1-9]){_SP}月(?:{_SP}(?P<day>3[01]|[12]\d|0?[1-9]){_SP}[日号])?)?"
_TAIL = rf"(?:{_SP}(?P<part>底|末|初(?![步期次级中])|上半年|下半年))?(?:{_SP}(?P<open>以来|至今|迄今|起|开始))?"

_RANGE_RE = re.compile(rf"{_YEAR}{_SP}(?:年{_SP})?{_DASH}{_SP}(1[5-9]\d\d|20\d\d){_SP}年(?:{_SP}(?P<open>以来))?")
_ISO_RE = re.compile(r"(?<![\d\-])(1[5-9]\d\d|20\d\d)-(1[0-2]|0?[1-9])-(3[01]|[12]\d|0?[1-9])(?![\d\-])"
                     r"(?:[ T]?(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?")
_YEAR_RE = re.compile(rf"{_YEAR}{_SP}年(?!代){_MD}{_TAIL}")
_DECADE_RE = re.compile(rf"(?P<prefix>上个?世纪|(?P<c>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){_SP}世纪)?{_SP}"
                        rf"(?P<d>(?:1[5-9]|20)?\d)0{_SP}年代(?P<part>初|末|中期|后期|前期)?")
_CENTURY_RE = re.compile(rf"(?P<c>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){_SP}世纪(?!{_SP}\d0{_SP}年代)"
                         rf"(?P<part>初|末|中叶|上半叶|下半叶)?(?:{_SP}(?P<open>以来))?")
_PLAN_RE = re.compile(r"(?P<q>[“\"「])?(?P<n>十[一二三四五六七八九]?|[一二三四五六七八九])五(?(q)[”\"」]|(?=规划|计划|时期|期间))")
_RELATIVE_RE = re.compile(rf"(?:近|过去|最近){_SP}(?P<n>\d{{1,2}}|[一二三四五六七八九十]{{1,3}}){_SP}(?:多)?{_SP}年(?!代|级)")

# Every pattern above needs one of these (年, 世纪, the 五 of a plan, the - of an ISO date): a
# sentence with none states no date, and most sentences are skipped with one search.
_MAY_HOLD_DATE = re.compile(r"[年五\-]|世纪")

# Things that make a year a citation or a baseline rather than a dated statement.
_CITATION_TAIL = re.compile(rf"^{_SP}(?:年)?{_SP}(?:第{_SP}\d+{_SP}期|版|第{_SP}\d+{_SP}卷|\(\d+\)|（\d+）)")
_BASELINE_BEFORE = re.compile(r"(?:较|比|相比|相较|同比|对比)[于]?" + _SP + "$")
_DURATION_AFTER = re.compile(rf"^{_SP}(?:的)?{_SP}(?:发展)?(?:历史|历程|时间|光景)")
_DURATION_BEFORE = re.compile(r"(?:拥有|已有|有|长达|历经|经过|走过|用了)" + _SP + "$")
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


def _connector(sentence: str, start: int) -> str | None:
    m = _CONNECTOR_BEFORE.search(sentence[max(0, start - 4):start])
    return m.group(1) if m else None


def has_relative_date(sentence: str) -> bool:
    """Does the sentence hold a relative phrase (`近10年`), the only kind `anchor_year` changes?"""
    return _RELATIVE_RE.search(sentence) is not None


def find_dates(sentence: str, doc_year: int | None = None, anchor_year: int | None = None) -> list[DateMention]:
    """Every date stated in `sentence`, in order, non-overlapping (longest expression wins).

    `doc_year` (the publication year) closes open ranges (`2017年至今`) and resolves relative
    phrases; without it `anchor_year` (e.g. the latest year the document states) resolves them.
    """
    if not _MAY_HOLD_DATE.search(sentence):
        return []
    titles = _title_spans(sentence)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken) and not _inside(a, titles)

    def add(m: re.Match, **fields) -> None:
        a, b = m.span()
        if not free(a, b) or _BASELINE_BEFORE.search(sentence[max(0, a - 4):a]):
            return
        if _CITATION_TAIL.match(sentence[b:b + 10]):
            return
        taken.append((a, b))
        found.append(DateMention(a, b, m.group(0).strip(), connector=_connector(sentence, a), **fields))

    def open_end(word: str | None) -> tuple[int | None, bool]:
        """(year_end, approximate) for 以来/至今 (ongoing) and 起/开始 (a start point)."""
        if word in ("以来", "至今", "迄今"):
            return doc_year, True
        return None, False

    for m in _RANGE_RE.finditer(sentence):
        y1, y2 = int(m.group(1)), int(m.group(2))
        if y1 < y2:
            add(m, year=y1, year_end=y2, kind="range")
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
        kind = "since" if m.group("open") in ("以来", "至今", "迄今") else "point"
        add(m, year=year, year_end=year_end, month=month, day=day if month else None,
            approximate=approximate or open_approx, kind=kind)
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
        add(m, year=start, year_end=start + 9, approximate=True, kind="decade")
    for m in _CENTURY_RE.finditer(sentence):
        century = cn_number(m.group("c"))
        if not century or not 1 <= century <= 22:
            continue
        start = (century - 1) * 100 + 1
        if m.group("open"):
            add(m, year=start, year_end=doc_year, approximate=True, kind="century")
        else:
            add(m, year=start, year_end=start + 99, approximate=True, kind="century")
    for m in _PLAN_RE.finditer(sentence):
        n = cn_number(m.group("n"))
        if not n:
            continue
        start, end = five_year_plan_years(n)
        add(m, year=start, year_end=end, kind="plan")
    for m in _RELATIVE_RE.finditer(sentence):
        n = cn_number(m.group("n"))
        a, b = m.span()
        if not n or _DURATION_AFTER.match(sentence[b:b + 8]) or _DURATION_BEFORE.search(sentence[max(0, a - 3):a]):
            continue
        reference = doc_year or anchor_year
        if reference is None:
            continue  # nothing to resolve it against: a relative phrase alone is not a date
        add(m, year=reference - n, year_end=reference, approximate=True, kind="relative")

    found.sort(key=lambda d: d.start)
    return found
