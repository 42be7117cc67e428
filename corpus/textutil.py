"""Small character-level helpers shared by the cleaning stages."""

from __future__ import annotations

import re

CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULLWIDTH_PUNCT = "\u2460-\u24ff\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014\u2013\u00b7\u2500-\u257f"
SENTINEL = "\ue000"  # stands in for a removed citation marker until offsets are recorded

_CJKISH = f"[{CJK_RANGES}{FULLWIDTH_PUNCT}{SENTINEL}]"
_CJK = f"[{CJK_RANGES}]"

SENTENCE_END = "。！？!?…"
TERMINAL_RE = re.compile(r"[。！？!?…]+[”’」』）)]*\s*$")
_SPACE_RE = re.compile(r"\s")


def display_width(text: str) -> float:
    """Width in CJK cells: ideographs and full-width punctuation 1, ASCII ½."""
    return len(text) - 0.5 * len(_WIDE_RUNS.sub("", text))  # what is left is the narrow characters


# A full cell: the CJK blocks and above, and the punctuation CJK fonts draw full width. Removed
# run by run, not found one character at a time: these run on every line of every document.
_WIDE_RUNS = re.compile("[\u2e80-\U0010ffff“”‘’—…·]+")
_NON_CJK_RUNS = re.compile(f"[^{CJK_RANGES}]+")


def cjk_ratio(text: str) -> float:
    """Share of ideographs among the visible characters (called on every line)."""
    visible = len(text) - len(_SPACE_RE.findall(text))
    if not visible:
        return 0.0
    return len(_NON_CJK_RUNS.sub("", text)) / visible


def is_latin_line(text: str) -> bool:
    """Mostly Latin letters: part of an English abstract or title."""
    letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    visible = sum(1 for ch in text if not ch.isspace())
    return visible > 0 and letters / visible >= 0.6 and cjk_ratio(text) < 0.05


def ends_sentence(text: str) -> bool:
    return bool(TERMINAL_RE.search(text))


def join_lines(left: str, right: str) -> str:
    """Re-join two wrapped lines: no space between CJK, one space between Latin words."""
    if not left:
        return right
    if not right:
        return left
    a, b = left[-1], right[0]
    if a == "-" and len(left) > 1 and left[-2].isalpha() and b.isalpha():
        return left + right
    if (a.isascii() and a.isalnum() or a in ",;:.)") and b.isascii() and (b.isalnum() or b in "("):
        return left + " " + right
    return left + right


_SPACES_BETWEEN_CJK = re.compile(rf"(?<={_CJKISH})[ \t]+(?={_CJKISH})")
_SPACE_CJK_DIGIT = re.compile(rf"(?<={_CJK})[ \t]+(?=\d)|(?<=\d)[ \t]+(?={_CJK})")
_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_SPACE_NEAR_FULLWIDTH = re.compile(rf"[ \t]+(?=[{FULLWIDTH_PUNCT}{SENTINEL}])|(?<=[{FULLWIDTH_PUNCT}])[ \t]+")
_HALF_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_HALF_PUNCT_RE = re.compile(rf"(?<={_CJKISH})\s*([,;:?!])\s*(?=[{CJK_RANGES}{FULLWIDTH_PUNCT}“‘]|$)")
_OPEN_PAREN_RE = re.compile(rf"\((?=\s*{_CJK})")
_CLOSE_PAREN_RE = re.compile(rf"(?<={_CJK})\s*\)")
_MULTISPACE = re.compile(r"[ \t]{2,}")
_UNBALANCED_CLOSE = re.compile(r"（([^（）()]*)\)")
_PLUS_BETWEEN_CJK = re.compile(rf"(?<={_CJKISH})\s*\+\s*(?=[{CJK_RANGES}“])")


def normalise_spacing(text: str) -> str:
    """Undo PDF spacing artefacts inside a re-flowed paragraph.

    `制度体 系` → `制度体系`, `1956 年` → `1956年`, `6 710 亿` → `6710亿`; half-width
    punctuation between Chinese characters becomes full-width; spaces around Latin words stay.
    """
    # Each pattern runs only where it can match (a clean abstract has no space or half-width mark:
    # the passes were a third of cleaning an export's records). No substitution adds a space, so
    # text without one keeps having none.
    text = text.strip()
    spaced = " " in text or "\t" in text
    if spaced:
        text = _MULTISPACE.sub(" ", text)
    if any(mark in text for mark in _HALF_PUNCT):
        text = _HALF_PUNCT_RE.sub(lambda m: _HALF_PUNCT[m.group(1)], text)
    if "(" in text:
        text = _OPEN_PAREN_RE.sub("（", text)
    if ")" in text:
        text = _CLOSE_PAREN_RE.sub("）", text)
    if spaced:
        for _ in range(2):  # overlapping matches need a second pass
            text = _SPACES_BETWEEN_CJK.sub("", text)
            text = _SPACE_NEAR_FULLWIDTH.sub("", text)
    if "+" in text:
        text = _PLUS_BETWEEN_CJK.sub("+", text)
    if ")" in text:
        text = _UNBALANCED_CLOSE.sub(r"（\1）", text)
    if spaced:
        text = _SPACE_CJK_DIGIT.sub("", text)
        text = _DIGIT_GROUP.sub("", text)
    return text
