"""Suggest multi-word terms for `data/lexicon/userdict.txt` from the corpus itself.

Segments every `data/raw/*.txt` with the current dictionary, then ranks runs of 2–4 adjacent
tokens inside a clause by two signals:
  - PMI of the run's tokens (they co-occur far more often than chance), and
  - a noun-phrase pattern (every token noun-like: n, vn, nz, b, an, or a user word; ending in a noun).
Only runs seen at least `--min-count` times are shown; an editor reads the list and copies the
good ones into the "corpus-suggested terms" section of the dictionary. Nothing is written.

    python scripts/suggest_terms.py [--min-count 3] [--top 80]
    python scripts/suggest_terms.py --check   # dictionary words still split in context
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.segment import Segmenter, load_stopwords  # noqa: E402 (needs the sys.path line)

RAW_DIR = ROOT / "data" / "raw"
NOUN_TAGS = {"n", "vn", "nz", "b", "an", "nt", "ng"}
HEAD_TAGS = {"n", "vn", "nz", "nt", "ng"}
# Clause boundaries: anything that is not a letter, digit, CJK character or `+`.
CLAUSE_SPLIT = re.compile(r"[^\w+]+|_")


def reflow(raw: str) -> str:
    """Undo the PDF's hard line breaks (which cut words in two) so adjacent tokens are real."""
    return "".join(line.strip() for line in raw.splitlines())


def clause_tokens(segmenter: Segmenter, text: str):
    for clause in CLAUSE_SPLIT.split(text):
        if clause:
            yield segmenter.tokens(clause)


def usable(word: str, stopwords: frozenset[str]) -> bool:
    return word not in stopwords and bool(re.search(r"[\u4e00-\u9fff]", word))


def candidates(texts: dict[str, str], segmenter: Segmenter, stopwords: frozenset[str], max_n: int = 4):
    unigrams: Counter[str] = Counter()
    ngrams: Counter[tuple[str, ...]] = Counter()
    ngram_docs: dict[tuple[str, ...], set[str]] = {}
    noun_like: dict[tuple[str, ...], bool] = {}
    user_words = segmenter.user_words
    for doc_id, text in texts.items():
        for words, tags in clause_tokens(segmenter, text):
            unigrams.update(words)
            for n in range(2, max_n + 1):
                for i in range(len(words) - n + 1):
                    gram = tuple(words[i : i + n])
                    if not all(usable(w, stopwords) for w in gram):
                        continue
                    ngrams[gram] += 1
                    ngram_docs.setdefault(gram, set()).add(doc_id)
                    gram_tags = tags[i : i + n]
                    noun_like[gram] = all(
                        t in NOUN_TAGS or w in user_words for w, t in zip(gram, gram_tags, strict=True)
                    ) and (gram_tags[-1] in HEAD_TAGS or gram[-1] in user_words)
    total = sum(unigrams.values())
    for gram, count in ngrams.items():
        # PMI of the run against its parts, averaged per extra token so n-grams compare fairly.
        pmi = math.log(count * total ** (len(gram) - 1) / math.prod(unigrams[w] for w in gram))
        pmi /= len(gram) - 1
        yield gram, count, len(ngram_docs[gram]), pmi, noun_like[gram]


def split_occurrences(texts: dict[str, str], segmenter: Segmenter):
    """Dictionary words that occur in the text but are not cut out as (part of) one token."""
    words = sorted(segmenter.user_words, key=len, reverse=True)
    report: dict[str, list[str]] = {}
    for text in texts.values():
        for clause in CLAUSE_SPLIT.split(text):
            present = [w for w in words if w in clause]
            if not present:
                continue
            tokens = segmenter._tokenizer.lcut(clause, HMM=True)
            spans, start = [], 0
            for token in tokens:
                spans.append((start, start + len(token)))
                start += len(token)
            for word in present:
                for match in re.finditer(re.escape(word), clause):
                    a, b = match.span()
                    if not any(s <= a and b <= e for s, e in spans):
                        context = [clause[s:e] for s, e in spans if s < b + 2 and e > a - 2]
                        report.setdefault(word, []).append(" ".join(context))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--top", type=int, default=80)
    parser.add_argument("--check", action="store_true", help="list dictionary words split in context")
    args = parser.parse_args(argv)

    texts = {p.stem: reflow(p.read_text(encoding="utf-8")) for p in sorted(RAW_DIR.glob("*.txt"))}
    segmenter = Segmenter.from_lexicon()
    if args.check:
        for word, contexts in sorted(split_occurrences(texts, segmenter).items()):
            print(f"{word}\tsplit {len(contexts)}x\te.g. {' | '.join(contexts[:3])}")
        return 0
    stopwords = load_stopwords()
    rows = [row for row in candidates(texts, segmenter, stopwords) if row[1] >= args.min_count]
    # Score: PMI weighted by log frequency; noun phrases first within equal scores.
    rows.sort(key=lambda r: r[3] * math.log(1 + r[1]) + (1.0 if r[4] else 0.0), reverse=True)
    print(f"{'term':<16}\t{'tokens':<24}\tcount\tdocs\tpmi\tnoun_phrase")
    for gram, count, docs, pmi, noun in rows[: args.top]:
        print(f"{''.join(gram):<16}\t{' '.join(gram):<24}\t{count}\t{docs}\t{pmi:.2f}\t{'NP' if noun else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
