"""Server memory when an editor uploads documents (not a test).

    python scripts/bench_uploads.py [--docs 20] [--batches 4]

Serves the app on the shipped corpus, opens the Corpus page in headless Chromium and uploads
`--docs` generated papers (recombined seed paragraphs with sidecar metadata, as scripts/bench.py
makes them) in `--batches` batches through the upload widget, as an editor would; then visits
Overview, Timeline and Terms in the same session. Prints the server's resident memory (VmRSS)
and its peak (VmHWM) at each step, and the time each batch took from click to "added".
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench import generate_corpus  # noqa: E402
from bench_app import CHROMIUM_ARGS, memory_mb, serve  # noqa: E402

from components.i18n import translate  # noqa: E402


def wait_idle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=300_000)
    page.wait_for_timeout(300)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--batches", type=int, default=4)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as tmp:
        files_dir = Path(tmp) / "files"
        generate_corpus(files_dir, args.docs, seed=11)
        papers = sorted(files_dir.glob("*.txt"))
        size_kb = sum(p.stat().st_size for p in papers) / 1024
        process, url = serve(ROOT / "app.py", dict(os.environ))
        rows = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.goto(url + "/corpus")
                page.wait_for_selector("h1", timeout=60_000)
                wait_idle(page)
                rows.append(("corpus page open, nothing uploaded", *memory_mb(process.pid), ""))
                dropzone = f'section[aria-label="{translate("corpus.upload_label", "zh")}"] input[type=file]'
                per_batch = -(-len(papers) // args.batches)
                done = 0
                for start in range(0, len(papers), per_batch):
                    batch = papers[start : start + per_batch]
                    names = [str(p) for p in batch] + [str(p.with_suffix(".meta.yaml")) for p in batch]
                    page.locator(dropzone).set_input_files(names)
                    button = page.get_by_role("button", name=translate("corpus.process", "zh", n=len(names)))
                    button.wait_for(timeout=60_000)
                    started = time.perf_counter()
                    button.click()
                    # this batch's message (an earlier batch's stays on screen until it is replaced)
                    page.locator('[data-testid="stAlertContentSuccess"]', has_text=batch[0].name).wait_for(
                        timeout=300_000)
                    wait_idle(page)
                    seconds = time.perf_counter() - started
                    done += len(batch)
                    rows.append((f"after uploading {done} documents", *memory_mb(process.pid), f"{seconds:.1f} s"))
                for name in ("overview", "timeline", "terms"):
                    title = translate(f"page.{name}", "zh")
                    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
                    page.wait_for_function(f"() => document.querySelector('h1')?.innerText === '{title}'")
                    wait_idle(page)
                    rows.append((f"then {name} page", *memory_mb(process.pid), ""))
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"{len(papers)} generated papers ({size_kb:.0f} kB of text) in {args.batches} batches, one browser session")
    print(f"{'step':<40} {'RSS MB':>8} {'peak MB':>8}  batch time")
    for step, rss, peak, note in rows:
        print(f"{step:<40} {rss:>8.0f} {peak:>8.0f}  {note}")


if __name__ == "__main__":
    main()
