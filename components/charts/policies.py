"""Policy heatmaps: domain × paper counts and policy tool × domain. A click selects the cell."""

from __future__ import annotations

import json
from collections.abc import Mapping

import altair as alt
import pandas as pd

from components.charts import ACCENT, INK, Pick, per_column
from components.i18n import code_label, translate


def _cell(target_pdoc: bool):
    def changes(picked) -> dict:
        cell = picked[0] if isinstance(picked, list) and picked else {}
        return {"domain": cell.get("domain"), "pdoc": cell.get("doc_id") if target_pdoc else None,
                "tool": None if target_pdoc else cell.get("tool")}

    return changes


# a cell of domain × paper, or of tool × domain: each clears the other's half of the selection
HEAT_RANGE = ["#4a90c2", "#08306b"]
DOMAIN_PAPER_PICK = Pick("cell_pick", _cell(target_pdoc=True))
TOOL_DOMAIN_PICK = Pick("cell_pick", _cell(target_pdoc=False))


def policies_frame(policies: pd.DataFrame, short: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Policies with translated domain/tool names next to their codes."""
    data = policies.copy()
    data["paper"] = data["doc_id"].map(lambda d: short.get(d, d))
    data["domain_label"] = [code_label("policy.domain", d, lang) for d in data["domain"]]
    data["tool_label"] = [code_label("policy.tool", t, lang) for t in data["tool"]]
    return data


def domain_paper_counts(frame: pd.DataFrame) -> pd.DataFrame:
    return (
        frame.groupby(["domain", "domain_label", "doc_id", "paper"], as_index=False)
        .size()
        .rename(columns={"size": "count"})
    )


def tool_domain_counts(frame: pd.DataFrame) -> pd.DataFrame:
    return (
        frame.groupby(["tool", "tool_label", "domain", "domain_label"], as_index=False)
        .size()
        .rename(columns={"size": "count"})
    )


def _heat(
    counts: pd.DataFrame,
    x: alt.X,
    y: alt.Y,
    fields: list[str],
    value: dict | None,
    tooltip: list,
    title: str,
    width,
    height: int,
    domain: str | None = None,
) -> alt.LayerChart:
    """`value`: the picked cell; `domain`: the selected domain, outlined wherever it stands (a cell
    picked in the other heatmap shows here as its domain)."""
    pick = alt.selection_point(name=DOMAIN_PAPER_PICK.param, fields=fields, on="click", value=[value] if value else alt.Undefined)
    base = alt.Chart(counts).encode(x=x, y=y)
    cells = (
        base.mark_rect(cornerRadius=3)
        .encode(
            # from a mid blue (3.5:1 on white: a count of 1 stays visible) to navy
            color=alt.Color("count:Q", scale=alt.Scale(range=HEAT_RANGE, domainMin=1, zero=False), legend=None),
            stroke=_outline(pick.name, domain, ACCENT, ACCENT, None),
            strokeWidth=_outline(pick.name, domain, 4, 1.5, 0),  # the picked cell thick, its domain's others thin
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    text = base.mark_text(fontWeight="bold").encode(
        text="count:Q",
        color=alt.condition("datum.count >= 3", alt.value("#ffffff"), alt.value(INK)),
    )
    return alt.layer(cells, text).properties(width=width, height=height, title=title)


def _outline(param: str, domain: str | None, picked, related, off) -> dict:
    """The picked cell `picked`, the other cells of the selected domain `related` (tried in order)."""
    conditions = [{"param": param, "empty": False, "value": picked}]
    if domain:
        conditions.append({"test": f"datum.domain === {json.dumps(domain)}", "value": related})  # JSON: a Vega string
    return {"condition": conditions, "value": off}


def domain_paper_heatmap(
    counts: pd.DataFrame,
    papers: list[str],
    domains: list[str],
    lang: str,
    *,
    selected: dict | None = None,
    row_height: int = 44,
    width: int | str = "container",
    domain: str | None = None,
) -> alt.LayerChart:
    """Rows = policy domains, columns = papers; `selected` = {"domain": …, "doc_id": …}."""
    x = alt.X("paper:N", title=None, sort=papers, axis=alt.Axis(orient="top", labelAngle=0, labelLimit=per_column(len(papers))))
    y = alt.Y("domain_label:N", title=translate("policy.domain", lang), sort=domains)
    tooltip = [
        alt.Tooltip("domain_label:N", title=translate("policy.domain", lang)),
        alt.Tooltip("paper:N", title=translate("common.paper", lang)),
        alt.Tooltip("count:Q", title=translate("common.count", lang)),
    ]
    return _heat(
        counts,
        x,
        y,
        ["domain", "doc_id"],
        selected,
        tooltip,
        translate("policy.heatmap", lang),
        width,
        max(160, row_height * len(domains)),
        domain,
    )


def tool_domain_heatmap(
    counts: pd.DataFrame,
    tools: list[str],
    domains: list[str],
    lang: str,
    *,
    selected: dict | None = None,
    height: int = 180,
    width: int | str = "container",
    domain: str | None = None,
) -> alt.LayerChart:
    """Rows = policy tools (supply, environment, demand), columns = domains."""
    x = alt.X(
        "domain_label:N",
        title=translate("policy.domain", lang),
        sort=domains,
        axis=alt.Axis(labelAngle=0 if len(domains) <= 8 else -30, labelLimit=per_column(len(domains), cap=160)),
    )
    y = alt.Y("tool_label:N", title=translate("policy.tool", lang), sort=tools)
    tooltip = [
        alt.Tooltip("tool_label:N", title=translate("policy.tool", lang)),
        alt.Tooltip("domain_label:N", title=translate("policy.domain", lang)),
        alt.Tooltip("count:Q", title=translate("common.count", lang)),
    ]
    return _heat(
        counts, x, y, ["tool", "domain"], selected, tooltip, translate("policy.tool_domain", lang), width, height, domain
    )
