"""Entry point: `streamlit run app.py`. The frame (sidebar, navigation, URL state) is in
components/shell.py; the pages are in pages/."""

from components.shell import run_app

run_app()
