"""Term charts: top-N bars, TF-IDF distinctive terms, one paper against the rest, a term's
distribution over sections, and per-paper small multiples. Clicking a bar selects its `term`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from components.charts import ACCENT, MUTED, paper_scale, pick_first, side_labels
from components.i18n import translate
from components.views import section_title

TERM_PICK = pick_first("term_pick", "term", "term")


# ---- frames (pure) -------------------------------------------------------------------------


def filter_terms(terms: pd.DataFrame, stopwords: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    return terms[~terms["term"].isin(stopwords)] if stopwords else terms


def top_terms(terms: pd.DataFrame, n: int) -> pd.DataFrame:
    """Summed counts over the given rows, largest first (ties by term, so the order is stable)."""
    if terms.empty:
        return pd.DataFrame({"term": pd.Series(dtype=str), "count": pd.Series(dtype="int64")})
    counts = terms.groupby("term", as_index=False)["count"].sum()
    return counts.sort_values(["count", "term"], ascending=[False, True]).head(n).reset_index(drop=True)


def top_terms_per_paper(terms: pd.DataFrame, short: Mapping[str, str], n: int) -> pd.DataFrame:
    ranked = _at_least_nth_count(terms, n).sort_values(["doc_id", "count", "term"], ascending=[True, False, True])
    top = ranked.groupby("doc_id").head(n).copy()
    top["paper"] = top["doc_id"].map(lambda d: short.get(d, d))
    return top[["doc_id", "paper", "term", "count"]].reset_index(drop=True)


def _at_least_nth_count(terms: pd.DataFrame, n: int) -> pd.DataFrame:
    """The rows whose count reaches their paper's n-th largest count: all a top n can hold (ties
    included), without sorting every row by text (1,000 papers: ~750,000 rows)."""
    if len(terms) <= 50_000 or n < 1:
        return terms
    codes, _ = pd.factorize(terms["doc_id"])
    counts = terms["count"].to_numpy(dtype="float64", na_value=-1.0)
    order = np.lexsort((-counts, codes))
    grouped = codes[order]
    first = np.searchsorted(grouped, np.arange(codes.max() + 1))
    sizes = np.diff(np.append(first, len(order)))
    nth = counts[order][first + np.minimum(n, sizes) - 1]  # the paper's n-th largest count
    return terms[counts >= nth[codes]]


def distinctive_terms(terms: pd.DataFrame, doc_id: str, n: int, prior_strength: float = 500.0) -> pd.DataFrame:
    """The paper's most distinctive terms against the other papers in `terms`: the weighted
    log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

    With α_w = prior_strength × the term's share of all counts, δ_w = log((y_w+α_w)/(n+α0−y_w−α_w))
    − log((r_w+α_w)/(m+α0−r_w−α_w)) for the paper's counts y (total n) and the rest's r (total m),
    and z_w = δ_w / √(1/(y_w+α_w) + 1/(r_w+α_w)). A term every paper uses as often (人工智能 in this
    corpus) scores near 0; raw TF-IDF ranked it first. Columns: term, z, count.
    """
    mine = terms[terms["doc_id"] == doc_id].groupby("term")["count"].sum()
    rest = terms[terms["doc_id"] != doc_id].groupby("term")["count"].sum()
    if mine.empty:
        return pd.DataFrame({"term": pd.Series(dtype=str), "z": pd.Series(dtype=float), "count": pd.Series(dtype="int64")})
    vocab = mine.index.union(rest.index)
    y, r = mine.reindex(vocab, fill_value=0).astype(float), rest.reindex(vocab, fill_value=0).astype(float)
    alpha = prior_strength * (y + r) / float((y + r).sum())
    alpha0 = float(alpha.sum())
    n_mine, n_rest = float(y.sum()), float(r.sum())
    delta = np.log((y + alpha) / (n_mine + alpha0 - y - alpha)) - np.log((r + alpha) / (n_rest + alpha0 - r - alpha))
    z = delta / np.sqrt(1.0 / (y + alpha) + 1.0 / (r + alpha))
    frame = pd.DataFrame({"term": vocab, "z": z.to_numpy(), "count": y.astype("int64").to_numpy()})
    frame = frame[frame["count"] > 0]
    return frame.sort_values(["z", "term"], ascending=[False, True]).head(n).reset_index(drop=True)


def one_vs_rest(terms: pd.DataFrame, doc_id: str, n: int) -> pd.DataFrame:
    """log2 of the term's relative frequency in the paper over the rest (add-one smoothed).

    Returns the `n` terms most over-used by the paper and the `n` most under-used.
    """
    mine = terms[terms["doc_id"] == doc_id].groupby("term")["count"].sum()
    rest = terms[terms["doc_id"] != doc_id].groupby("term")["count"].sum()
    if mine.empty or rest.empty:
        return pd.DataFrame(columns=["term", "log_ratio", "side"])
    vocab = mine.index.union(rest.index)
    mine, rest = mine.reindex(vocab, fill_value=0), rest.reindex(vocab, fill_value=0)
    total_mine, total_rest, v = mine.sum(), rest.sum(), len(vocab)
    ratio = ((mine + 1) / (total_mine + v)) / ((rest + 1) / (total_rest + v))
    frame = pd.DataFrame(
        {"term": vocab, "log_ratio": [math.log2(r) for r in ratio], "occurrences": (mine + rest).to_numpy()}
    )
    frame = frame[frame["occurrences"] >= 3]
    over = frame.sort_values(["log_ratio", "term"], ascending=[False, True]).head(n)
    under = frame.sort_values(["log_ratio", "term"], ascending=[True, True]).head(n)
    result = pd.concat([over, under]).drop_duplicates("term")
    result["side"] = result["log_ratio"].map(lambda r: "paper" if r > 0 else "rest")
    return result.sort_values("log_ratio", ascending=False).reset_index(drop=True)


def term_by_section(
    section_terms: pd.DataFrame, sections: pd.DataFrame, term: str, short: Mapping[str, str], lang: str = "zh"
) -> pd.DataFrame:
    hits = section_terms[section_terms["term"] == term]
    if hits.empty:
        return pd.DataFrame(columns=["doc_id", "paper", "section_id", "section", "order", "count"])
    merged = hits.merge(
        sections[["doc_id", "section_id", "number", "heading", "order"]], on=["doc_id", "section_id"], how="left"
    )
    # the text before a document's first heading has no title of its own
    merged["section"] = [section_title(num, head) or translate("terms.opening", lang)
                         for num, head in zip(merged["number"], merged["heading"], strict=True)]
    merged["paper"] = merged["doc_id"].map(lambda d: short.get(d, d))
    return (
        merged[["doc_id", "paper", "section_id", "section", "order", "count"]]
        .sort_values(["doc_id", "order"])
        .reset_index(drop=True)
    )


# ---- charts --------------------------------------------------------------------------------


def _term_pick(selected: str | None) -> alt.Parameter:
    return alt.selection_point(
        name=TERM_PICK.param, fields=["term"], on="click", value=[{"term": selected}] if selected else alt.Undefined
    )


def _highlight(pick: alt.Parameter) -> alt.Color:
    return alt.condition(pick, alt.value(ACCENT), alt.value(MUTED), empty=False)


def top_bars(
    frame: pd.DataFrame,
    lang: str,
    *,
    selected: str | None = None,
    title: str = "",
    bar_height: int = 22,
    width: int | str = "container",
) -> alt.Chart:
    pick = _term_pick(selected)
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y("term:N", sort=frame["term"].tolist(), title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X("count:Q", title=translate("common.count", lang)),
            color=_highlight(pick),
            tooltip=[
                alt.Tooltip("term:N", title=translate("common.term", lang)),
                alt.Tooltip("count:Q", title=translate("common.count", lang)),
            ],
        )
        .add_params(pick)
        .properties(width=width, height=max(120, bar_height * len(frame)), title=title)
    )


def distinctive_bars(
    frame: pd.DataFrame, lang: str, *, selected: str | None = None, bar_height: int = 22, width: int | str = "container"
) -> alt.Chart:
    pick = _term_pick(selected)
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y("term:N", sort=frame["term"].tolist(), title=None),
            x=alt.X("z:Q", title=translate("terms.log_odds", lang)),
            color=_highlight(pick),
            tooltip=[alt.Tooltip("term:N", title=translate("common.term", lang)),
                     alt.Tooltip("z:Q", title=translate("terms.log_odds", lang), format=".2f"),
                     alt.Tooltip("count:Q", title=translate("common.count", lang))],
        )
        .add_params(pick)
        .properties(width=width, height=max(120, bar_height * len(frame)), title=translate("terms.distinctive", lang))
    )


def vs_rest_bars(
    frame: pd.DataFrame, lang: str, paper: str, *, bar_height: int = 20, width: int | str = "container"
) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("term:N", sort=frame["term"].tolist(), title=None),
            x=alt.X("log_ratio:Q", title=translate("terms.vs_rest_axis", lang)),
            color=alt.condition("datum.log_ratio > 0", alt.value(ACCENT), alt.value(MUTED)),
            tooltip=["term:N", alt.Tooltip("log_ratio:Q", format=".2f")],
        )
        .properties(
            width=width, height=max(120, bar_height * len(frame)), title=translate("terms.vs_rest", lang, paper=paper)
        )
    )


def section_bars(
    frame: pd.DataFrame, papers: list[str], lang: str, term: str, *, width: int | str = "container"
) -> alt.Chart:
    labelled = frame.assign(row=[f"{p} · {s}" for p, s in zip(frame["paper"], frame["section"], strict=True)])
    return (
        alt.Chart(labelled)
        .mark_bar()
        .encode(
            y=alt.Y(
                "row:N",
                sort=labelled["row"].tolist(),
                title=translate("common.section", lang),
                axis=alt.Axis(labelLimit=side_labels(0.375, cap=420)),
            ),
            x=alt.X("count:Q", title=translate("common.count", lang)),
            color=alt.Color("paper:N", scale=paper_scale(papers), title=translate("common.paper", lang)),
            tooltip=["paper:N", "section:N", "count:Q"],
        )
        .properties(
            width=width, height=max(120, 22 * len(labelled)), title=translate("terms.distribution", lang, term=term)
        )
    )


def paper_panel(frame: pd.DataFrame, paper: str, papers: list[str], lang: str, *, height: int = 220,
                title: str | None = None) -> alt.Chart:
    """One paper's top terms as a bar chart that takes its container's width (a panel of the
    Overview: the page lays panels out in columns, which a phone stacks)."""
    return (
        alt.Chart(frame[frame["paper"] == paper])
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y("term:N", sort="-x", title=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X("count:Q", title=translate("common.count", lang)),
            color=alt.Color("paper:N", scale=paper_scale(papers), legend=None),
            tooltip=[alt.Tooltip("paper:N", title=translate("common.paper", lang)),
                     alt.Tooltip("term:N", title=translate("common.term", lang)),
                     alt.Tooltip("count:Q", title=translate("common.count", lang))],
        )
        # the paper's full name, cut only where the panel ends
        .properties(width="container", height=height,
                    title=alt.TitleParams(title or paper, fontSize=14, limit=alt.ExprRef("width")))
    )


def small_multiples(
    frame: pd.DataFrame,
    papers: list[str],
    lang: str,
    *,
    columns: int = 4,
    panel_width: int = 300,
    panel_height: int = 200,
) -> alt.FacetChart:
    """One small bar chart of top terms per paper, as one figure (the Overview's export)."""
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y("term:N", sort="-x", title=None),
            x=alt.X("count:Q", title=translate("common.count", lang)),
            color=alt.Color("paper:N", scale=paper_scale(papers), legend=None),
            tooltip=["paper:N", "term:N", "count:Q"],
        )
        .properties(width=panel_width, height=panel_height)
        .facet(
            facet=alt.Facet("paper:N", title=None, sort=papers, header=alt.Header(labelLimit=panel_width)),
            columns=columns,
        )
        .resolve_scale(y="independent")
        .properties(title=translate("overview.top_terms", lang))
    )


def trend_lines(frame: pd.DataFrame, lang: str, *, selected: str | None = None, height: int = 300,
                width: int | str = "container") -> alt.Chart:
    """Each term's share of the year's tokens (per 1,000), one line per term; click selects a term."""
    pick = _term_pick(selected)
    shown = frame.assign(per_mille=frame["share"] * 1000)
    base = alt.Chart(shown).encode(
        # a quantitative axis: a gap of years is a gap on the axis
        x=alt.X("year:Q", title=translate("common.year", lang), scale=alt.Scale(zero=False, nice=False),
                axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0)),
        y=alt.Y("per_mille:Q", title=translate("terms.relative", lang)),
        color=alt.condition(pick, alt.Color("term:N", title=translate("common.term", lang),
                                            sort=list(dict.fromkeys(frame["term"]))), alt.value(MUTED)),
        tooltip=[
            alt.Tooltip("term:N", title=translate("common.term", lang)),
            alt.Tooltip("year:Q", title=translate("common.year", lang), format="d"),
            alt.Tooltip("count:Q", title=translate("common.count", lang)),
            alt.Tooltip("documents:Q", title=translate("terms.trend_docs", lang)),
            alt.Tooltip("per_mille:Q", title=translate("terms.relative", lang), format=".2f"),
        ],
    )
    lines = base.mark_line(strokeWidth=2.5)
    points = base.mark_point(size=70, filled=True, opacity=1).add_params(pick)  # not the default 0.7
    return (lines + points).properties(width=width, height=height, title=translate("terms.trends", lang))
