"""The word cloud as a chart: terms placed on an Archimedean spiral, drawn by Vega as text in the
served font, clickable like a term bar (its selection is the same `term_pick`).

Why not an image from the `wordcloud` package: it renders every word's glyphs on the server
to find room for it, which cost the server ~60 MB and made every Terms run slower under 20
concurrent sessions (scripts/load.py), and an image cannot be clicked. Chinese glyphs are
square, so a term's box is known from its characters and font size without rendering:
CJK characters one em wide, others about 0.6 em. (The PNG of `components/wordcloud.py`, made
with that package, is still offered as a download, drawn only when asked for.)
"""

from __future__ import annotations

import unicodedata
import zlib

import altair as alt
import numpy as np
import pandas as pd

from components.charts import INK
from components.charts.terms import TERM_PICK  # a word click means what a bar click means
from components.i18n import translate

# The layout's own coordinate box; the chart scales positions to its width and height and font
# sizes by the smaller of the two ratios, so boxes that did not overlap here never overlap there.
LAYOUT_WIDTH, LAYOUT_HEIGHT = 900, 520
CELL = 4  # px per occupancy-grid cell
MIN_SIZE = 13
MIN_SHOWN_SIZE = 9  # px on screen
# Dark enough to read on white from the back of a room (each ≥ 4.5:1 against #ffffff).
PALETTE = ["#1f5f8b", "#b5472f", "#1e6e64", "#7a5577", "#8a5a00", "#3d5a80"]


def text_width(term: str, size: float) -> float:
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in term)


def cloud_layout(counts: pd.DataFrame, *, max_words: int = 120, width: int = LAYOUT_WIDTH,
                 height: int = LAYOUT_HEIGHT) -> pd.DataFrame:
    """`term`, `count` rows (largest first) → the terms that fit, with centre `x`, `y` and font
    `size` in a width × height box. Deterministic: the same counts give the same cloud."""
    rows = counts[counts["count"] > 0].head(max_words)
    if rows.empty:
        return pd.DataFrame(columns=["term", "count", "x", "y", "size", "colour"])
    grid = np.zeros((height // CELL, width // CELL), dtype=np.int32)
    top = float(rows["count"].iloc[0])
    longest = max(1, len(str(rows["term"].iloc[0])))
    max_size = min(height * 0.2, width * 0.55 / longest)
    spiral = _spiral(grid.shape)
    placed = []
    for term, count in zip(rows["term"].astype(str), rows["count"], strict=True):
        size = max(MIN_SIZE, max_size * (float(count) / top) ** 0.5)
        while size >= MIN_SIZE:
            spot = _first_free(grid, spiral, text_width(term, size), size * 1.15)
            if spot is not None:
                x0, y0, w, h = spot
                grid[y0:y0 + h, x0:x0 + w] = 1
                placed.append((term, int(count), (x0 + w / 2) * CELL, (y0 + h / 2) * CELL, round(size, 1)))
                break
            size *= 0.85  # no room at this size: try smaller, as wordcloud does
    frame = pd.DataFrame(placed, columns=["term", "count", "x", "y", "size"])
    frame["colour"] = [PALETTE[zlib.crc32(t.encode()) % len(PALETTE)] for t in frame["term"]]
    return frame


def _spiral(shape: tuple[int, int]) -> np.ndarray:
    """Grid points on a spiral out from the centre, stretched to the box's aspect, nearest first."""
    rows, cols = shape
    turns = np.linspace(0, 60 * np.pi, 12_000)
    radius = turns / turns[-1] * max(rows, cols) * 0.75
    xs = cols / 2 + radius * np.cos(turns) * (cols / rows)
    ys = rows / 2 + radius * np.sin(turns)
    points = np.stack([np.round(xs), np.round(ys)], axis=1).astype(int)
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)]


def _first_free(grid: np.ndarray, spiral: np.ndarray, width_px: float, height_px: float):
    """The first spiral point where a box of this size (plus a cell of margin) lies on free cells."""
    rows, cols = grid.shape
    w, h = int(np.ceil(width_px / CELL)) + 1, int(np.ceil(height_px / CELL)) + 1
    if w > cols or h > rows:
        return None
    x0 = spiral[:, 0] - w // 2
    y0 = spiral[:, 1] - h // 2
    inside = (x0 >= 0) & (y0 >= 0) & (x0 + w <= cols) & (y0 + h <= rows)
    x0, y0 = x0[inside], y0[inside]
    if not len(x0):
        return None
    summed = np.zeros((rows + 1, cols + 1), dtype=np.int32)
    summed[1:, 1:] = grid.cumsum(0).cumsum(1)
    taken = summed[y0 + h, x0 + w] - summed[y0, x0 + w] - summed[y0 + h, x0] + summed[y0, x0]
    free = np.flatnonzero(taken == 0)
    return None if not len(free) else (int(x0[free[0]]), int(y0[free[0]]), w, h)


def cloud_chart(layout: pd.DataFrame, lang: str, *, selected: str | None = None, height: int = 420) -> alt.Chart:
    """The laid-out terms as text marks; a click selects the term."""
    pick = alt.selection_point(
        name=TERM_PICK.param, fields=["term"], on="click", clear="dblclick",
        value=[{"term": selected}] if selected else alt.Undefined,
    )
    ratio = f"min(width / {LAYOUT_WIDTH}, height / {LAYOUT_HEIGHT})"
    hidden = alt.Axis(labels=False, ticks=False, domain=False, grid=False, title=None)
    return (
        alt.Chart(layout)
        .mark_text(baseline="middle", align="center", cursor="pointer")
        .encode(
            x=alt.X("x:Q", scale=alt.Scale(domain=[0, LAYOUT_WIDTH], nice=False, zero=False), axis=hidden),
            y=alt.Y("y:Q", scale=alt.Scale(domain=[LAYOUT_HEIGHT, 0], nice=False, zero=False), axis=hidden),
            text="term:N",
            size=alt.Size("size:Q", legend=None,
                          scale=alt.Scale(type="linear", domain=[0, 100], range=[0, alt.ExprRef(f"100 * {ratio}")])),
            color=alt.Color("colour:N", scale=None),
            # the picked term is outlined; the others keep their colour (dimming them would drop
            # their contrast below 3:1 on a projector)
            stroke=alt.condition(pick, alt.value(INK), alt.value(None)) if selected else alt.value(None),
            strokeWidth=alt.value(1.2),
            tooltip=[alt.Tooltip("term:N", title=translate("common.term", lang)),
                     alt.Tooltip("count:Q", title=translate("common.count", lang))],
        )
        # on a narrow screen the smallest words would shrink below legibility: they are left out
        .transform_filter(f"datum.size * {ratio} >= {MIN_SHOWN_SIZE}")
        .add_params(pick)
        .properties(height=height, width="container")
    )
