"""The app frame: page config, URL ↔ selection sync, navigation and the shared sidebar.

`run_app()` is the whole of `app.py`. Pages are file-based `st.Page`s over `pages/<name>.py`;
each file defines `render()` and ends with `run_page(render)`.

Why `run_page` and not a bare `render()`: Streamlit (1.67, `PagesManager.uses_pages_directory`)
sees the folder named `pages/` at server start and, until some script run calls
`st.navigation`, executes every request through its legacy multipage runner (`_mpa_v1`), which
maps `/timeline` straight to `pages/timeline.py` and runs that file — skipping `app.py`. The
first request after a restart (a cold deep link) would show raw file names and no shared
sidebar. `run_page` sees that no frame is active in this script run and hands over to
`run_app()`: `st.navigation` is called, Streamlit switches to the current API for good, and the
page is resolved by its URL path exactly as on any later request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from components import layout, state
from components.i18n import LANGUAGES, translate


@dataclass(frozen=True)
class PageSpec:
    name: str  # translation key `page.<name>` and module `pages.<name>`
    url_path: str
    icon: str
    default: bool = False


PAGES: list[PageSpec] = [
    PageSpec("overview", "overview", ":material/dashboard:", default=True),
    PageSpec("timeline", "timeline", ":material/timeline:"),
    PageSpec("mechanisms", "mechanisms", ":material/hub:"),
    PageSpec("terms", "terms", ":material/text_fields:"),
    PageSpec("policies", "policies", ":material/grid_on:"),
    PageSpec("reader", "reader", ":material/menu_book:"),
    PageSpec("corpus", "corpus", ":material/library_add:"),
]


_frame = threading.local()  # one script run = one thread; `active` while run_app runs the page


def page(name: str, lang: str | None = None) -> st.Page:
    """The `st.Page` for `name` (for `st.page_link` / `st.switch_page`)."""
    spec = next(p for p in PAGES if p.name == name)
    lang = lang or state.get("lang")
    return st.Page(
        f"pages/{spec.name}.py",
        title=translate(f"page.{spec.name}", lang),
        icon=spec.icon,
        url_path=spec.url_path,
        default=spec.default,
    )


def run_app() -> None:
    st.set_page_config(
        page_title=translate("app.short_title", "zh"),
        page_icon=":material/insights:",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    selection = state.sync_from_url()
    state.absorb_chart_selections()
    lang = selection["lang"] if selection["lang"] in LANGUAGES else "zh"
    present = bool(selection["present"])
    navigation = st.navigation([page(p.name, lang) for p in PAGES], position="top" if present else "sidebar")
    st.set_page_config(page_title=f"{navigation.title} · {translate('app.short_title', lang)}")
    layout.inject_css(present)
    from components import sidebar  # imported here: it reads the corpus

    sidebar.render(lang, present)
    _frame.active = True
    try:
        navigation.run()
    finally:
        _frame.active = False


def run_page(render: Callable[[], None]) -> None:
    """The last line of every page file: render inside the frame, or start the frame first."""
    if getattr(_frame, "active", False):
        render()
    else:
        run_app()
