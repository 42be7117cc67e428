"""Corpus bundles: one zip an editor can hand to a colleague or unpack into `data/` for a deploy.

Layout (unzipped into `data/` it is exactly what `python -m corpus build` and the app read):

    processed/<table>.parquet   every table of corpus/schema.py
    processed/manifest.json     corpus version (of the raw files, sidecars, lexicon, pipeline)
    processed/SCHEMA.md         the table contract
    raw/<file>                  the source files
    raw/<stem>.meta.yaml        metadata sidecars
    README.txt                  how to use it

`import_bundle` reads a zip from an untrusted source entirely in memory: members are checked
for unsafe paths, sizes are capped (packed, unpacked, per member, as actually read), table
files must match the manifest's checksums and the schema's columns. When the bundle was built
by another pipeline version, its tables are rebuilt from its raw files (in a temporary folder).
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from corpus import PIPELINE_VERSION
from corpus.build import MANIFEST, SIDECAR_SUFFIX, build_tables, corpus_version, sha256_bytes, write_processed
from corpus.errors import InputError
from corpus.lexicon import DEFAULT_LEXICON_DIR
from corpus.schema import TABLES, column_names, to_pandas

PROCESSED, RAW = "processed", "raw"
MAX_BUNDLE_BYTES = 200 * 2**20
MAX_UNPACKED_BYTES = 400 * 2**20
MAX_MEMBERS = 5000
README = """语料包 / Corpus bundle

中文：把本压缩包解压到项目的 data/ 文件夹（得到 data/processed 与 data/raw），应用即可直接读取；
也可以在“语料管理”页面上传整个 .zip。processed/ 是处理好的表格（Parquet），raw/ 是原始文件和
元数据（.meta.yaml）。修改 raw/ 后请运行 `python -m corpus build` 重新生成。

English: unzip into the project's data/ folder (giving data/processed and data/raw) and the app
reads it as is, or upload the whole .zip on the Corpus page. processed/ holds the tables
(Parquet), raw/ the source files and their metadata sidecars (.meta.yaml). After changing raw/,
run `python -m corpus build`.
"""


def sidecar_name(key: str) -> str:
    """`000_x.meta.yaml`, `000_x.txt` or `000_x` → `000_x.meta.yaml`."""
    if key.endswith(SIDECAR_SUFFIX):
        return key
    return Path(key).stem + SIDECAR_SUFFIX if Path(key).suffix else key + SIDECAR_SUFFIX


def export_bundle(tables: dict[str, pd.DataFrame], manifest: dict, raw_files: dict[str, bytes],
                  sidecars: dict[str, str], lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> bytes:
    """The session's corpus as one zip. `sidecars` maps a sidecar, raw file or doc_id name to YAML text.

    The manifest is rewritten for the bundle: table checksums of the files written, and the
    corpus version of exactly these raw files and sidecars, so the unpacked `data/` is fresh.
    """
    for name in list(raw_files) + list(sidecars):
        _check_member_name(name)
    sidecar_texts = {sidecar_name(key): text for key, text in sidecars.items()}
    with tempfile.TemporaryDirectory(prefix="corpus-bundle-") as tmp:
        raw_dir, out_dir = Path(tmp) / RAW, Path(tmp) / PROCESSED
        raw_dir.mkdir()
        for name, data in raw_files.items():
            (raw_dir / name).write_bytes(data)
        for name, text in sidecar_texts.items():
            (raw_dir / name).write_text(text, encoding="utf-8")
        carried = {k: v for k, v in manifest.items()
                   if k not in ("tables", "corpus_version", "pipeline_version", "built_at", "complete", "raw_files")}
        write_processed(tables, out_dir, corpus_version(raw_dir, lexicon_dir), extra={
            **carried,
            "raw_files": {name: sha256_bytes(data) for name, data in sorted(raw_files.items())},
            "exported_from": manifest.get("corpus_version"),
        })
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr("README.txt", README)
            for path in sorted(out_dir.iterdir()):
                # Parquet is already compressed (zstd): store it, deflate only the text files
                compress = zipfile.ZIP_STORED if path.suffix == ".parquet" else zipfile.ZIP_DEFLATED
                bundle.write(path, f"{PROCESSED}/{path.name}", compress_type=compress)
            for path in sorted(raw_dir.iterdir()):
                bundle.write(path, f"{RAW}/{path.name}")
    return buffer.getvalue()


def _check_member_name(name: str) -> None:
    """A plain file name: no folders, no `..`, no drive letters, no control characters."""
    if (not name or name in (".", "..") or re.search(r"[\\/:\x00-\x1f\x7f]", name) or name.startswith(".")):
        raise InputError("bundle_unsafe_path", member=repr(name)[:80])


def import_bundle(data: bytes, *, max_bytes: int = MAX_BUNDLE_BYTES, max_unpacked: int = MAX_UNPACKED_BYTES,
                  lexicon_dir: Path = DEFAULT_LEXICON_DIR
                  ) -> tuple[dict[str, pd.DataFrame], dict, dict[str, bytes], dict[str, str]]:
    """A bundle's bytes → (tables, manifest, raw_files, sidecars); raises InputError with a
    `bundle_*` code for anything unusable. Nothing is written outside a temporary folder."""
    if len(data) > max_bytes:
        raise InputError("bundle_too_large", size_mb=f"{len(data) / 2**20:.1f}", limit_mb=f"{max_bytes / 2**20:.0f}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError("bundle_not_zip") from exc
    with archive:
        files = _read_members(archive, members, max_unpacked)
    manifest = _manifest(files)
    raw_files, sidecars = {}, {}
    for member, body in files.items():
        folder, name = member.split("/")
        if folder != RAW:
            continue
        _check_member_name(name)
        if not name.endswith(SIDECAR_SUFFIX):
            raw_files[name] = body
            continue
        try:
            sidecars[name] = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError("bundle_bad_table", member=member, detail="not UTF-8") from exc
    if manifest.get("pipeline_version") != PIPELINE_VERSION and raw_files:
        return _rebuild(manifest, raw_files, sidecars, lexicon_dir), manifest, raw_files, sidecars
    tables = {name: _table(name, files, manifest) for name in TABLES}
    return tables, manifest, raw_files, sidecars


def _read_members(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], max_unpacked: int) -> dict[str, bytes]:
    """Validate every member's path, then read the ones the bundle layout names, within the caps.
    A single top folder (a re-zipped `data/`) is allowed and dropped."""
    if len(members) > MAX_MEMBERS:
        raise InputError("bundle_too_large", size_mb=f"{len(members)} files", limit_mb=f"{MAX_MEMBERS} files")
    for info in members:
        _check_path(info)
    names = [info.filename for info in members if not info.is_dir()]
    prefix = _common_prefix(names)
    declared = sum(info.file_size for info in members)
    if declared > max_unpacked:
        raise InputError("bundle_too_large", size_mb=f"{declared / 2**20:.0f}", limit_mb=f"{max_unpacked / 2**20:.0f}")
    files, total = {}, 0
    for info in members:
        if info.is_dir():
            continue
        name = info.filename[len(prefix):]
        parts = name.split("/")
        if len(parts) != 2 or parts[0] not in (PROCESSED, RAW):
            continue  # README and anything else: not needed
        with archive.open(info) as member:
            # the header's size may lie: never read more than the remaining allowance
            body = member.read(max_unpacked - total + 1)
        total += len(body)
        if total > max_unpacked:
            raise InputError("bundle_too_large", size_mb=f"> {max_unpacked / 2**20:.0f}",
                             limit_mb=f"{max_unpacked / 2**20:.0f}")
        files[name] = body
    return files


def _check_path(info: zipfile.ZipInfo) -> None:
    name = info.filename
    path = PurePosixPath(name)
    is_symlink = (info.external_attr >> 16) & 0o170000 == 0o120000
    if (is_symlink or "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name)
            or any(part in ("..", ".") for part in path.parts) or re.search(r"[\x00-\x1f\x7f]", name)):
        raise InputError("bundle_unsafe_path", member=repr(name)[:80])


def _common_prefix(names: list[str]) -> str:
    if any(n.startswith((PROCESSED + "/", RAW + "/")) for n in names):
        return ""
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(tops) == 1:
        return tops.pop() + "/"
    return ""


def _manifest(files: dict[str, bytes]) -> dict:
    name = f"{PROCESSED}/{MANIFEST}"
    if name not in files:
        raise InputError("bundle_missing", member=name)
    try:
        manifest = json.loads(files[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError("bundle_bad_table", member=name, detail=str(exc)[:120]) from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise InputError("bundle_bad_table", member=name, detail="no table list")
    return manifest


def _table(name: str, files: dict[str, bytes], manifest: dict) -> pd.DataFrame:
    member = f"{PROCESSED}/{name}.parquet"
    if member not in files:
        raise InputError("bundle_missing", member=member)
    body = files[member]
    entry = manifest["tables"].get(name) or {}
    if entry.get("sha256") and entry["sha256"] != sha256_bytes(body):
        raise InputError("bundle_bad_table", member=member, detail="checksum ≠ manifest")
    try:
        table = pq.read_table(pa.BufferReader(body))
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise InputError("bundle_bad_table", member=member, detail=str(exc)[:120]) from exc
    missing = [c for c in column_names(name) if c not in table.column_names]
    if missing:
        raise InputError("bundle_bad_table", member=member, detail="missing columns " + ", ".join(missing))
    if "rows" in entry and entry["rows"] != table.num_rows:
        raise InputError("bundle_bad_table", member=member, detail=f"{table.num_rows} ≠ {entry['rows']} rows")
    return to_pandas(table.select(column_names(name)))


def _rebuild(manifest: dict, raw_files: dict[str, bytes], sidecars: dict[str, str],
             lexicon_dir: Path) -> dict[str, pd.DataFrame]:
    """Tables of a bundle from another pipeline version, rebuilt from its raw files as the CLI would."""
    with tempfile.TemporaryDirectory(prefix="corpus-bundle-") as tmp:
        raw_dir = Path(tmp)
        for name, body in raw_files.items():
            (raw_dir / name).write_bytes(body)
        for name, text in sidecars.items():
            (raw_dir / name).write_text(text, encoding="utf-8")
        result = build_tables(raw_dir, lexicon_dir)
    manifest["rebuilt_from_raw"] = {"pipeline_version": PIPELINE_VERSION,
                                    "failed_files": {f.source_file: f.error.code for f in result.failures}}
    return result.tables
