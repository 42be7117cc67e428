"""Overview: events, mechanisms and policies counted per paper; a click selects the paper."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from components.charts import INK, MUTED, Pick, per_column, picked_values
from components.i18n import translate

# a click selects that one paper for every page
PAPER_PICK = Pick("paper_pick", lambda picked: {"papers": picked_values(picked, "doc_id")[:1]})
KINDS = ("events", "mechanisms", "policies")
KIND_COLOURS = ["#1f5f8b", "#2a9d8f", "#a06a14"]


def counts_frame(
    tables: Mapping[str, pd.DataFrame], doc_ids: list[str], short: Mapping[str, str], lang: str
) -> pd.DataFrame:
    rows = []
    for kind in KINDS:
        table = tables.get(kind, pd.DataFrame(columns=["doc_id"]))
        per_doc = table.groupby("doc_id").size() if not table.empty else pd.Series(dtype="int64")
        for doc_id in doc_ids:
            rows.append(
                {
                    "doc_id": doc_id,
                    "paper": short.get(doc_id, doc_id),
                    "kind": kind,
                    "kind_label": translate(f"overview.kind.{kind}", lang),
                    "count": int(per_doc.get(doc_id, 0)),
                }
            )
    return pd.DataFrame(rows)


def counts_chart(
    frame: pd.DataFrame,
    papers: list[str],
    lang: str,
    *,
    selected: str | None = None,
    height: int = 300,
    width: int | str = "container",
) -> alt.LayerChart:
    pick = alt.selection_point(
        name=PAPER_PICK.param, fields=["doc_id"], on="click", value=[{"doc_id": selected}] if selected else alt.Undefined
    )
    kinds = [translate(f"overview.kind.{k}", lang) for k in KINDS]
    base = alt.Chart(frame).encode(
        x=alt.X("paper:N", title=None, sort=papers, axis=alt.Axis(labelAngle=0, labelLimit=per_column(len(papers)))),
        xOffset=alt.XOffset("kind_label:N", sort=kinds),
        y=alt.Y("count:Q", title=translate("common.count", lang)),
    )
    bars = (
        base.mark_bar(cornerRadiusEnd=3)
        .encode(
            # the other papers' bars turn grey (not faded: they stay readable on a projector)
            color=alt.condition(
                pick,
                alt.Color("kind_label:N", title=translate("overview.kind", lang),
                          scale=alt.Scale(domain=kinds, range=KIND_COLOURS)),
                alt.value(MUTED),
            ),
            tooltip=[
                alt.Tooltip("paper:N", title=translate("common.paper", lang)),
                alt.Tooltip("kind_label:N", title=translate("overview.kind", lang)),
                alt.Tooltip("count:Q", title=translate("common.count", lang)),
            ],
        )
        .add_params(pick)
    )
    labels = base.mark_text(dy=-8, color=INK).encode(text="count:Q")
    return alt.layer(bars, labels).properties(width=width, height=height, title=translate("overview.counts", lang))
