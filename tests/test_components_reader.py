"""The Reader's HTML: evidence highlighted in place, anchors for every paragraph, text escaped."""

import re

import pandas as pd

from components.reader import Span, highlight, reader_html

DOC = "000_e938fc2a5e09f312"


def _html(corpus, target=None, doc=DOC):
    t = corpus.tables
    return reader_html(
        doc, t["sections"], t["paragraphs"], t["events"], t["mechanisms"], t["policies"], target_para=target, lang="zh"
    )


def test_every_paragraph_has_an_anchor_and_the_target_is_framed(seed_corpus):
    paragraphs = seed_corpus.table("paragraphs")
    mine = paragraphs[paragraphs["doc_id"] == DOC]
    target = mine["para_id"].iloc[3]
    html = _html(seed_corpus, target)
    ids = re.findall(r'<p id="(p\d+)"', html)
    assert ids == mine.sort_values("order")["para_id"].tolist() or sorted(ids) == sorted(mine["para_id"])
    assert re.search(rf'<p id="{target}" class="para target', html)


def test_events_are_highlighted_where_they_stand(seed_corpus):
    html = _html(seed_corpus)
    events = seed_corpus.table("events")
    mine = events[events["doc_id"] == DOC]
    assert html.count("hl-event") >= 1
    # each event's evidence paragraph carries the event class
    for para_id in set(mine["para_id"]):
        assert re.search(rf'<p id="{para_id}" class="[^"]*has-event', html), para_id


def test_headings_follow_the_section_tree(seed_corpus):
    html = _html(seed_corpus)
    sections = seed_corpus.table("sections")
    first_level = sections[(sections["doc_id"] == DOC) & (sections["level"] == 1)]
    for heading in first_level["heading"]:
        assert heading in html


def test_overlapping_highlights_and_escaping():
    text = "甲<乙>丙丁戊"
    out = highlight(text, [Span(0, 4, "event", "e"), Span(2, 6, "policy", "p&q")])
    assert "<乙" not in out and "乙>" not in out
    assert "&lt;" in out and "&gt;" in out
    assert 'class="hl hl-event hl-policy"' in out  # the overlap carries both kinds
    assert 'title="e | p&amp;q"' in out


def test_paper_without_body_has_no_paragraph_html(seed_corpus):
    empty = pd.DataFrame(columns=seed_corpus.table("paragraphs").columns)
    t = seed_corpus.tables
    html = reader_html(
        DOC, t["sections"], empty, t["events"], t["mechanisms"], t["policies"], target_para=None, lang="zh"
    )
    assert "<p " not in html


def test_the_selected_term_is_marked_where_the_reader_opens(seed_corpus):
    """A concordance line's "show source" opens the paragraph with the term marked in it."""
    from components.kwic import kwic_hits

    tables = seed_corpus.tables
    hit = kwic_hits(tables["paragraphs"], "数据要素", limit=1).iloc[0]
    body = reader_html(hit.doc_id, tables["sections"], tables["paragraphs"], tables["events"],
                       tables["mechanisms"], tables["policies"], target_para=hit.para_id, lang="zh", term="数据要素")
    target = body.split(f'id="{hit.para_id}"', 1)[1].split("</p>", 1)[0]
    assert "hl-term" in target and ">数据要素</mark>" in target
    unmarked = reader_html(hit.doc_id, tables["sections"], tables["paragraphs"], tables["events"],
                           tables["mechanisms"], tables["policies"], target_para=hit.para_id, lang="zh")
    assert "hl-term" not in unmarked
