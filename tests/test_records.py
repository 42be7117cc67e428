"""Exports through the pipeline: each record of the real samples of ../shared/devset/bibliographic
becomes a document (the CLI build and the corpus page's uploads alike), the same paper is kept
once, and a full text takes its record's place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from corpus.build import build_tables
from corpus.exports import read_export
from corpus.ingest import decode
from corpus.intake import ingest_uploads
from tests.conftest import RAW_DIR, SEEDS

BIB = Path(__file__).resolve().parents[2] / "shared" / "devset" / "bibliographic"
pytestmark = pytest.mark.skipif(not BIB.exists(), reason="../shared/devset is not here")
SAMPLES = {  # file → its records
    "citespace-converted-cnki-download_1-307.txt": 307,
    "cnki-endnote-export-TEMP.txt": 2,
    "cnki-noteexpress-CoverAllTest15Entries.net": 15,
    "csl-kg-dev.tsv": 1000,
}


def _records(name: str):
    data = (BIB / name).read_bytes()
    return read_export(name, data, decode(data).text)


@pytest.fixture(scope="module")
def bib_build(tmp_path_factory):
    raw = tmp_path_factory.mktemp("bib_raw")
    for name in SAMPLES:
        shutil.copyfile(BIB / name, raw / name)
    return build_tables(raw)


def _listed(value) -> list:
    return [] if value is None else list(value)


def test_every_sample_builds_one_document_per_record(bib_build):
    assert not bib_build.failures, [f.message("en") for f in bib_build.failures]
    docs = bib_build.tables["documents"]
    assert docs.groupby("source_file").size().to_dict() == SAMPLES
    for name in SAMPLES:
        rows = docs[docs["source_file"] == name].sort_values("record")
        records = _records(name)
        assert rows["record"].tolist() == list(range(1, len(records) + 1))
        for k in (0, len(records) // 2, len(records) - 1):  # first, middle and last record, field by field
            row, record = rows.iloc[k], records[k]
            assert row["title"] == record.title
            assert _listed(row["authors"]) == record.authors
            assert _listed(row["affiliations"]) == record.affiliations
            assert (None if pd.isna(row["year"]) else int(row["year"])) == record.year
            assert _listed(row["keywords"]) == record.keywords
            assert (None if pd.isna(row["abstract"]) else row["abstract"]) == record.abstract


def test_a_record_abstract_is_read_like_any_text(bib_build):
    """Its abstract is the document's abstract paragraph: segmented and counted (the terms views),
    and read by the extractors; a record without an abstract is still a document (per-year counts)."""
    tables = bib_build.tables
    docs = tables["documents"].set_index("doc_id")
    first = "citespace-converted-cnki-download_1-307_0001"
    para = tables["paragraphs"][tables["paragraphs"]["doc_id"] == first]
    assert para["kind"].tolist() == ["abstract"] and para["text"].iloc[0] == docs.loc[first, "abstract"]
    terms = tables["terms"].loc[tables["terms"]["doc_id"] == first, "term"]
    assert len(terms) >= 10 and all(term in para["text"].iloc[0] for term in terms)
    bare = docs[docs["abstract"].isna()]
    assert len(bare) >= 1 and (bare["n_paragraphs"] == 0).all()  # the NoteExpress book record without one
    assert set(tables["events"]["doc_id"]) & set(docs.index[docs["source_file"].str.startswith("citespace")])


def test_a_malformed_export_is_named_and_the_rest_of_the_batch_goes_on(tmp_path):
    good = "cnki-endnote-export-TEMP.txt"
    shutil.copyfile(BIB / good, tmp_path / good)
    # the NoteExpress sample cut after its first record's type line: an export without a usable record
    head = (BIB / "cnki-noteexpress-CoverAllTest15Entries.net").read_bytes().split(b"\n")[0]
    (tmp_path / "cut.net").write_bytes(head + b"\n")
    (tmp_path / "notes.csv").write_bytes("第一列,第二列\n人工智能,新质生产力\n".encode())
    result = build_tables(tmp_path)
    assert sorted((f.source_file, f.code) for f in result.failures) == [("cut.net", "empty_export"),
                                                                      ("notes.csv", "not_an_export")]
    assert "没有含题名或摘要的记录" in result.failures[0].message("zh")
    assert len(result.tables["documents"]) == 2


def _refworks(records) -> str:
    """A RefWorks export (the layout CNKI documents: RT / A1 / T1 / JF / YR / K1 / AB / AD / DS) of records."""
    blocks = []
    for r in records:
        lines = ["RT Journal Article", *[f"A1 {a}" for a in r.authors], f"T1 {r.title}", f"JF {r.journal}",
                 f"YR {r.year}", f"K1 {';'.join(r.keywords)}", f"AB {r.abstract}", f"AD {'；'.join(r.affiliations)}",
                 "DS CNKI"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def test_the_same_paper_exported_twice_is_kept_once(tmp_path):
    name = "cnki-noteexpress-CoverAllTest15Entries.net"
    shutil.copyfile(BIB / name, tmp_path / name)
    again = _records(name)[1:4]  # three of its papers, exported again from CNKI as RefWorks
    (tmp_path / "refworks.txt").write_text(_refworks(again), encoding="utf-8")
    result = build_tables(tmp_path)
    skipped = [f for f in result.failures if f.code == "duplicate_record"]
    assert [f.source_file for f in skipped] == ["refworks.txt #1", "refworks.txt #2", "refworks.txt #3"]
    assert f"{name} #2" in skipped[0].message("zh")
    docs = result.tables["documents"]
    assert len(docs) == 15 and docs["title"].is_unique


def test_a_full_text_replaces_its_record_and_keeps_the_record_metadata(tmp_path, built):
    """Seed 004 as a CNKI record (its printed title, authors, journal and year, with affiliations and
    keywords as CNKI lists them), then its full text: one document, the full text's paragraphs, the
    record's metadata."""
    seed = built["documents"].set_index("doc_id").loc[SEEDS["004"]]

    class Record:  # the fields a RefWorks record carries
        title, authors, journal, year = seed["title"], list(seed["authors"]), seed["journal"], int(seed["year"])
        keywords = ["人工智能", "新质生产力", "记录关键词"]
        affiliations = ["记录中的作者单位"]
        abstract = seed["abstract"]

    (tmp_path / "cnki.txt").write_text(_refworks([Record]), encoding="utf-8")
    shutil.copyfile(RAW_DIR / f"{SEEDS['004']}.txt", tmp_path / f"{SEEDS['004']}.txt")
    result = build_tables(tmp_path)
    assert not result.failures
    docs = result.tables["documents"]
    assert docs["doc_id"].tolist() == [SEEDS["004"]]  # the record's document is gone
    row = docs.iloc[0]
    assert list(row["affiliations"]) == ["记录中的作者单位"] and "记录关键词" in list(row["keywords"])
    paragraphs = result.tables["paragraphs"]
    assert set(paragraphs["doc_id"]) == {SEEDS["004"]} and len(paragraphs) == len(
        built["paragraphs"][built["paragraphs"]["doc_id"] == SEEDS["004"]])
    assert [n.code for n in result.notes] == ["record_replaced"] and "cnki.txt #1" in result.notes[0].message("en")


def test_an_uploaded_export_adds_its_records_and_skips_papers_already_there(built):
    name = "cnki-noteexpress-CoverAllTest15Entries.net"
    first = ingest_uploads([(name, (BIB / name).read_bytes())], known_ids=set(built["documents"]["doc_id"]))
    assert not first.failures and sum(first.records.values()) == 15 and [f.name for f in first.files] == [name]
    assert len(first.processed) and sum(len(p.doc_ids) for p in first.processed) == 15
    from corpus.assemble import assemble

    corpus = assemble(first.processed, base=dict(built.tables))
    again = ingest_uploads([("again.txt", _refworks(_records(name)[1:3]).encode())],
                           known_hashes=set(corpus["documents"]["content_hash"]),
                           known_ids=set(corpus["documents"]["doc_id"]), base_documents=corpus["documents"])
    assert [f.code for f in again.failures] == ["duplicate_record", "duplicate_record"]
    stored = first.files[0].source_file  # what the corpus page lists as the export's file
    assert again.failures[0].name == "again.txt #1" and f"{stored} #2" in again.failures[0].message("en")
    assert not again.processed
    # the same export uploaded again is one file already there
    twice = ingest_uploads([(name, (BIB / name).read_bytes())], known_hashes=set(corpus["documents"]["content_hash"]))
    assert [f.code for f in twice.failures] == ["duplicate"]
