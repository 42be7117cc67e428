"""Command line: `python -m corpus build [--raw DIR] [--out DIR] [--lexicon DIR]`, `python -m corpus schema`,
`python -m corpus stages` and `python -m corpus evaluate GOLD (--processed DIR | --build DIR)`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.build import build_corpus
from corpus.files import DEFAULT_PROCESSED_DIR, DEFAULT_RAW_DIR
from corpus.ingest import DEFAULT_MAX_BYTES
from corpus.lexicon import DEFAULT_LEXICON_DIR, Lexicon
from corpus.pipeline import STAGE_NAMES as STAGES
from corpus.pipeline import stages_table
from corpus.schema import to_markdown

BAR_WIDTH = len(STAGES)
MB = 2**20  # as in the size messages


class ProgressBar:
    """One line per document, filling as its stages complete."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.current: str | None = None
        self.done = 0

    def __call__(self, name: str, stage: str) -> None:
        if stage in STAGES:
            self.current, self.done = name, STAGES.index(stage)
            bar = "█" * self.done + "░" * (BAR_WIDTH - self.done)
            self.stream.write(f"\r{bar} {stage:<9} {name}")
        else:
            mark = "█" * BAR_WIDTH if stage == "done" else "✗" * BAR_WIDTH
            self.stream.write(f"\r{mark} {stage:<9} {name}\n")
        self.stream.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus", description="Build the processed corpus.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="raw files → Parquet tables")
    build.add_argument("--raw", type=Path, default=DEFAULT_RAW_DIR)
    build.add_argument("--out", type=Path, default=DEFAULT_PROCESSED_DIR)
    build.add_argument("--lexicon", type=Path, default=DEFAULT_LEXICON_DIR)
    build.add_argument("--max-mb", type=float, default=DEFAULT_MAX_BYTES / MB, help="largest file accepted (MB)")
    build.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of messages")
    schema = sub.add_parser("schema", help="write SCHEMA.md from corpus/schema.py")
    schema.add_argument("--out", type=Path, default=DEFAULT_PROCESSED_DIR / "SCHEMA.md")
    sub.add_parser("stages", help="the pipeline's stages with what each reads and writes")
    evaluate = sub.add_parser("evaluate", help="precision and recall against a gold file (data/gold/devset.yaml)")
    evaluate.add_argument("gold", type=Path)
    source = evaluate.add_mutually_exclusive_group(required=True)
    source.add_argument("--processed", type=Path, help="a processed corpus that holds the gold's documents")
    source.add_argument("--build", type=Path, metavar="DIR", help="copy the gold's files to DIR/raw and build DIR/processed first")
    evaluate.add_argument("--devset", type=Path, default=None, help="the devset folder (default ../shared/devset)")
    evaluate.add_argument("--lexicon", type=Path, default=DEFAULT_LEXICON_DIR, help="lexicon for --build")
    evaluate.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the numbers as JSON")
    evaluate.add_argument("--misses", action="store_true", help="list every missed gold item and unmatched row")
    args = parser.parse_args(argv)

    if args.command == "evaluate":
        from corpus.evaluate import DEFAULT_DEVSET_DIR, run

        if not args.gold.is_file():
            print(f"找不到标注文件 / gold file not found: {args.gold}", file=sys.stderr)
            return 2
        try:
            return run(args.gold, args.processed, args.build, args.devset or DEFAULT_DEVSET_DIR, args.json,
                       args.misses, Lexicon.load(args.lexicon) if args.build else None)
        except (OSError, ValueError) as exc:  # a gold file that names two same files, a missing or foreign folder
            print(f"✗ {exc}", file=sys.stderr)
            return 2

    if args.command == "stages":
        print(stages_table())
        return 0

    if args.command == "schema":
        args.out.write_text(to_markdown() + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
        return 0

    if not args.raw.is_dir():
        print(f"找不到原始文件夹 / raw folder not found: {args.raw}", file=sys.stderr)
        return 2
    result = build_corpus(args.raw, args.out, Lexicon.load(args.lexicon), int(args.max_mb * MB), progress=ProgressBar())
    for failure in result.failures + result.sidecar_problems:
        print(f"✗ {failure.message(args.lang)}", file=sys.stderr)
    for note in result.notes:
        print(f"· {note.message(args.lang)}", file=sys.stderr)
    counts = {name: len(frame) for name, frame in result.tables.items()}
    n_docs, n_sidecar = counts["documents"], len(result.sidecar_problems)
    n_twins = sum(f.code == "duplicate_record" for f in result.failures)
    n_failed = len(result.failures) - n_twins
    if args.lang == "zh":
        sidecars = f"，{n_sidecar} 处元数据问题" if n_sidecar else ""
        twins = f"，{n_twins} 条重复题录只保留一条" if n_twins else ""
        summary = f"{n_docs} 篇文档已处理，{n_failed} 个文件失败{twins}{sidecars}，用时 {result.seconds:.1f} 秒 → {args.out}"
    else:
        sidecars = f", {n_sidecar} metadata problem{'s' if n_sidecar != 1 else ''}" if n_sidecar else ""
        twins = f", {n_twins} duplicate record{'s' if n_twins != 1 else ''} kept once" if n_twins else ""
        summary = f"{n_docs} documents built, {n_failed} failed{twins}{sidecars}, {result.seconds:.1f} s → {args.out}"
    print(summary + "  (" + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")")
    return 1 if result.failures or result.sidecar_problems else 0


if __name__ == "__main__":
    sys.exit(main())
