"""The word cloud draws our own terms with the pip-installed font, and every drawn glyph exists in it."""

from fontTools.ttLib import TTFont

from components.charts.terms import top_terms
from components.export import font_path
from components.wordcloud import build_cloud, cloud_image, drawn_words


def test_every_drawn_term_is_covered_by_the_font(seed_corpus):
    counts = top_terms(seed_corpus.table("terms"), 150)
    cloud = build_cloud(dict(zip(counts["term"], counts["count"], strict=True)))
    words = drawn_words(cloud)
    assert len(words) >= 50
    # our terms, not wordcloud's own tokenisation
    assert set(words) <= set(counts["term"])
    cmap = TTFont(str(font_path())).getBestCmap()
    missing = sorted({ch for word in words for ch in word if ord(ch) not in cmap})
    assert missing == []


def test_empty_counts_give_no_image():
    assert cloud_image({}) is None
    assert cloud_image({"人工智能": 0}) is None
