"""Terms over publication years: trend per year, and burst terms by Kleinberg's burst detection.

Burst detection follows Kleinberg (2003, "Bursty and hierarchical structure in streams", §4,
the batched two-state automaton) as CiteSpace applies it to keywords: for each term and year t,
r_t documents of that year use the term out of d_t documents published that year.

    p0 = Σr / Σd (base rate),  p1 = s · p0 (burst rate, s = 2 by default)
    cost of state i in year t:  σ(i, t) = −ln[ C(d_t, r_t) · p_i^r_t · (1 − p_i)^(d_t − r_t) ]
    cost of moving up a state:  τ = γ · ln n (n = years in the span, γ = 1); moving down is free
    state sequence: the one of least total cost (Viterbi); a burst is a maximal run of state 1
    strength of a burst: Σ over its years of σ(0, t) − σ(1, t)  (the cost it saves)

The binomial coefficient is the same in both states, so it cancels in every comparison and in
the strength and is left out. Years without documents inside the span cost nothing either way.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

BURST_COLUMNS = ["term", "strength", "begin", "end"]
TREND_COLUMNS = ["year", "term", "count", "documents", "year_documents", "share"]


def document_years(documents: pd.DataFrame) -> pd.Series:
    """doc_id → publication year, for the documents whose year is known."""
    years = documents.set_index("doc_id")["year"].dropna()
    return years.astype("int64")


def distinct_years(documents: pd.DataFrame) -> int:
    return document_years(documents).nunique()


def term_trend(documents: pd.DataFrame, terms: pd.DataFrame, selected: list[str] | None = None) -> pd.DataFrame:
    """Per year and term: occurrences, documents using it, documents published that year, and
    share = occurrences / all counted tokens of that year's documents (comparable across years
    of different output). Documents without a year are left out."""
    years = document_years(documents)
    dated = terms["doc_id"].isin(years.index).to_numpy()
    if not dated.any():
        return pd.DataFrame({c: pd.Series(dtype="int64" if c != "term" else "str") for c in TREND_COLUMNS})
    # tf = count / counted tokens of the document, so tokens = count / tf on any of its rows
    # (whole-table work stays vectorised: with 1,000 papers `terms` has ~750,000 rows)
    tokens = (terms["count"] / terms["tf"])[dated].groupby(terms["doc_id"][dated]).median().round()
    year_tokens = tokens.groupby(years.reindex(tokens.index)).sum()
    if selected is not None:
        dated = dated & terms["term"].isin(selected).to_numpy()
    frame = terms.loc[dated, ["doc_id", "term", "count"]]
    frame = frame.assign(year=years.reindex(frame["doc_id"]).to_numpy())
    trend = frame.groupby(["year", "term"]).agg(count=("count", "sum"), documents=("doc_id", "nunique")).reset_index()
    trend["year_documents"] = trend["year"].map(years.value_counts()).astype("int64")
    trend["share"] = trend["count"] / trend["year"].map(year_tokens)
    return trend[TREND_COLUMNS].sort_values(["term", "year"], ignore_index=True)


def burst_table(documents: pd.DataFrame, terms: pd.DataFrame, *, s: float = 2.0, gamma: float = 1.0,
                min_years: int = 3, min_documents: int = 2) -> pd.DataFrame:
    """Burst terms: term, strength, begin, end (one row per burst, strongest first).

    Empty when the documents span fewer than `min_years` distinct publication years. Terms used
    by fewer than `min_documents` documents are not tested (a single paper's vocabulary is not
    a trend)."""
    years = document_years(documents)
    if years.nunique() < min_years:
        return _empty_bursts()
    span = np.arange(years.min(), years.max() + 1)
    totals = years.value_counts().reindex(span, fill_value=0).to_numpy(dtype=float)
    used = terms.loc[terms["doc_id"].isin(years.index) & (terms["count"] > 0), ["term", "doc_id"]].drop_duplicates()
    used = used.assign(year=used["doc_id"].map(years))
    counts = pd.crosstab(used["term"], used["year"]).reindex(columns=span, fill_value=0)
    counts = counts[counts.sum(axis=1) >= min_documents]
    if counts.empty:
        return _empty_bursts()
    states, gains = burst_states(counts.to_numpy(dtype=float), totals, s=s, gamma=gamma)
    rows = []
    for term, state_row, gain_row in zip(counts.index, states, gains, strict=True):
        for begin, end in _runs(state_row):
            rows.append((term, float(gain_row[begin : end + 1].sum()), int(span[begin]), int(span[end])))
    if not rows:
        return _empty_bursts()
    table = pd.DataFrame(rows, columns=BURST_COLUMNS)
    return table.sort_values(["strength", "term"], ascending=[False, True], ignore_index=True)


def burst_states(relevant: np.ndarray, totals: np.ndarray, *, s: float = 2.0,
                 gamma: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Kleinberg's two-state automaton for many terms at once.

    relevant: terms × years (r_t per term); totals: years (d_t). Returns the optimal state
    sequence (terms × years, 0/1) and the per-year cost saving σ(0, t) − σ(1, t)."""
    relevant = np.atleast_2d(relevant)
    n_years = relevant.shape[1]
    base = relevant.sum(axis=1) / totals.sum()
    burst = np.minimum(base * s, 1 - 1e-9)
    cost = np.stack([_cost(relevant, totals, base), _cost(relevant, totals, burst)])  # state × terms × years
    up = gamma * math.log(n_years) if n_years > 1 else 0.0
    # Viterbi: best[state] = least cost of a sequence ending in that state; the automaton starts in 0
    best = np.stack([cost[0, :, 0], cost[1, :, 0] + up])
    came_from = np.zeros((n_years, 2, relevant.shape[0]), dtype=np.int8)
    for t in range(1, n_years):
        stay0, from1_to0 = best[0], best[1]
        to1_from0, stay1 = best[0] + up, best[1]
        came_from[t, 0] = from1_to0 < stay0
        came_from[t, 1] = stay1 <= to1_from0
        best = np.stack([np.minimum(stay0, from1_to0) + cost[0, :, t], np.minimum(to1_from0, stay1) + cost[1, :, t]])
    states = np.zeros_like(relevant, dtype=np.int8)
    states[:, -1] = best[1] < best[0]
    for t in range(n_years - 1, 0, -1):
        states[:, t - 1] = np.take_along_axis(came_from[t], states[:, t][None, :].astype(np.intp), axis=0)[0]
    return states, cost[0] - cost[1]


def _cost(relevant: np.ndarray, totals: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """σ without the binomial coefficient: −[r ln p + (d − r) ln(1 − p)], with 0 · ln 0 = 0."""
    rate = rate[:, None]
    misses = totals[None, :] - relevant
    with np.errstate(divide="ignore", invalid="ignore"):
        hits = np.where(relevant > 0, relevant * np.log(rate), 0.0)
        rest = np.where(misses > 0, misses * np.log1p(-rate), 0.0)
    return -(hits + rest)


def _runs(states: np.ndarray) -> list[tuple[int, int]]:
    runs, start = [], None
    for t, state in enumerate(states):
        if state and start is None:
            start = t
        elif not state and start is not None:
            runs.append((start, t - 1))
            start = None
    if start is not None:
        runs.append((start, len(states) - 1))
    return runs


def _empty_bursts() -> pd.DataFrame:
    return pd.DataFrame({"term": pd.Series(dtype="str"), "strength": pd.Series(dtype="float64"),
                         "begin": pd.Series(dtype="int64"), "end": pd.Series(dtype="int64")})
