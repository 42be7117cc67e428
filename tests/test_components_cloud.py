"""The clickable word cloud's layout on the seed corpus's real term counts."""

import itertools

from components.charts.cloud import LAYOUT_HEIGHT, LAYOUT_WIDTH, cloud_chart, cloud_layout, text_width
from components.charts.terms import top_terms


def _boxes(placed):
    return [(row.x - text_width(row.term, row.size) / 2, row.y - row.size * 1.15 / 2,
             row.x + text_width(row.term, row.size) / 2, row.y + row.size * 1.15 / 2) for row in placed.itertuples()]


def test_the_cloud_places_the_corpus_terms_without_overlap(seed_corpus):
    counts = top_terms(seed_corpus.table("terms"), 150)
    placed = cloud_layout(counts)
    assert len(placed) >= 100  # room for most of the 120 most frequent terms
    assert set(placed["term"]) <= set(counts["term"])  # our segmentation's terms, nothing else
    assert placed["size"].iloc[0] == placed["size"].max()  # the most frequent term is the largest
    boxes = _boxes(placed)
    for left, top, right, bottom in boxes:
        assert 0 <= left and right <= LAYOUT_WIDTH and 0 <= top and bottom <= LAYOUT_HEIGHT
    for a, b in itertools.combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_the_same_counts_give_the_same_cloud(seed_corpus):
    counts = top_terms(seed_corpus.table("terms"), 150)
    assert cloud_layout(counts).equals(cloud_layout(counts))


def test_a_click_on_a_word_selects_its_term_and_a_selected_term_is_restored(seed_corpus):
    placed = cloud_layout(top_terms(seed_corpus.table("terms"), 60))
    spec = cloud_chart(placed, "zh", selected="数据").to_dict()
    [param] = spec["params"]
    assert param["name"] == "term_pick" and param["select"]["fields"] == ["term"]
    assert param["value"] == [{"term": "数据"}]
