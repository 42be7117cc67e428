"""Make the web font the app serves, so Chinese renders as glyphs on any viewer's machine.

    python scripts/make_webfont.py      # writes static/fonts/NotoSansSC-subset.woff2 (needs brotli)

Why: browsers draw Chinese with the viewer's system fonts, and a meeting-room PC or a Linux
box without CJK fonts shows boxes. The app therefore serves Noto Sans SC itself (Streamlit
static serving, `.streamlit/config.toml`), cut from the pip-installed font (pylopdf-fonts-zh-cn,
SIL OFL 1.1) to what the dashboard can show: the 6,763 hanzi of GB 2312, every character of the
shipped corpus, lexicon and UI texts, Latin, punctuation and the full-width forms. Characters
outside it (rare names in an uploaded paper) fall back to the viewer's fonts.

Run it again after adding UI texts or lexicon entries with characters outside GB 2312.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "static" / "fonts"
OUT = OUT_DIR / "NotoSansSC-subset.woff2"
TEXT_SOURCES = [ROOT / "data" / "raw", ROOT / "data" / "lexicon", ROOT / "components" / "translations.yaml"]
RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF),  # Latin
    (0x2000, 0x206F),  # general punctuation (— … ‘’ “”)
    (0x2150, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF),  # numerals Ⅰ…, arrows, maths (× ≤ −)
    (0x2460, 0x24FF), (0x2776, 0x2793),  # ①… ⑴… ➀…
    (0x3000, 0x303F), (0x3200, 0x32FF),  # CJK punctuation 、。《》「」, enclosed ㈠…
    (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),  # vertical forms, full-width forms （），：
]


def gb2312_hanzi() -> set[str]:
    """Levels 1 and 2 of GB 2312 (rows 16–87)."""
    chars = set()
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def project_chars() -> set[str]:
    chars = set()
    for source in TEXT_SOURCES:
        files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in files:
            try:
                chars |= set(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue
    return {c for c in chars if c.isprintable()}


def main() -> int:
    import pylopdf_fonts_zh_cn
    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = gb2312_hanzi() | project_chars()
    for first, last in RANGES:
        chars |= {chr(code) for code in range(first, last + 1)}
    source = Path(pylopdf_fonts_zh_cn.sans_path())
    font = TTFont(source)
    options = subset.Options()
    options.flavor = "woff2"  # needs the brotli package (requirements-dev.txt)
    options.layout_features = ["*"]  # keep vertical and proportional forms
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # browsers on high-DPI screens and projectors do not need it
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(OUT)
    licence = source.parent.parent / f"pylopdf_fonts_zh_cn-{pylopdf_fonts_zh_cn.__version__}.dist-info" / "licenses" / "LICENSE"
    if licence.is_file():
        shutil.copyfile(licence, OUT_DIR / "OFL.txt")
    covered = len(set(font.getBestCmap()))
    print(f"{OUT.relative_to(ROOT)}: {covered} characters, {OUT.stat().st_size / 2**20:.2f} MB "
          f"(from {source.name}, {source.stat().st_size / 2**20:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
