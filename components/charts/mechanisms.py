"""Mechanisms: a papers × axis matrix with the names in its cells, and a paper → dimension →
mechanism network. A concept named by several papers (same name after normalisation) is bold and
in the accent colour in both views; clicking a name selects it everywhere (`name` field).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import altair as alt
import pandas as pd

from components.charts import ACCENT, INK, MUTED, paper_scale, per_column, pick_first
from components.i18n import code_label, translate

MECH_PICK = pick_first("mech_pick", "name", "mech")
# A concept named by several papers: bold (Vega-Lite cannot encode weight; a per-datum
# expression can set it) and in the accent colour.
SHARED_BOLD = alt.expr("datum.shared > 1 ? 'bold' : 'normal'")
SHARED_COLOUR = alt.condition("datum.shared > 1", alt.value(ACCENT), alt.value(INK))


def _picked_colour(param: str) -> dict:
    """A name's colour: shared concepts accent, others ink; with a mechanism picked, the names
    not picked turn grey (conditions are tried in order; nothing picked matches every name)."""
    return {"condition": [{"test": {"and": [{"param": param}, "datum.shared > 1"]}, "value": ACCENT},
                          {"param": param, "value": INK}],
            "value": MUTED}
_NORMALISE = re.compile(r"[\s“”\"'《》「」()（）]")


def concept_key(name: str) -> str:
    """Names that differ only in spacing, quotes or brackets are one concept."""
    return _NORMALISE.sub("", str(name))


def mechanisms_frame(mechanisms: pd.DataFrame, short: Mapping[str, str], axis: str, lang: str) -> pd.DataFrame:
    """One row per (paper, mechanism name) with the axis value (its name in `lang`), the words that
    decided it (`reason`), rank in its cell and share count."""
    columns = ["doc_id", "paper", "name", "concept", "kind", "axis_value", "reason", "rank", "shared", "description"]
    if mechanisms.empty:
        return pd.DataFrame(columns=columns)
    data = mechanisms.copy()
    data["concept"] = data["name"].map(concept_key)
    data = data.drop_duplicates(["doc_id", "concept"])
    data["paper"] = data["doc_id"].map(lambda d: short.get(d, d))
    unassigned = translate("mech.unassigned", lang)
    data["axis_value"] = [code_label(f"mech.{axis}", v, lang) if isinstance(v, str) and v else unassigned
                          for v in data[axis]]
    # bundles written before the reasons existed have no `<axis>_reason` column
    reasons = data[f"{axis}_reason"] if f"{axis}_reason" in data.columns else pd.Series(None, index=data.index)
    data["reason"] = reasons.where(reasons.notna(), "").astype(str)
    data["kind"] = [code_label("mech_kind", k, lang) for k in data["kind"]]
    data["shared"] = data.groupby("concept")["doc_id"].transform("nunique").astype("int64")
    data = data.sort_values(["doc_id", "axis_value", "mechanism_id"])
    data["rank"] = data.groupby(["doc_id", "axis_value"]).cumcount().astype("int64")
    return data[columns].reset_index(drop=True)


def _pick(selected: str | None) -> alt.Parameter:
    return alt.selection_point(
        name=MECH_PICK.param, fields=["name"], on="click", value=[{"name": selected}] if selected else alt.Undefined
    )


def matrix_layout(frame: pd.DataFrame, axis_values: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Line numbers for the matrix: each axis value is a block as tall as its fullest cell.

    Returns the frame with `row` (0 = top line) and the blocks (axis_value, start, end, shade).
    """
    rows, blocks, start = [], [], 0
    frame = frame.copy()
    frame["row"] = 0
    for index, value in enumerate(axis_values):
        cell = frame[frame["axis_value"] == value]
        if cell.empty:
            continue
        height = int(cell["rank"].max()) + 1
        frame.loc[cell.index, "row"] = cell["rank"] + start
        blocks.append({"axis_value": value, "start": start - 0.5, "end": start + height - 0.5, "shade": index % 2})
        start += height
        rows.append(value)
    return frame, pd.DataFrame(blocks, columns=["axis_value", "start", "end", "shade"])


def matrix_chart(
    frame: pd.DataFrame,
    papers: list[str],
    axis_values: list[str],
    lang: str,
    *,
    selected: str | None = None,
    axis: str = "factor",
    row_height: int = 22,
    width: int | str = "container",
) -> alt.LayerChart:
    """Columns = papers; a block of lines per axis value (factor, level or type); names in the cells."""
    lines, blocks = matrix_layout(frame, axis_values)
    n_lines = max(1, int(blocks["end"].max() + 0.5) if not blocks.empty else 1)
    y_scale = alt.Scale(domain=[-0.5, n_lines - 0.5], reverse=True, nice=False, zero=False)
    pick = _pick(selected)
    shading = (
        alt.Chart(blocks)
        .mark_rect()
        .encode(
            y=alt.Y("start:Q", scale=y_scale, axis=None),
            y2="end:Q",
            color=alt.condition("datum.shade == 1", alt.value("#f1f3f5"), alt.value("#ffffff")),
        )
    )
    block_names = (
        alt.Chart(blocks)
        .mark_text(align="right", baseline="top", dx=-12, dy=4, fontWeight="bold", color=INK)
        .encode(x=alt.value(0), y=alt.Y("start:Q", scale=y_scale, axis=None), text="axis_value:N")
    )
    names = (
        # only the encoded columns travel to the browser
        alt.Chart(lines[["paper", "row", "name", "kind", "axis_value", "reason", "shared", "description"]])
        # names and headers shorten to their column on a narrow screen instead of running into the next
        .mark_text(baseline="middle", fontWeight=SHARED_BOLD, limit=per_column(len(papers), spare=12))
        .encode(
            x=alt.X(
                "paper:N",
                title=None,
                sort=papers,
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=per_column(len(papers)), ticks=False,
                              domain=False),
            ),
            y=alt.Y("row:Q", scale=y_scale, axis=None),
            text="name:N",
            color=_picked_colour(MECH_PICK.param),
            tooltip=[
                alt.Tooltip("name:N", title=translate("mech.name", lang)),
                alt.Tooltip("kind:N", title=translate("mech.kind", lang)),
                alt.Tooltip("axis_value:N", title=translate(f"mech.axis.{axis}", lang)),
                alt.Tooltip("reason:N", title=translate("mech.reason", lang)),
                alt.Tooltip("shared:Q", title=translate("mech.shared", lang)),
                alt.Tooltip("description:N", title=translate("timeline.evidence", lang)),
            ],
        )
        .add_params(pick)
    )
    return alt.layer(shading, block_names, names).properties(
        width=width,
        height=max(80, n_lines * row_height),
        title=translate("mech.matrix", lang),
        padding={"left": 110, "top": 5, "right": 5, "bottom": 5},
    )


def network_frames(frame: pd.DataFrame, papers: list[str], axis_values: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node positions (3 columns: paper, dimension, mechanism) and edges as two-point lines."""
    nodes: list[dict] = []
    in_frame, axes_in_frame = set(frame["paper"]), set(frame["axis_value"])
    present_papers = [p for p in papers if p in in_frame]
    present_axes = [a for a in axis_values if a in axes_in_frame]
    mech_rows = frame.drop_duplicates("concept").sort_values(["axis_value", "concept"])
    mech_rows = (
        mech_rows.set_index("axis_value")
        .loc[[a for a in present_axes if a in set(mech_rows["axis_value"])]]
        .reset_index()
        if not mech_rows.empty
        else mech_rows
    )

    def spread(items: list[str]) -> dict[str, float]:
        n = max(1, len(items))
        return {item: (i + 0.5) / n for i, item in enumerate(items)}

    pos_paper, pos_axis = spread(present_papers), spread(present_axes)
    pos_mech = spread(mech_rows["concept"].tolist())
    name_of = dict(zip(mech_rows["concept"], mech_rows["name"], strict=True))
    shared_of = dict(zip(mech_rows["concept"], mech_rows["shared"], strict=True))
    for paper, y in pos_paper.items():
        nodes.append({"node": paper, "column": 0, "y": y, "name": None, "shared": 0, "paper": paper})
    for axis_value, y in pos_axis.items():
        nodes.append({"node": axis_value, "column": 1, "y": y, "name": None, "shared": 0, "paper": None})
    for concept, y in pos_mech.items():
        nodes.append(
            {
                "node": name_of[concept],
                "column": 2,
                "y": y,
                "name": name_of[concept],
                "shared": int(shared_of[concept]),
                "paper": None,
            }
        )
    # Edges are two-point lines, numbered (an id only groups a line's two points), built column-wise:
    # with 1,000 papers there are ~8,000 of them. Paper → dimension edges first, then dimension →
    # mechanism, each line's two points together.
    pairs = frame.drop_duplicates(["paper", "axis_value"])
    n_pairs, n_mech = len(pairs), len(frame)
    pair_papers, mech_papers = pairs["paper"].tolist(), frame["paper"].tolist()
    names = frame["concept"].map(name_of).fillna(frame["name"]).tolist()
    pair_ids, mech_ids = list(range(n_pairs)), list(range(n_pairs, n_pairs + n_mech))
    edges = pd.DataFrame(
        {
            "edge": pair_ids * 2 + mech_ids * 2,
            "end": [0] * n_pairs + [1] * n_pairs + [0] * n_mech + [1] * n_mech,
            "column": [0] * n_pairs + [1] * n_pairs + [1] * n_mech + [2] * n_mech,
            "y": pairs["paper"].map(pos_paper).tolist()
            + pairs["axis_value"].map(pos_axis).tolist()
            + frame["axis_value"].map(pos_axis).tolist()
            + frame["concept"].map(pos_mech).tolist(),
            "paper": pair_papers * 2 + mech_papers * 2,
            "name": [None] * (2 * n_pairs) + names * 2,
        }
    )
    return pd.DataFrame(nodes), edges.sort_values(["edge", "end"], kind="stable", ignore_index=True)


def network_chart(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    papers: list[str],
    lang: str,
    *,
    selected: str | None = None,
    height: int = 560,
    width: int | str = "container",
) -> alt.LayerChart:
    x = alt.X("column:Q", axis=None, scale=alt.Scale(domain=[-0.35, 2.6]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[1.0, 0.0]))
    pick = _pick(selected)
    lines = (
        alt.Chart(edges)
        .mark_line(strokeWidth=1.6)
        .encode(
            x=x,
            y=y,
            detail="edge:N",
            order="end:Q",
            # the picked mechanism's lines keep their paper's colour, the others turn grey
            color=alt.condition(pick, alt.Color("paper:N", scale=paper_scale(papers), title=translate("common.paper", lang)),
                                alt.value(MUTED)),
        )
    )
    points = (
        alt.Chart(nodes)
        .mark_circle(size=120, opacity=1)  # Vega-Lite draws points at 0.7 unless told
        .encode(
            x=x,
            y=y,
            color=alt.condition("datum.shared > 1", alt.value(ACCENT), alt.value(MUTED)),
        )
    )
    labels = (
        alt.Chart(nodes)
        .mark_text(
            dx=9,
            align="left",
            fontWeight=alt.expr("datum.column != 2 || datum.shared > 1 ? 'bold' : 'normal'"),
            limit=per_column(3, spare=14),  # three columns of nodes: a label stops before the next one
        )
        .encode(
            x=x,
            y=y,
            text="node:N",
            color=_picked_colour(MECH_PICK.param),
            tooltip=[alt.Tooltip("node:N", title=translate("mech.name", lang))],
        )
        .add_params(pick)
    )
    return alt.layer(lines, points, labels).properties(
        width=width, height=height, title=translate("mech.network", lang)
    )
