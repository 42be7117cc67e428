"""Editor-maintained data files under `data/lexicon/`: dictionaries, stopwords, taxonomies.

Everything the pipeline knows about the domain lives in these files, not in code; their hash is
part of the corpus version, so editing one makes the shipped corpus stale until it is rebuilt.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LEXICON_DIR = ROOT / "data" / "lexicon"


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
