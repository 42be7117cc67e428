"""Rules loaded from a lexicon file, kept while the file is unchanged.

A build extracts one document at a time; without this every document would rebuild the same
rules (and recompile their patterns). Editing the file (new mtime or size) loads it afresh.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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
