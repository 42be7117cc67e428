"""Session edits to the term statistics: extra stopwords and dictionary words, applied at once.

Extra stopwords alone only drop rows (cheap); added dictionary words re-segment the paragraphs
with `Segmenter.with_extra` (the shared segmenter is left untouched) and recount every table.
The result is kept per session, keyed on the corpus version and the edit.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import AppCorpus, segmenter

EDITS = "term_edits"  # {"stopwords": [...], "words": [...]}
_RESULT = "_term_edit_result"


def parse_lines(text: str) -> list[str]:
    """One entry per line; blanks, duplicates and surrounding spaces dropped, order kept."""
    return list(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


def current_edits() -> dict[str, list[str]]:
    return st.session_state.get(EDITS, {"stopwords": [], "words": []})


def set_edits(stopwords: list[str], words: list[str]) -> None:
    st.session_state[EDITS] = {"stopwords": stopwords, "words": words}


def recounted(
    paragraphs: pd.DataFrame, extra_stopwords: list[str], words: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from corpus.segment import load_stopwords
    from corpus.terms import retokenize, term_tables

    if words:
        paragraphs = retokenize(paragraphs, segmenter().with_extra(words))
    return term_tables(paragraphs, load_stopwords() | frozenset(extra_stopwords))


def session_terms(corpus: AppCorpus) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`terms`, `section_terms`) with this session's edits applied."""
    edits = current_edits()
    terms, section_terms = corpus.table("terms"), corpus.table("section_terms")
    if not edits["stopwords"] and not edits["words"]:
        return terms, section_terms
    if not edits["words"]:
        stop = set(edits["stopwords"])
        return terms[~terms["term"].isin(stop)], section_terms[~section_terms["term"].isin(stop)]
    key = (corpus.version, tuple(edits["stopwords"]), tuple(edits["words"]))
    cached = st.session_state.get(_RESULT)
    if cached is None or cached[0] != key:
        cached = (key, recounted(corpus.table("paragraphs"), edits["stopwords"], edits["words"]))
        st.session_state[_RESULT] = cached
    return cached[1]
