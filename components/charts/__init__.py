"""Pure chart builders: DataFrames in, `alt.Chart` out; no Streamlit, testable on their own.

Shared here: the font stack (the pip-installed Noto Sans SC first, so the server-side PNG/SVG
export renders the same glyphs the browser shows), the paper palette, short paper labels, and
`style()`, which sizes type for a screen or a projector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import altair as alt
from altair.utils import schemapi

# Altair's defaults cost most of a page's server time (measured with scripts/bench_app.py):
# - "debug mode" validates every schema object against the Vega-Lite JSON schema as it is made;
#   the finished chart is still validated once when Streamlit serialises it (`to_dict()`).
schemapi.disable_debug_mode()
# - each shorthand channel ("paper:N") or condition dict is turned into a channel object through a
#   lookup table of all ~800 schema classes, JSON-hashed afresh on every call (~14 ms each, several
#   per chart). The table depends on the class alone: build it once per class.
_CONVERTERS: dict[type, object] = {}


def _from_dict(cls, dct, validate=True):
    if validate:
        cls.validate(dct)
    converter = _CONVERTERS.get(cls)
    if converter is None:
        converter = _CONVERTERS[cls] = schemapi._FromDict(cls._default_wrapper_classes())
    return converter.from_dict(dct, cls)


if hasattr(schemapi, "_FromDict"):  # the internals this relies on (altair 5.4–6.x)
    schemapi.SchemaBase.from_dict = classmethod(_from_dict)

@dataclass(frozen=True)
class Pick:
    """A chart's selection parameter and what a click on it changes in the global selection.

    Declared next to the builder that names the parameter and handed to `layout.show_chart`
    with the chart, so one place says what a click means. `changes(picked)` receives the
    parameter's value as Streamlit reports it: a list of the picked points' fields, an
    interval `{field: [lo, hi]}`, or None when the selection was cleared.
    """

    param: str
    changes: Callable[[Any], dict[str, Any]]


def picked_values(picked: Any, field: str) -> list[str]:
    """The `field` of every picked point (none when nothing is picked)."""
    if not isinstance(picked, list):
        return []
    return [str(p[field]) for p in picked if isinstance(p, dict) and p.get(field) is not None]


def pick_first(param: str, field: str, target: str) -> Pick:
    """A point selection whose first point's `field` becomes selection field `target` (None when cleared)."""
    return Pick(param, lambda picked: {target: (picked_values(picked, field) or [None])[0]})


# "Noto Sans SC" is the family name of the font registered with vl-convert (components.export);
# browsers fall back along the list.
FONT = "Noto Sans SC, Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PAPER_COLOURS = [
    "#1f5f8b",
    "#c8553d",
    "#2a9d8f",
    "#8e6c8a",
    "#a06a14",
    "#4f772d",
    "#6c757d",
    "#b5838d",
    "#3d5a80",
    "#9c6644",
]
ACCENT = "#c8553d"
# Unselected or secondary marks: grey, still 4.6:1 on white (a projector washes out anything lighter;
# marks are never dimmed with opacity, which would drop them below 3:1).
MUTED = "#6b7785"
INK = "#1b2733"
SHORT_LABEL_CHARS = 14


def short_labels(labels: Mapping[str, str], limit: int = SHORT_LABEL_CHARS) -> dict[str, str]:
    """doc_id -> a label short enough for a legend or axis, still unique across papers."""
    short: dict[str, str] = {}
    used: set[str] = set()
    for doc_id, label in labels.items():
        text = str(label or doc_id).strip()
        candidate = text if len(text) <= limit else text[: limit - 1] + "…"
        if candidate in used:
            candidate = f"{candidate} ({doc_id[:3]})"
        used.add(candidate)
        short[doc_id] = candidate
    return short


def per_column(columns: int, spare: int = 8, cap: int = 320) -> alt.ExprRef:
    """A text width that fits one of `columns` columns of the chart, whatever its width: labels of
    a paper axis then shorten on a phone instead of printing over each other."""
    return alt.ExprRef(f"min({cap}, max(24, width / {max(1, columns)} - {spare}))")


def side_labels(share: float, cap: int) -> alt.ExprRef:
    """A y-axis label width that is a `share` of the chart's container, at most `cap` px. Not of
    the plot's `width`: with `fit-x` the plot's width depends on its labels, Vega chased the two
    and a chart of long names ran out of its column on the left (1366 px, half-width columns).
    Where there is no container (the server-side export) the cap."""
    return alt.ExprRef(f"containerSize()[0] > 0 ? min({cap}, containerSize()[0] * {share}) : {cap}")


def paper_scale(papers: Iterable[str]) -> alt.Scale:
    """One colour per paper, in corpus order, so a paper keeps its colour on every page."""
    domain = list(dict.fromkeys(papers))
    return (
        alt.Scale(domain=domain, range=PAPER_COLOURS)
        if len(domain) <= len(PAPER_COLOURS)
        else alt.Scale(domain=domain, scheme="tableau20")
    )


def style(chart: alt.TopLevelMixin, large: bool = False) -> alt.TopLevelMixin:
    """Fonts and sizes: `large` is presentation mode (read from the back of a room).

    Also sets autosize: Streamlit would otherwise pick `fit`, which squeezes axes, title and
    legend into the given height (a 70 px strip kept no room for its bars). `fit-x` fits the
    width to the page and leaves `height` to the plotting area; facets cannot fit and pad.
    """
    base = 18 if large else 13
    fit = "pad" if isinstance(chart, alt.FacetChart) else "fit-x"
    config = alt.Config(
        font=FONT,
        background="#ffffff",
        axis=alt.AxisConfig(
            # drop labels that would touch or nearly touch (a narrow chart has room for fewer)
            labelOverlap="greedy",
            labelSeparation=6,
            labelFontSize=base,
            titleFontSize=base + 1,
            labelColor=INK,
            titleColor=INK,
            gridColor="#e3e7eb",
            domainColor="#9aa5b1",
        ),
        # Chinese reads badly turned 90°: the y title sits level, above the axis.
        axisY=alt.AxisConfig(titleAngle=0, titleAlign="right", titleBaseline="bottom", titleX=0, titleY=-14),
        # about one tick per 70 px (a year axis on a phone: 2000, 2010, …, not one per 18 px)
        axisXQuantitative=alt.AxisConfig(tickCount=alt.ExprRef("ceil(width / 70)")),
        axisYQuantitative=alt.AxisConfig(tickCount=alt.ExprRef("ceil(height / 40)")),
        legend=alt.LegendConfig(
            labelFontSize=base,
            titleFontSize=base + 1,
            labelLimit=420,
            symbolSize=140 if large else 100,
            orient="bottom",
        ),
        header=alt.HeaderConfig(labelFontSize=base + 1, titleFontSize=base + 1, labelColor=INK),
        title=alt.TitleConfig(fontSize=base + 5, anchor="start", color=INK, offset=10),
        view=alt.ViewConfig(stroke=None),
        text=alt.MarkConfig(font=FONT, fontSize=base),
    )
    # One shallow copy: chained .configure_*() calls would deep-copy the chart (and its data) each.
    styled = chart.copy(deep=False)
    styled.autosize = alt.AutoSizeParams(type=fit, contains="padding")
    styled.config = config
    return styled
