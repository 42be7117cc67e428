"""Issue 6's benchmark: the build (pipeline time against a bare jieba pass over the same text, peak
memory), then the served app (scripts/bench_app.py) on the seed corpus and the largest generated one.

    python scripts/bench.py                 # seeds + generated 100 and 1,000 documents; then the app on seeds and 1,000
    python scripts/bench.py --sizes 100     # the seeds and one generated size (the app on seeds and 100)
    python scripts/bench.py --no-app        # the build table only
    python scripts/bench.py --records 5000  # also ten literature exports of 500 records (and the app on them)

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


def segmenter_ratio(raw_dir: Path, runs: int = 3) -> tuple[float, float]:
    """Our Segmenter.tokens (words and cheap POS tags) against a bare lcut of its own tokenizer on
    the same text, best of `runs` each: the tagging should cost little on top of jieba."""
    from corpus.files import raw_inputs
    from corpus.segment import get_segmenter

    text = "".join(p.read_text(encoding="utf-8") for p in raw_inputs(raw_dir))
    segmenter = get_segmenter()
    segmenter.tokens(text[:100])  # dictionaries loaded before timing

    def best_of(fn) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            fn(text)
            times.append(time.perf_counter() - started)
        return min(times)

    return best_of(segmenter.tokens), best_of(lambda t: segmenter._tokenizer.lcut(t, HMM=True))


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


EXPORT_FORMATS = ("noteexpress", "endnote", "refworks", "wos", "csv")


def generate_exports(target: Path, n_records: int, per_file: int = 500, seed: int = 11) -> None:
    """n_records CNKI-like records in exports of per_file (CNKI's limit), the formats in turn:
    seed-derived abstracts, varied titles, authors, affiliations, journals, years and keywords."""
    from corpus.store import load_processed

    corpus = load_processed()
    paragraphs = corpus["paragraphs"]
    body = paragraphs[paragraphs.kind != "abstract"].text.tolist()
    keywords = [t for t in corpus["terms"].sort_values("tfidf", ascending=False)["term"].unique() if len(t) >= 2][:300]
    rng = random.Random(seed)
    surnames, given = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗", "明华伟芳娜敏静丽强磊军洋勇艳杰涛超"
    journals = ["经济研究", "管理世界", "中国软科学", "科学学研究", "西南石油大学学报(社会科学版)", "中国工业经济", "改革"]
    schools = ["中国人民大学经济学院", "北京大学光华管理学院", "复旦大学经济学院", "南开大学经济研究所", "西南石油大学经济管理学院"]
    target.mkdir(parents=True, exist_ok=True)
    for f, start in enumerate(range(0, n_records, per_file)):
        fmt = EXPORT_FORMATS[f % len(EXPORT_FORMATS)]
        records = []
        for i in range(start, min(start + per_file, n_records)):
            words = rng.sample(keywords, 4)
            records.append({
                "title": f"{words[0]}视域下{words[1]}的{rng.choice(['生成路径', '作用机制', '实证研究', '理论逻辑'])}（{i + 1}）",
                "authors": [rng.choice(surnames) + rng.choice(given) + rng.choice(given) for _ in range(rng.randint(1, 3))],
                "affiliations": rng.sample(schools, rng.randint(1, 2)), "journal": rng.choice(journals),
                "year": rng.randint(2012, 2026), "keywords": words,
                "abstract": "".join(rng.choice(body)[:120] for _ in range(2)),
            })
        name = {"noteexpress": "net", "endnote": "txt", "refworks": "txt", "wos": "txt", "csv": "csv"}[fmt]
        (target / f"cnki_{f + 1:02d}_{fmt}.{name}").write_text(_export_text(fmt, records), encoding="utf-8")


def _export_text(fmt: str, records: list[dict]) -> str:
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["题名", "作者", "机构", "刊名", "年", "关键词", "摘要"])
        for r in records:
            writer.writerow([r["title"], ";".join(r["authors"]), ";".join(r["affiliations"]), r["journal"], r["year"],
                             ";".join(r["keywords"]), r["abstract"]])
        return out.getvalue()
    blocks = []
    for r in records:
        if fmt == "noteexpress":
            lines = ["{Reference Type}: Journal Article", f"{{Title}}: {r['title']}", f"{{Author}}: {';'.join(r['authors'])};",
                     f"{{Author Address}}: {';'.join(r['affiliations'])}", f"{{Journal}}: {r['journal']}",
                     f"{{Year}}: {r['year']}", f"{{Keywords}}: {';'.join(r['keywords'])};", f"{{Abstract}}: {r['abstract']}"]
        elif fmt == "endnote":
            lines = ["%0 Journal Article", *[f"%A {a}" for a in r["authors"]], f"%+ {';'.join(r['affiliations'])}",
                     f"%T {r['title']}", f"%J {r['journal']}", f"%D {r['year']}", f"%K {';'.join(r['keywords'])}",
                     f"%X {r['abstract']}"]
        elif fmt == "refworks":
            lines = ["RT Journal Article", *[f"A1 {a}" for a in r["authors"]], f"T1 {r['title']}", f"JF {r['journal']}",
                     f"YR {r['year']}", f"K1 {';'.join(r['keywords'])}", f"AB {r['abstract']}",
                     f"AD {';'.join(r['affiliations'])}", "DS CNKI"]
        else:  # Web of Science / CiteSpace tagged
            lines = ["PT J", "AU " + "\n   ".join(r["authors"]), f"TI {r['title']}", f"SO {r['journal']}",
                     f"DE {'; '.join(r['keywords'])}", f"AB {r['abstract']}", f"C1 {'; '.join(r['affiliations'])}",
                     f"PY {r['year']}", "ER"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


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
    parser.add_argument("--records", type=int, default=0, help="also a corpus of N exported records (500 per export)")
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
        if args.records:
            raw = Path(tmp) / "records" / "raw"
            generate_exports(raw, args.records)
            keep = Path(tmp) / "records" / "processed" if not args.no_app else None
            rows.append((f"records {args.records}", run_build(raw, keep)))
        print_build_table(rows)
        tokens, lcut = segmenter_ratio(ROOT / "data" / "raw")
        print(f"segmenter on the seeds: tokens {tokens:.3f} s, bare lcut {lcut:.3f} s, {tokens / lcut:.2f}× (target 1.5×)")
        if not args.no_app:
            run_app_bench(ROOT / "data" / "processed", args.runs)
            if args.sizes:
                run_app_bench(Path(tmp) / f"gen{max(args.sizes)}" / "processed", args.runs)
            if args.records:
                run_app_bench(Path(tmp) / "records" / "processed", args.runs)


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
