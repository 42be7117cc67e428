"""The corpus seam: shipped tables + this session's documents + metadata edits."""

import json

from components.data import SessionCorpus, apply_metadata_edits, manifest_version, merge_corpus

DOC = "000_e938fc2a5e09f312"


def test_session_documents_join_every_table(seed_corpus):
    """An upload (the start of seed 000, cut as an editor might paste it) joins every table, with
    terms and extraction recomputed over the whole corpus; the shipped tables stay as they were."""
    from corpus.assemble import assemble
    from corpus.intake import ingest_uploads
    from tests.conftest import seed_lines

    intake = ingest_uploads([("片段.txt", seed_lines("000", 1, 82).encode("gb18030"))])
    (new_id,) = [f.doc_id for f in intake.files]
    session = SessionCorpus(assemble(intake.processed, base=seed_corpus.tables), added=(new_id,))
    merged = merge_corpus(seed_corpus, session, None)
    assert list(merged.documents["doc_id"]).count(new_id) == 1
    for name in ("paragraphs", "sections", "terms", "events"):
        assert (merged.table(name)["doc_id"] == new_id).any(), name
    new_terms = merged.table("terms")[merged.table("terms")["doc_id"] == new_id]
    assert new_terms["tfidf"].notna().all() and (new_terms["tfidf"] > 0).any()
    # the papers already there keep their extraction
    old = seed_corpus.table("events").groupby("doc_id").size()
    assert merged.table("events").groupby("doc_id").size().reindex(old.index).equals(old)
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
