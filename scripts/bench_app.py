"""Benchmark the served dashboard (not a test): first paint per page against a blank Streamlit
page served the same way, server time of a selection rerun, and the server's memory.

    python scripts/bench_app.py [--processed DIR] [--runs 3]

`scripts/bench.py` runs it for the seed corpus and a generated 1,000-document one after the build
benchmark. Another processed corpus is served with its sources next to it (DIR/../raw), which is
where the app looks for them to check the corpus is fresh.

What is measured:
- first paint: a fresh browser context opens the page; the clock runs from navigation start until
  the page's content is drawn (its title is visible, the script run has finished and as many
  charts as the page shows once settled have drawn their SVG). The blank page is a script with one `st.title`, served by the same
  `streamlit run` flags, timed before and after the app's pages (the median of both series). "cold"
  is the very first request after the server started (the corpus is read then); the other runs
  are warm; the median of the warm runs is reported. Each timed load is a first visit (a fresh
  browser context: Streamlit's script chunks, Vega among them, are fetched again); "revisit" is
  the same load in a context whose cache an earlier load filled (a new session all the same).
- selection rerun: the server-side script time of the rerun a chart click causes, timed in
  process with Streamlit's AppTest (the same script, the same selection handling), median of
  several reruns per page; and, in the browser, click → finished rerun on Terms and Timeline.
- memory: the server process's resident set (VmRSS) and its peak (VmHWM) after all pages ran.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "overview": "/",
    "timeline": "/timeline",
    "mechanisms": "/mechanisms",
    "terms": "/terms",
    "policies": "/policies",
    "bibliometrics": "/bibliometrics",
    "reader": "/reader",
}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(script: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=script.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("streamlit did not start")


def memory_mb(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


CHARTS_DRAWN = """(n) => {
    const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
    return charts.length >= n && charts.every(el => el.querySelector('svg, canvas'));
}"""
RUN_FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def paint_ms(browser, url: str, charts: int, context=None) -> float:
    """Navigation start → content drawn: title visible, run finished, `charts` charts with their SVG.

    Counting the charts matters: the app reports "not running" before its first run has begun, and
    a page whose chart elements have not arrived yet would otherwise count as drawn.
    A fresh browser context (empty cache: a first visit) unless `context` is given (a revisit)."""
    own = context is None
    context = context or browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_selector(RUN_FINISHED, timeout=60_000)
        page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=60_000)
        return page.evaluate("() => performance.now()")
    finally:
        page.close()
        if own:
            context.close()


def revisit_ms(browser, url: str, charts: int, runs: int) -> float:
    """Median first paint in one browser context whose cache the first (untimed) load filled."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        paint_ms(browser, url, charts, context)
        return statistics.median(paint_ms(browser, url, charts, context) for _ in range(runs))
    finally:
        context.close()


def chart_count(browser, url: str) -> int:
    """How many charts the page draws once it has settled (the target for the timed loads)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_timeout(3000)
        page.wait_for_selector(RUN_FINISHED, timeout=60_000)
        page.wait_for_function(CHARTS_DRAWN, arg=0, timeout=60_000)
        return page.locator('[data-testid="stVegaLiteChart"]').count()
    finally:
        context.close()


def bench_paint(browser, url: str, paths: dict[str, str], runs: int) -> dict[str, tuple]:
    """Per page: (cold ms of the very first request, median warm ms, charts drawn, revisit ms)."""
    results = {}
    for name, path in paths.items():
        # the first request of all is timed cold, waiting for at least one chart where the page has any
        cold = paint_ms(browser, url + path, 0 if name in ("blank", "reader") else 1) if not results else None
        charts = chart_count(browser, url + path)
        warm = [paint_ms(browser, url + path, charts) for _ in range(runs)]
        results[name] = (cold, statistics.median(warm), charts, revisit_ms(browser, url + path, charts, runs))
    return results


def bench_click(browser, url: str) -> dict[str, float | str]:
    """Browser-side click → rerun finished (includes network and drawing)."""
    from playwright.sync_api import Error as PlaywrightError

    timings = {}
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    cases = {
        "terms (click a bar)": ("/terms", 0, "bar", "词语: 技术"),
        "timeline (click an event)": ("/timeline", 1, "point", "年"),
    }
    for name, (path, chart_index, role, label) in cases.items():
        try:
            page.goto(url + path)
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
            page.wait_for_timeout(500)
            chart = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').nth(chart_index)
            mark = chart.locator(f'[aria-roledescription="{role}"][aria-label*="{label}"]').first
            box = mark.bounding_box(timeout=10_000)
            start = time.perf_counter()
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]', timeout=10_000)
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
            timings[name] = (time.perf_counter() - start) * 1000
        except PlaywrightError as exc:  # e.g. no clickable mark found: report it, keep the other numbers
            timings[name] = f"not measured ({str(exc).splitlines()[0][:80]})"
    context.close()
    return timings


def bench_rerun(processed: Path, runs: int) -> dict[str, float]:
    """Server-side script time of a rerun after a selection change, per page (AppTest)."""
    import logging

    from streamlit.testing.v1 import AppTest

    # the corpus is read outside a script run: Streamlit warns about it on every cached call
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    import components.data
    from components import state

    components.data.PROCESSED_DIR = processed
    components.data.RAW_DIR = processed.parent / "raw"  # as the server finds it (CORPUS_RAW_DIR unset)
    from corpus.store import load_processed

    tables = load_processed(processed, raw_dir=None).tables
    events, docs = tables["events"], tables["documents"]
    doc = docs["doc_id"].iloc[0]
    changes = {
        "overview": [{"papers": [d]} for d in docs["doc_id"].head(runs)],
        "timeline": [{"event": f"{r.doc_id}:{r.event_id}"} for r in events.head(runs).itertuples()],
        "mechanisms": [{"mech": m} for m in tables["mechanisms"]["name"].head(runs)],
        "terms": [{"term": t} for t in ("数据", "技术", "产业", "创新", "劳动者")[:runs]],
        "policies": [{"domain": d, "pdoc": doc} for d in tables["policies"]["domain"].unique()[:runs]],
        "reader": [{"doc": d, "para": "p0005"} for d in docs["doc_id"].head(runs)],
        # a keyword picked on the map: the corpus's own most frequent author keywords
        "bibliometrics": [{"kw": k, "term": k} for k in docs["keywords"].explode().dropna().value_counts().index[:runs]],
    }
    results = {}
    for name in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page(f"pages/{name}.py").run()  # warm: corpus cached, page imported
        times = []
        for change in changes[name]:
            at.session_state[state.SELECTION] = {**at.session_state[state.SELECTION], **change}
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
            assert not at.exception, at.exception
        # a corpus without author keywords has no keyword to pick: nothing to time there
        results[name] = statistics.median(times) if times else None
    return results


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processed", type=Path, default=ROOT / "data" / "processed")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "CORPUS_PROCESSED_DIR": str(args.processed.resolve())}
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "blank.py"
        blank.write_text('import streamlit as st\n\nst.title("blank")\n', encoding="utf-8")
        blank_server, blank_url = serve(blank, env)
        app_server, app_url = serve(ROOT / "app.py", env)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                blank_cold = paint_ms(browser, blank_url + "/", 0)
                blank_warm = [paint_ms(browser, blank_url + "/", 0) for _ in range(args.runs)]
                app_paint = bench_paint(browser, app_url, PAGES, args.runs)
                # the blank page again after the app's pages (the machine's speed drifts): the
                # reference is the median of both series
                blank_warm += [paint_ms(browser, blank_url + "/", 0) for _ in range(args.runs)]
                blank_paint = (blank_cold, statistics.median(blank_warm), 0, revisit_ms(browser, blank_url + "/", 0, args.runs))
                clicks = bench_click(browser, app_url)
                browser.close()
            rss, peak = memory_mb(app_server.pid)
            blank_rss, _ = memory_mb(blank_server.pid)
        finally:
            for server in (blank_server, app_server):
                server.terminate()
                server.wait(timeout=10)
    reruns = bench_rerun(args.processed.resolve(), args.runs)

    print(f"corpus: {args.processed}  (runs per page: {args.runs}, median of warm runs)")
    print(f"\n{'page':<12} {'first paint ms':>15} {'× blank':>8} {'revisit ms':>11} {'× blank':>8} {'cold ms':>9} "
          f"{'charts':>7} {'rerun ms':>9}")
    print(f"{'blank':<12} {blank_paint[1]:>15.0f} {1.0:>8.2f} {blank_paint[3]:>11.0f} {1.0:>8.2f} {blank_paint[0]:>9.0f} "
          f"{0:>7} {'':>9}")
    for name, (cold, warm, charts, revisit) in app_paint.items():
        cold_text = f"{cold:.0f}" if cold is not None else "-"
        print(f"{name:<12} {warm:>15.0f} {warm / blank_paint[1]:>8.2f} {revisit:>11.0f} {revisit / blank_paint[3]:>8.2f} "
              f"{cold_text:>9} {charts:>7} {_ms(reruns[name]):>9}")
    print("\nclick → rerun finished, in the browser:")
    for name, ms in clicks.items():
        print(f"  {name:<28} {ms:>6.0f} ms" if isinstance(ms, float) else f"  {name:<28} {ms}")
    print(f"\nserver memory: RSS {rss:.0f} MB (peak {peak:.0f} MB); blank page server RSS {blank_rss:.0f} MB")


if __name__ == "__main__":
    main()
