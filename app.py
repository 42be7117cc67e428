"""Entry point: `streamlit run app.py`. The frame (sidebar, navigation, URL state) is in
components/shell.py; the pages are in pages/."""

import pyarrow as pa

# Arrow's default allocator (mimalloc) keeps the pages of freed tables; jemalloc with no decay
# delay hands them back at once. Every page filters the corpus tables (with 1,000 papers, about
# a million rows), so this keeps the server ~70 MB smaller (scripts/load.py, 1,000 papers).
try:
    pa.set_memory_pool(pa.jemalloc_memory_pool())
    pa.jemalloc_set_decay_ms(0)
except NotImplementedError:  # a pyarrow built without jemalloc keeps its default
    pass

from components.shell import run_app  # noqa: E402

run_app()
