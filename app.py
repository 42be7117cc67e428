"""Entry point: `streamlit run app.py`. The frame (sidebar, navigation, URL state) is in
components/shell.py; the pages are in pages/; the corpus is loaded by components/data.py."""

from components.shell import run_app

run_app()
