"""The corpus seam: shipped tables + this session's documents + metadata edits."""

import json

from components.data import apply_metadata_edits, manifest_version, merge_corpus

DOC = "000_e938fc2a5e09f312"


def test_session_documents_join_every_table(seed_corpus):
    # a session "upload": the seed document 004 again under a new id
    added = {}
    for name, table in seed_corpus.tables.items():
        if "doc_id" in table.columns:
            rows = table[table["doc_id"] == "004_230e8963441ed0b1"].copy()
            rows["doc_id"] = "upload_1"
            added[name] = rows
    merged = merge_corpus(seed_corpus, added, None)
    assert "upload_1" in set(merged.documents["doc_id"])
    for name, rows in added.items():
        assert len(merged.table(name)) == len(seed_corpus.table(name)) + len(rows)
    assert merged.version != seed_corpus.version
    assert len(seed_corpus.documents) == 4  # the shipped tables are untouched


def test_metadata_edit_applies_to_the_label(seed_corpus):
    edits = {DOC: {"title": "新标题", "year": 2024, "authors": ["张三"]}}
    merged = merge_corpus(seed_corpus, None, edits)
    row = merged.documents.set_index("doc_id").loc[DOC]
    assert row["label"] == "新标题" and row["year"] == 2024 and list(row["authors"]) == ["张三"]
    assert merged.labels()[DOC] == "新标题"
    assert seed_corpus.labels()[DOC] != "新标题"
    # unknown columns are ignored, not added
    assert "colour" not in apply_metadata_edits(seed_corpus.documents, {DOC: {"colour": "red"}}).columns


def test_no_session_changes_returns_the_shipped_corpus(seed_corpus):
    assert merge_corpus(seed_corpus, None, None) is seed_corpus


def test_manifest_version_is_read_without_tables(seed_processed_dir, tmp_path):
    manifest = json.loads((seed_processed_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest_version(seed_processed_dir).startswith(manifest["corpus_version"])
    assert manifest_version(tmp_path) == ""
