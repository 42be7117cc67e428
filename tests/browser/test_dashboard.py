"""The served dashboard in Chromium: cold deep links, chart clicks, screenshots of every page."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from components.i18n import translate
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

DOC = "000_e938fc2a5e09f312"
PAGES = ["overview", "timeline", "mechanisms", "terms", "policies", "bibliometrics", "reader", "corpus"]
# Per page: the URL state of a shared link, and what that state must show.
DEEP_LINKS = {
    "overview": (f"/?papers={DOC}", translate("overview.selected", "zh", label="人工智能视域下的新质生产力生成路径")),
    "timeline": (f"/timeline?papers={DOC}&y0=2015&y1=2024", translate("timeline.range", "zh", y0=2015, y1=2024)),
    "mechanisms": (f"/mechanisms?papers={DOC}&mech=智能生产力", translate("mech.definitions", "zh", name="智能生产力")),
    "terms": (f"/terms?papers={DOC}&term=数据", "“数据”的上下文索引"),
    "policies": (f"/policies?papers={DOC}&domain=talent&pdoc={DOC}", translate("policy.list", "zh")),
    # the seed papers list no author keywords: the page says where they come from
    "bibliometrics": (f"/bibliometrics?papers={DOC}&btab=network", translate("biblio.no_keywords", "zh")),
    "reader": (f"/reader?papers={DOC}&doc={DOC}&para=p0010", "人工智能视域下的新质生产力生成路径"),
    "corpus": (f"/corpus?papers={DOC}", translate("corpus.upload", "zh")),
}


def _query(url: str) -> dict:
    return parse_qs(urlparse(url).query)


@pytest.mark.parametrize("name", PAGES)
def test_cold_deep_link_opens_the_page_with_its_state(fresh_server, page, name):
    path, shows = DEEP_LINKS[name]
    page.goto(fresh_server.url + path)  # the first request this server has seen
    wait_for_app(page)
    title = translate(f"page.{name}", "zh")
    assert page.locator("h1").first.inner_text() == title
    assert page.title().startswith(title)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    # the shared frame's navigation, not Streamlit's list of file names
    assert all(translate(f"page.{p}", "zh") in nav for p in PAGES)
    assert "mechanisms" not in nav and "policies" not in nav
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(translate("sidebar.filters", "zh")).wait_for(timeout=10_000)
    sidebar.get_by_text("人工智能视域下的").first.wait_for(timeout=10_000)  # the paper filter chip is restored
    page.get_by_text(shows).first.wait_for(timeout=10_000)
    assert _query(page.url)["papers"] == [DOC]


def _click_mark(page, chart, role: str, label_part: str, match: str = "*=") -> None:
    """Click the centre of the mark whose accessible label (Vega's SVG aria-label) has `label_part`.

    Waits until the mark has stopped moving: under load a chart can be laid out again after the
    script run (the web font arriving, a second run drawing it anew), and a click aimed at the
    first layout lands on empty ground."""
    mark = chart.locator(f'[aria-roledescription="{role}"][aria-label{match}"{label_part}"]').first
    mark.wait_for(timeout=15_000)
    page.wait_for_function("() => document.fonts.status === 'loaded'", timeout=15_000)
    box, previous = mark.bounding_box(), None
    for _ in range(50):
        if box == previous:
            break
        page.wait_for_timeout(200)
        previous, box = box, mark.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_clicking_a_term_bar_opens_its_concordance_and_changes_the_url(server, page):
    page.goto(server.url + "/terms")
    wait_for_app(page)
    kwic_heading = re.compile("“技术”的上下文索引")
    assert page.get_by_text(kwic_heading).count() == 0
    bars = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').first
    _click_mark(page, bars, "bar", "词语: 技术", match="$=")
    page.get_by_text(kwic_heading).first.wait_for(timeout=15_000)
    page.wait_for_function("() => window.location.search.includes('term=')")
    assert _query(page.url)["term"] == ["技术"]
    # the concordance links each hit to the Reader at its paragraph
    link = page.locator('a[href*="reader"][href*="para="]').first
    assert "doc=" in link.get_attribute("href")


def test_clicking_a_word_in_the_cloud_selects_it_like_a_bar(server, page):
    page.goto(server.url + "/terms")
    wait_for_app(page)
    cloud = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').nth(1)
    cloud.locator('[aria-roledescription="text mark"]').first.wait_for(timeout=15_000)
    _click_mark(page, cloud, "text mark", "词语: 产业;")
    page.get_by_text("“产业”的上下文索引").first.wait_for(timeout=15_000)
    assert _query(page.url)["term"] == ["产业"]


def test_clicking_an_event_shows_its_evidence(server, page):
    page.goto(server.url + f"/timeline?papers={DOC}")
    wait_for_app(page)
    detail = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').nth(1)
    _click_mark(page, detail, "point", "达特茅斯会议")
    page.wait_for_function("() => window.location.search.includes('event=')")
    page.get_by_text(translate("timeline.selected", "zh") + ": ").first.wait_for(timeout=15_000)
    assert page.locator(".evidence").first.inner_text().startswith("1956年")
    assert _query(page.url)["event"][0].startswith(DOC + ":")


def test_word_cloud_is_drawn_on_the_terms_page(server, page):
    page.goto(server.url + f"/terms?tdoc={DOC}")
    wait_for_app(page)
    cloud = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').nth(1)
    words = cloud.locator('[aria-roledescription="text mark"]')
    words.first.wait_for(timeout=15_000)
    assert words.count() >= 60  # the paper's vocabulary, not a handful of words
    box = cloud.bounding_box()
    assert box["width"] >= 800 and box["height"] >= 400


def test_a_tab_opened_on_the_overview_is_drawn_then_and_kept_in_the_url(server, page):
    page.goto(server.url + "/")
    wait_for_app(page)
    charts = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')
    charts.first.locator("svg").wait_for(timeout=15_000)
    assert charts.count() == 1  # the counts; the term panels are drawn when their tab opens
    page.get_by_role("tab", name=translate("tab.otab.terms", "zh")).click()
    page.wait_for_function("() => window.location.search.includes('otab=terms')")
    wait_for_app(page)
    charts.nth(3).locator("svg").wait_for(timeout=15_000)  # a panel per seed paper
    assert charts.count() == 4
    page.reload()  # the link opens the same tab
    wait_for_app(page)
    charts.nth(3).locator("svg").wait_for(timeout=15_000)
    assert page.get_by_role("tab", name=translate("tab.otab.terms", "zh")).get_attribute("aria-selected") == "true"


def test_presentation_mode_hides_sidebar_and_controls(server, page):
    page.goto(server.url + f"/timeline?papers={DOC}&present=1")
    wait_for_app(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stPopover"]').count() == 0  # no export controls
    page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').first.wait_for(timeout=15_000)
    assert page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').count() == 1  # the strip is a control
    page.get_by_role("button", name=translate("present.exit", "zh")).click()
    page.wait_for_function("() => !window.location.search.includes('present')")
    page.locator('[data-testid="stSidebar"]').wait_for(state="visible", timeout=15_000)


SIZES = {"1920": (1920, 1080), "1366": (1366, 768), "390": (390, 844)}


@pytest.mark.skipif(not os.environ.get("SCREENSHOT_DIR"), reason="set SCREENSHOT_DIR to take the screenshots")
@pytest.mark.parametrize("present", [False, True], ids=["normal", "presentation"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", PAGES)
def test_screenshot_every_page(server, browser, name, size, lang, present):
    """Every page at a desktop's, a laptop's and a phone's size, in both languages, normal and
    presenting: SCREENSHOT_DIR/<page>_<width>_<lang>[_present].png, the whole page scrolled."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    path, _ = DEEP_LINKS[name]
    page.goto(server.url + path + f"&lang={lang}" + ("&present=1" if present else ""))
    wait_for_app(page)
    page.wait_for_timeout(800)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.locator("h1").first.inner_text() == translate(f"page.{name}", lang)
    if width >= 600:  # a phone starts with the sidebar folded away
        assert page.locator('[data-testid="stSidebar"]').is_visible() is (not present)
    # the page scrolls inside Streamlit's main block: make it as tall as its content for the picture
    full = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, min(full, 12_000))})
    page.wait_for_timeout(500)
    out = Path(os.environ["SCREENSHOT_DIR"])
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}_{size}_{lang}{'_present' if present else ''}.png"))
    context.close()


def _nav(page, name: str) -> None:
    """Switch pages through the sidebar, as a user does (the session and its uploads stay)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_text(translate(f"page.{name}", "zh"), exact=True).first.click()
    page.wait_for_function(f"() => document.querySelector('h1')?.innerText === '{translate(f'page.{name}', 'zh')}'")
    wait_for_app(page)


def test_uploaded_docx_and_pdf_appear_on_overview_and_timeline(fresh_server, page, tmp_path):
    """A Word file and a PDF made from seed 000's account of the three stages of Chinese AI."""
    from tests.conftest import seed_lines
    from tests.doc_factory import make_docx, make_pdf, seed_pages

    pages = seed_pages("000")
    pdf = make_pdf([["人工智能发展的三个阶段", *pages[2]], pages[3]], page_numbers=True)
    body = "".join(line.strip() for line in seed_lines("000", 43, 82).split("\n"))
    docx = make_docx([("title", "我国人工智能发展阶段回顾"), ("h1", "一、人工智能与新质生产力的协同互嵌"), ("p", body)])
    (tmp_path / "三个阶段.pdf").write_bytes(pdf)
    (tmp_path / "发展 回顾.docx").write_bytes(docx)

    page.goto(fresh_server.url + "/corpus")
    wait_for_app(page)
    dropzone = f'section[aria-label="{translate("corpus.upload_label", "zh")}"] input[type=file]'
    page.locator(dropzone).set_input_files(
        [str(tmp_path / "三个阶段.pdf"), str(tmp_path / "发展 回顾.docx")]
    )
    page.get_by_role("button", name=translate("corpus.process", "zh", n=2)).click()
    page.locator('[data-testid="stAlertContentSuccess"]').wait_for(timeout=60_000)
    wait_for_app(page)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    titles = ("人工智能发展的三个阶段", "我国人工智能发展阶段回顾")

    _nav(page, "overview")
    main = page.locator('[data-testid="stMain"]')
    for title in titles:
        main.get_by_text(title).first.wait_for(timeout=15_000)

    _nav(page, "timeline")
    for title in titles:  # each upload's dated events, coloured and listed by paper
        main.get_by_text(title).first.wait_for(timeout=15_000)


def test_chinese_is_drawn_with_the_font_the_app_serves(server, page):
    """This machine has no CJK system font: the glyphs come from static/fonts or not at all."""
    page.goto(server.url + "/")
    wait_for_app(page)
    statuses = page.evaluate(
        """async () => { await document.fonts.ready;
           return [...document.fonts].filter(f => f.family.replace(/["']/g, '') === 'Noto Sans SC')
                                     .map(f => f.status); }"""
    )
    assert "loaded" in statuses
    width = page.evaluate(
        """() => { const c = document.createElement('canvas').getContext('2d');
           c.font = '32px "Noto Sans SC"'; return c.measureText('语料').width; }"""
    )
    assert width > 40  # two full-width glyphs, not empty boxes of a missing font
