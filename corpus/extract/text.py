"""Sentence and clause helpers shared by the extractors (pure functions over strings)."""

from __future__ import annotations

import re
from functools import lru_cache

_OPEN = "“‘《（(「『【〈[\""
_CLOSE = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "【": "】", "〈": "〉", "[": "]"}
SENTENCE_ENDS = "。！？!?"
CLAUSE_BREAKS = "，；：,;:、"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"

LIST_MARKER_RE = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+[，,、]|[一二三四五六七八九十]+是|[①-⑳]|[（(]\d{1,2}[）)]|\d{1,2}[.．、])\s*"
)
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}“”‘’《》（），。；：、])\s+|\s+(?=[{_CJK}“”‘’《》（），。；：、])")


def _segments(text: str, breaks: str) -> list[tuple[int, int]]:
    """Split `text` at `breaks` characters that are not inside quotes, titles or brackets."""
    spans, start, depth_stack = [], 0, []
    # Half- and full-width brackets close each other (PDF text mixes them); same length, so offsets hold.
    # Only brackets, quotes and break characters change the state: jump from one to the next.
    last = -1
    for m in _special_chars(breaks).finditer(text.replace("(", "（").replace(")", "）")):
        i, ch = m.start(), m.group()
        if i > last + 1 and len(depth_stack) > 8:
            depth_stack.clear()  # the ordinary characters skipped would have done it
        last = i
        if depth_stack and ch == depth_stack[-1]:
            depth_stack.pop()
            continue
        if ch == "\"" and not depth_stack:
            depth_stack.append("\"")
            continue
        if ch in _CLOSE:
            depth_stack.append(_CLOSE[ch])
            continue
        if ch in ",:;" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue  # 4:1, 10:15, 1,000 are not clause breaks
        if ch in breaks and not depth_stack:
            spans.append((start, i + 1))
            start = i + 1
        if len(depth_stack) > 8:  # unbalanced input: give up nesting rather than swallow the text
            depth_stack.clear()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


_SPECIAL_CACHE: dict[str, re.Pattern] = {}


def _special_chars(breaks: str) -> re.Pattern:
    """Brackets, quotes, ,:; and `breaks`: the characters `_segments` acts on."""
    pattern = _SPECIAL_CACHE.get(breaks)
    if pattern is None:
        chars = dict.fromkeys([*_CLOSE, *_CLOSE.values(), "\"", ",", ":", ";", *breaks])
        pattern = _SPECIAL_CACHE[breaks] = re.compile("[" + "".join(re.escape(c) for c in chars) + "]")
    return pattern


# Each extractor walks a paragraph's sentences and clauses again (events, mechanisms, policies):
# split each text once per document. `forget_splits` empties the caches between documents, so
# that the memory stays one document's and no document is split faster for its neighbours' text.
@lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, sentence) pairs; a sentence ends at 。！？ outside quotes and brackets."""
    out = []
    for a, b in _segments(text, SENTENCE_ENDS):
        raw = text[a:b]
        lead = len(raw) - len(raw.lstrip())
        out.append((a + lead, raw.strip()))
    # A quote that never closes would swallow the rest of the paragraph: fall back to plain cuts.
    if len(out) == 1 and len(text) > 400:
        out, start = [], 0
        for m in re.finditer(r"[。！？!?]", text):
            out.append((start, text[start:m.end()].strip()))
            start = m.end()
        if start < len(text):
            out.append((start, text[start:].strip()))
    return tuple((a, s) for a, s in out if s)


@lru_cache(maxsize=4096)
def clauses(sentence: str) -> tuple[tuple[int, int], ...]:
    """Spans of the clauses of a sentence (cut at ，；： outside quotes and brackets)."""
    return tuple(_segments(sentence, "，；：,;:"))


def forget_splits() -> None:
    sentences.cache_clear()
    clauses.cache_clear()


def strip_clause_punct(text: str) -> str:
    return text.strip().strip("，；：,;:。！？!?、 ").strip()


def drop_parentheticals(text: str) -> str:
    """`提出“人工智能”（Artificial Intelligence，AI）一词` → `提出“人工智能”一词`."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"[（(][^（()）]*[）)]", "", text)
    return text


def compact(text: str) -> str:
    """Drop spaces next to Chinese characters and punctuation: `OpenAI 发布ChatGPT` → `OpenAI发布ChatGPT`."""
    return _SPACE_NEAR_CJK.sub("", text).strip()


def strip_list_marker(text: str) -> str:
    return LIST_MARKER_RE.sub("", text, count=1)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip("，、；：,") + "…"


def spans_of(word: str, text: str) -> list[tuple[int, int]]:
    """Where `word` stands in `text`, left to right, not overlapping (what re.finditer of the
    escaped word finds, without building a pattern per word and text)."""
    if not word:
        return [(i, i) for i in range(len(text) + 1)]
    spans, at = [], text.find(word)
    while at >= 0:
        spans.append((at, at + len(word)))
        at = text.find(word, at + len(word))
    return spans


def literal_alternation(words) -> str:
    """A pattern matching any of `words` literally, written as a trie (`GPT(?:-4|o)`): Python's
    re tries a plain `a|b|c` alternation word by word at every position, a trie one character
    at a time (twice as fast over the 71 gazetteer aliases). With '' among `words` it matches
    everywhere, as the plain alternation does."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        parts = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


def contains_any(text: str, words) -> bool:
    return any(w and w in text for w in words)


_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_URL_RE = re.compile(rf"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.){_URL_CHARS}+"
                     rf"|(?<![A-Za-z0-9.\-@])(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{{2,}}/{_URL_CHARS}*")


def mask_urls(text: str, fill: str = "_") -> str:
    """`text` with every web address (`scheme://…`, `www.…`, `domain.tld/…`) overwritten by `fill`,
    keeping its length: offsets still point into `text`, and nothing inside a link reads as a date
    or a name."""
    if "/" not in text and "www." not in text:
        return text
    return _URL_RE.sub(lambda m: fill * len(m.group()), text)
