"""Processing pipeline: raw papers in `data/raw/` → Parquet tables in `data/processed/`.

Stages, each a module testable alone: ingest → clean → structure → metadata → segment → terms
→ extract (events, mechanisms, policies). `build` runs them and writes the tables atomically;
`store` reads them back. This package never imports streamlit.
"""

# Bump when a stage's output changes: it is part of the corpus version in the manifest, so the
# app refuses data built by an older pipeline.
PIPELINE_VERSION = "4"
