"""UI labels in Chinese and English, all read from `components/translations.yaml`.

The table maps a dotted key to `{zh: ..., en: ...}`. Labels for codes that editors maintain in
`data/lexicon/` (event categories, policy domains) are looked up there first, so a new code
shows its lexicon name without a code change.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
TABLE_PATH = Path(__file__).with_name("translations.yaml")


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    with open(TABLE_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The label for `key` in `lang`; a missing key shows itself so it is noticed, not hidden."""
    entry = table().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or key
    return text.format(**values) if values else text


def code_label(group: str, code: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Readable name of a taxonomy code (`policy.domain`, `event.category`, `policy.tool`, …)."""
    if code is None or code == "":
        return translate("common.unknown", lang)
    lexicon_name = _lexicon_labels(group).get(code, {}).get(lang)
    if lexicon_name:
        return lexicon_name
    key = f"code.{group}.{code}"
    return translate(key, lang) if key in table() else str(code)


# Which lexicon file names which codes; each file may carry `zh`/`en` (or `name`/`label`) names.
_LEXICON_SOURCES = {
    "event.category": "event_categories.yaml",
    "policy.domain": "policy_taxonomy.yaml",
}


@lru_cache(maxsize=8)
def _lexicon_labels(group: str) -> dict[str, dict[str, str]]:
    name = _LEXICON_SOURCES.get(group)
    if name is None:
        return {}
    try:
        from corpus.lexicon import read_yaml

        data = read_yaml(name)
    except (OSError, ImportError, yaml.YAMLError):
        return {}
    return _names_from_lexicon(data, "domains" if group == "policy.domain" else "categories")


def _names_from_lexicon(data, section: str) -> dict[str, dict[str, str]]:
    """Accept either `{code: {zh:, en:}}`, `{section: {code: {...}}}` or a list of `{code:, zh:, en:}`."""
    if isinstance(data, dict) and section in data:
        data = data[section]
    names: dict[str, dict[str, str]] = {}
    items = data.items() if isinstance(data, dict) else ((d.get("code") or d.get("id"), d) for d in data or [])
    for code, spec in items:
        if not isinstance(spec, dict) or code is None:
            continue
        zh = spec.get("zh") or spec.get("name") or spec.get("label") or spec.get("name_zh")
        en = spec.get("en") or spec.get("name_en") or spec.get("label_en")
        names[str(code)] = {k: v for k, v in (("zh", zh), ("en", en)) if isinstance(v, str)}
    return names
