"""时间线 Timeline: a brushable overview strip zooms the event lanes; clicking an event shows
its evidence; the table follows the brush."""

import streamlit as st

from components import layout, state
from components.charts.timeline import BRUSH, EVENT_PICK, events_frame, overview_strip, timeline_chart
from components.i18n import translate
from components.page import PageContext
from components.safe import md
from components.shell import run_page
from components.views import by_docs, year_bounds


def render(page: PageContext) -> None:
    lang, present, short = page.lang, page.present, page.labels
    papers = page.paper_names(page.coloured)
    events = by_docs(page.corpus.table("events"), page.drawn)
    frame = events_frame(events, short, lang)
    if frame.empty:
        st.info(page.t("data.empty_selection"), icon=":material/info:")
        return

    page.papers_capped()
    lo, hi = year_bounds({"events": events})
    y0, y1 = state.get("y0"), state.get("y1")
    zoom = (y0 if y0 is not None else lo, y1 if y1 is not None else hi) if (y0 is not None or y1 is not None) else None
    if not present:
        strip = overview_strip(frame, lang, year_range=zoom)
        page.chart(strip, key="timeline_strip", data=frame[["year"]], name="timeline_overview", pick=BRUSH)
        if zoom:
            st.caption(page.t("timeline.range", y0=zoom[0], y1=zoom[1]))

    chosen = state.get("event")
    lanes = max(1, frame["category"].nunique())
    lane_height = max(64, page.height(0) // lanes) if present else 64
    detail = timeline_chart(frame, papers, lang, selected_uid=chosen, year_range=zoom, lane_height=lane_height,
                            mark_labels=not present)
    shown = (
        frame
        if zoom is None
        else frame[(frame["year_end"].fillna(frame["year"]) >= zoom[0]) & (frame["year"] <= zoom[1])]
    )
    if present:  # on the big screen the marks' names are read from a list beside the chart
        chart_column, list_column = st.columns([3, 1])
        with chart_column:
            page.chart(detail, key="timeline_events", data=shown.drop(columns=["span", "uid"]), name="timeline",
                       pick=EVENT_PICK)
        with list_column:
            _event_list(shown, lang)
    else:
        page.chart(detail, key="timeline_events", data=shown.drop(columns=["span", "uid"]), name="timeline",
                   pick=EVENT_PICK)
    _selected_event(frame, chosen, lang)
    table = None if present else layout.folded(page.t("timeline.table"), key="timeline_table")
    if table is not None and table.open:
        table.dataframe(
            shown[["years", "paper", "category", "label", "date_text", "source_label", "sentence"]],
            hide_index=True,
            width="stretch",
            column_config={
                "years": page.t("common.year"),
                "paper": page.t("common.paper"),
                "category": page.t("timeline.category"),
                "label": page.t("timeline.event"),
                "date_text": page.t("timeline.date_text"),
                "source_label": page.t("timeline.date_source"),
                "sentence": st.column_config.TextColumn(page.t("timeline.evidence"), width="large"),
            },
        )


EVENTS_LISTED = 18


def _event_list(shown, lang: str) -> None:
    """The events in view as lines of text, by year (presentation mode)."""
    rows = shown.sort_values(["year", "uid"])
    lines = [f"**{md(row.years)}** {md(row.label)}" for row in rows.head(EVENTS_LISTED).itertuples()]
    st.markdown("  \n".join(lines))
    if len(rows) > EVENTS_LISTED:
        st.caption(translate("timeline.more_events", lang, n=len(rows) - EVENTS_LISTED))


def _selected_event(frame, uid: str | None, lang: str) -> None:
    row = frame[frame["uid"] == uid]
    if row.empty:
        if not state.get("present"):
            st.caption(translate("timeline.pick_hint", lang))
        return
    event = row.iloc[0]
    st.subheader(f"{translate('timeline.selected', lang)}: {md(event['label'])}")
    st.markdown(
        f"**{md(event['paper'])}** · {md(event['category'])} · {md(event['date_text'] or event['years'])} · "
        f"{md(event['source_label'])}"
        + (f" · {translate('timeline.approximate', lang)}" if event["approximate"] else "")
    )
    layout.evidence(event["sentence"])
    if event["conflict"]:
        st.warning(f"{translate('timeline.conflict', lang)}: {md(event['conflict'])}", icon=":material/warning:")
    layout.source_link(event["doc_id"], event["para_id"], lang)


run_page(render)
