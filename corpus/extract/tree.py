"""The section tree of one document: headings, ancestry and children by section id."""

from __future__ import annotations

import pandas as pd


class SectionTree:
    def __init__(self, sections: pd.DataFrame):
        self._rows = {str(r.section_id): r for r in sections.itertuples()} if not sections.empty else {}

    def heading(self, section_id: str) -> str:
        row = self._rows.get(section_id)
        return str(row.heading) if row is not None and isinstance(row.heading, str) else ""

    def level(self, section_id: str) -> int:
        row = self._rows.get(section_id)
        return int(row.level) if row is not None else 0

    def parent(self, section_id: str) -> str | None:
        row = self._rows.get(section_id)
        parent = getattr(row, "parent_id", None) if row is not None else None
        return str(parent) if isinstance(parent, str) and parent else None

    def lineage(self, section_id: str) -> list[str]:
        """The section and its ancestors, innermost first."""
        out, current, seen = [], section_id, set()
        while current and current in self._rows and current not in seen:
            seen.add(current)
            out.append(current)
            current = self.parent(current)
        return out

    def headings_up(self, section_id: str) -> list[str]:
        return [self.heading(s) for s in self.lineage(section_id)]

    def top(self, section_id: str) -> str:
        lineage = self.lineage(section_id)
        return lineage[-1] if lineage else section_id

    def children(self, section_id: str) -> list[str]:
        kids = [r for r in self._rows.values() if getattr(r, "parent_id", None) == section_id]
        return [str(r.section_id) for r in sorted(kids, key=lambda r: r.order)]

    def ids(self) -> list[str]:
        return [str(r.section_id) for r in sorted(self._rows.values(), key=lambda r: r.order)]
