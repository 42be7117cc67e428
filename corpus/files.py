"""The corpus on disk: folders, file names, metadata sidecars, hashes and the corpus version.

    data/raw/<file>                      a source file (txt, md, pdf, docx)
    data/raw/<stem>.meta.yaml            its metadata sidecar (or <file>.meta.yaml)
    data/processed/<table>.parquet       the tables of corpus/schema.py
    data/processed/manifest.json         corpus version, table checksums, written last

Build, store, bundle, uploads and the app name files and read sidecars through this module
only, so the layout is defined once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from corpus import PIPELINE_VERSION

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW_DIR = ROOT / "data" / "raw"
DEFAULT_PROCESSED_DIR = ROOT / "data" / "processed"
MANIFEST = "manifest.json"
SIDECAR_SUFFIX = ".meta.yaml"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_sidecar(name: str) -> bool:
    return name.lower().endswith(SIDECAR_SUFFIX)


def raw_inputs(raw_dir: Path) -> list[Path]:
    """Every file in the raw folder except sidecars and hidden files, in name order."""
    return sorted(p for p in Path(raw_dir).iterdir()
                  if p.is_file() and not p.name.startswith(".") and not is_sidecar(p.name))


def sidecar_name(key: str) -> str:
    """`000_x.meta.yaml`, `000_x.txt` or `000_x` → `000_x.meta.yaml`."""
    if key.endswith(SIDECAR_SUFFIX):
        return key
    return Path(key).stem + SIDECAR_SUFFIX if Path(key).suffix else key + SIDECAR_SUFFIX


def sidecar_stem(name: str) -> str:
    """The name a sidecar belongs to: `x.meta.yaml` → `x` (any `x.*`), `x.txt.meta.yaml` → `x.txt`."""
    return name[: -len(SIDECAR_SUFFIX)] if is_sidecar(name) else name


def sidecar_key(doc_id: str, source_file: str, record=None) -> str:
    """What a document's sidecar is named after: its file, or for one record of an export (many
    documents, one file) its doc_id (`<doc_id>.meta.yaml`, read over the record's own metadata)."""
    import pandas as pd

    return source_file if record is None or pd.isna(record) else doc_id  # NA / NaN for a full text


def sidecar_path(raw_path: Path) -> Path | None:
    """`000_x.txt` → `000_x.meta.yaml` (or `000_x.txt.meta.yaml`), whichever exists."""
    raw_path = Path(raw_path)
    for candidate in (raw_path.with_suffix(SIDECAR_SUFFIX), raw_path.with_name(raw_path.name + SIDECAR_SUFFIX)):
        if candidate.exists():
            return candidate
    return None


def read_sidecar(path: Path | None):
    """A sidecar file through the one parser (`corpus.metadata.parse_sidecar`), reading no more
    than its size limit allows. None (no sidecar) gives empty fields."""
    from corpus.errors import InputError
    from corpus.metadata import MAX_SIDECAR_BYTES, Sidecar, parse_sidecar

    if path is None:
        return Sidecar(values={})
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SIDECAR_BYTES + 1)
    except OSError as exc:
        return Sidecar(problems=[InputError("unreadable", detail=str(exc))])
    if len(data) > MAX_SIDECAR_BYTES:
        return Sidecar(problems=[InputError("sidecar_too_large", size_kb=f"{Path(path).stat().st_size / 1024:.0f}",
                                            limit_kb=f"{MAX_SIDECAR_BYTES / 1024:.0f}")])
    return parse_sidecar(data)


def sidecar_text(fields: dict) -> str:
    """Metadata fields as the YAML of a sidecar an editor can read and change."""
    return yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)


def orphan_sidecars(raw_dir: Path, inputs: list[Path]) -> list[Path]:
    """Sidecars in the raw folder that no raw file would read."""
    claimed = {name for p in inputs for name in (p.with_suffix(SIDECAR_SUFFIX).name, p.name + SIDECAR_SUFFIX)}
    return sorted(p for p in Path(raw_dir).iterdir()
                  if p.is_file() and not p.name.startswith(".") and is_sidecar(p.name) and p.name not in claimed)


def orphan_problem(name: str):
    """The report for a sidecar whose file is missing: `x.meta.yaml` belongs to `x.*`, `x.txt.meta.yaml` to `x.txt`."""
    from corpus.errors import InputError
    from corpus.ingest import SUPPORTED_SUFFIXES

    stem = sidecar_stem(name)
    return InputError("sidecar_orphan", expected=stem if Path(stem).suffix.lower() in SUPPORTED_SUFFIXES else stem + ".*")


def corpus_version(raw_dir: Path = DEFAULT_RAW_DIR, lexicon_version: str | None = None) -> str:
    """Hash of the raw files and sidecars, the lexicon (`Lexicon.version`) and the pipeline version."""
    if lexicon_version is None:
        from corpus.lexicon import Lexicon

        lexicon_version = Lexicon.load().version
    digest = hashlib.sha256(f"pipeline={PIPELINE_VERSION}\nlexicon={lexicon_version}\n".encode())
    for path in sorted(p for p in Path(raw_dir).iterdir() if p.is_file() and not p.name.startswith(".")):
        digest.update(f"{path.name}={sha256_bytes(path.read_bytes())}\n".encode())
    return digest.hexdigest()[:16]


def split_suffix(name: str) -> tuple[str, str]:
    """`x.PDF` → (`x`, `.pdf`); `x.meta.yaml` → (`x`, `.meta.yaml`); a name without a real suffix keeps it all."""
    if is_sidecar(name):
        return name[: -len(SIDECAR_SUFFIX)], SIDECAR_SUFFIX
    dot = name.rfind(".")
    if dot < 0 or not re.fullmatch(r"\.[A-Za-z0-9]{1,8}", name[dot:]):
        return name, ""
    return name[:dot], name[dot:].lower()


MAX_ID_CHARS = 48


def make_doc_id(name: str, content_hash: str, taken: Iterable[str] = ()) -> str:
    """`人工智能 论文(终稿).pdf` → `人工智能_论文_终稿_3f6d6f34`: word characters (CJK included)
    of the stem, then the start of the content hash; unique against `taken`."""
    stem, _ = split_suffix(name)
    slug = re.sub(r"[^\w\-]+", "_", stem, flags=re.UNICODE).strip("_-")[:MAX_ID_CHARS] or "doc"
    taken = set(taken)
    for length in (8, 12, 16, 64):
        candidate = f"{slug}_{content_hash[:length]}"
        if candidate not in taken:
            return candidate
    n = 2
    while f"{candidate}_{n}" in taken:
        n += 1
    return f"{candidate}_{n}"
