"""Hostile links and hostile metadata in a real browser: no script runs, no outside link or image.

The served corpus is the seed papers with metadata sidecars an attacker wrote (a phishing link
as the title, an outside image as the journal, a script in the authors): the route a colleague's
files take. Every page is opened with hostile values in every URL field. The browser records
every dialog (a script that ran) and every request to a host other than the app's.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlencode, urlparse

import pytest
import yaml

from components import state
from components.i18n import translate
from tests.browser.conftest import Server, wait_for_app
from tests.conftest import RAW_DIR, SEEDS
from tests.hostile import BARE, HOSTILE, IMAGE, IMG_TAG, OUT_OF_RANGE, PHISH, SCRIPT

pytestmark = pytest.mark.browser

PAGES = ["overview", "timeline", "mechanisms", "terms", "policies", "reader", "corpus"]
DOC = SEEDS["000"]



@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from corpus.build import build_corpus

    root = tmp_path_factory.mktemp("hostile")
    raw, processed = root / "raw", root / "processed"
    shutil.copytree(RAW_DIR, raw)
    for stem in SEEDS.values():
        sidecar = {"title": HOSTILE, "journal": IMAGE, "authors": [IMG_TAG, PHISH], "keywords": [SCRIPT, BARE]}
        (raw / f"{stem}.meta.yaml").write_text(yaml.safe_dump(sidecar, allow_unicode=True), encoding="utf-8")
    result = build_corpus(raw, processed)
    assert not result.failures, [f.message("en") for f in result.failures]
    server = Server(processed)
    yield server
    server.stop()


@pytest.fixture
def watched(page):
    """The page, with every dialog and every request to another host recorded (and refused)."""
    seen = {"dialogs": [], "outside": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    def on_route(route):
        host = urlparse(route.request.url).hostname
        if host not in ("127.0.0.1", "localhost", None):
            seen["outside"].append(route.request.url)
            return route.abort()
        return route.continue_()

    page.on("dialog", on_dialog)
    page.route("**/*", on_route)
    return page, seen


def _hostile_query() -> str:
    query: list[tuple[str, str]] = []
    for name, field in state.FIELDS.items():
        if field.kind == "bool":
            continue
        if field.kind == "int":
            query.append((name, OUT_OF_RANGE.get(name, "7")))
        elif field.kind == "list":
            query += [(name, HOSTILE), (name, DOC)]
        else:
            query.append((name, HOSTILE))
    return urlencode(query)


OUTSIDE_ELEMENTS = """() => [...document.querySelectorAll('a[href], img[src], iframe, script[src]')]
    .map(e => e.href || e.src).filter(u => u && !/^(https?:\\/\\/(127\\.0\\.0\\.1|localhost)[:/]|data:|blob:|#|about:)/.test(u))"""


def _assert_nothing_ran(page, seen) -> None:
    page.wait_for_timeout(800)  # a scroll script runs after 300 ms; an injected one could too
    assert seen["dialogs"] == [], seen["dialogs"]
    assert seen["outside"] == [], seen["outside"]
    assert page.evaluate(OUTSIDE_ELEMENTS) == []
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("name", PAGES)
def test_hostile_link_and_metadata_run_nothing_and_link_nowhere(hostile_server, watched, name):
    page, seen = watched
    path = "/" if name == "overview" else f"/{name}"
    page.goto(f"{hostile_server.url}{path}?{_hostile_query()}")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == translate(f"page.{name}", "zh")
    _assert_nothing_ran(page, seen)
    # the selection made of hostile values is gone from the address bar
    assert "evil" not in page.url


@pytest.mark.parametrize("name", ["overview", "terms", "timeline", "policies", "mechanisms", "reader"])
def test_markup_in_metadata_and_a_term_is_shown_as_text(hostile_server, watched, name):
    page, seen = watched
    path = "/" if name == "overview" else f"/{name}"
    query = urlencode({"papers": DOC, "term": PHISH, "doc": DOC, "tdoc": DOC})
    page.goto(f"{hostile_server.url}{path}?{query}")
    wait_for_app(page)
    _assert_nothing_ran(page, seen)
    # the chip shows the term literally, as typed
    chip = page.locator('[data-testid="stSidebar"]').get_by_text("点此登录")
    assert PHISH in chip.first.inner_text()


@pytest.mark.parametrize("para", [SCRIPT, '"><img src=x onerror=alert(1)>', "p0010');alert(1);//"])
def test_a_script_in_the_readers_paragraph_link_does_not_run(hostile_server, watched, para):
    page, seen = watched
    page.goto(f"{hostile_server.url}/reader?{urlencode({'doc': DOC, 'para': para})}")
    wait_for_app(page)
    _assert_nothing_ran(page, seen)


def test_a_valid_paragraph_link_still_scrolls_to_its_paragraph(hostile_server, page):
    page.goto(f"{hostile_server.url}/reader?doc={DOC}&para=p0030")
    wait_for_app(page)
    target = page.locator(".reader p.para.target")
    target.wait_for(timeout=10_000)
    page.wait_for_timeout(800)
    assert target.get_attribute("id") == "p0030"
    assert target.is_visible() and target.bounding_box()["y"] < page.viewport_size["height"]
