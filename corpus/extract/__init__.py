"""Extraction of structured rows from clean paragraphs: timeline events, each paper's own
mechanisms, and policy recommendations — every row with the sentence and paragraph it came from.

Driven by editor-maintained files in `data/lexicon/` (`event_categories.yaml`, `ai_milestones.yaml`,
`mechanism_axes.yaml`, `policy_taxonomy.yaml`): editing them changes the output, not the code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corpus.lexicon import DEFAULT_LEXICON_DIR

__all__ = ["extract_all"]


def extract_all(documents: pd.DataFrame, sections: pd.DataFrame, paragraphs: pd.DataFrame,
                lexicon_dir: Path = DEFAULT_LEXICON_DIR) -> dict[str, pd.DataFrame]:
    """Returns {"events": ..., "mechanisms": ..., "policies": ...}, each with exactly the columns
    of corpus.schema (column_names(name)), possibly empty."""
    from corpus.extract.events import extract_events
    from corpus.extract.mechanisms import extract_mechanisms
    from corpus.extract.policies import extract_policies

    return {
        "events": extract_events(documents, paragraphs, lexicon_dir, sections),
        "mechanisms": extract_mechanisms(documents, sections, paragraphs, lexicon_dir),
        "policies": extract_policies(documents, sections, paragraphs, lexicon_dir),
    }
