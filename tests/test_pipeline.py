"""The pipeline as one object: stages that declare what they read and write, one error policy for
every caller, and a lexicon folder that reaches every stage."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import corpus.pipeline
from corpus.__main__ import main
from corpus.build import build_tables
from corpus.lexicon import DEFAULT_LEXICON_DIR, Lexicon
from corpus.pipeline import STAGES, Pipeline, stages_table
from tests.conftest import RAW_DIR, ROOT, SEEDS, seed_lines


def _seeds(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    return raw


def test_a_document_that_trips_a_bug_in_a_stage_is_named_and_the_others_are_written(tmp_path, monkeypatch,
                                                                                    capsys):
    """`python -m corpus build` on the seeds, one of which makes the structure stage raise."""
    real = corpus.pipeline._structure

    def structure_with_a_bug(doc, lexicon):
        if doc.doc_id == SEEDS["001"]:
            raise KeyError("section")
        real(doc, lexicon)

    broken = tuple(s if s.name != "structure" else corpus.pipeline.Stage(s.name, s.requires, s.assigns,
                                                                         structure_with_a_bug) for s in STAGES)
    monkeypatch.setattr(corpus.pipeline, "STAGES", broken)
    out = tmp_path / "processed"
    status = main(["build", "--raw", str(_seeds(tmp_path)), "--out", str(out)])
    assert status == 1  # some failed
    err = capsys.readouterr().err
    assert f"✗ {SEEDS['001']}.txt: 处理这个文件时程序出错（KeyError" in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed_files"] == {f"{SEEDS['001']}.txt": "processing_failed"}
    assert manifest["tables"]["documents"]["rows"] == 3  # the other three papers


def test_every_caller_gets_the_same_failure_for_the_same_bug(monkeypatch):
    """The build and uploads share `Pipeline.pipe`: an unexpected exception is a Failure either way."""
    from corpus.intake import ingest_uploads

    def ingest_with_a_bug(doc, lexicon):
        raise ZeroDivisionError

    broken = (corpus.pipeline.Stage("ingest", ("raw bytes",), ("text",), ingest_with_a_bug), *STAGES[1:])
    monkeypatch.setattr(corpus.pipeline, "STAGES", broken)
    text = seed_lines("000", 41, 82).encode()
    [failure] = ingest_uploads([("片段.txt", text)]).failures
    assert failure.name == "片段.txt" and failure.code == "processing_failed"
    assert "ZeroDivisionError" in failure.message("en")


def _custom_lexicon(tmp_path: Path, furniture_line: str, mechanism: str) -> Path:
    lexicon = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_LEXICON_DIR, lexicon)
    with open(lexicon / "page_furniture.txt", "a", encoding="utf-8") as fh:
        fh.write(re.escape(furniture_line) + "\n")
    with open(lexicon / "stopwords_domain.txt", "a", encoding="utf-8") as fh:
        fh.write("新质生产力\n")
    with open(lexicon / "userdict.txt", "a", encoding="utf-8") as fh:
        fh.write("自然语言处理 50 nz\n")
    axes = (lexicon / "mechanism_axes.yaml").read_text(encoding="utf-8")
    (lexicon / "mechanism_axes.yaml").write_text(
        axes.replace("not_mechanisms: [", f"not_mechanisms: [{mechanism}, "), encoding="utf-8")
    return lexicon


def test_a_custom_lexicon_folder_is_used_by_every_stage(tmp_path, built):
    """Page furniture (clean), the dictionary (segment), stopwords (count) and mechanism rules
    (extract) all come from the folder the build is given."""
    furniture_line = seed_lines("000", 61, 61).strip()  # a body line of 000, as the PDF printed it
    mechanism = built.tables["mechanisms"]["name"].iloc[0]
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW_DIR / f"{SEEDS['000']}.txt", raw)
    shutil.copy(RAW_DIR / f"{SEEDS['001']}.txt", raw)
    custom = build_tables(raw, Lexicon.load(_custom_lexicon(tmp_path, furniture_line, mechanism)), workers=1).tables

    default_text = "".join(built.tables["paragraphs"].query(f"doc_id == '{SEEDS['000']}'").text)
    custom_text = "".join(custom["paragraphs"].query(f"doc_id == '{SEEDS['000']}'").text)
    assert furniture_line.replace(" ", "") in default_text.replace(" ", "")
    assert furniture_line.replace(" ", "") not in custom_text.replace(" ", "")
    assert "新质生产力" in set(built.tables["terms"].term) and "新质生产力" not in set(custom["terms"].term)
    assert "自然语言处理" in set(custom["terms"].term)
    assert mechanism not in set(custom["mechanisms"].name)


def test_the_readme_names_the_stages_as_the_code_declares_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert stages_table() in readme


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_each_stage_assigns_what_a_later_stage_or_the_tables_use(stage):
    """The declared data flow is connected: every input is the raw file, the sidecar, the lexicon
    or something an earlier stage assigned."""
    earlier = {"raw bytes", "sidecar"}
    for previous in STAGES[: STAGES.index(stage)]:
        earlier |= set(previous.assigns) | {a.split(".")[0] for a in previous.assigns}
    for need in stage.requires:
        assert need.startswith("lexicon.") or need in earlier or need.split(".")[0] in earlier, (stage.name, need)


def test_one_file_through_the_pipeline_fills_every_table():
    processed = Pipeline()(f"{SEEDS['000']}.txt", (RAW_DIR / f"{SEEDS['000']}.txt").read_bytes())
    assert processed.doc_ids == [SEEDS["000"]]
    for name in ("documents", "sections", "paragraphs", "events", "mechanisms", "policies", "term_counts"):
        assert processed.tables[name].num_rows > 0, name
