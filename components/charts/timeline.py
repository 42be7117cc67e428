"""Timeline: events on a year axis, one lane per category, colour by paper.

Dates stated in the paper are filled marks; dates filled in from the AI-milestones gazetteer are
hollow diamonds (`fillOpacity` 0); approximate dates are faded. Events with an end year are drawn
as bands from start to end in their lane. A separate overview strip carries an interval
selection ("brush") on the year that zooms the detail chart.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from components.charts import INK, MUTED, Pick, paper_scale, pick_first
from components.i18n import code_label, translate
from components.views import shown, years_text

EVENT_PICK = pick_first("event_pick", "uid", "event")


def _brushed_years(picked) -> dict:
    span = picked.get("year") if isinstance(picked, dict) else None
    if not span:
        return {"y0": None, "y1": None}
    lo, hi = sorted(float(v) for v in span)
    return {"y0": int(round(lo)), "y1": int(round(hi))}


BRUSH = Pick("brush", _brushed_years)  # the overview strip's brush is the global year range
GAZETTEER = "gazetteer"
CHART_COLUMNS = ["uid", "paper", "category", "year", "year_end", "years", "label", "date_text", "date_source",
                 "source_label", "approximate", "span", "x", "mark_label"]
SAME_YEAR_STEP = 0.22  # years between marks of one paper, lane and year, side by side instead of on one spot
LABEL_CHARS = 9
LABELS_PER_LANE = 12  # at most this many labels across a lane's width: the others stay in the tooltip
MIN_LABELLED_WIDTH = 700  # px: narrower charts draw no labels


def event_uid(doc_id: str, event_id: str) -> str:
    return f"{doc_id}:{event_id}"


def events_frame(events: pd.DataFrame, short: Mapping[str, str], lang: str) -> pd.DataFrame:
    """The columns the timeline draws, with translated category and date-source names."""
    if events.empty:
        return pd.DataFrame(
            columns=[
                "uid",
                "doc_id",
                "paper",
                "category",
                "year",
                "year_end",
                "label",
                "date_source",
                "source_label",
                "approximate",
                "date_text",
                "years",
                "sentence",
                "para_id",
                "conflict",
                "span",
            ]
        )
    frame = pd.DataFrame(
        {
            "uid": [event_uid(d, e) for d, e in zip(events["doc_id"], events["event_id"], strict=True)],
            "doc_id": events["doc_id"].astype(str),
            "paper": [short.get(d, d) for d in events["doc_id"]],
            "category": [code_label("event.category", c, lang) for c in events["category"]],
            "year": events["year"].astype("int64"),
            "year_end": events["year_end"].astype("Int64"),
            "label": events["label"].astype(str),
            "date_source": events["date_source"].astype(str),
            "source_label": [code_label("date_source", s, lang) for s in events["date_source"]],
            "approximate": events["approximate"].fillna(False).astype(bool),
            # the text's own words for the date; a gazetteer-dated event keeps only the entity's name,
            # which is not a date
            "date_text": [shown(t) if s == "text" else "" for t, s in zip(events["date_text"], events["date_source"],
                                                                       strict=True)],
            "years": [years_text(y, e) for y, e in zip(events["year"], events["year_end"], strict=True)],
            "sentence": events["sentence"].astype(str),
            "para_id": events["para_id"].astype(str),
            "conflict": events["conflict"].fillna("").astype(str),
        }
    )
    frame["span"] = frame["year_end"].notna() & (frame["year_end"] > frame["year"])
    return frame.sort_values(["year", "uid"]).reset_index(drop=True)


def _x(title: str, domain: tuple[int, int] | None, field: str = "year") -> alt.X:
    # half a year of room on each side, so marks on the first and last year are not cut
    scale = (
        alt.Scale(domain=[domain[0] - 0.5, domain[1] + 0.5], nice=False, zero=False)
        if domain
        else alt.Scale(zero=False)
    )
    return alt.X(f"{field}:Q", title=title, scale=scale, axis=alt.Axis(format="d", tickMinStep=1))


def placed(frame: pd.DataFrame, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """`frame` with `x` (the year, with marks that share a paper, lane and year set side by side)
    and `mark_label` (a short label where the lane has room: at most LABELS_PER_LANE per lane over
    the years shown, each at least that share of the span after the previous one; else empty)."""
    data = frame.copy()
    key = ["category", "paper", "year"]
    rank = data.groupby(key).cumcount()
    size = data.groupby(key)["uid"].transform("size")
    step = (0.8 / size).clip(upper=SAME_YEAR_STEP)  # many marks in one year: closer, but still within it
    data["x"] = data["year"] + (rank - (size - 1) / 2) * step
    lo, hi = year_range if year_range else (data["year"].min(), data["year"].max()) if len(data) else (0, 0)
    gap = max(1.0, (hi - lo) / LABELS_PER_LANE)  # about one label's width, in years
    labels = [""] * len(data)
    for _, lane in data.reset_index(drop=True).groupby("category", sort=False):
        xs = lane["x"].tolist()
        free_until = float("-inf")
        for position, (row, x, label) in enumerate(zip(lane.index, xs, lane["label"], strict=True)):
            # room: no mark of the lane (any paper) within a label's width to the right, no label over it
            crowded = any(x < other <= x + gap for other in xs[position + 1:position + 40])
            if x >= free_until and not crowded:
                labels[row] = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
                free_until = x + gap
    data["mark_label"] = labels
    return data


def timeline_chart(
    frame: pd.DataFrame,
    papers: list[str],
    lang: str,
    *,
    selected_uid: str | None = None,
    year_range: tuple[int, int] | None = None,
    lane_height: int = 64,
    width: int | str = "container",
    mark_labels: bool = True,
) -> alt.LayerChart:
    """Detail chart: lanes = categories; `year_range` zooms the x axis (the brush). Without
    `mark_labels` (presentation mode, whose list beside the chart names every event in large
    type) the marks are named by their tooltips only."""
    # only what the marks encode travels to the browser (the evidence sentences are half the frame)
    data = frame
    if year_range:
        lo, hi = year_range
        end = data["year_end"].fillna(data["year"])
        data = data[(end >= lo) & (data["year"] <= hi)]
    data = placed(data.sort_values(["year", "uid"]), year_range)
    data = data[[c for c in CHART_COLUMNS if c in data.columns]]
    lanes = sorted(data["category"].unique().tolist())
    colour = alt.Color(
        "paper:N", title=translate("common.paper", lang), scale=paper_scale(papers), legend=alt.Legend(symbolOpacity=1)
    )
    y = alt.Y("category:N", title=None, sort=lanes, axis=alt.Axis(labelLimit=220))
    y_offset = alt.YOffset("paper:N", scale=alt.Scale(domain=list(dict.fromkeys(papers)), paddingOuter=0.4))
    tooltip = [
        alt.Tooltip("label:N", title=translate("timeline.event", lang)),
        alt.Tooltip("paper:N", title=translate("common.paper", lang)),
        alt.Tooltip("date_text:N", title=translate("timeline.date_text", lang)),
        alt.Tooltip("source_label:N", title=translate("timeline.date_source", lang)),
        alt.Tooltip("years:N", title=translate("common.year", lang)),
    ]
    pick = alt.selection_point(
        name=EVENT_PICK.param,
        fields=["uid"],
        on="click",
        clear="dblclick",
        value=[{"uid": selected_uid}] if selected_uid else alt.Undefined,
    )
    base = alt.Chart(data)
    bands = (
        base.transform_filter("datum.span")
        .mark_bar(height=6, cornerRadius=3, clip=True)
        .encode(
            x=_x(translate("common.year", lang), year_range),
            x2="year_end:Q",
            y=y,
            yOffset=y_offset,
            color=colour,
            tooltip=tooltip,
        )
    )
    shape_scale = alt.Scale(
        domain=[code_label("date_source", "text", lang), code_label("date_source", "gazetteer", lang)],
        range=["circle", "diamond"],
    )
    marks = (
        base.mark_point(filled=True, strokeWidth=2.2, clip=True, opacity=1)  # not the default 0.7
        .encode(
            x=_x(translate("common.year", lang), year_range, field="x"),
            y=y,
            yOffset=y_offset,
            color=colour,
            stroke=alt.Stroke("paper:N", scale=paper_scale(papers), title=translate("common.paper", lang)),
            shape=alt.Shape("source_label:N", title=translate("timeline.date_source", lang), scale=shape_scale,
                            legend=alt.Legend(orient="top", direction="horizontal")),
            # hollow marks for gazetteer dates, dashed outlines for approximate ones (never faded:
            # a faded mark falls below 3:1 on a projector)
            fillOpacity=alt.condition(f"datum.date_source === '{GAZETTEER}'", alt.value(0.0), alt.value(1.0)),
            strokeDash=alt.condition("datum.approximate", alt.value([3, 2]), alt.value([1, 0])),
            size=alt.condition(pick, alt.value(420), alt.value(150), empty=False),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    labels = (
        # the labels' room was measured for a wide chart: on a phone the tooltips name the marks
        base.transform_filter(f"datum.mark_label != '' && width >= {MIN_LABELLED_WIDTH}")
        .mark_text(align="left", baseline="middle", dx=9, fontSize=11, color=INK, clip=True)
        .encode(x=_x(translate("common.year", lang), year_range, field="x"), y=y, yOffset=y_offset, text="mark_label:N",
                tooltip=tooltip)
    )
    height = max(160, lane_height * max(1, len(lanes)))
    layers = (bands, marks, labels) if mark_labels else (bands, marks)
    return alt.layer(*layers).properties(width=width, height=height, title=translate("timeline.chart", lang))


def overview_strip(
    frame: pd.DataFrame,
    lang: str,
    *,
    year_range: tuple[int, int] | None = None,
    width: int | str = "container",
    height: int = 70,
) -> alt.Chart:
    """Event counts per year over the whole corpus, with the brush that zooms the detail."""
    counts = (
        frame.groupby("year").size().rename("count").reset_index()
        if not frame.empty
        else pd.DataFrame({"year": [], "count": []})
    )
    brush = alt.selection_interval(
        name=BRUSH.param, encodings=["x"], value={"x": list(year_range)} if year_range else alt.Undefined
    )
    return (
        alt.Chart(counts)
        .mark_bar(color=MUTED, size=6)
        .encode(
            x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(zero=False)),
            y=alt.Y("count:Q", title=None, axis=alt.Axis(tickCount=2)),
            tooltip=[
                alt.Tooltip("year:Q", format="d", title=translate("common.year", lang)),
                alt.Tooltip("count:Q", title=translate("common.count", lang)),
            ],
        )
        .add_params(brush)
        .properties(width=width, height=height, title=translate("timeline.strip", lang))
    )
