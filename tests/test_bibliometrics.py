"""Bibliometric views on the 307 CNKI records of the CiteSpace sample (../shared/devset/bibliographic)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from corpus import bibliometrics
from corpus.exports import read_export
from corpus.ingest import decode

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "devset" / "bibliographic" / \
    "citespace-converted-cnki-download_1-307.txt"
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/devset is not here")


@pytest.fixture(scope="module")
def documents():
    data = SAMPLE.read_bytes()
    records = read_export(SAMPLE.name, data, decode(data).text)
    return pd.DataFrame([{"doc_id": f"r{k:03d}", "keywords": r.keywords, "authors": r.authors,
                          "affiliations": r.affiliations, "journal": r.journal, "year": r.year}
                         for k, r in enumerate(records)])


def test_publications_per_year_cover_every_record_and_every_year(documents):
    years = bibliometrics.per_year(documents)
    assert years["count"].sum() == 307
    assert years["year"].tolist() == list(range(years["year"].min(), years["year"].max() + 1))


def test_top_journal_authors_and_affiliations(documents):
    journals = bibliometrics.top_values(documents, "journal", 3)
    assert journals.iloc[0].tolist() == ["艺术百家", 170]  # more than half of the sample
    authors = bibliometrics.top_values(documents, "authors", 5)
    assert set(authors["value"]) >= {"梁玖", "王一川"} and not authors["value"].str.endswith(",").any()
    assert bibliometrics.top_values(documents, "affiliations", 1).iloc[0]["value"] == "东南大学艺术学院"


def test_keyword_clusters_are_the_fields_topics_and_stable(documents):
    nodes, edges = bibliometrics.keyword_network(documents)
    assert 20 <= len(nodes) <= 120 and len(edges) > len(nodes)
    assert nodes["count"].min() >= 2
    assert nodes["cluster"].nunique() >= 4
    # the sample is about the discipline 艺术学理论, its most frequent keyword: it names its cluster
    home = nodes.loc[nodes["keyword"] == "艺术学理论", "cluster_label"].iloc[0]
    assert home.startswith("艺术学理论·")
    sizes = nodes["cluster"].value_counts()
    assert sizes.is_monotonic_decreasing or sizes.index.tolist() == sorted(sizes.index)  # numbered by size
    for _, members in nodes.groupby("cluster"):
        label_words = members["cluster_label"].iloc[0].split("·")
        assert set(label_words) <= set(members["keyword"])  # labelled by its own most frequent keywords
        assert label_words[0] == members.sort_values(["count", "keyword"], ascending=[False, True])["keyword"].iloc[0]
    again, _ = bibliometrics.keyword_network(documents)
    assert again[["keyword", "cluster", "x", "y"]].equals(nodes[["keyword", "cluster", "x", "y"]])


def test_timezone_places_each_keyword_at_its_first_year(documents):
    nodes, _ = bibliometrics.keyword_network(documents)
    zone = bibliometrics.timezone(nodes)
    table = bibliometrics.keyword_table(documents)
    first = table.groupby("keyword")["year"].min()
    assert (zone["zone_x"] == zone["keyword"].map(first)).all()


def test_keyword_bursts_have_a_term_strength_and_years(documents):
    bursts = bibliometrics.keyword_bursts(documents)
    assert not bursts.empty and list(bursts.columns) == ["term", "strength", "begin", "end"]
    assert (bursts["begin"] <= bursts["end"]).all() and bursts["strength"].is_monotonic_decreasing
