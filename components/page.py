"""What every page starts from: built once per script run by the frame (components/shell.py)
after the sidebar, handed to the page's `render(page)`.

Pages used to open with the same six lines (language, presentation mode, header, corpus,
short labels, papers in view); the frame now does that once and draws the page header.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from components import data, layout, state
from components.charts import Pick, style
from components.data import AppCorpus
from components.i18n import translate
from components.views import MAX_PAPERS_DRAWN, drawn_docs, selected_docs


@dataclass(frozen=True)
class PageContext:
    name: str  # the page (translation key `page.<name>`)
    lang: str
    present: bool  # presentation mode: no controls, large type
    corpus: AppCorpus
    labels: dict[str, str]  # doc_id → short label (legends, axes)
    order: list[str]  # every doc_id, in corpus order
    in_view: list[str]  # the papers the global filter keeps (every paper when none is chosen)

    @classmethod
    def build(cls, name: str, corpus: AppCorpus) -> PageContext:
        docs = corpus.documents
        cluster = data.cluster_keywords(corpus, state.get("cluster"))
        lang, order = state.get("lang"), corpus.order()
        return cls(name, lang, bool(state.get("present")), corpus, corpus.short_labels(lang), order,
                   selected_docs(docs, state.selection(), cluster, corpus.papers_by(), order))

    @property
    def documents(self) -> pd.DataFrame:
        return self.corpus.documents

    @property
    def drawn(self) -> list[str]:
        """The papers a per-paper chart draws (views.MAX_PAPERS_DRAWN of those in view)."""
        return drawn_docs(self.in_view)

    @property
    def coloured(self) -> list[str]:
        """The papers a paper-colour scale spans: every paper while all are drawn (a paper keeps its
        colour when others are filtered out), else those drawn (a scale of 5,000 papers was copied
        by Altair on every run: 0.4 s of the Timeline's rerun)."""
        return self.order if len(self.order) <= MAX_PAPERS_DRAWN else self.drawn

    def paper_names(self, doc_ids: list[str]) -> list[str]:
        """Short labels of these papers, in corpus order (a chart's paper axis)."""
        wanted = set(doc_ids)
        return [self.labels[d] for d in self.order if d in wanted]

    def t(self, key: str, **values) -> str:
        return translate(key, self.lang, **values)

    def chart(self, chart: alt.TopLevelMixin, *, key: str, data: pd.DataFrame, name: str, pick: Pick | None = None,
              exports: bool = True):
        """A chart with its exports; with `pick`, clickable (see layout.show_chart)."""
        return layout.show_chart(chart, key=key, data=data, name=name, present=self.present, lang=self.lang, pick=pick,
                                 exports=exports)

    def downloads(self, chart: alt.TopLevelMixin, *, key: str, data: pd.DataFrame, name: str) -> None:
        """The export popover of a figure the page shows in pieces (drawn styled, as on screen)."""
        if not self.present:
            layout.downloads(style(chart), key=key, data=data, name=name, lang=self.lang)

    def height(self, normal: int) -> int:
        return layout.chart_height(normal, self.present)

    @property
    def year_range(self) -> tuple[int | None, int | None]:
        return state.get("y0"), state.get("y1")

    def years_not_applied(self) -> None:
        """Say so on a page the global year range does not filter (it filters events and trends)."""
        y0, y1 = self.year_range
        if (y0 is not None or y1 is not None) and not self.present:
            shown = f"{y0 if y0 is not None else '…'}–{y1 if y1 is not None else '…'}"
            st.caption(self.t("common.years_not_applied", years=shown))

    def papers_capped(self, drawn: list[str] | None = None) -> None:
        layout.papers_capped(len(self.drawn if drawn is None else drawn), len(self.in_view), self.lang)
