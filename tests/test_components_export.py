"""Server-side export: Chinese glyphs are drawn (vl-convert drops text without a CJK font)."""

import io

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image

from components import export
from components.charts import style


def _title_only(title: str) -> alt.Chart:
    # an empty plot: the only ink is the title
    frame = pd.DataFrame({"x": [0]})
    return (
        alt.Chart(frame)
        .mark_point(opacity=0)
        .encode(x=alt.X("x:Q", axis=None))
        .properties(width=400, height=40, title=title)
    )


def _ink(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("L")
    return int((np.asarray(image) < 128).sum())


def test_png_draws_chinese_title():
    png = export.to_png(style(_title_only("新质生产力时间线")), width=400)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert _ink(png) > 200  # without the registered font the title would be blank


def test_svg_names_the_registered_font_and_keeps_the_text():
    svg = export.to_svg(style(_title_only("人工智能")), width=400)
    assert "人工智能" in svg
    assert "Noto Sans SC" in svg


def test_csv_opens_in_excel_with_chinese_and_lists():
    data = pd.DataFrame({"论文": ["人工智能视域下的新质生产力生成路径"], "actors": [["government", "enterprise"]]})
    csv = export.to_csv(data)
    assert csv.startswith("\ufeff".encode())
    text = csv.decode("utf-8-sig")
    assert "人工智能视域下的新质生产力生成路径" in text and "government; enterprise" in text


def test_container_width_becomes_a_real_width_for_export():
    chart = alt.layer(_title_only("a")).properties(width="container")
    spec = export._spec(chart, 900)
    assert spec["width"] == 900


def test_pip_font_directory_is_registered_once(monkeypatch):
    # This machine also has system CJK fonts, so the ink test above would pass without the
    # registration; Streamlit Cloud has none. Check the wiring itself.
    import vl_convert

    calls = []
    monkeypatch.setattr(vl_convert, "register_font_directory", calls.append)
    monkeypatch.setattr(export, "_font_registered", False)
    export._vl_convert()
    export._vl_convert()
    assert len(calls) == 1
    assert (export.font_path().parent / "NotoSansSC-Regular.otf").exists()
    assert calls[0] == str(export.font_path().parent)


def test_an_svg_carries_every_glyph_it_draws(seed_corpus):
    """Opened where no Chinese font is installed, the SVG's text still renders: the font it names
    is embedded with every character of its labels."""
    import base64
    import html
    import io
    import re

    from fontTools.ttLib import TTFont

    from components.charts import style
    from components.charts.terms import top_bars, top_terms
    from components.export import to_svg

    svg = to_svg(style(top_bars(top_terms(seed_corpus.table("terms"), 20), "zh", title="高频词（前 20）")))
    [(family, data)] = re.findall(r'@font-face \{font-family: "([^"]+)"; src: url\(data:font/woff;base64,([^)]+)\)', svg)
    assert family == "Noto Sans SC"
    cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
    drawn = {ch for text in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S) for ch in html.unescape(text)}
    assert "智" in drawn and "数" in drawn
    assert {ch for ch in drawn if not ch.isspace()} <= {chr(c) for c in cmap}
    assert len(data) < 200_000  # a subset, not the 8 MB font
