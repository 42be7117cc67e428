"""Word segmentation: jieba with HMM on, the editors' domain dictionary, and cheap POS tags.

Each `Segmenter` owns a private `jieba.Tokenizer`, so the app can hold several (the shipped
dictionary, an editor's session additions) without touching the global `jieba.dt`.

POS tags: `jieba.posseg` runs a second, character-level HMM and is ~5x slower than `lcut`.
Instead we segment with `lcut(HMM=True)` and look each word up in the dictionary's word→tag
table, which is exactly what posseg does for in-dictionary words. Words the HMM invents
(not in any dictionary) get a cheap tag (see `guess_tag`):
  - `eng` when the word is Latin letters (ChatGPT, OpenAI, AI);
  - `m`   when it is a number (2022, 3.5, 50%) or Chinese numerals with a counter;
  - `x`   when it starts with a function character (为例, 还应, 最具, 以较: HMM fragments of
          function words glued to their neighbour, never terms);
  - `n`   for any other CJK word of two or more characters: in these papers HMM-found words
          are overwhelmingly nouns (names such as 于凤霞, compounds such as 产线, 四链), and
          keyphrase extraction should see them;
  - `x`   otherwise (a lone character jieba does not know).
Measured on the four seed papers' paragraphs: 379 of 20,211 tokens (1.9%) are such guesses.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba

from corpus.lexicon import DEFAULT_LEXICON_DIR, read_lines

USERDICT_FILE = "userdict.txt"
STOPWORDS_DOMAIN_FILE = "stopwords_domain.txt"

# jieba announces every dictionary load on stderr at DEBUG level; keep the app's logs clean.
jieba.setLogLevel(logging.WARNING)

# The userdict line format is jieba's own: `word [freq] [tag]` (word without spaces).
_USERDICT_LINE = re.compile(r"^(.+?)(?: ([0-9]+))?(?: ([a-z]+))?$")
# A token is kept when it has at least one letter, digit or CJK character.
_HAS_CONTENT = re.compile(r"[^\W_]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+#&._\-]*")
_FUNCTION_START = frozenset("以为还最更会较各之见其这那被将把应也都又并")
_NUMBER = re.compile(r"[0-9０-９.．%％\-]+|[零〇一二三四五六七八九十百千万亿两]+[年月日个项种次%]?")


@dataclass(frozen=True)
class DictEntry:
    """One dictionary word; freq None lets jieba pick one just high enough to keep it whole."""

    word: str
    freq: int | None = None
    tag: str | None = None


def parse_userdict_line(line: str) -> DictEntry | None:
    match = _USERDICT_LINE.match(line.strip())
    if not match:
        return None
    word, freq, tag = match.groups()
    # freq 0 means "force split" to jieba and mutates its module-global HMM state: not allowed.
    freq_value = int(freq) if freq and int(freq) > 0 else None
    return DictEntry(word, freq_value, tag)


def read_userdict(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> list[DictEntry]:
    """Entries of `userdict.txt` (`#` starts a comment, so a word cannot contain `#`)."""
    entries = (parse_userdict_line(line) for line in read_lines(USERDICT_FILE, lexicon_dir))
    return [e for e in entries if e is not None]


def jieba_cache_dir() -> str:
    """A private folder under the system temp dir for jieba's prefix-dict cache.

    jieba would otherwise write `jieba.cache` wherever `tempfile.gettempdir()` points; this keeps
    it in a folder of its own and works on read-only site-packages (e.g. Streamlit Cloud).
    """
    path = Path(tempfile.gettempdir()) / "corpus-jieba-cache"
    try:
        path.mkdir(exist_ok=True)
    except OSError:
        return tempfile.gettempdir()
    return str(path)


@lru_cache(maxsize=1)
def base_word_tags() -> dict[str, str]:
    """jieba's main dictionary as word → POS tag (the table posseg uses), read once per process."""
    tags: dict[str, str] = {}
    with jieba.get_dict_file() as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    return tags


def guess_tag(word: str) -> str:
    """The cheap tag for a word no dictionary knows (see the module doc)."""
    if _LATIN.fullmatch(word):
        return "eng"
    if _NUMBER.fullmatch(word):
        return "m"
    if len(word) < 2 or word[0] in _FUNCTION_START:
        return "x"
    return "n"


class Segmenter:
    """A jieba tokenizer (HMM on) with the domain dictionary, returning tokens and POS tags."""

    def __init__(self, entries: Iterable[DictEntry | str] = ()):
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = jieba_cache_dir()
        tokenizer.initialize()
        self._tokenizer = tokenizer
        base_word_tags()  # read with the dictionary, not during the first document's segmentation
        self._user_tags: dict[str, str] = {}
        self._memo: dict[str, str | None] = {}
        self._lock = threading.Lock()
        self.add_words(entries)

    @classmethod
    def from_lexicon(cls, lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> Segmenter:
        return cls(read_userdict(lexicon_dir))

    @property
    def user_words(self) -> frozenset[str]:
        """Words added from the domain dictionary or by `add_words`."""
        return frozenset(self._user_tags)

    def add_words(self, words: Iterable[DictEntry | str]) -> None:
        """Add words in place (a str is a word with jieba's suggested freq and tag `nz`)."""
        with self._lock:
            for item in words:
                entry = DictEntry(item.strip()) if isinstance(item, str) else item
                if not entry.word or " " in entry.word:
                    continue
                self._tokenizer.add_word(entry.word, entry.freq, entry.tag)
                self._user_tags[entry.word] = entry.tag or "nz"
            # jieba keeps user tags on the tokenizer; ours are in _user_tags.
            self._tokenizer.user_word_tag_tab = {}
            self._memo = {}

    def with_extra(self, words: Iterable[DictEntry | str]) -> Segmenter:
        """A new segmenter = this one + `words`; this one is left unchanged.

        Copies the prefix dictionary in memory (tens of ms) instead of reloading jieba's.
        """
        clone = object.__new__(Segmenter)
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = self._tokenizer.tmp_dir
        with self._lock:
            tokenizer.FREQ = dict(self._tokenizer.FREQ)
            tokenizer.total = self._tokenizer.total
            clone._user_tags = dict(self._user_tags)
        tokenizer.initialized = True
        clone._tokenizer = tokenizer
        clone._memo = {}
        clone._lock = threading.Lock()
        clone.add_words(words)
        return clone

    def tag(self, word: str) -> str | None:
        """POS tag of a token, or None when it is punctuation/whitespace (to be dropped)."""
        memo = self._memo
        if word in memo:
            return memo[word]
        if not _HAS_CONTENT.search(word):
            tag = None
        else:
            tag = self._user_tags.get(word) or base_word_tags().get(word) or guess_tag(word)
        memo[word] = tag
        return tag

    def tokens(self, text: str) -> tuple[list[str], list[str]]:
        """Tokens of `text` and their POS tags (parallel lists), punctuation and spaces dropped."""
        words: list[str] = []
        tags: list[str] = []
        memo, tag_of = self._memo, self.tag
        for word in self._tokenizer.cut(text, HMM=True):
            tag = memo[word] if word in memo else tag_of(word)  # most words repeat: skip the call
            if tag is not None:
                words.append(word)
                tags.append(tag)
        return words, tags


def userdict_digest(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> str:
    path = Path(lexicon_dir) / USERDICT_FILE
    return hashlib.sha256(path.read_bytes() if path.exists() else b"").hexdigest()


def get_segmenter(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> Segmenter:
    """One shared segmenter per process and dictionary content (editing the file makes a new one).

    The instance is shared: use `with_extra` for session additions, not `add_words`.
    """
    return _segmenter_for(str(Path(lexicon_dir).resolve()), userdict_digest(lexicon_dir))


@lru_cache(maxsize=4)
def _segmenter_for(lexicon_dir: str, _digest: str) -> Segmenter:
    return Segmenter.from_lexicon(Path(lexicon_dir))


@lru_cache(maxsize=1)
def _iso_stopwords() -> frozenset[str]:
    # stopwords-iso (package `stopwordsiso`) is MIT-licensed; its Chinese list holds function
    # words only (的, 通过, 以及 …), no topic words.
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("zh"))


def load_stopwords(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> frozenset[str]:
    """stopwords-iso's Chinese list ∪ the editors' `stopwords_domain.txt`."""
    return _iso_stopwords() | frozenset(read_lines(STOPWORDS_DOMAIN_FILE, lexicon_dir))
