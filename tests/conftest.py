"""Shared fixtures: the real seed corpus, raw and built from the current code."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
SEEDS = {
    "000": "000_e938fc2a5e09f312",
    "001": "001_3f6d6f34627a8da3",
    "002": "002_206dd01d563a69b3",
    "004": "004_230e8963441ed0b1",
}


def seed_text(key: str) -> str:
    return (RAW_DIR / f"{SEEDS[key]}.txt").read_text(encoding="utf-8")


def seed_lines(key: str, first: int, last: int) -> str:
    """Raw lines first..last (1-based, inclusive) of a seed: a fixture cut from the real paper."""
    lines = seed_text(key).split("\n")
    return "\n".join(lines[first - 1 : last])


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The seeds built by the current pipeline into a temporary folder (not the committed copy)."""
    from corpus.build import build_corpus
    from corpus.store import load_processed

    out = tmp_path_factory.mktemp("processed")
    result = build_corpus(RAW_DIR, out)
    assert not result.failures, [f.message("en") for f in result.failures]
    return load_processed(out)


@pytest.fixture(scope="session")
def seed_processed_dir(tmp_path_factory):
    """Folder of the seeds built by the current pipeline, for the app (AppTest, served app)."""
    from corpus.build import build_corpus

    out = tmp_path_factory.mktemp("processed_app")
    result = build_corpus(RAW_DIR, out)
    assert not result.failures, [f.message("en") for f in result.failures]
    return out


@pytest.fixture(scope="session")
def seed_corpus(seed_processed_dir):
    """The app's view of the seed corpus (components.data.AppCorpus)."""
    from components.data import AppCorpus
    from corpus.store import load_processed

    loaded = load_processed(seed_processed_dir)
    return AppCorpus(dict(loaded.tables), loaded.version, dict(loaded.manifest))


def process(name: str, data: bytes, **options):
    """One file through the pipeline, assembled on its own: every table of that one document."""
    from corpus.assemble import assemble
    from corpus.pipeline import Pipeline

    return assemble([Pipeline()(name, data, **options)])
