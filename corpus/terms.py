"""Term statistics from the `paragraphs` table: counts per document and section, TF-IDF, keyphrases.

Fast, because the app reruns it whenever an editor changes the stopwords or the dictionary in a
session: tokens are counted per document in plain Python (`document_counts`, which a build runs in
its worker processes), and only TF-IDF and the keyphrase ranking work on the whole corpus.

What is counted: the tokens of a document's body paragraphs (`body`, `list_item`); a document
without any (004 is a journal web page: metadata + abstract only) is counted on its `abstract`
paragraphs instead, so it still has terms. Stopwords, one-character tokens and tokens without a
letter or CJK character (numbers, ④, stray symbols) are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat

import numpy as np
import pandas as pd

from corpus.schema import column_names
from corpus.segment import read_userdict

BODY_KINDS = ("body", "list_item")
FALLBACK_KINDS = ("abstract",)
# POS tags that can head a keyphrase (nouns, verbal nouns, names, organisations, English).
KEYPHRASE_TAGS = frozenset({"n", "nz", "vn", "nt", "nr", "nrt", "ns", "eng"})
_HAS_LETTER = re.compile(r"[A-Za-z\u3400-\u9fff]")
SectionCount = tuple[str, str, int]  # (section_id, term, count)
TermCount = tuple[str, str, int]  # (term, its most frequent POS tag, count)
SECTION_COUNT_COLUMNS = ["doc_id", "section_id", "term", "count"]
TERM_COUNT_COLUMNS = ["doc_id", "term", "pos", "count"]


def counted_paragraphs(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """The paragraphs whose tokens are counted (body; abstract when a document has no body)."""
    is_body = paragraphs["kind"].isin(BODY_KINDS)
    docs_with_body = set(paragraphs.loc[is_body, "doc_id"])
    fallback = paragraphs["kind"].isin(FALLBACK_KINDS) & ~paragraphs["doc_id"].isin(docs_with_body)
    return paragraphs[is_body | fallback]


def document_counts(paragraphs: Iterable[tuple], stopwords: frozenset[str]) -> tuple[list[SectionCount], list[TermCount]]:
    """One document's kept tokens counted: (per section and term, sorted; per term with its most
    frequent tag — ties alphabetical — sorted). `paragraphs`: (kind, section_id, tokens, pos) each."""
    paragraphs = list(paragraphs)
    counted = [p for p in paragraphs if p[0] in BODY_KINDS] or [p for p in paragraphs if p[0] in FALLBACK_KINDS]
    # Every token is counted in C (Counter over zip); only the distinct (section, term, tag)
    # triples, far fewer than the tokens, are looked at in Python.
    by_key: Counter = Counter()
    for _, section_id, tokens, tags in counted:
        by_key.update(zip(repeat(section_id, len(tokens)), tokens, tags, strict=True))
    kept = _kept_terms(stopwords)
    by_section: Counter = Counter()
    by_pos: Counter = Counter()
    for (section_id, term, tag), n in by_key.items():
        keep = kept.get(term)
        if keep is None:
            keep = kept[term] = len(term) >= 2 and _HAS_LETTER.search(term) is not None and term not in stopwords
        if keep:
            by_pos[term, tag] += n
            if _present(section_id):
                by_section[section_id, term] += n
    best: dict[str, tuple[int, str]] = {}
    totals: Counter = Counter()
    for (term, tag), n in by_pos.items():
        totals[term] += n
        if term not in best or (-n, tag) < best[term]:
            best[term] = (-n, tag)
    section_rows = [(section_id, term, n) for (section_id, term), n in sorted(by_section.items())]
    term_rows = [(term, best[term][1], totals[term]) for term in sorted(totals)]
    return section_rows, term_rows


@lru_cache(maxsize=4)
def _kept_terms(stopwords: frozenset[str]) -> dict[str, bool]:
    """term → whether it is counted, remembered per stopword set (a build asks for the same words
    thousands of times); the last few sets only, as an editor's session edits make new ones."""
    return {}


def _present(value) -> bool:
    """Not None/NaN/NA: the keys pandas' groupby keeps."""
    return not (value is None or value is pd.NA or (isinstance(value, float) and value != value))


def _counts(paragraphs: pd.DataFrame, stopwords: frozenset[str]) -> list[tuple[str, list[SectionCount], list[TermCount]]]:
    """`document_counts` of every document in a `paragraphs` table, in doc_id order."""
    columns = [paragraphs[c].tolist() for c in ("doc_id", "kind", "section_id", "tokens", "pos")]
    by_doc: dict[str, list[tuple]] = {}
    for doc_id, *row in zip(*columns, strict=True):
        if _present(doc_id):
            by_doc.setdefault(doc_id, []).append(row)
    return [(doc_id, *document_counts(by_doc[doc_id], stopwords)) for doc_id in sorted(by_doc)]


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
    counts = _counts(paragraphs, stopwords)
    section_counts = pd.DataFrame([(doc_id, *r) for doc_id, section_rows, _ in counts for r in section_rows],
                                  columns=SECTION_COUNT_COLUMNS)
    term_counts = pd.DataFrame([(doc_id, *r) for doc_id, _, term_rows in counts for r in term_rows],
                               columns=TERM_COUNT_COLUMNS)
    return tables_from_counts(section_counts, term_counts, keyphrases_per_doc, user_words)


def tables_from_counts(section_counts: pd.DataFrame, term_counts: pd.DataFrame, keyphrases_per_doc: int = 20,
                       user_words: Iterable[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`term_tables` from every document's `document_counts`, as two frames (SECTION_COUNT_COLUMNS,
    TERM_COUNT_COLUMNS) with the documents in doc_id order (the build joins its workers' counts)."""
    if term_counts.empty:
        return _empty("terms"), _empty("section_terms")
    section_terms, terms = section_counts, term_counts.copy()

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
    candidate = candidate.loc[terms.index]  # in the ranking's order: no index alignment below
    rank = candidate.groupby(terms["doc_id"]).cumsum()
    terms["keyphrase"] = candidate.to_numpy() & (rank <= keyphrases_per_doc).to_numpy()
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
