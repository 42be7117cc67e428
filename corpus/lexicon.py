"""Editor-maintained data files under `data/lexicon/`: dictionaries, stopwords, taxonomies.

Everything the pipeline knows about the domain lives in these files, not in code; their hash is
part of the corpus version, so editing one makes the shipped corpus stale until it is rebuilt.
`Lexicon` is the one object that reads them: the pipeline's stages and the app's labels take
what they need from it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TypeVar

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LEXICON_DIR = ROOT / "data" / "lexicon"


# ---- rules read from one lexicon file, kept while the file is unchanged ----
# A build extracts one document at a time; without this every document would rebuild the same
# rules (and recompile their patterns). Editing the file (new mtime or size) loads it afresh.

T = TypeVar("T")
_MAX_VERSIONS = 16


def cached_per_file(file_name: str) -> Callable[[Callable[[Path], T]], Callable[[Path], T]]:
    def decorate(load: Callable[[Path], T]) -> Callable[[Path], T]:
        cache: dict[tuple, T] = {}
        lock = threading.Lock()

        @functools.wraps(load)
        def loader(lexicon_dir: Path) -> T:
            path = Path(lexicon_dir) / file_name
            try:
                stat = path.stat()
                key = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
            except OSError:
                key = (str(path), None, None, None)
            with lock:
                if key in cache:
                    return cache[key]
            value = load(lexicon_dir)
            with lock:
                if len(cache) >= _MAX_VERSIONS:
                    cache.clear()
                cache[key] = value
            return value

        return loader

    return decorate


def read_lines(name: str, lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> list[str]:
    """Non-empty lines of a text lexicon file, `#` comments dropped."""
    path = Path(lexicon_dir) / name
    if not path.exists():
        return []
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def read_yaml(name: str, lexicon_dir: Path = DEFAULT_LEXICON_DIR):
    return _read_yaml_cached(str(Path(lexicon_dir) / name), _mtime(Path(lexicon_dir) / name))


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


@lru_cache(maxsize=64)
def _read_yaml_cached(path: str, _mtime: float):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def lexicon_hash(lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> str:
    """SHA-256 over every lexicon file's name and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(Path(lexicon_dir).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(lexicon_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Code:
    """A taxonomy code as the app shows it: its names by language (zh from the lexicon file; en
    when the file gives one, else the app's translation table supplies it)."""

    code: str
    names: dict[str, str]


class Lexicon:
    """Everything the pipeline and the app know about the domain, read once from one folder.

    `Lexicon.load(folder)` gives the same object for the same folder and file contents; editing
    a file gives a new one. Each part is loaded when first used, so the app, which never
    segments unless an editor adds papers, does not load jieba's dictionary for a label.
    """

    _loaded: dict[tuple, Lexicon] = {}
    _lock = threading.Lock()

    def __init__(self, directory: Path, version: str) -> None:
        self.directory = Path(directory)
        self.version = version  # lexicon_hash: part of the corpus version

    # a page asks for a label a hundred times per run: the folder is looked at once a second at most
    _recent: dict[str, tuple[float, tuple]] = {}
    RECHECK_SECONDS = 1.0

    @classmethod
    def load(cls, directory: Path | str | None = None) -> Lexicon:
        given = str(directory or DEFAULT_LEXICON_DIR)
        now = time.monotonic()
        with cls._lock:
            recent = cls._recent.get(given)
        if recent is not None and now - recent[0] < cls.RECHECK_SECONDS:
            key = recent[1]
        else:
            resolved = Path(given).resolve()
            key = (str(resolved), _stamp(resolved))
            with cls._lock:
                cls._recent[given] = (now, key)
        directory = Path(key[0])
        with cls._lock:
            found = cls._loaded.get(key)
        if found is None:
            found = cls(directory, lexicon_hash(directory))
            with cls._lock:
                if len(cls._loaded) > 8:
                    cls._loaded.clear()
                found = cls._loaded.setdefault(key, found)
        return found

    @classmethod
    def of(cls, lexicon: Lexicon | Path | str | None) -> Lexicon:
        """A Lexicon as given, or the one of a folder (None: the shipped data/lexicon)."""
        return lexicon if isinstance(lexicon, Lexicon) else cls.load(lexicon)

    def warm(self) -> Lexicon:
        """Load every part now (before worker processes are forked, so they share them)."""
        for part in ("segmenter", "stopwords", "furniture", "events", "gazetteer", "axes", "taxonomy"):
            getattr(self, part)
        return self

    # ---- what the pipeline stages use ----

    @cached_property
    def segmenter(self):
        from corpus.segment import get_segmenter

        return get_segmenter(self.directory)

    @property
    def user_words(self) -> frozenset[str]:
        """The domain dictionary's words (keyphrase candidates whatever their POS tag)."""
        return self.segmenter.user_words

    @cached_property
    def stopwords(self) -> frozenset[str]:
        from corpus.segment import load_stopwords

        return load_stopwords(self.directory)

    @cached_property
    def furniture(self) -> list:
        from corpus.lines import furniture_patterns

        return furniture_patterns(self.directory)

    @cached_property
    def events(self):
        from corpus.extract.events import load_rules

        return load_rules(self.directory)

    @cached_property
    def gazetteer(self):
        from corpus.extract.gazetteer import load_gazetteer

        return load_gazetteer(self.directory)

    @cached_property
    def axes(self):
        from corpus.extract.mechanisms import load_axes

        return load_axes(self.directory)

    @cached_property
    def taxonomy(self):
        from corpus.extract.policies import load_taxonomy

        return load_taxonomy(self.directory)

    # ---- what the app shows: codes in the files' order, with their names ----

    @cached_property
    def codes(self) -> dict[str, tuple[Code, ...]]:
        """group → codes in file order: `event.category`, `policy.domain`, `policy.tool`,
        `policy.actor`, `policy.horizon`, `mech.factor`, `mech.level`, `mech.type`."""
        events = read_yaml("event_categories.yaml", self.directory) or {}
        taxonomy = read_yaml("policy_taxonomy.yaml", self.directory) or {}
        axes = read_yaml("mechanism_axes.yaml", self.directory) or {}
        return {
            "event.category": _codes(events.get("categories")),
            "policy.domain": _codes(taxonomy.get("domains")),
            "policy.tool": _codes(taxonomy.get("tools")),
            "policy.actor": _codes(taxonomy.get("actors")),
            "policy.horizon": _codes(taxonomy.get("horizons")),
            "mech.factor": _codes(axes.get("factors")),
            "mech.level": _codes(axes.get("levels")),
            "mech.type": _codes(axes.get("types")),
        }

    def order(self, group: str) -> list[str]:
        return [c.code for c in self.codes.get(group, ())]

    def name(self, group: str, code: str, lang: str) -> str | None:
        """The lexicon's own name of a code in `lang`, or None when the file gives none."""
        for entry in self.codes.get(group, ()):
            if entry.code == code:
                return entry.names.get(lang)
        return None


def _codes(spec) -> tuple[Code, ...]:
    """Codes from a list of `{code:|name:, label:|zh:, en:}` items or a `{code: {...}}` mapping."""
    if isinstance(spec, dict):
        items = [(code, value if isinstance(value, dict) else {}) for code, value in spec.items()]
    else:
        items = [(item.get("code") or item.get("name"), item) for item in spec or [] if isinstance(item, dict)]
    codes = []
    for code, item in items:
        if code is None:
            continue
        zh = item.get("zh") or item.get("label") or item.get("name_zh")
        en = item.get("en") or item.get("label_en") or item.get("name_en")
        codes.append(Code(str(code), {k: str(v) for k, v in (("zh", zh), ("en", en)) if v}))
    return tuple(codes)


def _stamp(directory: Path) -> tuple:
    """Names, sizes and modification times of the folder's files: a cheap test for "edited"."""
    try:
        with os.scandir(directory) as entries:
            stats = [(e.name, e.stat()) for e in entries if e.is_file()]
        return tuple(sorted((name, st.st_size, st.st_mtime_ns) for name, st in stats))
    except OSError:
        return ()
