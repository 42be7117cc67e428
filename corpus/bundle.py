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
files must match the manifest's checksums, stay within row and size limits (from the Parquet
metadata before anything is decoded, then as decoded) and pass `corpus.schema.validate_tables`
(types, unique keys, references, safe ids). When the bundle was built by another pipeline
version, its tables are rebuilt from its raw files (in a temporary folder), up to a size limit.
Any failure raises InputError, so the caller's corpus stays as it was.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus import PIPELINE_VERSION
from corpus.errors import ZIP_ERRORS, InputError
from corpus.files import MANIFEST, SIDECAR_SUFFIX, corpus_version, sha256_bytes, sidecar_name
from corpus.lexicon import Lexicon
from corpus.schema import TABLES, TableError, column_names, to_pandas, validate_tables
from corpus.store import write_processed

PROCESSED, RAW = "processed", "raw"
MAX_BUNDLE_BYTES = 200 * 2**20
MAX_UNPACKED_BYTES = 400 * 2**20
MAX_MEMBERS = 5000
# Rows per table. The generated 1,000-paper corpus (scripts/bench.py) has 1,000 documents, 13,437
# sections, 24,547 paragraphs, 7,702 events, 7,552 mechanisms, 3,023 policies, 755,187 term and
# 1,147,089 section-term rows; 5,000 abstracts would have ~5,000 paragraphs and ~350,000 term rows.
# The limits are 3–7 times the larger of the two; a 260 KB bundle decoding to 300,000 paragraphs
# took 6.9 GB.
MAX_TABLE_ROWS = {
    "documents": 20_000, "sections": 100_000, "paragraphs": 100_000, "references": 200_000,
    "citations": 200_000, "terms": 3_000_000, "section_terms": 4_000_000,
    "events": 100_000, "mechanisms": 100_000, "policies": 100_000,
}
# Values per column, list items included (paragraphs.tokens: 2,586,088 in the 1,000-paper corpus).
MAX_COLUMN_VALUES = 20_000_000
# Decoded size, as the metadata claims it and then as actually decoded: the 1,000-paper corpus is
# 165 MB in Arrow (paragraphs 55 MB the largest table; 44 MB by the metadata's count). The metadata
# alone is not enough: 2,000 copies of one 100 KB paragraph, dictionary-encoded, are a 31 KB file
# whose metadata says 0.2 MB and which decodes to 677 MB.
MAX_TABLE_BYTES = 256 * 2**20
MAX_TOTAL_BYTES = 512 * 2**20
# Raw files a bundle from another pipeline version may bring to a rebuild in the app: the 1,000-paper
# corpus is 17.6 MB and rebuilds in ~30 s with two processes (~60 s in the app, which builds in one).
MAX_REBUILD_BYTES = 32 * 2**20
Progress = Callable[[str, str], None]  # (name, stage): (`<table>.parquet`, "table") while tables are checked;
# in a rebuild (raw file, "waiting") for every file first, then the build's stages and done/failed per file
README = """语料包 / Corpus bundle

中文：把本压缩包解压到项目的 data/ 文件夹（得到 data/processed 与 data/raw），应用即可直接读取；
也可以在“语料管理”页面上传整个 .zip。processed/ 是处理好的表格（Parquet），raw/ 是原始文件和
元数据（.meta.yaml）。修改 raw/ 后请运行 `python -m corpus build` 重新生成。

English: unzip into the project's data/ folder (giving data/processed and data/raw) and the app
reads it as is, or upload the whole .zip on the Corpus page. processed/ holds the tables
(Parquet), raw/ the source files and their metadata sidecars (.meta.yaml). After changing raw/,
run `python -m corpus build`.
"""


def export_bundle(tables: dict[str, pd.DataFrame], manifest: dict, raw_files: dict[str, bytes],
                  sidecars: dict[str, str], lexicon: Lexicon | None = None) -> bytes:
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
        write_processed(tables, out_dir, corpus_version(raw_dir, Lexicon.of(lexicon).version), extra={
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
                  lexicon: Lexicon | None = None, progress: Progress | None = None
                  ) -> tuple[dict[str, pd.DataFrame], dict, dict[str, bytes], dict[str, str]]:
    """A bundle's bytes → (tables, manifest, raw_files, sidecars); raises InputError with a
    `bundle_*` code for anything unusable. Nothing is written outside a temporary folder."""
    report = progress or (lambda name, stage: None)
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
        return _rebuild(manifest, raw_files, sidecars, Lexicon.of(lexicon), report), manifest, raw_files, sidecars
    return _tables(files, manifest, report), manifest, raw_files, sidecars


def _read_members(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], max_unpacked: int) -> dict[str, bytes]:
    """Validate every member's path, then read the ones the bundle layout names, within the caps.
    A single top folder (a re-zipped `data/`) is allowed and dropped."""
    if len(members) > MAX_MEMBERS:
        raise InputError("bundle_too_many_files", count=f"{len(members):,}", limit=f"{MAX_MEMBERS:,}")
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
        try:
            with archive.open(info) as member:
                # the header's size may lie: never read more than the remaining allowance
                body = member.read(max_unpacked - total + 1)
        except ZIP_ERRORS as exc:  # a wrong CRC or size, a broken deflate stream, an encrypted member
            raise InputError("bundle_damaged", member=name) from exc
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
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # (RecursionError: `[[[[…` nested too deep)
        raise InputError("bundle_bad_table", member=name, detail=str(exc)[:120]) from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise InputError("bundle_bad_table", member=name, detail="no table list")
    return manifest


def _bad_table(member: str, detail: str, detail_en: str | None = None) -> InputError:
    return InputError("bundle_bad_table", member=member, detail=detail, detail_en=detail_en or detail)


def _tables(files: dict[str, bytes], manifest: dict, report: Progress) -> dict[str, pd.DataFrame]:
    """The bundle's tables: every file's metadata within the limits before any is decoded, then each
    decoded within what is left of the size allowance, then all of them checked against the schema."""
    opened = {name: _open_table(name, files, manifest) for name in TABLES}
    claimed = sum(_claimed_bytes(parquet) for parquet in opened.values())
    if claimed > MAX_TOTAL_BYTES:
        raise _too_large("processed/*.parquet", claimed, MAX_TOTAL_BYTES)
    tables, total = {}, 0
    for name, parquet in opened.items():
        report(f"{name}.parquet", "table")
        member = f"{PROCESSED}/{name}.parquet"
        try:
            table = parquet.read(columns=column_names(name))
        except Exception as exc:  # pyarrow raises several types for damaged files
            raise _bad_table(member, str(exc)[:120]) from exc
        size = _decoded_bytes(table)
        total += size
        if size > MAX_TABLE_BYTES:
            raise _too_large(member, size, MAX_TABLE_BYTES)
        if total > MAX_TOTAL_BYTES:
            raise _too_large("processed/*.parquet", total, MAX_TOTAL_BYTES)
        tables[name] = table
    try:
        checked = validate_tables(tables)
    except TableError as exc:
        raise _bad_table(f"{PROCESSED}/{exc.table}.parquet", exc.detail, exc.detail_en) from exc
    return {name: to_pandas(table) for name, table in checked.items()}


def _open_table(name: str, files: dict[str, bytes], manifest: dict) -> pq.ParquetFile:
    """A table file opened (its footer read, nothing decoded) once its checksum, columns, rows and
    claimed size pass. String columns are read as dictionaries, so their size is known before any
    repeated value is copied out."""
    member = f"{PROCESSED}/{name}.parquet"
    if member not in files:
        raise InputError("bundle_missing", member=member)
    body = files[member]
    entry = manifest["tables"].get(name) or {}
    if not isinstance(entry, dict):
        entry = {}
    if entry.get("sha256") and entry["sha256"] != sha256_bytes(body):
        raise _bad_table(member, "校验和与清单不符", "checksum ≠ manifest")
    try:
        footer = pq.ParquetFile(pa.BufferReader(body))
        metadata, leaves = footer.metadata, [footer.schema.column(i) for i in range(len(footer.schema))]
        names = footer.schema_arrow.names
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise _bad_table(member, str(exc)[:120]) from exc
    missing = [c for c in column_names(name) if c not in names]
    if missing:
        raise _bad_table(member, "缺少列 " + ", ".join(missing), "missing columns " + ", ".join(missing))
    rows = metadata.num_rows
    if "rows" in entry and entry["rows"] != rows:
        raise _bad_table(member, f"{rows} 行，清单为 {entry['rows']} 行", f"{rows} ≠ {entry['rows']} rows")
    if rows > MAX_TABLE_ROWS[name]:
        raise InputError("bundle_table_too_large", member=member, amount=f"{rows:,} 行", amount_en=f"{rows:,} rows",
                         limit=f"{MAX_TABLE_ROWS[name]:,} 行", limit_en=f"{MAX_TABLE_ROWS[name]:,} rows")
    for group in range(metadata.num_row_groups):
        for column in range(metadata.num_columns):
            values = metadata.row_group(group).column(column).num_values
            if values > MAX_COLUMN_VALUES:
                raise InputError("bundle_table_too_large", member=member, amount=f"{values:,} 个值",
                                 amount_en=f"{values:,} values", limit=f"{MAX_COLUMN_VALUES:,} 个值/列",
                                 limit_en=f"{MAX_COLUMN_VALUES:,} values per column")
    parquet = pq.ParquetFile(pa.BufferReader(body), read_dictionary=[
        leaf.path for leaf in leaves if leaf.physical_type == "BYTE_ARRAY" and leaf.path.split(".")[0] in column_names(name)])
    if _claimed_bytes(parquet) > MAX_TABLE_BYTES:
        raise _too_large(member, _claimed_bytes(parquet), MAX_TABLE_BYTES)
    return parquet


def _claimed_bytes(parquet: pq.ParquetFile) -> int:
    """The uncompressed size the metadata states (for dictionary-encoded columns: of the encoded values)."""
    metadata = parquet.metadata
    return sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))


def _too_large(member: str, size: int, limit: int) -> InputError:
    return InputError("bundle_table_too_large", member=member, amount=f"{size / 2**20:,.0f} MB",
                      limit=f"{limit / 2**20:,.0f} MB")


def _decoded_bytes(table: pa.Table) -> int:
    """The size of the table once its dictionary columns are copied out into plain arrays."""
    return sum(_array_bytes(chunk) for column in table.columns for chunk in column.chunks)


def _array_bytes(array: pa.Array) -> int:
    if pa.types.is_dictionary(array.type):
        try:
            lengths = pc.binary_length(array.dictionary)
        except pa.ArrowNotImplementedError:  # not text: a wrong type, refused by the schema check
            return array.nbytes
        return (pc.sum(pc.take(lengths, array.indices)).as_py() or 0) + 4 * (len(array) + 1)
    if pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        return _array_bytes(array.flatten()) + 8 * (len(array) + 1)
    return array.nbytes


def _rebuild(manifest: dict, raw_files: dict[str, bytes], sidecars: dict[str, str],
             lexicon: Lexicon, report: Progress) -> dict[str, pd.DataFrame]:
    """Tables of a bundle from another pipeline version, rebuilt from its raw files as the CLI would."""
    size = sum(len(body) for body in raw_files.values())
    if size > MAX_REBUILD_BYTES:
        raise InputError("bundle_rebuild_too_large", size_mb=f"{size / 2**20:.1f}",
                         limit_mb=f"{MAX_REBUILD_BYTES / 2**20:.0f}")
    for name in sorted(raw_files):
        report(name, "waiting")
    with tempfile.TemporaryDirectory(prefix="corpus-bundle-") as tmp:
        raw_dir = Path(tmp)
        for name, body in raw_files.items():
            (raw_dir / name).write_bytes(body)
        for name, text in sidecars.items():
            (raw_dir / name).write_text(text, encoding="utf-8")
        from corpus.build import build_tables

        result = build_tables(raw_dir, lexicon, progress=report)
    manifest["rebuilt_from_raw"] = {"pipeline_version": PIPELINE_VERSION,
                                    "failed_files": {f.source_file: f.error.code for f in result.failures},
                                    "sidecar_problems": {f.source_file: f.error.code for f in result.sidecar_problems}}
    return result.tables
