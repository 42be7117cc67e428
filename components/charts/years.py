"""The sidebar's year histogram: how many papers were published and how many events the papers
date in each year, the global year range's years drawn in colour, the others grey.

It sits above the year slider so an editor sees where the years are before narrowing them (a
range of 1950–2035 is mostly empty when three early events stretch it). Being the first chart a
page sends, it also starts the browser loading its chart code while the page is still computed.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.charts import MUTED, PAPER_COLOURS
from components.i18n import translate

IN_RANGE = PAPER_COLOURS[0]


def year_histogram(counts: pd.DataFrame, lang: str, year_range: tuple[int, int], *, height: int = 44) -> alt.Chart:
    """`counts`: year, papers, events (views.year_counts); a bar spans its year on a linear axis, so a
    gap of years shows as a gap."""
    lo, hi = year_range
    frame = counts.assign(
        start=counts["year"] - 0.42,
        end=counts["year"] + 0.42,
        total=counts["papers"] + counts["events"],
        shown=counts["year"].between(lo, hi),
    )
    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("start:Q", title=None,
                    scale=alt.Scale(domain=[float(counts["year"].min()) - 0.5, float(counts["year"].max()) + 0.5],
                                    nice=False, zero=False),
                    axis=alt.Axis(format="d", labelFontSize=11, tickCount=4, grid=False, labelFlush=True)),
            x2="end:Q",
            y=alt.Y("total:Q", title=None, axis=None),
            color=alt.condition(alt.datum.shown, alt.value(IN_RANGE), alt.value(MUTED)),
            tooltip=[
                alt.Tooltip("year:Q", title=translate("common.year", lang), format="d"),
                alt.Tooltip("papers:Q", title=translate("sidebar.years_papers", lang)),
                alt.Tooltip("events:Q", title=translate("sidebar.years_events", lang)),
            ],
        )
        .properties(height=height, width="container", description=translate("sidebar.years_chart", lang))
    )
