"""Keyword in context on the seed paragraphs; paper text is escaped, never markup."""

import pandas as pd

from components.kwic import kwic_hits, kwic_line_html


def test_hits_on_the_seed_paragraphs(seed_corpus):
    paragraphs = seed_corpus.table("paragraphs")
    hits = kwic_hits(paragraphs, "新质生产力")
    expected = paragraphs["text"].str.count("新质生产力").sum()
    assert len(hits) == expected > 0
    for hit in hits.head(20).itertuples():
        text = paragraphs[(paragraphs["doc_id"] == hit.doc_id) & (paragraphs["para_id"] == hit.para_id)]["text"].iloc[0]
        assert text[hit.offset : hit.offset + len("新质生产力")] == "新质生产力"
        assert text[: hit.offset].endswith(hit.left)


def test_script_in_a_paragraph_is_shown_as_text(seed_corpus):
    real = seed_corpus.table("paragraphs").iloc[5]
    hostile = pd.DataFrame([{**real.to_dict(), "text": real["text"][:30] + "<script>alert(1)</script>人工智能&<b>"}])
    hit = kwic_hits(hostile, "人工智能", window=40).iloc[-1]
    html = kwic_line_html(hit.left, hit.match, hit.right)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&amp;&lt;b&gt;" in html
    assert '<mark class="kwic-hit">人工智能</mark>' in html


def test_no_term_no_hits(seed_corpus):
    assert kwic_hits(seed_corpus.table("paragraphs"), "").empty
    assert kwic_hits(seed_corpus.table("paragraphs"), "不存在的词语组合").empty


def test_the_count_is_every_hit_and_the_limit_samples_every_paper(seed_corpus):
    """新质生产力 occurs in all four seed papers; the first paper alone has more than 40 hits."""
    from components.kwic import count_hits, kwic_hits

    paragraphs = seed_corpus.table("paragraphs")
    every = kwic_hits(paragraphs, "新质生产力")
    assert count_hits(paragraphs, "新质生产力") == len(every) > 40
    assert (every["doc_id"] == every["doc_id"].iloc[0]).sum() >= 40
    sample = kwic_hits(paragraphs, "新质生产力", limit=40)
    assert len(sample) == 40 and set(sample["doc_id"]) == set(every["doc_id"])
    # each paper's hits are its first ones, in reading order
    for doc_id, hits in sample.groupby("doc_id", sort=False):
        assert hits.reset_index(drop=True).equals(every[every["doc_id"] == doc_id].head(len(hits)).reset_index(drop=True))
