"""The lexicon an editor edits is the one the app and the pipeline use: an edited file is read
again (after the short recheck window that keeps a page's hundred label lookups cheap)."""

import shutil
import time

from corpus.lexicon import DEFAULT_LEXICON_DIR, Lexicon


def _copy(tmp_path):
    folder = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_LEXICON_DIR, folder)
    return folder


def test_an_edited_domain_name_shows_after_the_recheck_window(tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    monkeypatch.setattr(Lexicon, "RECHECK_SECONDS", 0.2)
    before = Lexicon.load(folder)
    zh = before.name("policy.domain", "talent", "zh")
    assert zh
    taxonomy = folder / "policy_taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace(zh, "人才与教育（编辑改）", 1), encoding="utf-8")
    time.sleep(0.3)
    after = Lexicon.load(folder)
    assert after is not before and after.version != before.version
    assert after.name("policy.domain", "talent", "zh") == "人才与教育（编辑改）"


def test_lookups_within_the_window_reuse_the_same_lexicon_without_reading_the_folder(tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    monkeypatch.setattr(Lexicon, "RECHECK_SECONDS", 60)
    first = Lexicon.load(folder)
    looked = []
    monkeypatch.setattr("corpus.lexicon._stamp", lambda d: looked.append(d) or ())
    assert all(Lexicon.load(folder) is first for _ in range(100))
    assert looked == []
