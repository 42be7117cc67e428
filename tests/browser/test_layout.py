"""Charts at a laptop's and a phone's width: no text printed over other text, nothing off-screen."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Server, wait_for_app

pytestmark = pytest.mark.browser

DOC = "000_e938fc2a5e09f312"
VIEWS = {
    "overview": "/",
    "timeline": "/timeline",
    "mechanisms": "/mechanisms",
    "policies": f"/policies?domain=talent&pdoc={DOC}",
    "terms": "/terms?term=数据",
}
# Every chart's text boxes (Vega draws SVG <text>), and the pairs that overlap by more than a sliver.
# A chart left of the screen is in the phone's folded sidebar: unseen, and laid out anew when it opens.
OVERLAPS = """() => {
  const found = [];
  document.querySelectorAll('[data-testid="stVegaLiteChart"] svg').forEach((svg, chart) => {
    if (svg.getBoundingClientRect().right <= 0) return;
    const boxes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
      .map(t => ({text: t.textContent, r: t.getBoundingClientRect()})).filter(b => b.r.width > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 3 && h > 3) found.push(`chart ${chart}: "${boxes[i].text}" × "${boxes[j].text}"`);
    }
  });
  return found;
}"""
# Text a chart draws outside its own box is cut off (long names once pushed a title half out).
CUT_OFF = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].flatMap(chart => {
  const box = chart.getBoundingClientRect();
  if (box.right <= 0) return [];
  return [...chart.querySelectorAll('svg text')].filter(t => t.textContent.trim()).map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1)).map(([text]) => text);
})"""
OFF_SCREEN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
  .filter(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 2).length"""


@pytest.fixture
def sized(browser, request):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("sized", [(1366, 768), (390, 844)], ids=["laptop", "phone"], indirect=True)
@pytest.mark.parametrize("name", list(VIEWS))
def test_no_chart_prints_text_over_text_or_runs_off_screen(server, sized, name):
    page = sized
    page.goto(server.url + VIEWS[name])
    wait_for_app(page)
    page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"] svg').first.wait_for(timeout=15_000)
    page.wait_for_timeout(800)
    assert page.evaluate(OVERLAPS) == []
    assert page.evaluate(OFF_SCREEN) == 0


@pytest.mark.parametrize("sized", [(390, 844)], ids=["phone"], indirect=True)
def test_the_sidebar_year_histogram_is_legible_when_a_phone_opens_the_sidebar(server, sized):
    page = sized
    page.goto(server.url + "/policies")
    wait_for_app(page)
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    histogram = page.locator('[data-testid="stSidebar"] [data-testid="stVegaLiteChart"] svg')
    histogram.wait_for(timeout=15_000)
    page.wait_for_timeout(800)
    assert histogram.bounding_box()["width"] >= 200  # laid out again at the opened sidebar's width
    assert page.evaluate(OVERLAPS) == []
    assert page.evaluate(OFF_SCREEN) == 0


@pytest.fixture(scope="module")
def records_server(tmp_path_factory):
    """The 307 CNKI records of the CiteSpace sample, built and served."""
    import shutil
    from pathlib import Path

    from corpus.build import build_corpus

    sample = Path(__file__).resolve().parents[3] / "shared" / "devset" / "bibliographic" / \
        "citespace-converted-cnki-download_1-307.txt"
    if not sample.exists():
        pytest.skip("../shared/devset is not here")
    # its own folder: a server finds its sources next to its corpus (../raw), and a `raw` folder at
    # the top of pytest's temporary tree would be taken for the seeds' sources by the other servers
    raw = tmp_path_factory.mktemp("records") / "raw"
    raw.mkdir()
    shutil.copyfile(sample, raw / sample.name)
    out = raw.parent / "processed"
    build_corpus(raw, out)
    server = Server(out)
    yield server
    server.stop()


@pytest.mark.parametrize("sized", [(1366, 768), (1920, 1080)], ids=["laptop", "desktop"], indirect=True)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_bibliometrics_bars_keep_their_titles_and_names_inside_the_chart(records_server, sized, lang):
    page = sized
    page.goto(records_server.url + f"/bibliometrics?lang={lang}&btab=sources")
    wait_for_app(page)
    page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"] svg').nth(1).wait_for(timeout=15_000)
    page.wait_for_timeout(800)
    assert page.evaluate(CUT_OFF) == []
    assert page.evaluate(OVERLAPS) == []


@pytest.mark.parametrize("sized", [(1366, 768), (1920, 1080)], ids=["laptop", "desktop"], indirect=True)
def test_the_term_by_section_bars_keep_their_title_and_names_inside_the_chart(server, sized):
    page = sized
    page.goto(server.url + f"/terms?term=数据&papers={DOC}&lang=en")
    wait_for_app(page)
    page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"] svg').nth(2).wait_for(timeout=15_000)
    page.wait_for_timeout(800)
    assert page.evaluate(CUT_OFF) == []
