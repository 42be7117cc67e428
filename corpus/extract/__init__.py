"""Extraction of structured rows from clean paragraphs: timeline events, each paper's own
mechanisms, and policy recommendations — every row with the sentence and paragraph it came from.

Driven by editor-maintained files in `data/lexicon/` (`event_categories.yaml`, `ai_milestones.yaml`,
`mechanism_axes.yaml`, `policy_taxonomy.yaml`): editing them changes the output, not the code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corpus.lexicon import Lexicon
from corpus.schema import column_names

TABLES = ("events", "mechanisms", "policies")

__all__ = ["extract_all", "extract_document"]


def extract_all(documents: pd.DataFrame, sections: pd.DataFrame, paragraphs: pd.DataFrame,
                lexicon: Lexicon | Path | None = None) -> dict[str, pd.DataFrame]:
    """Returns {"events": ..., "mechanisms": ..., "policies": ...}, each with exactly the columns
    of corpus.schema (column_names(name)), possibly empty. Documents are read one at a time."""
    from corpus.extract.events import document_events, document_years
    from corpus.extract.mechanisms import document_mechanisms
    from corpus.extract.policies import document_policies
    from corpus.extract.rows import in_reading_order, paragraph_rows, sections_by_document
    from corpus.extract.text import forget_splits

    lexicon = Lexicon.of(lexicon)
    years = document_years(documents)
    doc_sections = sections_by_document(sections)
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for doc_id, paras in in_reading_order(paragraph_rows(paragraphs)).items():
        secs = doc_sections.get(doc_id, [])
        forget_splits()
        rows["events"] += document_events(str(doc_id), paras, secs, years.get(doc_id), lexicon)
        rows["mechanisms"] += document_mechanisms(str(doc_id), paras, secs, lexicon)
        rows["policies"] += document_policies(str(doc_id), paras, secs, lexicon, year=years.get(doc_id))
    return {name: pd.DataFrame(table_rows, columns=column_names(name)) for name, table_rows in rows.items()}


def extract_document(doc_id: str, paragraphs: list[dict], sections: list[dict], year: int | None,
                     lexicon: Lexicon) -> dict[str, list[dict]]:
    """One document's extraction rows from its paragraph and section rows (as the pipeline builds
    them): what `extract_all` gives for that document, without a DataFrame in between."""
    from corpus.extract.events import document_events
    from corpus.extract.mechanisms import document_mechanisms
    from corpus.extract.policies import document_policies
    from corpus.extract.rows import Para, Section, from_records
    from corpus.extract.text import forget_splits

    forget_splits()
    paras = sorted(from_records(paragraphs, Para), key=lambda p: p.order)
    secs = from_records(sections, Section)
    return {
        "events": document_events(doc_id, paras, secs, year, lexicon),
        "mechanisms": document_mechanisms(doc_id, paras, secs, lexicon),
        "policies": document_policies(doc_id, paras, secs, lexicon, year=year),
    }
