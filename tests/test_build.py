"""Build, store and CLI: atomic output, version stamps, refusal of stale or half-written data."""

import json
import pickle
import shutil
import subprocess
import sys

import pytest

from corpus.build import build_corpus, build_tables
from corpus.files import corpus_version
from corpus.schema import TABLES, column_names
from corpus.store import CorpusError, check, load_processed
from tests.conftest import RAW_DIR, ROOT, SEEDS


def test_every_table_has_exactly_the_schema_columns(built):
    for name in TABLES:
        assert list(built.tables[name].columns) == column_names(name), name
    assert set(built.tables["documents"].doc_id) == set(SEEDS.values())
    assert (built.tables["documents"].source_file == built.tables["documents"].doc_id + ".txt").all()


def test_every_document_has_paragraphs_and_terms(built):
    paras, terms = built.tables["paragraphs"], built.tables["terms"]
    for doc_id in SEEDS.values():
        assert (paras.doc_id == doc_id).sum() > 0, doc_id
        assert (terms.doc_id == doc_id).sum() > 0, doc_id
    # 004 is a web page with an abstract only: it still gets a paragraph (the abstract)
    web = paras[paras.doc_id == SEEDS["004"]]
    assert list(web.kind) == ["abstract"]


def test_manifest_stamps_a_version_of_raw_lexicon_and_pipeline(built):
    assert built.version == corpus_version(RAW_DIR)
    assert built.manifest["complete"] is True
    assert set(built.manifest["raw_files"]) == {f"{d}.txt" for d in SEEDS.values()}


def copy_seeds(tmp_path, keys=("000", "004")):
    raw = tmp_path / "raw"
    raw.mkdir()
    for key in keys:
        shutil.copy(RAW_DIR / f"{SEEDS[key]}.txt", raw)
    return raw


def test_stale_data_is_refused_after_a_raw_file_changes(tmp_path):
    raw, out = copy_seeds(tmp_path), tmp_path / "processed"
    build_corpus(raw, out)
    load_processed(out, raw)  # fresh: loads
    (raw / f"{SEEDS['004']}.txt").write_text("人工智能。\n" * 3, encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_processed(out, raw)
    assert err.value.code == "stale" and "python -m corpus build" in err.value.message_zh


def test_half_written_data_is_refused(tmp_path):
    raw, out = copy_seeds(tmp_path), tmp_path / "processed"
    build_corpus(raw, out)
    (out / "paragraphs.parquet").write_bytes((out / "paragraphs.parquet").read_bytes()[:100])
    with pytest.raises(CorpusError) as err:
        check(out, raw)
    assert err.value.code == "incomplete" and "不完整" in err.value.message_zh
    (out / "manifest.json").unlink()
    with pytest.raises(CorpusError) as err:
        check(out, raw)
    assert err.value.code == "incomplete"


def test_missing_corpus_has_a_clear_message(tmp_path):
    with pytest.raises(CorpusError) as err:
        load_processed(tmp_path / "nowhere", None)
    assert err.value.code == "missing" and "找不到" in err.value.message_zh


def test_a_rebuild_replaces_the_folder_without_leaving_temporary_folders(tmp_path):
    raw, out = copy_seeds(tmp_path), tmp_path / "processed"
    build_corpus(raw, out)
    (out / "stray.parquet").write_text("old")
    build_corpus(raw, out)
    assert not (out / "stray.parquet").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed", "raw"]


def test_cli_names_unreadable_files_processes_the_rest_and_fails(tmp_path):
    raw, out = copy_seeds(tmp_path), tmp_path / "out"
    (raw / "empty.txt").write_bytes(b"")
    (raw / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    run = subprocess.run([sys.executable, "-m", "corpus", "build", "--raw", str(raw), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1
    assert "empty.txt" in run.stderr and "文件为空" in run.stderr
    assert "photo.txt" in run.stderr and "二进制" in run.stderr
    assert "2 篇文档已处理，2 个文件失败" in run.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["documents"]["rows"] == 2
    assert manifest["failed_files"] == {"empty.txt": "empty", "photo.txt": "binary"}


def test_same_content_twice_is_kept_once(tmp_path):
    raw, out = copy_seeds(tmp_path, ("004",)), tmp_path / "out"
    shutil.copy(raw / f"{SEEDS['004']}.txt", raw / "copy of 004.txt")
    result = build_corpus(raw, out)
    assert len(result.tables["documents"]) == 1
    assert [f.error.code for f in result.failures] == ["duplicate"]


def test_committed_processed_corpus_is_fresh():
    """The app starts without building: the committed data/processed matches raw, lexicon and code."""
    load_processed()


def test_schema_md_is_generated_from_schema_py():
    from corpus.schema import to_markdown

    assert (ROOT / "data" / "processed" / "SCHEMA.md").read_text(encoding="utf-8").strip() == to_markdown().strip()


UNSEEN = ROOT / "tests" / "fixtures" / "unseen"


def test_texts_never_seen_still_yield_documents_and_paragraphs(tmp_path):
    """A Markdown regulation, a scraped web page and a hard-wrapped PDF extraction."""
    raw = tmp_path / "raw"
    shutil.copytree(UNSEEN, raw, ignore=shutil.ignore_patterns("README.md"))
    result = build_corpus(raw, tmp_path / "out")
    assert not result.failures
    docs, paras = result.tables["documents"], result.tables["paragraphs"]
    assert len(docs) == len(list(raw.iterdir())) >= 3
    for doc_id in docs.doc_id:
        assert (paras.doc_id == doc_id).any(), doc_id
    titles = dict(zip(docs.doc_id, docs.title, strict=True))
    assert titles["webpage"] == "人工智能大模型加速赋能千行百业"  # not the breadcrumb line
    assert titles["regulation"] == "某市人工智能产业发展促进办法（试行）"
    text = "\n".join(paras.text)
    assert "分享到" not in text and "责任编辑" not in text and "中国科技论坛" not in text and "· 23 ·" not in text
    assert "<script>" in text  # shown as text by the app (escaped), never dropped silently nor executed
    wrapped = result.tables["sections"].query("doc_id == 'pdf_wrapped' and level == 1")
    assert list(wrapped.heading) == ["问题的提出", "技术扩散的主要渠道", "结论"]
    refs = result.tables["references"].query("doc_id == 'pdf_wrapped'")
    assert list(refs.marker) == ["①", "[1]", "[2]"] and refs.text.iloc[-1].endswith("38(4): 20-35.")


@pytest.mark.parametrize(("name", "data"), [
    ("title-only.txt", "人工智能视域下的新质生产力生成路径".encode()),
    ("headings-only.md", "# 标题\n## 一、引言\n## 二、结论\n".encode()),
])
def test_a_text_without_body_still_keeps_its_words(name, data):
    from tests.conftest import process

    tables = process(name, data)
    assert len(tables["documents"]) == 1 and len(tables["paragraphs"]) >= 1
    assert not tables["paragraphs"].text.str.startswith("#").any()


def test_two_processes_and_the_upload_path_build_the_same_tables(tmp_path):
    """The CLI build (one process or a pool of two) and the app's upload path (the pipeline one
    file at a time + `assemble`) give the same rows and values for the same papers."""
    import pandas as pd

    from corpus.assemble import assemble
    from corpus.build import build_tables
    from corpus.pipeline import Pipeline

    raw = tmp_path / "raw"
    raw.mkdir()
    # file order (p-1.txt, p.txt, q.txt) differs from doc_id order (p, p-1, q)
    for key, name in (("000", "p.txt"), ("001", "p-1.txt"), ("004", "q.txt")):
        shutil.copy(RAW_DIR / f"{SEEDS[key]}.txt", raw / name)
    serial = build_tables(raw, workers=1)
    # A fresh process, as the CLI runs: the build only forks from a single-threaded process, and
    # earlier tests in this one (AppTest, browser fixtures) may have left threads running.
    script = (
        "import pickle, sys; from pathlib import Path; from corpus.build import build_tables; "
        "sys.stdout.buffer.write(pickle.dumps(build_tables(Path(sys.argv[1]), workers=2)))"
    )
    parallel = pickle.loads(subprocess.run([sys.executable, "-c", script, str(raw)], cwd=ROOT,
                                           check=True, capture_output=True).stdout)
    uploaded = assemble([Pipeline()(p.name, p.read_bytes()) for p in sorted(raw.iterdir())])
    assert (serial.workers, parallel.workers) == (1, 2)
    assert len(serial.tables["events"]) > 0 and len(serial.tables["mechanisms"]) > 0
    for name in TABLES:
        pd.testing.assert_frame_equal(parallel.tables[name], serial.tables[name], obj=name)
        pd.testing.assert_frame_equal(uploaded[name], serial.tables[name], obj=name)


def test_two_files_with_one_name_become_two_documents(tmp_path):
    """`x.txt` and `x.md` cannot both be `x`: the second gets the stem and its content hash."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW_DIR / f"{SEEDS['000']}.txt", raw / "x.md")
    shutil.copy(RAW_DIR / f"{SEEDS['004']}.txt", raw / "x.txt")
    docs = build_tables(raw, workers=1).tables["documents"]
    assert docs["doc_id"].is_unique and len(docs) == 2
    by_file = dict(zip(docs["source_file"], docs["doc_id"], strict=True))
    assert by_file["x.md"] == "x" and by_file["x.txt"].startswith("x_")

