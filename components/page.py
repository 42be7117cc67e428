"""What every page starts from: built once per script run by the frame (components/shell.py)
after the sidebar, handed to the page's `render(page)`.

Pages used to open with the same six lines (language, presentation mode, header, corpus,
short labels, papers in view); the frame now does that once and draws the page header.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from components import layout, state
from components.charts import Pick
from components.data import AppCorpus
from components.i18n import translate
from components.views import doc_order, drawn_docs, paper_labels, selected_docs


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
        return cls(name, state.get("lang"), bool(state.get("present")), corpus, paper_labels(docs, state.get("lang")), doc_order(docs),
                   selected_docs(docs, state.selection()))

    @property
    def documents(self) -> pd.DataFrame:
        return self.corpus.documents

    @property
    def drawn(self) -> list[str]:
        """The papers a per-paper chart draws (views.MAX_PAPERS_DRAWN of those in view)."""
        return drawn_docs(self.in_view)

    def paper_names(self, doc_ids: list[str]) -> list[str]:
        """Short labels of these papers, in corpus order (a chart's paper axis)."""
        wanted = set(doc_ids)
        return [self.labels[d] for d in self.order if d in wanted]

    def t(self, key: str, **values) -> str:
        return translate(key, self.lang, **values)

    def chart(self, chart: alt.TopLevelMixin, *, key: str, data: pd.DataFrame, name: str, pick: Pick | None = None):
        """A chart with its exports; with `pick`, clickable (see layout.show_chart)."""
        return layout.show_chart(chart, key=key, data=data, name=name, present=self.present, lang=self.lang, pick=pick)

    def height(self, normal: int) -> int:
        return layout.chart_height(normal, self.present)

    def papers_capped(self, drawn: list[str] | None = None) -> None:
        layout.papers_capped(len(self.drawn if drawn is None else drawn), len(self.in_view), self.lang)
