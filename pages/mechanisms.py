"""机制比较 Mechanisms: papers × factor/level/type matrix with names in cells, a paper → dimension →
mechanism network; a clicked mechanism shows its defining sentences across papers, each with the
words that aligned it."""

import streamlit as st

from components import data, layout, state
from components.charts.mechanisms import (
    MECH_PICK,
    concept_key,
    matrix_chart,
    mechanisms_frame,
    network_chart,
    network_frames,
)
from components.guard import AXES
from components.i18n import code_label, translate
from components.page import PageContext
from components.safe import md
from components.shell import run_page
from components.views import by_docs


def render(page: PageContext) -> None:
    lang, present, short = page.lang, page.present, page.labels
    page.years_not_applied()
    in_view = page.drawn
    papers = page.paper_names(in_view)
    axis = state.get("axis")
    if not present:
        st.radio(
            page.t("mech.axis"),
            AXES,
            format_func=lambda a: translate(f"mech.axis.{a}", lang),
            horizontal=True,
            key=state.widget_key("axis"),
            on_change=state.on_widget_change,
            args=("axis",),
        )
    page.papers_capped()
    mechanisms = by_docs(page.corpus.table("mechanisms"), in_view)
    frame = mechanisms_frame(mechanisms, short, axis, lang)
    if frame.empty:
        st.info(page.t("data.empty_selection"), icon=":material/info:")
        return
    axis_values = _axis_order(frame, axis, lang)
    chosen = state.get("mech")
    matrix = matrix_chart(frame, papers, axis_values, lang, selected=chosen, axis=axis,
                          row_height=30 if present else 22)
    page.chart(matrix, key="mech_matrix", data=frame, name="mechanism_matrix", pick=MECH_PICK)
    _definitions(mechanisms, chosen, short, lang)
    nodes, edges = network_frames(frame, papers, axis_values)
    network = network_chart(
        nodes, edges, papers, lang, selected=chosen,
        height=page.height(max(420, 24 * len(nodes[nodes["column"] == 2]))),
    )
    page.chart(network, key="mech_network", data=frame, name="mechanism_network", pick=MECH_PICK)


def _axis_order(frame, axis: str, lang: str) -> list[str]:
    """Axis values in the lexicon's order (mechanism_axes.yaml), others after them, unassigned last."""
    known = [code_label(f"mech.{axis}", code, lang) for code in data.lexicon().order(f"mech.{axis}")]
    present_values = set(frame["axis_value"])
    unassigned = translate("mech.unassigned", lang)
    ordered = [v for v in known if v in present_values]
    rest = sorted(present_values - set(ordered) - {unassigned})
    return ordered + rest + ([unassigned] if unassigned in present_values else [])


def _definitions(mechanisms, chosen: str | None, short: dict, lang: str) -> None:
    if not chosen:
        if not state.get("present"):
            st.caption(translate("mech.pick_hint", lang))
        return
    rows = mechanisms[mechanisms["name"].map(concept_key) == concept_key(chosen)]
    st.subheader(translate("mech.definitions", lang, name=md(chosen)))
    for row in rows.itertuples():
        kind = code_label("mech_kind", row.kind, lang)
        cited = "" if row.own else f" · {translate('mech.cited', lang)}"
        st.markdown(f"**{md(short.get(row.doc_id, row.doc_id))}** · {md(row.name)} · {md(kind)}{cited}")
        aligned = _alignment(row, lang)
        if aligned:
            st.caption(aligned)
        layout.evidence(row.description)
        layout.source_link(row.doc_id, row.para_id, lang)


def _alignment(row, lang: str) -> str:
    """Each axis value with the words that decided it: `生产要素: 劳动者（依据“劳动者层面”）`
    (Markdown; the values and words are data, escaped)."""
    directive = set(data.lexicon().axes.directive_words)
    parts = []
    for axis in AXES:
        value = getattr(row, axis, None)
        if not isinstance(value, str) or not value:
            continue
        reason = getattr(row, f"{axis}_reason", None)
        because = ""
        if isinstance(reason, str) and reason:
            because = translate("mech.directive" if axis == "level" and reason in directive else "mech.because", lang,
                                words=md(reason))
        parts.append(f"{translate(f'mech.axis.{axis}', lang)}: {md(code_label(f'mech.{axis}', value, lang))}{because}")
    return " · ".join(parts)


run_page(render)
