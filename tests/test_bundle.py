"""Corpus bundles: the seed corpus survives a round trip; unsafe or broken zips are refused."""

import io
import json
import shutil
import zipfile

import pandas as pd
import pytest

from corpus.build import build_corpus
from corpus.bundle import export_bundle, import_bundle
from corpus.errors import InputError
from corpus.files import corpus_version
from corpus.schema import TABLES
from corpus.store import load_processed
from tests.conftest import RAW_DIR, SEEDS

SIDECAR = {f"{SEEDS['002']}.meta.yaml": "title: 人工智能赋能新质生产力的现实难题与路径\nyear: 2025\n"}


@pytest.fixture(scope="module")
def seed_raw():
    return {p.name: p.read_bytes() for p in sorted(RAW_DIR.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def bundle(built, seed_raw):
    return export_bundle(built.tables, built.manifest, seed_raw, SIDECAR)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rezip(files: dict[str, bytes], extra: list[tuple[zipfile.ZipInfo | str, bytes]] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in files.items():
            z.writestr(name, body)
        for info, body in extra:
            z.writestr(info, body)
    return out.getvalue()


def test_seed_corpus_round_trips(built, seed_raw, bundle):
    tables, manifest, raw_files, sidecars = import_bundle(bundle)
    for name in TABLES:
        pd.testing.assert_frame_equal(tables[name], built.tables[name], check_dtype=True)
    assert raw_files == seed_raw
    assert sidecars == SIDECAR
    assert manifest["exported_from"] == built.version
    assert set(manifest["raw_files"]) == set(seed_raw)


def test_unzipped_into_data_the_app_loads_it_fresh(tmp_path, built, bundle):
    with zipfile.ZipFile(io.BytesIO(bundle)) as z:
        z.extractall(tmp_path / "data")
    assert (tmp_path / "data" / "raw" / f"{SEEDS['000']}.txt").read_bytes() == (RAW_DIR / f"{SEEDS['000']}.txt").read_bytes()
    loaded = load_processed(tmp_path / "data" / "processed", tmp_path / "data" / "raw")  # refuses stale data
    assert loaded.version == corpus_version(tmp_path / "data" / "raw")
    pd.testing.assert_frame_equal(loaded.tables["paragraphs"], built.tables["paragraphs"])


def test_a_rezipped_data_folder_is_accepted(bundle, built):
    wrapped = rezip({f"data/{name}": body for name, body in members(bundle).items()})
    tables, *_ = import_bundle(wrapped)
    assert len(tables["documents"]) == len(built.tables["documents"])


def test_not_a_zip_is_refused():
    for data in (b"", b"PK\x03\x04broken", (RAW_DIR / f"{SEEDS['004']}.txt").read_bytes()):
        with pytest.raises(InputError) as err:
            import_bundle(data)
        assert err.value.code == "bundle_not_zip" and "语料包" in err.value.message("zh")


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


@pytest.mark.parametrize("evil", ["../evil.txt", "raw/../../evil.txt", "/etc/passwd", "C:\\evil.txt",
                                  "raw\\..\\evil.txt", "raw/evil\x1b[2J.txt", symlink("raw/link.txt")])
def test_unsafe_member_paths_refuse_the_whole_bundle(bundle, evil):
    data = rezip(members(bundle), [(evil, b"x")])
    with pytest.raises(InputError) as err:
        import_bundle(data)
    assert err.value.code == "bundle_unsafe_path" and "不安全" in err.value.message("zh")


def test_missing_table_is_named(bundle):
    files = members(bundle)
    del files["processed/paragraphs.parquet"]
    with pytest.raises(InputError) as err:
        import_bundle(rezip(files))
    assert err.value.code == "bundle_missing" and "paragraphs.parquet" in err.value.message("zh")


def test_missing_manifest_is_named(bundle):
    files = members(bundle)
    del files["processed/manifest.json"]
    with pytest.raises(InputError) as err:
        import_bundle(rezip(files))
    assert "manifest.json" in err.value.message("en")


def test_tampered_table_is_refused(bundle):
    files = members(bundle)
    files["processed/terms.parquet"] = files["processed/terms.parquet"][:-200] + bytes(200)
    with pytest.raises(InputError) as err:
        import_bundle(rezip(files))
    assert err.value.code == "bundle_bad_table" and "terms.parquet" in err.value.message("zh")


def test_zip_bomb_is_refused_before_it_fills_memory(bundle):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, body in members(bundle).items():
            z.writestr(name, body)
        z.writestr("raw/zeros.txt", bytes(30 * 2**20))
    assert len(bomb.getvalue()) < 2 * len(bundle)  # 30 MB of zeros packs into a few KB
    with pytest.raises(InputError) as err:
        import_bundle(bomb.getvalue(), max_unpacked=10 * 2**20)
    assert err.value.code == "bundle_too_large"
    with pytest.raises(InputError):
        import_bundle(bundle, max_bytes=1000)


def test_bundle_from_another_pipeline_version_is_rebuilt_from_its_raw_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW_DIR / f"{SEEDS['004']}.txt", raw)
    (raw / f"{SEEDS['004']}.meta.yaml").write_text("year: 2027\n", encoding="utf-8")
    result = build_corpus(raw, tmp_path / "processed")
    built = load_processed(tmp_path / "processed", raw)
    files = members(export_bundle(built.tables, built.manifest, {p.name: p.read_bytes() for p in raw.glob("*.txt")},
                                  {f"{SEEDS['004']}.txt": "year: 2027\n"}))
    manifest = json.loads(files["processed/manifest.json"])
    manifest["pipeline_version"] = "0"
    files["processed/manifest.json"] = json.dumps(manifest).encode()
    files["processed/documents.parquet"] = b"from an old pipeline"
    tables, manifest, _, _ = import_bundle(rezip(files))
    assert manifest["rebuilt_from_raw"]["failed_files"] == {}
    assert not result.failures
    assert tables["documents"].loc[0, "year"] == 2027  # the sidecar applied in the rebuild
    pd.testing.assert_frame_equal(tables["paragraphs"], built.tables["paragraphs"])
