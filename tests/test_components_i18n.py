"""The translation table: complete in both languages and covering every key the code asks for."""

import re
from pathlib import Path

from components.i18n import code_label, table, translate

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "components").rglob("*.py")]


def test_every_label_has_chinese_and_english():
    for key, entry in table().items():
        assert entry.get("zh") and entry.get("en"), key


def test_no_label_is_cut_at_a_comma():
    """In a YAML flow mapping an unquoted value ends at its first comma and the rest becomes a key
    of its own (`en: Events, mechanisms…` gave "Events" and a key "mechanisms…" with no value)."""
    for key, entry in table().items():
        assert set(entry) == {"zh", "en"}, (key, entry)
        assert all(isinstance(entry[lang], str) and entry[lang].strip() for lang in ("zh", "en")), key


def test_every_literal_key_used_in_code_exists():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r"translate\(\s*[\"']([a-z_]+(?:\.[a-z_]+)+)[\"']", path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys"
    missing = sorted(k for k in used if k not in table())
    assert missing == []


def test_page_titles_switch_language():
    assert translate("page.timeline", "zh") == "时间线"
    assert translate("page.timeline", "en") == "Timeline"


def test_codes_use_lexicon_names_in_chinese_and_the_table_in_english():
    # data/lexicon/event_categories.yaml names `phase` 发展阶段
    assert code_label("event.category", "phase", "zh") == "发展阶段"
    assert code_label("event.category", "phase", "en") == "Phase"
    assert code_label("policy.tool", "supply", "zh") == "供给型"
    assert code_label("policy.domain", None, "en") == "unknown"
    # a code nobody named yet still shows, as itself
    assert code_label("policy.domain", "space_mining", "zh") == "space_mining"
