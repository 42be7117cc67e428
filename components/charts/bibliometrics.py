"""文献计量 charts: publications per year, top authors / affiliations / journals, the keyword network
(VOSviewer's view: size = papers, colour = cluster or average year), CiteSpace's timezone. A click
on a year, an author or a keyword selects it for every page (the Picks below; a keyword also
becomes the Terms page's term, so its concordance opens there); a cluster is chosen beside the map."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import ACCENT, INK, MUTED, Pick, per_column, pick_first, picked_values, side_labels
from components.i18n import translate

YEAR_PICK = Pick("year_pick", lambda picked: {"y0": _year(picked), "y1": _year(picked)})
AUTHOR_PICK = pick_first("author_pick", "value", "author")
KEYWORD_PICK = Pick("keyword_pick", lambda picked: dict.fromkeys(("kw", "term"),
                                                                  (picked_values(picked, "keyword") or [None])[0]))
# Enough colours for the clusters a field map shows; each at least 3:1 on white.
CLUSTER_COLOURS = ["#1f5f8b", "#b5472f", "#1e6e64", "#7a5577", "#8a5a00", "#3d5a80", "#4f772d", "#9c6644",
                   "#6c757d", "#5b4b8a", "#a23b72", "#2f6f3e"]
YEAR_SCHEME = ["#4a90c2", "#1e6e64", "#8a5a00", "#b5472f"]  # early → recent, all ≥ 3:1 on white


def _year(picked) -> int | None:
    if isinstance(picked, list) and picked and isinstance(picked[0], dict) and picked[0].get("year") is not None:
        return int(picked[0]["year"])
    return None


def per_year_bars(frame: pd.DataFrame, lang: str, *, selected: int | None = None, height: int = 220) -> alt.Chart:
    pick = alt.selection_point(name=YEAR_PICK.param, fields=["year"], on="click",
                               value=[{"year": selected}] if selected is not None else alt.Undefined)
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            x=alt.X("year:O", title=translate("common.year", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title=translate("biblio.papers", lang)),
            color=alt.condition(pick, alt.value("#1f5f8b"), alt.value(MUTED)),
            tooltip=[alt.Tooltip("year:O", title=translate("common.year", lang)),
                     alt.Tooltip("count:Q", title=translate("biblio.papers", lang))],
        )
        .add_params(pick)
        .properties(width="container", height=height, title=translate("biblio.per_year", lang))
    )


def top_bars(frame: pd.DataFrame, lang: str, title: str, *, param: str | None = None,
             selected: str | None = None) -> alt.Chart:
    """The most frequent values of one field; clickable when `param` names its Pick."""
    chart = alt.Chart(frame).mark_bar(cornerRadiusEnd=2).encode(
        y=alt.Y("value:N", sort=frame["value"].tolist(), title=None, axis=alt.Axis(labelLimit=side_labels(0.4, cap=260))),
        x=alt.X("count:Q", title=translate("biblio.papers", lang)),
        tooltip=[alt.Tooltip("value:N", title=title), alt.Tooltip("count:Q", title=translate("biblio.papers", lang))],
    )
    if param:
        pick = alt.selection_point(name=param, fields=["value"], on="click",
                                   value=[{"value": selected}] if selected else alt.Undefined)
        chart = chart.encode(color=alt.condition(pick, alt.value("#1f5f8b"), alt.value(MUTED))).add_params(pick)
    else:
        chart = chart.encode(color=alt.value("#1f5f8b"))
    return chart.properties(width="container", height=max(120, 22 * len(frame)), title=title)


# VOSviewer's default: a map of 120 keywords can have thousands of links (4,093 in a generated
# 5,000-record corpus), which hide the map and weigh the page down; the strongest say what it shows
MAX_LINES = 1000


def strongest_links(edges: pd.DataFrame, max_lines: int = MAX_LINES) -> pd.DataFrame:
    """The `max_lines` links of the greatest weight (ties: in the order given)."""
    if len(edges) <= max_lines:
        return edges
    return edges.sort_values("weight", ascending=False, kind="stable").head(max_lines)


def network_chart(nodes: pd.DataFrame, edges: pd.DataFrame, lang: str, *, colour_by_year: bool = False,
                  selected: str | None = None, selected_cluster: str | None = None, height: int = 560,
                  labels: int = 40, max_lines: int = MAX_LINES) -> alt.LayerChart:
    """Keywords where the force layout put them, linked by co-occurrence; the `labels` most
    frequent are named and the `max_lines` strongest links drawn. A click on a keyword selects
    it; with `selected_cluster`, the other clusters' keywords turn grey."""
    edges = strongest_links(edges, max_lines)
    pick = alt.selection_point(name=KEYWORD_PICK.param, fields=["keyword"], on="click",
                               value=[{"keyword": selected}] if selected else alt.Undefined)
    nodes = nodes.assign(in_cluster=nodes["cluster_label"] == selected_cluster if selected_cluster else True)
    where = nodes.set_index("keyword")[["x", "y"]]
    lines = edges.assign(x=edges["source"].map(where["x"]), y=edges["source"].map(where["y"]),
                         x2=edges["target"].map(where["x"]), y2=edges["target"].map(where["y"]))
    x = alt.X("x:Q", axis=None, scale=alt.Scale(zero=False, nice=False, padding=24))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(zero=False, nice=False, padding=24))
    links = (
        alt.Chart(lines).mark_rule(color=MUTED)
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q", strokeWidth=alt.StrokeWidth("weight:Q", legend=None,
                                                                             scale=alt.Scale(range=[0.4, 3])))
    )
    if colour_by_year:
        colour = alt.Color("mean_year:Q", title=translate("biblio.mean_year", lang),
                           scale=alt.Scale(range=YEAR_SCHEME), legend=alt.Legend(format="d"))
    else:
        colour = alt.Color("cluster_label:N", title=translate("biblio.cluster", lang),
                           scale=alt.Scale(range=CLUSTER_COLOURS),
                           sort=nodes.drop_duplicates("cluster").sort_values("cluster")["cluster_label"].tolist(),
                           legend=alt.Legend(orient="right", labelLimit=260))
    tooltip = [alt.Tooltip("keyword:N", title=translate("biblio.keyword", lang)),
               alt.Tooltip("count:Q", title=translate("biblio.papers", lang)),
               alt.Tooltip("first_year:Q", title=translate("biblio.first_year", lang), format="d"),
               alt.Tooltip("mean_year:Q", title=translate("biblio.mean_year", lang), format=".1f"),
               alt.Tooltip("cluster_label:N", title=translate("biblio.cluster", lang))]
    dots = (
        alt.Chart(nodes).mark_circle(opacity=1, stroke=INK)
        .encode(x=x, y=y, size=alt.Size("count:Q", legend=None, scale=alt.Scale(range=[40, 900])),
                color=alt.condition("datum.in_cluster", colour, alt.value(MUTED)), tooltip=tooltip,
                strokeWidth=alt.condition(pick, alt.value(3), alt.value(0), empty=False))
        .add_params(pick)
    )
    from corpus.bibliometrics import label_spots

    named = nodes[label_spots(nodes, height=height, limit=labels)]
    # a white outline under each name keeps it legible where it crosses links and large dots
    halo = alt.Chart(named).mark_text(dy=-12, fontSize=12, stroke="#ffffff", strokeWidth=3, color="#ffffff").encode(
        x=x, y=y, text="keyword:N")
    names = (
        alt.Chart(named).mark_text(dy=-12, fontSize=12, color=INK)
        .encode(x=x, y=y, text="keyword:N", tooltip=tooltip)
    )
    return alt.layer(links, dots, halo, names).properties(width="container", height=height,
                                                    title=translate("biblio.network", lang))


ZONE_ROW_PX = 18  # one keyword per line in a year's column


def timezone_rows(zone: pd.DataFrame, max_rows: int = 24) -> pd.DataFrame:
    """Each year's `max_rows` most frequent new keywords (`zone_y` is already their rank there):
    a column of more would print names over each other."""
    return zone[zone["zone_y"] < max_rows]


def timezone_chart(zone: pd.DataFrame, edges: pd.DataFrame, lang: str, *, selected: str | None = None,
                   max_rows: int = 24) -> alt.LayerChart:
    """CiteSpace's timezone: each keyword in the column of the year it first appears (the year's
    most frequent new ones, `max_rows` at most), linked to the later keywords it co-occurs with."""
    zone = timezone_rows(zone, max_rows)
    pick = alt.selection_point(name=KEYWORD_PICK.param, fields=["keyword"], on="click",
                               value=[{"keyword": selected}] if selected else alt.Undefined)
    where = zone.set_index("keyword")[["zone_x", "zone_y"]]
    shown = set(zone["keyword"])
    later = edges[edges["source"].isin(shown) & edges["target"].isin(shown)]
    later = later.assign(x=later["source"].map(where["zone_x"]), y=later["source"].map(where["zone_y"]),
                         x2=later["target"].map(where["zone_x"]), y2=later["target"].map(where["zone_y"]))
    later = later[later["x"] != later["x2"]]  # links across years: what came after what
    years = sorted(zone["zone_x"].unique())
    x_scale = alt.Scale(domain=[years[0] - 0.1, years[-1] + 0.9], zero=False, nice=False)
    y_scale = alt.Scale(domain=[-0.5, max(1, int(zone["zone_y"].max()) + 1) - 0.5], reverse=True, nice=False)
    x = alt.X("zone_x:Q", title=translate("biblio.first_year", lang), scale=x_scale,
              axis=alt.Axis(format="d", values=[int(y) for y in years], labelOverlap=True, grid=False))
    y = alt.Y("zone_y:Q", axis=None, scale=y_scale)
    links = alt.Chart(later).mark_rule(color=MUTED, strokeWidth=0.6).encode(
        x=alt.X("x:Q", scale=x_scale, title=translate("biblio.first_year", lang),
                axis=alt.Axis(format="d", values=[int(y) for y in years], labelOverlap=True, grid=False)),
        y=alt.Y("y:Q", scale=y_scale, axis=None), x2="x2:Q", y2="y2:Q")
    words = (
        # a name stops before the next year's column
        alt.Chart(zone).mark_text(align="left", dx=6, fontSize=12, limit=per_column(len(years) + 1, spare=10))
        .encode(x=x, y=y, text="keyword:N",
                color=alt.condition(pick, alt.value(ACCENT), alt.value(INK), empty=False),
                tooltip=[alt.Tooltip("keyword:N", title=translate("biblio.keyword", lang)),
                         alt.Tooltip("count:Q", title=translate("biblio.papers", lang)),
                         alt.Tooltip("first_year:Q", title=translate("biblio.first_year", lang), format="d")])
        .add_params(pick)
    )
    dots = alt.Chart(zone).mark_circle(opacity=1, color="#1f5f8b").encode(
        x=x, y=y, size=alt.Size("count:Q", legend=None, scale=alt.Scale(range=[20, 300])))
    height = ZONE_ROW_PX * (int(zone["zone_y"].max()) + 1) + 20
    return alt.layer(links, dots, words).properties(width="container", height=height,
                                                    title=translate("biblio.timezone", lang))
