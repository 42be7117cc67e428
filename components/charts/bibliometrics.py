"""文献计量 charts: publications per year, top authors / affiliations / journals, the keyword network
(VOSviewer's view: size = papers, colour = cluster or average year), CiteSpace's timezone. A click
on a year, an author, a keyword or a cluster selects it for every page (the Picks below)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import ACCENT, INK, MUTED, Pick, per_column, pick_first
from components.i18n import translate

YEAR_PICK = Pick("year_pick", lambda picked: {"y0": _year(picked), "y1": _year(picked)})
AUTHOR_PICK = pick_first("author_pick", "value", "author")
KEYWORD_PICK = pick_first("keyword_pick", "keyword", "kw")
CLUSTER_PICK = pick_first("cluster_pick", "cluster_label", "cluster")
# Enough colours for the clusters a field map shows; each at least 3:1 on white.
CLUSTER_COLOURS = ["#1f5f8b", "#b5472f", "#1e6e64", "#7a5577", "#8a5a00", "#3d5a80", "#4f772d", "#9c6644",
                   "#6c757d", "#5b4b8a"]
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
        y=alt.Y("value:N", sort=frame["value"].tolist(), title=None, axis=alt.Axis(labelLimit=per_column(2, cap=260))),
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


def network_chart(nodes: pd.DataFrame, edges: pd.DataFrame, lang: str, *, colour_by_year: bool = False,
                  selected: str | None = None, selected_cluster: str | None = None, height: int = 560,
                  labels: int = 40) -> alt.LayerChart:
    """Keywords where the force layout put them, linked by co-occurrence; the `labels` most
    frequent are named. A click on a keyword selects it; on a cluster's legend entry, the cluster."""
    pick = alt.selection_point(name=KEYWORD_PICK.param, fields=["keyword"], on="click",
                               value=[{"keyword": selected}] if selected else alt.Undefined)
    cluster_pick = alt.selection_point(name=CLUSTER_PICK.param, fields=["cluster_label"], bind="legend",
                                       value=[{"cluster_label": selected_cluster}] if selected_cluster
                                       else alt.Undefined)
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
                color=colour, tooltip=tooltip,
                strokeWidth=alt.condition(pick, alt.value(3), alt.value(0), empty=False))
    )
    # the cluster legend is clickable (a cluster is picked there); a year gradient has no entries
    dots = dots.add_params(pick) if colour_by_year else dots.add_params(pick, cluster_pick)
    from corpus.bibliometrics import label_spots

    named = nodes[label_spots(nodes, height=height, limit=labels)]
    names = (
        alt.Chart(named).mark_text(dy=-12, fontSize=12, color=INK)
        .encode(x=x, y=y, text="keyword:N", tooltip=tooltip)
    )
    return alt.layer(links, dots, names).properties(width="container", height=height,
                                                    title=translate("biblio.network", lang))


def timezone_chart(zone: pd.DataFrame, edges: pd.DataFrame, lang: str, *, selected: str | None = None,
                   height: int = 420) -> alt.LayerChart:
    """CiteSpace's timezone: each keyword in the column of the year it first appears, linked to the
    later keywords it co-occurs with."""
    pick = alt.selection_point(name=KEYWORD_PICK.param, fields=["keyword"], on="click",
                               value=[{"keyword": selected}] if selected else alt.Undefined)
    where = zone.set_index("keyword")[["zone_x", "zone_y"]]
    later = edges.assign(x=edges["source"].map(where["zone_x"]), y=edges["source"].map(where["zone_y"]),
                         x2=edges["target"].map(where["zone_x"]), y2=edges["target"].map(where["zone_y"]))
    later = later[later["x"] != later["x2"]]  # links across years: what came after what
    x_scale, y_scale = alt.Scale(zero=False, padding=30), alt.Scale(reverse=True, padding=12)
    x = alt.X("zone_x:Q", title=translate("biblio.first_year", lang), axis=alt.Axis(format="d", tickMinStep=1),
              scale=x_scale)
    y = alt.Y("zone_y:Q", axis=None, scale=y_scale)
    links = alt.Chart(later).mark_rule(color=MUTED, strokeWidth=0.6).encode(
        x=alt.X("x:Q", scale=x_scale, axis=None), y=alt.Y("y:Q", scale=y_scale, axis=None), x2="x2:Q", y2="y2:Q")
    words = (
        alt.Chart(zone).mark_text(align="left", dx=6, fontSize=12)
        .encode(x=x, y=y, text="keyword:N",
                color=alt.condition(pick, alt.value(ACCENT), alt.value(INK), empty=False),
                tooltip=[alt.Tooltip("keyword:N", title=translate("biblio.keyword", lang)),
                         alt.Tooltip("count:Q", title=translate("biblio.papers", lang)),
                         alt.Tooltip("first_year:Q", title=translate("biblio.first_year", lang), format="d")])
        .add_params(pick)
    )
    dots = alt.Chart(zone).mark_circle(opacity=1, color="#1f5f8b").encode(
        x=x, y=y, size=alt.Size("count:Q", legend=None, scale=alt.Scale(range=[20, 300])))
    return alt.layer(links, dots, words).properties(width="container", height=height,
                                                    title=translate("biblio.timezone", lang))
