"""Term trends and Kleinberg bursts, checked against examples worked by hand."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from corpus.assemble import assemble
from corpus.intake import ingest_uploads
from corpus.trends import burst_states, burst_table, term_trend
from tests.conftest import seed_lines

YEARS = [2019, 2020, 2021, 2022, 2023]


def generated_corpus(per_year: int, uses: dict[str, list[int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`per_year` documents in each of YEARS; uses[term][k] of year k's documents use the term
    (once each). Every document has 100 counted tokens; the rest are 研究, used everywhere."""
    documents, terms = [], []
    for k, year in enumerate(YEARS):
        for i in range(per_year):
            doc_id = f"d{year}_{i}"
            documents.append({"doc_id": doc_id, "year": year})
            used = [term for term, counts in uses.items() if i < counts[k]]
            for term in used:
                terms.append({"doc_id": doc_id, "term": term, "count": 1, "tf": 0.01})
            terms.append({"doc_id": doc_id, "term": "研究", "count": 100 - len(used), "tf": (100 - len(used)) / 100})
    return (pd.DataFrame(documents).astype({"year": "Int64"}), pd.DataFrame(terms))


def test_burst_table_matches_a_hand_worked_example():
    """Ten documents a year, 2019–2023. 大模型 is used by 1, 1, 6, 6, 1 of them.

    p0 = 15 / 50 = 0.3, p1 = 2 · p0 = 0.6; moving into the burst state costs ln 5 ≈ 1.609.
    Cost difference σ0 − σ1 per year (binomial coefficient cancels):
      r = 1: ln(0.3/0.6) + 9 ln(0.7/0.4) = −0.693 + 5.037 = +4.344 → staying in state 0 is cheaper
      r = 6: 6 ln(0.6/0.3) + 4 ln(0.4/0.7) = 4.159 − 2.238 = 1.920 saved per year in state 1
    Entering state 1 for 2021–2022 saves 2 × 1.920 = 3.841 > 1.609; adding 2020 or 2023 would
    cost 4.344 more; entering for 2021 alone saves only 1.920 − 1.609 = 0.311.
    So: one burst, 2021–2022, strength 2 · (6 ln 2 + 4 ln(4/7)) ≈ 3.841.

    数据要素 is used by 0, 0, 0, 0, 5: p0 = 0.1, p1 = 0.2.
      r = 0: σ0 − σ1 = 10 ln(0.8/0.9) = −1.178 (state 0); r = 5: 5 ln 2 + 5 ln(8/9) = 2.877 > 1.609.
    So: a burst in 2023 only, strength 5 ln 2 + 5 ln(8/9) ≈ 2.877.

    人工智能 is used by 5 documents every year: p0 = 0.5, p1 = 1 − ε, so σ1 = −5 ln ε is
    enormous: never a burst. 研究 (in every document, p0 = 1) costs the same in both states.
    """
    documents, terms = generated_corpus(10, {"大模型": [1, 1, 6, 6, 1], "数据要素": [0, 0, 0, 0, 5],
                                             "人工智能": [5, 5, 5, 5, 5]})
    bursts = burst_table(documents, terms)
    assert list(bursts.term) == ["大模型", "数据要素"]
    big = bursts.iloc[0]
    assert (big.begin, big.end) == (2021, 2022)
    assert big.strength == pytest.approx(2 * (6 * math.log(2) + 4 * math.log(4 / 7)), abs=1e-9)
    assert big.strength == pytest.approx(3.841, abs=1e-3)
    data = bursts.iloc[1]
    assert (data.begin, data.end) == (2023, 2023)
    assert data.strength == pytest.approx(5 * math.log(2) + 5 * math.log(8 / 9), abs=1e-9)


def test_viterbi_finds_the_cheapest_state_sequence():
    """Against brute force over all 2^6 sequences: Σ σ(state, t) + ln n per step up (from state 0)."""
    rng = np.random.default_rng(7)
    totals = rng.integers(3, 12, size=6).astype(float)
    relevant = np.array([[rng.integers(0, t + 1) for t in totals] for _ in range(40)], dtype=float)
    states, _ = burst_states(relevant, totals)
    up = math.log(6)
    for r, found in zip(relevant, states, strict=True):
        p0 = r.sum() / totals.sum()
        p = (p0, min(2 * p0, 1 - 1e-9))

        def sigma(i, t, r=r, p=p):
            hits = r[t] * math.log(p[i]) if r[t] else 0.0
            misses = (totals[t] - r[t]) * math.log(1 - p[i]) if totals[t] - r[t] else 0.0
            return -(hits + misses)

        def cost(seq):
            steps_up = sum(1 for a, b in zip((0, *seq), seq, strict=False) if b > a)
            return sum(sigma(i, t) for t, i in enumerate(seq)) + up * steps_up

        best = min(cost(seq) for seq in itertools.product((0, 1), repeat=6))
        assert cost(tuple(found)) == pytest.approx(best, abs=1e-9)


def test_fewer_than_three_years_gives_an_empty_table():
    documents, terms = generated_corpus(10, {"大模型": [1, 1, 6, 6, 1]})
    two_years = documents[documents.year.isin([2021, 2022])]
    assert burst_table(two_years, terms).empty
    assert list(burst_table(two_years, terms).columns) == ["term", "strength", "begin", "end"]
    undated = documents.assign(year=pd.array([None] * len(documents), dtype="Int64"))
    assert burst_table(undated, terms).empty


def test_term_trend_counts_and_shares_per_year():
    documents, terms = generated_corpus(10, {"大模型": [1, 1, 6, 6, 1]})
    trend = term_trend(documents, terms, ["大模型"]).set_index("year")
    assert list(trend.documents) == [1, 1, 6, 6, 1]
    assert list(trend.year_documents) == [10] * 5
    # each document has 100 counted tokens: 6 uses in 1,000 tokens
    assert trend.loc[2021, "share"] == pytest.approx(6 / 1000)


# One sentence each, cut from the seeds; the 2021–2022 papers add one about 生成式人工智能.
SENTENCES = [seed_lines("000", 13, 24).replace("\n", ""), seed_lines("001", 7, 12).replace("\n", ""),
             seed_lines("002", 40, 51).replace("\n", "")]
BURSTING = "生成式人工智能带来新的机遇和挑战。"


def multi_year_uploads() -> list[tuple[str, bytes]]:
    """(name, bytes) of 15 papers and their sidecars, three a year 2019–2023."""
    files = []
    for year in YEARS:
        for i, sentence in enumerate(SENTENCES):
            text = f"第{i + 1}篇{year}年的论文\n{sentence}\n" + (BURSTING if year in (2021, 2022) else "")
            files += [(f"{year}-{i}.txt", text.encode()), (f"{year}-{i}.meta.yaml", f"year: {year}\n".encode())]
    return files


def test_years_from_sidecars_drive_bursts_through_the_pipeline():
    """Three uploads a year, 2019–2023, years set by uploaded sidecars; the 2021 and 2022
    papers all use 生成式人工智能. r = 0, 0, 3, 3, 0 of d = 3 a year: p0 = 0.4, p1 = 0.8;
    r = 3: σ0 − σ1 = 3 ln 2 = 2.079 per year; r = 0: 3 ln(0.2/0.6) = −3.296. Two burst years
    save 4.159 > ln 5: a burst 2021–2022 of strength 6 ln 2."""
    result = ingest_uploads(multi_year_uploads())
    assert not result.failures
    tables = assemble(result.processed)
    bursts = burst_table(tables["documents"], tables["terms"])
    row = bursts[bursts.term == "生成式人工智能"].iloc[0]
    assert (row.begin, row.end) == (2021, 2022)
    assert row.strength == pytest.approx(6 * math.log(2), abs=1e-9)
    trend = term_trend(tables["documents"], tables["terms"], ["生成式人工智能"])
    assert list(trend.year) == [2021, 2022] and list(trend.documents) == [3, 3]
