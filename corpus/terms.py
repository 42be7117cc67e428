"""Term statistics from the `paragraphs` table: counts per document and section, TF-IDF, keyphrases.

Pure pandas and fast (one explode + groupby), because the app reruns it whenever an editor
changes the stopwords or the dictionary in a session.

What is counted: the tokens of a document's body paragraphs (`body`, `list_item`); a document
without any (004 is a journal web page: metadata + abstract only) is counted on its `abstract`
paragraphs instead, so it still has terms. Stopwords, one-character tokens and tokens without a
letter or CJK character (numbers, ④, stray symbols) are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from corpus.schema import column_names
from corpus.segment import read_userdict

BODY_KINDS = ("body", "list_item")
FALLBACK_KINDS = ("abstract",)
# POS tags that can head a keyphrase (nouns, verbal nouns, names, organisations, English).
KEYPHRASE_TAGS = frozenset({"n", "nz", "vn", "nt", "nr", "nrt", "ns", "eng"})
_HAS_LETTER = r"[A-Za-z\u3400-\u9fff]"


def counted_paragraphs(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The paragraphs whose tokens are counted (body; abstract when a document has no body)."""
    is_body = paragraphs["kind"].isin(BODY_KINDS)
    docs_with_body = set(paragraphs.loc[is_body, "doc_id"])
    fallback = paragraphs["kind"].isin(FALLBACK_KINDS) & ~paragraphs["doc_id"].isin(docs_with_body)
    return paragraphs[is_body | fallback]


def _token_rows(paragraphs: pd.DataFrame, stopwords: frozenset[str]) -> pd.DataFrame:
    """One row per kept token: doc_id, section_id, term, pos."""
    rows = counted_paragraphs(paragraphs)[["doc_id", "section_id", "tokens", "pos"]]
    rows = rows[rows["tokens"].map(len) > 0]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ("doc_id", "section_id", "term", "pos")})
    rows = rows.explode(["tokens", "pos"], ignore_index=True).rename(columns={"tokens": "term"})
    rows["term"] = rows["term"].astype("str")
    rows["pos"] = rows["pos"].astype("str")
    term = rows["term"]
    keep = (term.str.len() >= 2) & term.str.contains(_HAS_LETTER) & ~term.isin(stopwords)
    return rows[keep]


def _empty(table: str) -> pd.DataFrame:
    types = {"count": "int64", "tf": "float64", "tfidf": "float64", "keyphrase": "bool"}
    return pd.DataFrame({c: pd.Series(dtype=types.get(c, "str")) for c in column_names(table)})


def term_tables(
    paragraphs: pd.DataFrame,
    stopwords: frozenset[str],
    keyphrases_per_doc: int = 20,
    user_words: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`terms`, `section_terms`) as defined in `corpus/schema.py`.

    tf = count / the document's kept tokens; tfidf = tf × (log((1+N)/(1+df)) + 1) over the N
    documents that have counted tokens. Keyphrases: the top `keyphrases_per_doc` terms by
    tf × log((1+N)/(1+df)) (ties: tfidf) among noun-like tags (KEYPHRASE_TAGS) and dictionary words (`user_words`; None = the words
    of the shipped `userdict.txt`).
    """
    tokens = _token_rows(paragraphs, stopwords)
    if tokens.empty:
        return _empty("terms"), _empty("section_terms")

    section_terms = tokens.groupby(["doc_id", "section_id", "term"], sort=True).size().rename("count").reset_index()

    by_pos = tokens.groupby(["doc_id", "term", "pos"]).size().rename("n").reset_index()
    # The term's most frequent tag in the document (ties: alphabetical, so results are stable).
    by_pos = by_pos.sort_values(["doc_id", "term", "n", "pos"], ascending=[True, True, False, True])
    terms = by_pos.groupby(["doc_id", "term"], sort=False).agg(pos=("pos", "first"), count=("n", "sum"))
    terms = terms.reset_index()

    doc_tokens = terms.groupby("doc_id")["count"].transform("sum")
    n_docs = terms["doc_id"].nunique()
    doc_freq = terms.groupby("term")["doc_id"].transform("nunique")
    rarity = np.log((1 + n_docs) / (1 + doc_freq))
    terms["tf"] = terms["count"] / doc_tokens
    terms["tfidf"] = terms["tf"] * (rarity + 1)

    words = frozenset(user_words) if user_words is not None else _shipped_user_words()
    candidate = terms["pos"].isin(KEYPHRASE_TAGS) | terms["term"].isin(words)
    # Rank keyphrases by tf × rarity (tfidf without the smoothing "+1"): with a handful of
    # documents the +1 lets 人工智能 (in every paper) outrank every distinctive term; this
    # way a term found in all documents only fills slots nothing more specific can.
    terms["_specific"] = terms["tf"] * rarity
    terms = terms.sort_values(["doc_id", "_specific", "tfidf", "term"], ascending=[True, False, False, True])
    rank = candidate.loc[terms.index].groupby(terms["doc_id"]).cumsum()
    terms["keyphrase"] = candidate & (rank <= keyphrases_per_doc)
    terms = terms.sort_values(["doc_id", "tfidf", "term"], ascending=[True, False, True])

    terms = terms.reset_index(drop=True).astype({"count": "int64", "tf": "float64", "tfidf": "float64"})
    section_terms = section_terms.astype({"count": "int64"})
    return terms[column_names("terms")], section_terms[column_names("section_terms")]


def recount(paragraphs: pd.DataFrame, stopwords: frozenset[str], **options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Recount after an editor changed the stopwords in a session (same as `term_tables`)."""
    return term_tables(paragraphs, stopwords, **options)


def retokenize(paragraphs: pd.DataFrame, segmenter) -> pd.DataFrame:
    """`paragraphs` with `tokens`/`pos` redone by `segmenter` (after a dictionary edit)."""
    pairs = [segmenter.tokens(text) for text in paragraphs["text"]]
    return paragraphs.assign(tokens=[p[0] for p in pairs], pos=[p[1] for p in pairs])


def _shipped_user_words() -> frozenset[str]:
    return frozenset(entry.word for entry in read_userdict())
