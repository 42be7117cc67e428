"""The font the app serves (static/fonts): Chinese must render as glyphs on a viewer's machine
that has no CJK fonts, so every character the dashboard itself writes must be in it."""

import tomllib
from functools import lru_cache

from tests.conftest import RAW_DIR, ROOT

FONT = ROOT / "static" / "fonts" / "NotoSansSC-subset.woff2"


@lru_cache(maxsize=1)
def covered() -> frozenset[str]:
    from fontTools.ttLib import TTFont

    return frozenset(chr(code) for code in TTFont(FONT).getBestCmap())


def _missing(text: str) -> set[str]:
    return {c for c in text if c.isprintable() and not c.isspace()} - covered()


def test_the_theme_serves_the_font_and_uses_it():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    [face] = config["theme"]["fontFaces"]
    assert face["url"] == "app/static/fonts/" + FONT.name and FONT.is_file()
    assert config["theme"]["font"].startswith(face["family"])
    # the charts name the same family first (components.charts.FONT), so they use it too
    from components.charts import FONT as CHART_FONT

    assert CHART_FONT.startswith(face["family"])


def test_every_ui_label_and_seed_character_is_covered():
    assert not _missing((ROOT / "components" / "translations.yaml").read_text(encoding="utf-8"))
    for path in RAW_DIR.glob("*.txt"):
        assert not _missing(path.read_text(encoding="utf-8")), path.name
    for path in (ROOT / "data" / "lexicon").iterdir():
        assert not _missing(path.read_text(encoding="utf-8")), path.name


def test_common_hanzi_beyond_the_corpus_are_covered():
    # GB 2312 level 1 and 2: an uploaded paper's ordinary words render too
    assert not _missing("".join(bytes([0xB0 + r, 0xA1 + c]).decode("gb2312", "ignore") for r in range(72) for c in range(94)))
