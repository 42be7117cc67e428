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

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from components import guard, layout, state
from components.data import current_corpus, lexicon
from components.i18n import translate
from components.page import PageContext
from components.safe import md
from components.views import year_bounds

log = logging.getLogger(__name__)
FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.png"


@dataclass(frozen=True)
class PageSpec:
    name: str  # translation key `page.<name>` and module `pages.<name>`
    url_path: str
    icon: str
    default: bool = False
    # Another address of the same page, not listed in the navigation: the default page lives at
    # the root, and a typed `/overview` would otherwise get Streamlit's English "Page not found".
    alias: str | None = None


PAGES: list[PageSpec] = [
    PageSpec("overview", "home", ":material/dashboard:", default=True, alias="overview"),
    PageSpec("timeline", "timeline", ":material/timeline:"),
    PageSpec("mechanisms", "mechanisms", ":material/hub:"),
    PageSpec("terms", "terms", ":material/text_fields:"),
    PageSpec("policies", "policies", ":material/grid_on:"),
    PageSpec("bibliometrics", "bibliometrics", ":material/bubble_chart:"),
    PageSpec("reader", "reader", ":material/menu_book:"),
    PageSpec("corpus", "corpus", ":material/library_add:"),
]


_frame = threading.local()  # one script run = one thread; `context` set while run_app runs the page


def page(name: str, lang: str | None = None, *, alias: bool = False) -> st.Page:
    """The `st.Page` for `name` (for `st.page_link` / `st.switch_page`); `alias`: at its alias address."""
    spec = next(p for p in PAGES if p.name == name)
    lang = lang or state.get("lang")
    return st.Page(
        f"pages/{spec.name}.py",
        title=translate(f"page.{spec.name}", lang),
        icon=spec.icon,
        url_path=spec.alias if alias else spec.url_path,
        default=spec.default and not alias,
    )


ALIAS_NAV_CSS = "".join(
    f'<style>[data-testid="stSidebarNav"] a[href$="/{spec.alias}"], [data-testid="stTopNav"] a[href$="/{spec.alias}"]'
    " {display: none !important;}</style>" for spec in PAGES if spec.alias
)


def run_app() -> None:
    st.set_page_config(
        page_title=translate("app.short_title", "zh"),
        page_icon=str(FAVICON),  # our own file: a :material/…: icon makes every viewer fetch it from Google
        layout="wide",
        initial_sidebar_state="auto",  # folded away on a phone, where it would cover the page
    )
    state.sync_from_url()
    notices = _checked(guard.check_view(state.selection()))
    lang, present = state.get("lang"), bool(state.get("present"))
    pages = [(spec.name, page(spec.name, lang)) for spec in PAGES]
    pages += [(spec.name, page(spec.name, lang, alias=True)) for spec in PAGES if spec.alias]
    navigation = st.navigation([p for _, p in pages], position="top" if present else "sidebar")
    name = next((n for n, p in pages if p.url_path == navigation.url_path), PAGES[0].name)
    st.set_page_config(page_title=f"{navigation.title} · {translate('app.short_title', lang)}")
    layout.inject_css(present, lang)
    st.html(ALIAS_NAV_CSS)
    context = _frame.context = None
    from components import sidebar  # imported here: it reads the corpus

    # The language switch sits at the top of the sidebar but is drawn after the filters: their year
    # histogram is then the first chart the browser receives, and it starts loading the chart code
    # ~130 ms sooner (the switch's own code would be fetched first). It is drawn whether or not the
    # corpus could be read. (No sidebar at all when presenting: even an empty slot would show one.)
    language_slot = None if present else st.sidebar.container()
    try:
        with _caught(lang):
            corpus = current_corpus()
            codes = {group: lexicon().order(group) for group in guard.CODE_FIELDS.values()}
            clusters = _cluster_labels(corpus) if state.get("cluster") else None
            notices += _checked(guard.check_against_corpus(state.selection(), corpus.tables, year_bounds(corpus.tables),
                                                           codes, clusters))
            for text in guard.notice_texts(notices, lang):
                st.toast(text, icon=":material/link_off:")
            sidebar.render(corpus, lang, present)
            context = PageContext.build(name, corpus)
        sidebar.language_switch(lang, present, language_slot)
        if context is not None:
            with _caught(lang):
                layout.header(name, lang, present)
                _frame.context = context
                navigation.run()
    finally:
        _frame.context = None


def _cluster_labels(corpus) -> list[str]:
    from components.data import keyword_network

    nodes, _ = keyword_network(corpus)
    return list(nodes["cluster_label"].unique()) if not nodes.empty else []


def _checked(result: tuple[dict, list[guard.Notice]]) -> list[guard.Notice]:
    """Apply the guard's changes to the selection (and so to the URL); its notices for the toast."""
    changes, notices = result
    if changes:
        state.update(**changes)
    return notices


@contextmanager
def _caught(lang: str):
    """An unexpected exception becomes a translated message, never a traceback: Community Cloud
    shows tracebacks whatever `client.showErrorDetails` says. st.stop / st.rerun pass through
    (they are BaseExceptions, not Exceptions)."""
    try:
        yield
    except Exception as exc:
        log.exception("page failed")
        st.error(translate("app.crashed", lang, detail=md(type(exc).__name__)), icon=":material/error:")


def run_page(render: Callable[[PageContext], None]) -> None:
    """The last line of every page file: render inside the frame, or start the frame first."""
    context = getattr(_frame, "context", None)
    if context is not None:
        render(context)
    else:
        run_app()
