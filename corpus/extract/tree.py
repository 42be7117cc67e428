"""The section tree of one document: headings, ancestry and children by section id."""

from __future__ import annotations

import pandas as pd

from corpus.extract.rows import Section, section_rows


class SectionTree:
    def __init__(self, sections: pd.DataFrame | list[Section]):
        rows = section_rows(sections) if isinstance(sections, pd.DataFrame) else sections
        self._rows = {str(r.section_id): r for r in rows}
        self._children: dict[str, list[str]] | None = None

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
        if self._children is None:  # one pass over the sections, not one per call
            kids: dict = {}
            for r in self._rows.values():
                kids.setdefault(r.parent_id, []).append(r)
            self._children = {parent: [str(r.section_id) for r in sorted(rows, key=lambda r: r.order)]
                              for parent, rows in kids.items()}
        return list(self._children.get(section_id, []))

    def ids(self) -> list[str]:
        return [str(r.section_id) for r in sorted(self._rows.values(), key=lambda r: r.order)]
