"""UI labels in Chinese and English, all read from `components/translations.yaml`.

The table maps a dotted key to `{zh: ..., en: ...}`. Labels for codes that editors maintain in
`data/lexicon/` (event categories, policy domains, tools, actors) come from `corpus.lexicon.Lexicon`
first, so a new code shows its lexicon name without a code change.
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
    """Readable name of a taxonomy code (`policy.domain`, `event.category`, `policy.tool`, …):
    the lexicon's own name first (an editor's new code shows without a code change), then this
    table's `code.<group>.<code>`, then the code itself."""
    if code is None or code == "":
        return translate("common.unknown", lang)
    key = f"code.{group}.{code}"
    name = _lexicon_name(group, str(code), lang) or (translate(key, lang) if key in table() else None)
    if not name:
        return str(code)
    # lexicons and this table write English names in lower case (`supply`, `workers`): labels start upper case
    return name[:1].upper() + name[1:] if lang == "en" else name


def _lexicon_name(group: str, code: str, lang: str) -> str | None:
    try:
        from corpus.lexicon import Lexicon
    except ImportError:  # the app without its pipeline package: the table's names only
        return None
    return Lexicon.load().name(group, code, lang)
