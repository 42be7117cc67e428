"""Bibliometric views of a corpus, as CiteSpace and VOSviewer users expect them: publications per
year, the most frequent authors, affiliations and journals, the co-occurrence network of the
authors' keywords with its clusters, the keywords' timezone and their bursts. Pure functions over
the `documents` table (its `keywords`, `authors`, `affiliations`, `journal` and `year` columns).

Clusters: Louvain modularity communities (networkx `louvain_communities`, fixed seed so a corpus
always gets the same clusters) over links weighted by association strength (VOSviewer's
normalisation: the papers two keywords share, relative to their own frequencies), each labelled
by its most frequent keywords. Layout: networkx's force-directed `spring_layout` (fixed seed),
computed once per corpus version by the caller's cache.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import numpy as np
import pandas as pd

SEED = 7
CLUSTER_LABEL_WORDS = 3
RESOLUTION = 0.7  # below 1: fewer, larger clusters (a field map reads best with under ten)
_SPACES = re.compile(r"\s+")


def _values(value) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value if str(v).strip()]


def normalised(keyword: str) -> str:
    """One spelling per keyword: spaces folded, Latin letters in lower case (CNKI and WoS differ)."""
    text = _SPACES.sub(" ", keyword).strip()
    return text.lower() if text.isascii() else text


def per_year(documents: pd.DataFrame) -> pd.DataFrame:
    """year, count: papers published each year (years without a paper included, as zeros)."""
    years = pd.to_numeric(documents.get("year"), errors="coerce").dropna().astype(int)
    if years.empty:
        return pd.DataFrame({"year": pd.Series(dtype="int64"), "count": pd.Series(dtype="int64")})
    span = np.arange(years.min(), years.max() + 1)
    counts = years.value_counts().reindex(span, fill_value=0)
    return pd.DataFrame({"year": span, "count": counts.to_numpy()})


def top_values(documents: pd.DataFrame, column: str, n: int = 15) -> pd.DataFrame:
    """value, count: the most frequent authors / affiliations / journals (a paper counts once each)."""
    if column not in documents.columns:
        return pd.DataFrame({"value": pd.Series(dtype=str), "count": pd.Series(dtype="int64")})
    counts: Counter = Counter()
    for value in documents[column]:
        counts.update(set(v.strip() for v in _values(value)))
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return pd.DataFrame(rows, columns=["value", "count"])


def keyword_table(documents: pd.DataFrame) -> pd.DataFrame:
    """doc_id, keyword, year: each paper's keywords once each (normalised spelling)."""
    rows = []
    years = pd.to_numeric(documents.get("year"), errors="coerce")
    for doc_id, keywords, year in zip(documents["doc_id"], documents["keywords"], years, strict=True):
        for keyword in dict.fromkeys(normalised(k) for k in _values(keywords)):
            if keyword:
                rows.append((doc_id, keyword, None if pd.isna(year) else int(year)))
    return pd.DataFrame(rows, columns=["doc_id", "keyword", "year"])


def keyword_network(documents: pd.DataFrame, *, max_nodes: int = 120, min_count: int = 2,
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edges) of the author-keyword co-occurrence network.

    nodes: keyword, count (papers), first_year, mean_year, cluster (0 = the largest), cluster_label,
    x, y. edges: source, target, weight (papers sharing both). The `max_nodes` most frequent
    keywords used by at least `min_count` papers are kept (a map of the field, not of every word).
    """
    import networkx as nx
    from networkx.algorithms.community import louvain_communities

    table = keyword_table(documents)
    empty = (pd.DataFrame(columns=["keyword", "count", "first_year", "mean_year", "cluster", "cluster_label",
                                   "x", "y"]),
             pd.DataFrame(columns=["source", "target", "weight"]))
    if table.empty:
        return empty
    stats = table.groupby("keyword").agg(count=("doc_id", "nunique"), first_year=("year", "min"),
                                          mean_year=("year", "mean"))
    stats = stats[stats["count"] >= min_count].sort_values(["count"], ascending=False, kind="stable")
    stats = stats.head(max_nodes)
    if stats.empty:
        return empty
    kept = set(stats.index)
    pairs: Counter = Counter()
    for _, words in table[table["keyword"].isin(kept)].groupby("doc_id")["keyword"]:
        pairs.update(itertools.combinations(sorted(set(words)), 2))
    # VOSviewer's association strength: co-occurrence relative to what the two keywords' own
    # frequencies would give by chance, so a keyword every paper uses does not pull the map into a ball
    counts = stats["count"]
    total = float(counts.sum())
    graph = nx.Graph()
    graph.add_nodes_from(sorted(kept))
    graph.add_weighted_edges_from((a, b, w * total / (counts[a] * counts[b])) for (a, b), w in pairs.items())
    communities = louvain_communities(graph, weight="weight", seed=SEED, resolution=RESOLUTION) if graph.number_of_edges() else [
        {n} for n in graph.nodes]
    # clusters numbered by size, then by their most frequent keyword (stable across runs)
    ranked = sorted(communities, key=lambda c: (-len(c), -max(stats.loc[k, "count"] for k in c), min(c)))
    cluster_of = {k: i for i, members in enumerate(ranked) for k in members}
    labels = {i: "·".join(sorted(members, key=lambda k: (-stats.loc[k, "count"], k))[:CLUSTER_LABEL_WORDS])
              for i, members in enumerate(ranked)}
    positions = nx.spring_layout(graph, weight="weight", seed=SEED, k=2.5 / max(1.0, len(kept) ** 0.5), iterations=200)
    nodes = stats.reset_index()
    nodes["cluster"] = nodes["keyword"].map(cluster_of).astype("int64")
    nodes["cluster_label"] = nodes["cluster"].map(labels)
    nodes["x"] = _spread(nodes["keyword"].map(lambda k: float(positions[k][0])))
    nodes["y"] = _spread(nodes["keyword"].map(lambda k: float(positions[k][1])))
    edges = pd.DataFrame([(a, b, w) for (a, b), w in sorted(pairs.items())], columns=["source", "target", "weight"])
    return nodes, edges


def _spread(values: pd.Series) -> pd.Series:
    """A coordinate half linear, half by rank (both on 0–1): a keyword on a thin chain far from the
    rest no longer squeezes the map's dense centre into a corner; neighbours stay neighbours."""
    span = (values.max() - values.min()) or 1.0
    linear = (values - values.min()) / span
    ranked = (values.rank(method="average") - 1) / max(1, len(values) - 1)
    return (linear + ranked) / 2


def label_spots(nodes: pd.DataFrame, *, width: float = 760, height: float = 560, font: float = 12,
                limit: int = 40) -> pd.Series:
    """Which nodes can be named without one name printing over another (the most frequent first),
    for a map drawn `width` × `height` px with `font`-px names centred above the dots."""
    if nodes.empty:
        return pd.Series(dtype=bool)
    span_x = (nodes["x"].max() - nodes["x"].min()) or 1.0
    span_y = (nodes["y"].max() - nodes["y"].min()) or 1.0
    taken: list[tuple[float, float, float, float]] = []
    named = pd.Series(False, index=nodes.index)
    for index, row in nodes.sort_values(["count", "keyword"], ascending=[False, True]).iterrows():
        if len(taken) >= limit:
            break
        cx = (row["x"] - nodes["x"].min()) / span_x * width
        cy = (nodes["y"].max() - row["y"]) / span_y * height - font
        half = len(row["keyword"]) * font / 2 + 2
        box = (cx - half, cy - font / 2 - 1, cx + half, cy + font / 2 + 1)
        if all(box[2] < t[0] or t[2] < box[0] or box[3] < t[1] or t[3] < box[1] for t in taken):
            taken.append(box)
            named[index] = True
    return named


def timezone(nodes: pd.DataFrame) -> pd.DataFrame:
    """CiteSpace's timezone view: each keyword at the year it first appears (`zone_x`), stacked
    in that year by frequency (`zone_y`, 0 = the most frequent)."""
    if nodes.empty:
        return nodes.assign(zone_x=pd.Series(dtype=float), zone_y=pd.Series(dtype=float))
    placed = nodes.sort_values(["first_year", "count", "keyword"], ascending=[True, False, True]).copy()
    placed["zone_x"] = placed["first_year"]
    placed["zone_y"] = placed.groupby("first_year").cumcount()
    return placed


def keyword_bursts(documents: pd.DataFrame) -> pd.DataFrame:
    """Kleinberg bursts of the authors' keywords (corpus/trends.py), CiteSpace's burst table."""
    from corpus.trends import burst_table

    table = keyword_table(documents)
    terms = table.rename(columns={"keyword": "term"}).assign(count=1)[["doc_id", "term", "count"]]
    return burst_table(documents, terms)
