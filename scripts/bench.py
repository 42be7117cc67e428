"""Issue 6's benchmark: the build (pipeline time against a bare jieba pass over the same text, peak
memory), then the served app (scripts/bench_app.py) on the seed corpus and the largest generated one.

    python scripts/bench.py                 # seeds + generated 100 and 1,000 documents; then the app on seeds and 1,000
    python scripts/bench.py --sizes 100     # the seeds and one generated size (the app on seeds and 100)
    python scripts/bench.py --no-app        # the build table only

Each corpus is built in a fresh subprocess (so peak RSS is that build's own) that also times a
bare `jieba.lcut` pass over the very same raw text (before and after the build; the faster one
counts). Both start with their dictionaries loaded: jieba's; the pipeline's segmenter, stopwords
and extraction rules, whose one-off load is shown as `dict s` and not counted in `build s`.
`build s` is `build_corpus`: every stage, the Parquet files and the manifest. With enough text
the build uses a pool of worker processes (`procs`); `peak MB` is the main process, `worker MB`
the largest worker (forked workers share the dictionary pages with the main process, so the two
do not simply add up).
Ratios, not seconds, are the point: this machine is shared and noisy. Generated corpora recombine
the seeds' clean paragraphs into new hard-wrapped papers with varied titles, authors and years.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CN_NUM = "一二三四五六七八九十"


def worker(raw_dir: Path, out_dir: Path) -> dict:
    """Runs in a subprocess: time the build and a bare jieba pass over the same text."""
    import jieba

    from corpus.build import build_corpus
    from corpus.files import raw_inputs
    from corpus.lexicon import Lexicon

    texts = [p.read_text(encoding="utf-8") for p in raw_inputs(raw_dir)]
    started = time.perf_counter()
    jieba.initialize()
    bare_dictionary = time.perf_counter() - started
    # Both sides start with their dictionaries loaded: jieba's for the bare pass; for the build,
    # the segmenter (jieba + domain words + POS table), stopwords and extraction rules.
    started = time.perf_counter()
    Lexicon.load().warm()
    dictionaries = time.perf_counter() - started

    def bare_pass() -> float:
        started = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        return time.perf_counter() - started

    before = bare_pass()
    started = time.perf_counter()
    result = build_corpus(raw_dir, out_dir)
    build = time.perf_counter() - started
    # The machine is shared: time the bare pass before and after the build and keep the faster
    # (which makes the ratio the stricter of the two).
    bare = min(before, bare_pass())
    return {
        "documents": len(result.tables["documents"]),
        "chars": sum(len(t) for t in texts),
        "build_s": build,
        "jieba_s": bare,
        "dictionaries_s": dictionaries,
        "jieba_dictionary_s": bare_dictionary,
        "workers": result.workers,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # the largest worker's peak (forked workers share the dictionary pages with the main process)
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if result.workers > 1 else 0,
        "failures": len(result.failures),
    }


def generate_corpus(target: Path, n_docs: int, seed: int = 7) -> None:
    """Recombine seed paragraphs into n_docs hard-wrapped papers with sidecar metadata."""
    from corpus.store import load_processed

    corpus = load_processed()
    paragraphs = corpus["paragraphs"]
    body = paragraphs[paragraphs.kind != "abstract"].text.tolist()
    headings = corpus["sections"].query("level == 2").heading.tolist()
    titles = corpus["sections"].query("level == 1").heading.tolist()
    rng = random.Random(seed)
    surnames, given = "王李张刘陈杨赵黄周吴", "明华伟芳娜敏静丽强磊军洋"
    journals = ["经济研究", "管理世界", "中国软科学", "科学学研究", "西南石油大学学报(社会科学版)"]
    target.mkdir(parents=True, exist_ok=True)
    for i in range(n_docs):
        width = rng.choice([20, 22, 24, 36, 48])
        lines = [" " + rng.choice(titles) + f"（{i + 1}）", "摘  要：" + rng.choice(body)[:160] + "。"]
        for s in range(rng.randint(3, 5)):
            lines.append(f" {CN_NUM[s]}、{rng.choice(titles)}")
            for sub in range(rng.randint(1, 3)):
                lines.append(f"（{CN_NUM[sub]}）{rng.choice(headings)}")
                for _ in range(rng.randint(2, 4)):
                    text = rng.choice(body)
                    lines += [text[k : k + width] for k in range(0, len(text), width)]
        (target / f"gen_{i:04d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        author = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        year = rng.randint(2018, 2026)
        (target / f"gen_{i:04d}.meta.yaml").write_text(
            f"authors: [{author}]\njournal: {rng.choice(journals)}\nyear: {year}\n", encoding="utf-8")


def run_build(raw_dir: Path, out_dir: Path | None = None) -> dict:
    """Build in a fresh subprocess; into out_dir when given (kept), else into a temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, __file__, "--worker", str(raw_dir), str(out_dir or tmp)],
                              capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_app_bench(processed: Path, runs: int) -> None:
    """scripts/bench_app.py on one processed corpus (its sources next to it in ../raw)."""
    print(f"\n== app: {processed}", flush=True)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_app.py"), "--processed", str(processed),
                    "--runs", str(runs)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--no-app", action="store_true", help="skip serving the app")
    parser.add_argument("--runs", type=int, default=3, help="warm page loads per page in the app benchmark")
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return

    rows = [("seeds", run_build(ROOT / "data" / "raw"))]
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            raw = Path(tmp) / f"gen{n}" / "raw"
            generate_corpus(raw, n)
            # the largest generated corpus is kept (next to its sources) for the app benchmark
            keep = Path(tmp) / f"gen{n}" / "processed" if n == max(args.sizes) and not args.no_app else None
            rows.append((f"generated {n}", run_build(raw, keep)))
        print_build_table(rows)
        if not args.no_app:
            run_app_bench(ROOT / "data" / "processed", args.runs)
            if args.sizes:
                run_app_bench(Path(tmp) / f"gen{max(args.sizes)}" / "processed", args.runs)


def print_build_table(rows: list[tuple[str, dict]]) -> None:
    print(f"{'corpus':<16}{'docs':>6}{'chars':>11}{'dict s':>8}{'build s':>9}{'jieba s':>9}{'build/jieba':>13}"
          f"{'s per doc':>11}{'procs':>7}{'peak MB':>9}{'worker MB':>11}")
    for name, r in rows:
        worker_mb = f"{r['worker_peak_rss_mb']:.0f}" if r["workers"] > 1 else "–"
        print(f"{name:<16}{r['documents']:>6}{r['chars']:>11,}{r['dictionaries_s']:>8.2f}{r['build_s']:>9.2f}{r['jieba_s']:>9.2f}"
              f"{r['build_s'] / r['jieba_s']:>12.2f}×{r['build_s'] / max(r['documents'], 1):>11.4f}"
              f"{r['workers']:>7}{r['peak_rss_mb']:>9.0f}{worker_mb:>11}")
    sized = [(r["documents"], r["build_s"]) for name, r in rows if name.startswith("generated")]
    if len(sized) >= 2:
        (n1, t1), (n2, t2) = sized[0], sized[-1]
        print(f"growth {n1}→{n2} documents: time ×{t2 / t1:.1f} for documents ×{n2 / n1:.0f} "
              f"(linear would be ×{n2 / n1:.0f})")


if __name__ == "__main__":
    main()
