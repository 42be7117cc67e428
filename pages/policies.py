"""政策矩阵 Policy matrix: domain × paper and policy tool × domain heatmaps, filtered by actor and
horizon; a clicked cell lists its recommendations with their text and source section."""

import pandas as pd
import streamlit as st

from components import data, layout, state
from components.charts.policies import (
    DOMAIN_PAPER_PICK,
    TOOL_DOMAIN_PICK,
    domain_paper_counts,
    domain_paper_heatmap,
    policies_frame,
    tool_domain_counts,
    tool_domain_heatmap,
)
from components.i18n import code_label, translate
from components.page import PageContext
from components.safe import md
from components.shell import run_page
from components.views import by_docs


def render(page: PageContext) -> None:
    lang, present, short = page.lang, page.present, page.labels
    page.years_not_applied()
    if not present:
        _filters(lang)
    policies = by_docs(page.corpus.table("policies"), page.in_view)
    actor, horizon = state.get("actor"), state.get("horizon")
    if actor:
        policies = policies[policies["actors"].map(lambda a: a is not None and actor in list(a))]
    if horizon:
        policies = policies[policies["horizon"] == horizon]
    frame = policies_frame(policies, short, lang)
    if frame.empty:
        st.info(page.t("data.empty_selection"), icon=":material/info:")
        return
    domains = _domain_order(frame)
    domain_labels = [code_label("policy.domain", d, lang) for d in domains]
    drawn = page.drawn
    papers = page.paper_names(drawn)
    domain, pdoc, tool = state.get("domain"), state.get("pdoc"), state.get("tool")

    counts = domain_paper_counts(by_docs(frame, drawn))  # the tool × domain view counts every paper in view
    page.papers_capped()
    heat = domain_paper_heatmap(
        counts,
        papers,
        domain_labels,
        lang,
        selected={"domain": domain, "doc_id": pdoc} if domain and pdoc else None,
        domain=domain,
        row_height=max(44, page.height(0) // max(1, len(domains))) if present else 44,
    )
    page.chart(heat, key="policy_domain_paper", data=counts, name="policy_domain_paper", pick=DOMAIN_PAPER_PICK)
    tools = [code_label("policy.tool", t, lang) for t in data.lexicon().order("policy.tool")]
    pairs = tool_domain_counts(frame)
    tool_heat = tool_domain_heatmap(
        pairs,
        tools,
        domain_labels,
        lang,
        selected={"tool": tool, "domain": domain} if tool and domain else None,
        domain=domain,
        height=page.height(180),
    )
    page.chart(tool_heat, key="policy_tool_domain", data=pairs, name="policy_tool_domain", pick=TOOL_DOMAIN_PICK)
    _recommendations(frame, page.corpus.table("sections"), domain, pdoc, tool, lang)


def _filters(lang: str) -> None:
    for column, (field, group) in zip(st.columns(2), (("actor", "policy.actor"), ("horizon", "policy.horizon")),
                                      strict=True):
        column.selectbox(
            translate(f"policy.{field}", lang),
            [None, *data.lexicon().order(group)],
            format_func=lambda v, g=group: translate("sidebar.any", lang) if v is None else code_label(g, v, lang),
            placeholder=translate("widget.choose", lang),
            key=state.widget_key(field),
            on_change=state.on_widget_change,
            args=(field,),
        )


def _domain_order(frame) -> list[str]:
    """Domains in the taxonomy's order (policy_taxonomy.yaml), then any others."""
    known = data.lexicon().order("policy.domain")
    present = set(frame["domain"])
    return [d for d in known if d in present] + sorted(present - set(known))


def _recommendations(frame, sections, domain, pdoc, tool, lang: str) -> None:
    if not domain:
        if not state.get("present"):
            st.caption(translate("policy.pick_hint", lang))
        return
    rows = frame[frame["domain"] == domain]
    if pdoc:
        rows = rows[rows["doc_id"] == pdoc]
    if tool:
        rows = rows[rows["tool"] == tool]
    where = " · ".join(
        x
        for x in (
            code_label("policy.domain", domain, lang),
            rows["paper"].iloc[0] if pdoc and not rows.empty else "",
            code_label("policy.tool", tool, lang) if tool else "",
        )
        if x
    )
    st.subheader(f"{translate('policy.list', lang)}: {md(where)} ({len(rows)})")
    headings = {
        (s.doc_id, s.section_id): f"{s.number or ''} {s.heading}".strip()
        for s in sections[sections["doc_id"].isin(set(rows["doc_id"]))].itertuples()
    }
    for row in rows.itertuples():
        actors = "、".join(code_label("policy.actor", a, lang) for a in (row.actors if row.actors is not None else []))
        meta = " · ".join(
            x
            for x in (
                row.paper,
                row.tool_label,
                row.subtool if pd.notna(row.subtool) else "",
                actors,
                code_label("policy.horizon", row.horizon, lang) if pd.notna(row.horizon) else "",
                headings.get((row.doc_id, row.section_id), row.section_id),
            )
            if x
        )
        st.markdown(f"**{md(row.title)}**  \n{md(meta)}")
        layout.evidence(row.text)
        layout.source_link(row.doc_id, row.para_id, lang)


run_page(render)
