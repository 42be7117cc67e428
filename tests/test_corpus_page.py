"""The corpus page (语料管理) through AppTest on the seed corpus: uploads with bad files in the
batch, metadata edits that reach every page, sidecar and bundle round trips, nothing written to disk."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from components.corpus_admin import bundle_bytes, edited_sidecars, parse_metadata_form, sidecar_fields
from components.data import SessionCorpus, merge_corpus
from components.i18n import translate
from components.layout import md
from corpus.errors import InputError
from tests.conftest import RAW_DIR, ROOT, SEEDS, seed_lines

APP = str(ROOT / "app.py")
DOC = SEEDS["000"]


@pytest.fixture(autouse=True)
def seed_data(monkeypatch, seed_processed_dir):
    monkeypatch.setattr("components.data.PROCESSED_DIR", seed_processed_dir)


def _open(page: str = "corpus", query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if query:
        at.query_params.update(query)
    at.switch_page(f"pages/{page}.py")
    return at.run()


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def test_a_batch_with_bad_files_adds_the_good_ones_and_names_each_problem(seed_processed_dir):
    before = (_tree_digest(seed_processed_dir), _tree_digest(RAW_DIR))
    fragment = seed_lines("000", 41, 82)
    at = _open()
    at.file_uploader[0].set_value([
        ("../../阶段 回顾.txt", fragment.encode("gb18030"), "text/plain"),
        ("again.txt", fragment.encode("gb18030"), "text/plain"),  # same bytes: kept once
        ("empty.txt", b"", "text/plain"),
        ("photo.txt", bytes(range(256)) * 40, "text/plain"),
    ]).run()
    [process] = [b for b in at.button if b.label == translate("corpus.process", "zh", n=4)]
    process.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.success) == 1 and md("阶段 回顾.txt") in at.success[0].value
    errors = [e.value for e in at.error]
    assert _message("empty.txt", "empty") in errors
    assert _message("photo.txt", "binary") in errors
    assert [w.value for w in at.warning] == [_message("again.txt", "duplicate")]
    assert translate("sidebar.session_added", "zh", n=1) in [c.value for c in at.sidebar.caption]
    # the new document is on the other pages of the same session
    at.switch_page("pages/timeline.py").run()
    assert not at.exception
    assert "人工智能与新质生产力的协同互嵌" in at.sidebar.multiselect[0].options  # the upload's first heading
    # nothing on disk changed
    assert (_tree_digest(seed_processed_dir), _tree_digest(RAW_DIR)) == before


def _message(name: str, code: str) -> str:
    return f"{md(name)}: {md(InputError(code).message('zh'))}"


def test_markup_in_a_file_name_is_shown_as_text():
    at = _open()
    name = "<img src=x onerror=alert(1)> **粗体**.txt"
    at.file_uploader[0].set_value([(name, seed_lines("002", 20, 60).encode(), "text/plain")]).run()
    [process] = [b for b in at.button if b.label == translate("corpus.process", "zh", n=1)]
    process.click().run()
    assert not at.exception and not at.error
    assert md(name) in at.success[0].value  # Markdown and HTML characters escaped


def test_a_metadata_edit_reaches_every_page_and_the_sidecar():
    at = _open(query={"doc": DOC})
    assert at.selectbox(key="meta_doc").value == DOC
    at.text_input(key=f"meta_title_{DOC}").input("人工智能视域下的新质生产力生成路径（修订）")
    at.text_input(key=f"meta_year_{DOC}").input("2024")
    at.text_input(key=f"meta_journal_{DOC}").input("测试期刊")
    [save] = [b for b in at.button if b.label == translate("corpus.meta_save", "zh")]
    save.click().run()
    assert not at.exception and not at.error
    at.switch_page("pages/overview.py").run()
    assert any("（修订）" in option for option in at.sidebar.multiselect[0].options)
    edits = at.session_state["meta_edits"][DOC]
    assert edits == {"title": "人工智能视域下的新质生产力生成路径（修订）", "journal": "测试期刊", "year": 2024}


def test_a_year_that_is_not_a_year_is_refused_with_a_message():
    at = _open(query={"doc": DOC})
    at.text_input(key=f"meta_year_{DOC}").input("二〇二四")
    [save] = [b for b in at.button if b.label == translate("corpus.meta_save", "zh")]
    save.click().run()
    assert [e.value for e in at.error] == [translate("corpus.meta_bad_year", "zh")]
    assert "meta_edits" not in at.session_state


def test_metadata_form_values_are_typed():
    changes, bad = parse_metadata_form({"authors": "张三；李四、 王五", "year": "2024", "title": "  ", "keywords": ""})
    assert changes == {"authors": ["张三", "李四", "王五"], "year": 2024, "title": None, "keywords": []}
    assert bad == []
    assert parse_metadata_form({"year": "24"})[1] == ["year"]


def test_a_sidecar_keeps_what_the_file_had_and_adds_the_edits(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "paper.meta.yaml").write_text("journal: 旧期刊\nyear: 2023\n", encoding="utf-8")
    fields = sidecar_fields("paper", "paper.txt", None, {"paper": {"year": 2024, "authors": ["张三"]}}, raw)
    assert fields == {"journal": "旧期刊", "year": 2024, "authors": ["张三"]}
    session = SessionCorpus({}, sidecars={"up": "title: 上传的标题\n"})
    assert sidecar_fields("up", "up.pdf", session, {}, raw) == {"title": "上传的标题"}


def test_the_exported_bundle_reproduces_the_session_corpus(seed_corpus):
    """Upload + edit → bundle → import: the colleague sees the same documents, the upload's raw
    file and the edited metadata (as a sidecar, so a rebuild keeps it)."""
    from corpus.assemble import assemble
    from corpus.bundle import import_bundle
    from corpus.intake import ingest_uploads

    intake = ingest_uploads([("片段.txt", seed_lines("001", 1, 120).encode("utf-16"))])
    (new_id,) = [f.doc_id for f in intake.files]
    session = SessionCorpus(assemble(intake.processed, base=seed_corpus.tables), raw_files=intake.raw_files,
                            added=(new_id,))
    edited = {DOC: {"year": 2024, "journal": "测试期刊"}}
    corpus = merge_corpus(seed_corpus, session, edited)
    data = bundle_bytes(corpus, session, edited)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert f"raw/{new_id}.txt" in names and f"raw/{DOC}.txt" in names
    tables, manifest, raw_files, sidecars = import_bundle(data)
    assert set(tables["documents"]["doc_id"]) == set(corpus.documents["doc_id"])
    assert yaml.safe_load(sidecars[f"{DOC}.meta.yaml"]) == {"year": 2024, "journal": "测试期刊"}
    row = tables["documents"].set_index("doc_id").loc[DOC]
    assert row["year"] == 2024 and row["journal"] == "测试期刊"
    assert len(tables["events"]) == len(corpus.table("events"))
    assert set(edited_sidecars(corpus, session, edited)) == {f"{DOC}.meta.yaml"}


def test_uploads_spanning_five_years_bring_trends_and_bursts_to_the_terms_page():
    from tests.test_trends import multi_year_uploads

    at = _open()
    uploads = multi_year_uploads()
    at.file_uploader[0].set_value([(name, data, "text/plain") for name, data in uploads]).run()
    [process] = [b for b in at.button if b.label == translate("corpus.process", "zh", n=len(uploads))]
    process.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.switch_page("pages/terms.py").run()
    assert not at.exception
    # the seeds add 2026 (004) to the uploads' 2019–2023
    assert translate("terms.trends_heading", "zh", n=6) in [h.value for h in at.subheader]
    bursts = at.dataframe[-1].value
    row = bursts[bursts[translate("terms.burst_term", "zh")] == "生成式人工智能"].iloc[0]
    assert (row[translate("terms.burst_begin", "zh")], row[translate("terms.burst_end", "zh")]) == (2021, 2022)


def test_a_corpus_within_two_years_shows_no_trend_section():
    at = _open("terms")
    assert not at.exception
    assert not any(translate("terms.trends", "zh") in h.value for h in at.subheader)


def test_a_colleagues_bundle_replaces_the_session_corpus_and_a_bad_zip_is_named(seed_corpus):
    edited = {DOC: {"title": "同事修订的标题"}}
    bundle = bundle_bytes(merge_corpus(seed_corpus, None, edited), None, edited)
    at = _open()
    importer = at.file_uploader(key="bundle_0")
    importer.set_value(("同事的语料.zip", b"PK\x03\x04 not really a zip", "application/zip")).run()
    [load] = [b for b in at.button if b.label == translate("corpus.import_go", "zh")]
    load.click().run()
    assert [e.value for e in at.error] == [_message("同事的语料.zip", "bundle_not_zip")]
    assert "session_corpus" not in at.session_state  # nothing changed

    at.file_uploader(key="bundle_1").set_value(("同事的语料.zip", bundle, "application/zip")).run()
    [load] = [b for b in at.button if b.label == translate("corpus.import_go", "zh")]
    load.click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == translate("corpus.imported", "zh", name=md("同事的语料.zip"), n=4)
    assert translate("sidebar.session_bundle", "zh") in [c.value for c in at.sidebar.caption]
    assert "同事修订的标题" in at.sidebar.multiselect[0].options  # the colleague's metadata edit came along


def test_every_pipeline_stage_has_a_progress_share_and_a_label():
    from components.corpus_admin import STAGE_SHARE
    from corpus.pipeline import STAGE_NAMES

    for stage in (*STAGE_NAMES, "done", "failed", "skipped", "waiting"):
        assert translate(f"corpus.stage.{stage}", "zh") != f"corpus.stage.{stage}", stage
    assert [STAGE_SHARE[s] for s in STAGE_NAMES] == sorted(STAGE_SHARE[s] for s in STAGE_NAMES)


def test_streamlits_upload_cap_is_above_every_limit_we_state_ourselves():
    """Streamlit refuses a file over `server.maxUploadSize` with an English 413 before our code runs;
    every limit we tell the user about must be below it, so the user gets our message."""
    import tomllib

    from components.corpus_admin import BUNDLE_LIMIT_MB, UPLOAD_LIMIT_MB, WIDGET_LIMIT_MB

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    cap = config["server"]["maxUploadSize"]
    assert UPLOAD_LIMIT_MB < WIDGET_LIMIT_MB < cap and BUNDLE_LIMIT_MB < cap
