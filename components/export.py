"""Server-side chart export: PNG and SVG through vl-convert with the pip-installed Chinese font,
and the chart's data as CSV.

vl-convert renders text only with fonts it has been told about; without a CJK font it silently
drops every Chinese glyph. `pylopdf-fonts-zh-cn` installs Noto Sans SC with pip, so the export
works on a fresh machine and on Streamlit Community Cloud without system packages.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import altair as alt
import pandas as pd

_font_lock = threading.Lock()
_font_registered = False


def font_path() -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


def _vl_convert():
    """vl_convert with the CJK font directory registered (once per process)."""
    global _font_registered
    import vl_convert

    with _font_lock:
        if not _font_registered:
            vl_convert.register_font_directory(str(font_path().parent))
            _font_registered = True
    return vl_convert


def _spec(chart: alt.TopLevelMixin, width: int) -> dict:
    spec = chart.to_dict()
    # "container" width means nothing outside a web page; give the export a real width.
    _fix_width(spec, width)
    return spec


def _fix_width(spec: dict, width: int) -> None:
    if spec.get("width") == "container":
        spec["width"] = width
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key, []) or []:
            _fix_width(sub, width)
    if isinstance(spec.get("spec"), dict):
        _fix_width(spec["spec"], width)


def to_png(chart: alt.TopLevelMixin, *, width: int = 1200, scale: float = 2.0) -> bytes:
    return _vl_convert().vegalite_to_png(_spec(chart, width), scale=scale)


def to_svg(chart: alt.TopLevelMixin, *, width: int = 1200) -> str:
    """The chart as SVG with the glyphs it uses embedded (a WOFF subset of Noto Sans SC), so its
    Chinese text renders on a machine without CJK fonts, not as boxes."""
    return embed_font(_vl_convert().vegalite_to_svg(_spec(chart, width)))


_SVG_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
EMBEDDED_FAMILY = "Noto Sans SC"  # the first family of charts.FONT: the name the text asks for


def embed_font(svg: str) -> str:
    """`svg` with an @font-face holding exactly the characters its <text> elements draw."""
    import base64
    import html
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = {ch for text in _SVG_TEXT.findall(svg) for ch in html.unescape(re.sub(r"<[^>]+>", "", text))}
    opening = _SVG_OPEN.search(svg)
    if not chars or opening is None:
        return svg
    font = TTFont(str(font_path()), lazy=True)
    subsetter = subset.Subsetter(subset.Options(flavor="woff", layout_features=["*"], name_IDs=["*"],
                                                desubroutinize=True))
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    style = (f'<defs><style>@font-face {{font-family: "{EMBEDDED_FAMILY}"; '
             f'src: url(data:font/woff;base64,{data}) format("woff");}}</style></defs>')
    return svg[: opening.end()] + style + svg[opening.end():]


def to_csv(data: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel opens the Chinese text correctly."""
    frame = data.copy()
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, (list, tuple))).any():
            frame[column] = frame[column].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return frame.to_csv(index=False).encode("utf-8-sig")
