"""Page furniture shared by all pages: CSS (normal and presentation), chart + export row,
page header, "show source" links."""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd
import streamlit as st

from components import export, state
from components.charts import Pick, style
from components.guard import TABS
from components.i18n import translate
from components.safe import html_text, md  # noqa: F401  (md: re-exported for older imports)

_BASE_CSS = """
<style>
.block-container {padding-top: 2.2rem; max-width: 1800px;}
mark.kwic-hit {background: #fde2b8; color: #1b2733; padding: 0 .15em; border-radius: 3px; font-weight: 600;}
.kwic-line {font-size: 1.02rem; line-height: 1.9; display: grid; align-items: baseline; column-gap: .35em;
  grid-template-columns: minmax(6em, 13em) minmax(0, 1fr) auto minmax(0, 1fr);}
.kwic-line > span {white-space: nowrap; overflow: hidden;}
.kwic-paper {color: #52606d; font-size: .85em; text-overflow: ellipsis;}
/* the left context ends at the keyword: its start is what gets cut */
.kwic-left {color: #3e4c59; display: flex; justify-content: flex-end;}
.kwic-left > span {flex: none;}
.kwic-right {color: #3e4c59; text-overflow: ellipsis;}
.reader mark.hl-term {background: #fde2b8; font-weight: 600;}
.reader {font-size: 1.08rem; line-height: 1.95; max-width: 62em;}
.reader p.para {margin: .35em 0 .9em 0; padding: .1em .6em; border-left: 3px solid transparent;}
.reader p.para.target {border-left: 4px solid #c8553d; background: #fff6ee;}
.reader .pid {color: #9aa5b1; font-size: .72em; margin-right: .6em; user-select: none;}
.reader mark.hl {padding: 0 .1em; border-radius: 3px; color: inherit;}
.reader mark.hl-event {background: #d7e8f5;}
.reader mark.hl-mechanism {background: #d8f0e6;}
.reader mark.hl-policy {background: #fbe7c6;}
.reader mark.hl-event.hl-policy, .reader mark.hl-event.hl-mechanism, .reader mark.hl-mechanism.hl-policy
  {background: #e8dcf0;}
.legend-chip {display: inline-block; padding: .05em .55em; border-radius: 3px; margin-right: .5em;}
.evidence {font-size: 1.05rem; line-height: 1.8; padding: .6em .9em; background: #f4f6f8;
  border-left: 4px solid #1f5f8b; border-radius: 3px;}
</style>
"""

# Presentation: no sidebar, no controls, big type, each chart a screen high.
_PRESENT_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], .present-hide {display: none !important;}
html, body, [data-testid="stAppViewContainer"] {font-size: 21px;}
.block-container {padding-top: 3.6rem; max-width: 100%; padding-left: 3rem; padding-right: 3rem;}
h1 {font-size: 2.3rem !important;} h2, h3 {font-size: 1.7rem !important;}
</style>
"""


# Streamlit's own English in its widgets (no parameter sets it): the words are hidden and ours are
# drawn in their place, in the UI language. The words are ours (translations.yaml), never data.
_WIDGET_WORDS_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[role="option"][data-key="__select_all__"] > div {{visibility: hidden; font-size: 0 !important;}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after,
[role="option"][data-key="__select_all__"] > div::after {{visibility: visible; font-size: 1rem;}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{content: "{upload}";}}
[role="option"][data-key="__select_all__"] > div::after {{content: "{select_all}";}}
</style>
"""


def inject_css(present: bool, lang: str = "zh") -> None:
    words = {name: translate(f"widget.{name}", lang).replace("\\", "").replace('"', "") for name in ("upload", "select_all")}
    st.html(_BASE_CSS + _WIDGET_WORDS_CSS.format(**words) + (_PRESENT_CSS if present else ""))


def header(page: str, lang: str, present: bool) -> None:
    """Page title, intro line (not when presenting) and the presentation exit button."""
    if present:
        # a fifth of the width: room for the longest label (Exit presentation mode) at 1366 px
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.title(translate(f"page.{page}", lang))
        right.button(
            translate("present.exit", lang),
            on_click=state.update,
            kwargs={"present": False},
            icon=":material/close_fullscreen:",
            key="exit_present",
            width="stretch",
        )
        return
    st.title(translate(f"page.{page}", lang))
    st.caption(translate(f"{_INTRO.get(page, page)}.intro", lang))


_INTRO = {"mechanisms": "mech", "policies": "policy"}


def view_tabs(field: str, lang: str):
    """A page's tabs (guard.TABS[field]) of which only the open one is computed and sent: the
    page's first paint draws that tab's charts only (Streamlit's lazy tabs, `.open`). The open
    tab is selection field `field` (None: the first), so a shared link opens the same tab.
    Returns the open tab's id and its container."""
    ids = TABS[field]
    labels = {tab: translate(f"tab.{field}.{tab}", lang) for tab in ids}
    current = state.get(field) if state.get(field) in ids else ids[0]
    key = f"w_{field}"
    if st.session_state.get(key) != labels[current]:  # the selection (a link, a reset) wins over the browser
        st.session_state[key] = labels[current]
    containers = st.tabs(list(labels.values()), key=key, on_change=_tab_changed, args=(field, labels))
    return current, containers[ids.index(current)]


def _tab_changed(field: str, labels: dict[str, str]) -> None:
    opened = next((tab for tab, label in labels.items() if label == st.session_state.get(f"w_{field}")), None)
    state.update(**{field: None if opened == TABS[field][0] else opened})


def folded(label: str, key: str):
    """A section folded until asked for, whose content runs only when open (Streamlit's lazy
    expander: `.open`). A table below the charts then costs nothing on first paint: the table's
    browser code alone was ~110 ms, an eighth of a blank page's load (measured on /timeline)."""
    return st.expander(label, expanded=False, key=key, on_change="rerun", icon=":material/table:")


def chart_height(normal: int, present: bool) -> int:
    """A screen-high chart when presenting (1080p minus the top bar and title)."""
    return 680 if present else normal


def show_chart(
    chart: alt.TopLevelMixin,
    *,
    key: str,
    data: pd.DataFrame,
    name: str,
    present: bool,
    lang: str,
    pick: Pick | None = None,
    exports: bool = True,
):
    """Draw a chart with PNG / SVG / CSV downloads (`exports`; never when presenting); with `pick`,
    a click on it changes the global selection as the Pick says (applied by the callback, before
    the next run starts)."""
    styled = style(chart, large=present)
    # Streamlit serialises the chart with `to_dict()`, which validates the whole spec against the
    # Vega-Lite JSON schema: about half of a chart page's server time. The builders' specs are
    # validated by the tests; the served copy skips it (the exports still validate).
    served = _unvalidated(styled)
    if pick is not None:
        widget = state.chart_key(key)
        result = st.altair_chart(
            served,
            key=widget,
            on_select=functools.partial(state.apply_pick, widget, pick.param, pick.changes),
            selection_mode=[pick.param],
            theme=None,
            width="stretch",
        )
    else:
        result = st.altair_chart(served, key=key, theme=None, width="stretch")
    if exports and not present:
        downloads(styled, key=key, data=data, name=name, lang=lang)
    return result


def _unvalidated(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A shallow copy whose `to_dict()` skips the JSON-schema validation."""
    served = chart.copy(deep=False)
    to_dict = served.to_dict
    # object.__setattr__: Altair's own __setattr__ would store it as a chart property
    object.__setattr__(served, "to_dict", lambda validate=False, **kwargs: to_dict(validate=validate, **kwargs))
    return served


# The export formats: (suffix, MIME type, icon, how the file is made from the chart and its data).
EXPORTS = (
    ("png", "image/png", ":material/image:", lambda chart, data: export.to_png(chart)),
    ("svg", "image/svg+xml", ":material/draw:", lambda chart, data: export.to_svg(chart)),
    ("csv", "text/csv", ":material/table:", lambda chart, data: export.to_csv(data)),
)


def downloads(chart: alt.TopLevelMixin, *, key: str, data: pd.DataFrame, name: str, lang: str) -> None:
    """One small "export" popover under the chart; files are made only when clicked."""
    with st.popover(translate("common.export", lang), icon=":material/download:"):
        for suffix, mime, icon, make in EXPORTS:
            st.download_button(
                translate(f"common.download_{suffix}", lang),
                data=functools.partial(make, chart, data),
                file_name=f"{name}.{suffix}",
                mime=mime,
                key=f"dl_{suffix}_{key}",
                on_click="ignore",
                icon=icon,
                width="stretch",
            )


def papers_capped(drawn: int, in_view: int, lang: str) -> None:
    """Say so when a per-paper chart draws fewer papers than are in view (views.MAX_PAPERS_DRAWN)."""
    if in_view > drawn and not state.get("present"):
        st.caption(translate("common.papers_capped", lang, shown=drawn, n=in_view))


def source_link(doc_id: str, para_id: str | None, lang: str, *, label: str | None = None) -> None:
    """Link to the Reader at the paragraph (the target of every "show source")."""
    from components.shell import page

    params = {"doc": doc_id, **({"para": para_id} if para_id else {})}
    st.page_link(
        page("reader", lang),
        label=label or translate("common.show_source", lang),
        icon=":material/menu_book:",
        query_params=params,
    )


def evidence(text: str) -> None:
    """A quoted sentence from a paper, escaped."""
    st.html(f'<div class="evidence">{html_text(text)}</div>')


def bursts_table(bursts: pd.DataFrame, lang: str, *, key: str, fields: tuple[str, ...], present: bool,
                 rows: int = 30) -> None:
    """Kleinberg bursts as CiteSpace lists them (term, strength, begin, end); a clicked row's term
    becomes each selection field of `fields` (`term`; `kw` and `term` on 文献计量)."""
    if bursts.empty:
        st.caption(translate("terms.no_bursts", lang))
        return
    if not present:
        st.caption(translate("terms.bursts_help", lang))
    shown = bursts.head(rows)
    st.session_state[f"_{key}_terms"] = list(shown["term"])
    st.dataframe(
        shown.rename(columns={c: translate(f"terms.burst_{c}", lang) for c in shown.columns}),
        hide_index=True, width="stretch", key=key, on_select=functools.partial(_burst_picked, key, fields),
        selection_mode="single-row",
        column_config={translate("terms.burst_strength", lang): st.column_config.NumberColumn(format="%.2f"),
                       translate("terms.burst_begin", lang): st.column_config.NumberColumn(format="%d"),
                       translate("terms.burst_end", lang): st.column_config.NumberColumn(format="%d")},
    )


def _burst_picked(key: str, fields: tuple[str, ...]) -> None:
    picked = st.session_state[key].selection.rows
    terms = st.session_state.get(f"_{key}_terms", [])
    if picked and picked[0] < len(terms):
        state.update(**dict.fromkeys(fields, terms[picked[0]]))
