"""Term tables on the seed papers: stopwords gone, distinctive terms rank high, counts add up."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from corpus.schema import column_names
from corpus.segment import get_segmenter, load_stopwords
from corpus.terms import KEYPHRASE_TAGS, recount, retokenize, term_tables

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def raw_lines(prefix: str) -> list[str]:
    path = next(RAW.glob(f"{prefix}_*.txt"))
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def raw_paragraphs(segmenter) -> pd.DataFrame:
    """A stand-in `paragraphs` table cut from the raw files: 000–002 as body paragraphs of a few
    joined lines, a new section at each `一、` heading; 004 (a web page) as its abstract only."""
    rows = []

    def add(doc_id, section_id, kind, text):
        tokens, pos = segmenter.tokens(text)
        para_id = f"p{sum(r['doc_id'] == doc_id for r in rows) + 1:04d}"
        rows.append(
            {
                "doc_id": doc_id,
                "section_id": section_id,
                "para_id": para_id,
                "kind": kind,
                "text": text,
                "tokens": tokens,
                "pos": pos,
            }
        )

    for doc_id in ("000", "001", "002"):
        section, chunk = "s0", []
        for line in raw_lines(doc_id):
            if HEADING.match(line):
                if chunk:
                    add(doc_id, section, "body", "".join(chunk))
                section, chunk = f"s{len({r['section_id'] for r in rows if r['doc_id'] == doc_id})}", []
            chunk.append(line)
            if len(chunk) == 6:
                add(doc_id, section, "body", "".join(chunk))
                chunk = []
        if chunk:
            add(doc_id, section, "body", "".join(chunk))
    abstract = next(line for line in raw_lines("004") if line.startswith("摘要"))
    add("004", "abs", "abstract", abstract.split(":", 1)[1])
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def paragraphs() -> pd.DataFrame:
    return raw_paragraphs(get_segmenter())


@pytest.fixture(scope="module")
def stopwords() -> frozenset[str]:
    return load_stopwords()


@pytest.fixture(scope="module")
def tables(paragraphs, stopwords):
    return term_tables(paragraphs, stopwords)


def row(terms: pd.DataFrame, doc_id: str, term: str) -> pd.Series | None:
    hit = terms[(terms["doc_id"] == doc_id) & (terms["term"] == term)]
    return None if hit.empty else hit.iloc[0]


def test_tables_match_the_schema(tables):
    terms, section_terms = tables
    assert list(terms.columns) == column_names("terms")
    assert list(section_terms.columns) == column_names("section_terms")
    assert terms["keyphrase"].dtype == bool
    assert not terms.duplicated(["doc_id", "term"]).any()


def test_stopwords_numbers_and_single_characters_are_not_terms(tables, paragraphs):
    terms, _ = tables
    all_tokens = set(paragraphs["tokens"].explode())
    assert {"本文", "研究", "通过", "的", "2024"} <= all_tokens  # present in the text …
    assert not {"本文", "研究", "通过", "的", "2024"} & set(terms["term"])  # … but not counted
    assert (terms["term"].str.len() >= 2).all()


def test_session_stopword_removes_a_term_and_keeps_the_rest(tables, paragraphs, stopwords):
    terms, _ = tables
    edited, _ = recount(paragraphs, stopwords | {"员工"})
    assert row(terms, "001", "员工") is not None
    assert row(edited, "001", "员工") is None
    assert row(edited, "001", "资源重组")["count"] == row(terms, "001", "资源重组")["count"]


def test_counts_follow_the_text(tables, paragraphs):
    terms, _ = tables
    body = "".join(paragraphs.loc[paragraphs["doc_id"] == "002", "text"])
    assert row(terms, "002", "新型举国体制")["count"] == body.count("新型举国体制")


@pytest.mark.parametrize(("doc_id", "term"), [("002", "新型举国体制"), ("001", "资源重组")])
def test_distinctive_term_scores_highest_in_its_paper(tables, doc_id, term):
    terms, _ = tables
    own = row(terms, doc_id, term)
    others = terms[(terms["term"] == term) & (terms["doc_id"] != doc_id)]["tfidf"]
    assert own["tfidf"] > (others.max() if len(others) else 0.0)
    assert own["keyphrase"]


def test_topic_word_is_frequent_but_not_a_keyphrase(tables):
    terms, _ = tables
    ai = terms[terms["term"] == "人工智能"]
    assert set(ai["doc_id"]) == {"000", "001", "002", "004"}
    for _, group in terms.groupby("doc_id"):
        assert group.loc[group["count"].idxmax(), "term"] in {"人工智能", "新质生产力"}
    assert not ai["keyphrase"].any()


def test_keyphrases_per_document(tables, paragraphs, stopwords):
    terms, _ = tables
    per_doc = terms.groupby("doc_id")["keyphrase"].sum()
    assert (per_doc[["000", "001", "002"]] == 20).all()
    fewer, _ = term_tables(paragraphs, stopwords, keyphrases_per_doc=5)
    assert (fewer.groupby("doc_id")["keyphrase"].sum() <= 5).all()
    keyphrases = fewer[fewer["keyphrase"]]
    noun_like = keyphrases["pos"].isin(KEYPHRASE_TAGS) | keyphrases["term"].isin(get_segmenter().user_words)
    assert noun_like.all()


def test_section_counts_add_up_to_document_counts(tables):
    terms, section_terms = tables
    summed = section_terms.groupby(["doc_id", "term"])["count"].sum()
    merged = terms.set_index(["doc_id", "term"])["count"]
    pd.testing.assert_series_equal(summed.sort_index(), merged.sort_index(), check_names=False)
    assert section_terms.groupby("doc_id")["section_id"].nunique()["001"] > 1


def test_document_with_only_an_abstract_still_has_terms(tables):
    terms, _ = tables
    abstract_only = terms[terms["doc_id"] == "004"]
    assert {"新质生产力", "人工智能+", "劳动资料"} <= set(abstract_only["term"])
    assert abstract_only["keyphrase"].any()


def test_abstract_is_not_counted_when_a_body_exists(paragraphs, stopwords):
    extra = paragraphs.iloc[[0]].assign(kind="abstract", section_id="abs", para_id="p9999")
    with_abstract, _ = term_tables(pd.concat([paragraphs, extra]), stopwords)
    without, _ = term_tables(paragraphs, stopwords)
    assert row(with_abstract, "000", "新质生产力")["count"] == row(without, "000", "新质生产力")["count"]


def test_retokenize_applies_a_session_dictionary(paragraphs, stopwords):
    session = get_segmenter().with_extra(["价值意蕴"])
    redone = retokenize(paragraphs[paragraphs["doc_id"] == "000"], session)
    terms, _ = term_tables(redone, stopwords)
    assert row(terms, "000", "价值意蕴") is not None


def test_empty_input_gives_empty_tables(stopwords):
    empty = pd.DataFrame(columns=column_names("paragraphs"))
    terms, section_terms = term_tables(empty, stopwords)
    assert terms.empty and list(terms.columns) == column_names("terms")
    assert section_terms.empty
