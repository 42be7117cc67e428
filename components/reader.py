"""The Reader's HTML: one paper's clean text by section, with the evidence of events,
mechanisms and policies highlighted where it stands. Pure: tables in, an HTML string out.

Every paragraph carries `id="<para_id>"` so "show source" links can land on it; all paper text
is escaped, the only markup is ours.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from components.i18n import translate
from components.views import section_title

KINDS = ("event", "mechanism", "policy")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    note: str


def evidence_spans(text: str, quotes: list[tuple[str, str, str]]) -> list[Span]:
    """Where each (kind, quote, note) stands in `text`; a quote not found verbatim marks nothing."""
    spans = []
    for kind, quote, note in quotes:
        quote = (quote or "").strip()
        if not quote:
            continue
        start = text.find(quote)
        if start != -1:
            spans.append(Span(start, start + len(quote), kind, note))
    return spans


def highlight(text: str, spans: list[Span]) -> str:
    """Escaped text with overlapping spans cut into segments, each marked with every kind over it."""
    if not spans:
        return html.escape(text)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= lo and s.end >= hi]
        piece = html.escape(text[lo:hi])
        if covering:
            kinds = " ".join(sorted({f"hl-{s.kind}" for s in covering}))
            note = html.escape(" | ".join(dict.fromkeys(s.note for s in covering)), quote=True)
            out.append(f'<mark class="hl {kinds}" title="{note}">{piece}</mark>')
        else:
            out.append(piece)
    return "".join(out)


def _quotes_by_para(
    doc_id: str, events: pd.DataFrame, mechanisms: pd.DataFrame, policies: pd.DataFrame, lang: str
) -> dict[str, list[tuple[str, str, str]]]:
    quotes: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for kind, table, quote_col, note_col in (
        ("event", events, "sentence", "label"),
        ("mechanism", mechanisms, "description", "name"),
        ("policy", policies, "text", "title"),
    ):
        if table is None or table.empty:
            continue
        label = translate(f"reader.legend.{kind}", lang)
        for row in table[table["doc_id"] == doc_id].itertuples():
            quotes[row.para_id].append((kind, getattr(row, quote_col), f"{label}: {getattr(row, note_col)}"))
    return quotes


def reader_html(
    doc_id: str,
    sections: pd.DataFrame,
    paragraphs: pd.DataFrame,
    events: pd.DataFrame,
    mechanisms: pd.DataFrame,
    policies: pd.DataFrame,
    *,
    target_para: str | None,
    lang: str,
    term: str | None = None,
) -> str:
    """`term`: the selected term, marked wherever it occurs (a concordance line's "show source")."""
    secs = sections[sections["doc_id"] == doc_id].sort_values("order")
    paras = paragraphs[paragraphs["doc_id"] == doc_id].sort_values("order")
    quotes = _quotes_by_para(doc_id, events, mechanisms, policies, lang)
    by_section = {sid: group for sid, group in paras.groupby("section_id", sort=False)}
    parts = ['<div class="reader">']
    shown_sections = list(secs.itertuples())
    known = {s.section_id for s in shown_sections}
    orphans = paras[~paras["section_id"].isin(known)]
    for sec in shown_sections:
        group = by_section.get(sec.section_id)
        heading = translate("reader.abstract", lang) if sec.section_id == "abs" else section_title(sec.number, sec.heading)
        if heading:
            level = min(5, 3 + max(0, int(sec.level) - 1))
            parts.append(
                f'<h{level} class="reader-h" id="sec-{html.escape(sec.section_id)}">{html.escape(heading)}</h{level}>'
            )
        if group is not None:
            parts += [_paragraph(p, quotes, target_para, term) for p in group.itertuples()]
    parts += [_paragraph(p, quotes, target_para, term) for p in orphans.itertuples()]
    parts.append("</div>")
    return "\n".join(parts)


def term_spans(text: str, term: str | None) -> list[Span]:
    """Every occurrence of the selected term (as the concordance finds them: plain, non-overlapping)."""
    if not term:
        return []
    spans, start = [], text.find(term)
    while start != -1:
        spans.append(Span(start, start + len(term), "term", term))
        start = text.find(term, start + len(term))
    return spans


def _paragraph(para, quotes, target_para: str | None, term: str | None = None) -> str:
    spans = evidence_spans(para.text, quotes.get(para.para_id, [])) + term_spans(para.text, term)
    classes = ["para"] + (["target"] if para.para_id == target_para else []) + sorted({f"has-{s.kind}" for s in spans})
    pid = html.escape(para.para_id, quote=True)
    return f'<p id="{pid}" class="{" ".join(classes)}"><span class="pid">{pid}</span>{highlight(para.text, spans)}</p>'
