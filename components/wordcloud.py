"""Word cloud from our own term counts (never wordcloud's own segmentation), drawn with the
pip-installed Noto Sans SC so every Chinese glyph renders."""

from __future__ import annotations

import zlib
from collections.abc import Mapping

from PIL import Image

from components.export import font_path

PALETTE = ["#1f5f8b", "#c8553d", "#2a9d8f", "#8e6c8a", "#e9a23b", "#3d5a80"]


def build_cloud(counts: Mapping[str, int], *, width: int = 900, height: int = 480, max_words: int = 120):
    """A laid-out `wordcloud.WordCloud` (its `layout_` lists the words actually drawn)."""
    from wordcloud import WordCloud

    def colour(word, font_size, position, orientation, random_state=None, **_):
        return PALETTE[zlib.crc32(word.encode()) % len(PALETTE)]  # stable across runs

    cloud = WordCloud(
        font_path=str(font_path()),
        width=width,
        height=height,
        background_color="white",
        max_words=max_words,
        prefer_horizontal=0.95,
        random_state=7,
        color_func=colour,
        collocations=False,
        margin=4,
    )
    positive = {str(term): float(n) for term, n in counts.items() if n and n > 0}
    if not positive:
        return None
    return cloud.generate_from_frequencies(positive)


def drawn_words(cloud) -> list[str]:
    """The words the cloud actually placed (large counts can push small ones out)."""
    return [] if cloud is None else [entry[0][0] for entry in cloud.layout_]


def cloud_image(counts: Mapping[str, int], **size) -> Image.Image | None:
    cloud = build_cloud(counts, **size)
    return None if cloud is None else cloud.to_image()
