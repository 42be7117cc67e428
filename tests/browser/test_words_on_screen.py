"""What every page shows, as text, in both languages and on a projector: no raw translation key,
no "nan"/"None"/"null" from missing data, no English Streamlit default in the Chinese UI."""

from __future__ import annotations

import re

import pytest

from components.i18n import table
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

DOC = "000_e938fc2a5e09f312"
# Each page with a selection that makes it show its detail views too.
VIEWS = {
    "overview": f"/?papers={DOC}",
    "timeline": f"/timeline?papers={DOC}",
    "mechanisms": "/mechanisms?mech=智能生产力",
    "terms": f"/terms?term=数据&tdoc={DOC}",
    "policies": f"/policies?domain=talent&pdoc={DOC}",
    "reader": "/reader?doc=002_206dd01d563a69b3",
    "corpus": "/corpus",
}
# What a reader sees: rendered text (innerText leaves out what CSS hides), CSS-generated words,
# chart text (Vega's SVG), and the placeholders and titles the widgets show.
VISIBLE_TEXT = """() => {
  const parts = [document.body.innerText];
  for (const e of document.querySelectorAll('*')) {
    const after = getComputedStyle(e, '::after').content;
    if (after && after !== 'none' && after !== 'normal') parts.push(after);
  }
  for (const t of document.querySelectorAll('svg text')) parts.push(t.textContent);
  for (const e of document.querySelectorAll('[placeholder], [title]')) parts.push(e.getAttribute('placeholder') || e.getAttribute('title'));
  return parts.join('\\n');
}"""
MISSING_DATA = re.compile(r"(?<![A-Za-z])(nan|NaN|None|null|undefined|<NA>)(?![A-Za-z])")
# Streamlit's own English that a Chinese page must not show (its widgets' defaults).
STREAMLIT_ENGLISH = ("Upload", "Browse files", "Drag and drop", "Select all", "Page not found", "view more",
                     "Limit ", "No results", "Choose an option", "Running...")
KEYS = set(table())


def _problems(text: str, lang: str) -> list[str]:
    found = [m.group(0) for m in MISSING_DATA.finditer(text)]
    found += [key for key in KEYS if re.search(rf"(?<![\w.]){re.escape(key)}(?![\w.])", text)]
    if lang == "zh":
        found += [word for word in STREAMLIT_ENGLISH if word in text]
    return found


@pytest.mark.parametrize("present", [False, True], ids=["normal", "present"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(VIEWS))
def test_no_raw_keys_missing_values_or_english_defaults(server, page, name, lang, present):
    url = server.url + VIEWS[name]
    url += ("&" if "?" in url else "?") + f"lang={lang}" + ("&present=1" if present else "")
    page.goto(url)
    wait_for_app(page)
    page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"] svg').first.wait_for(timeout=15_000) if name not in (
        "reader", "corpus") else None
    page.wait_for_timeout(600)
    assert _problems(page.evaluate(VISIBLE_TEXT), lang) == []


def test_the_chinese_paper_picker_has_no_english_in_its_list(server, page):
    page.goto(server.url + "/")
    wait_for_app(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').click()
    page.wait_for_timeout(400)
    assert _problems(page.evaluate(VISIBLE_TEXT), "zh") == []


def test_a_typed_overview_address_opens_the_overview_without_an_english_dialog(fresh_server, page):
    page.goto(fresh_server.url + "/overview")  # the navigation's name for the root page
    wait_for_app(page)
    page.wait_for_timeout(800)
    assert page.locator("h1").first.inner_text() == "概览"
    assert page.locator('[role="dialog"]').count() == 0
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert nav.count("概览") == 1  # the second address is not a second entry
