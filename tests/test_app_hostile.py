"""Hostile links and hostile data through every page (AppTest on the seed corpus).

A shared link and a colleague's bundle are untrusted: every URL field and every metadata or
text field is filled with markup an attacker would try (a phishing link, an outside image, a
script, a bare URL). Each page must run without an exception, and no element may hand that
markup to the browser in a form it would act on: Markdown sinks get it escaped, st.html gets
it as escaped text. (tests/browser/test_hostile.py checks the same in a real browser.)
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from components import state
from components.data import SessionCorpus
from components.i18n import translate
from components.safe import md
from tests.conftest import ROOT, SEEDS
from tests.hostile import HOSTILE, IMAGE, IMG_TAG, OUT_OF_RANGE, PHISH, SCRIPT

APP = str(ROOT / "app.py")
PAGES = ["overview", "timeline", "mechanisms", "terms", "policies", "bibliometrics", "reader", "corpus"]
DOC = SEEDS["000"]




class _Elements(HTMLParser):
    """The elements and attributes an HTML string makes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def _active(html_text: str) -> list[str]:
    """Links, images, scripts and event handlers in `html_text` (our own markup has none of these,
    except the Reader's scroll script, which carries no data)."""
    parser = _Elements()
    parser.feed(html_text)
    problems = []
    for tag, attrs in parser.found:
        if tag in ("a", "img", "iframe", "object", "embed") or any(a.startswith("on") for a in attrs):
            problems.append(f"<{tag} {attrs}>")
    scripts = re.findall(r"<script>(.*?)</script>", html_text, re.S)
    problems += [s for s in scripts if "alert" in s or "evil" in s]
    return problems


# GFM with autolinks and raw HTML on: the most a Markdown renderer could make of a value
_MARKDOWN = MarkdownIt("gfm-like", {"linkify": True, "html": True})
_AUTOLINKABLE = re.compile(r"https?://|www\.|[\w.+-]@[\w-]+\.\w", re.IGNORECASE)


@pytest.fixture(autouse=True)
def seed_data(monkeypatch, seed_processed_dir):
    monkeypatch.setattr("components.data.PROCESSED_DIR", seed_processed_dir)


def _open(page: str, query: dict | None = None, session: SessionCorpus | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if query:
        at.query_params.update(query)
    if session is not None:
        at.session_state["session_corpus"] = session
    at.switch_page(f"pages/{page}.py")
    return at.run()


def _markdown_values(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "subheader", "title", "info", "warning", "error", "success", "toast")
    values = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    # widget labels are Markdown too
    values += [str(w.label) for kind in ("button", "selectbox", "multiselect", "slider", "radio", "toggle")
               for w in getattr(at, kind)]
    return values


def _html_values(at: AppTest) -> list[str]:
    return [str(e.proto.body) for e in at.get("html")]


def _assert_inert(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    for value in _markdown_values(at):
        rendered = _MARKDOWN.render(value)
        assert not _active(rendered), value
        # remark-gfm (Streamlit's renderer) links these in text even when escaped: they must be broken
        assert not _AUTOLINKABLE.search(html.unescape(re.sub(r"<[^>]+>", "", rendered))), value
    for body in _html_values(at):
        assert not _active(body), body[:300]


def _hostile_query() -> dict:
    """Every URL field at once, each with a value no corpus has."""
    query: dict = {}
    for name, field in state.FIELDS.items():
        if field.kind == "bool":
            continue
        query[name] = {"int": OUT_OF_RANGE.get(name, "7"), "list": [HOSTILE, PHISH]}.get(
            field.kind, HOSTILE)
    return query


@pytest.mark.parametrize("page", PAGES)
def test_hostile_values_in_every_url_field_are_dropped_with_a_notice(page, seed_corpus):
    from components.views import year_bounds

    at = _open(page, _hostile_query())
    _assert_inert(at)
    assert at.title and at.title[0].value == translate(f"page.{page}", "zh")  # the page itself, in Chinese
    toasts = [t.value for t in at.toast]
    # the user is told what was ignored, in one short message, and what was changed
    [dropped] = [t for t in toasts if "已忽略" in t]
    assert dropped == translate("guard.dropped_many", "zh", n=20, fields="lang、axis、otab、btab 等")
    assert translate("guard.clamped", "zh", field="n", value="61", now="60") in toasts
    lo, hi = year_bounds(seed_corpus.tables)
    assert translate("guard.swapped", "zh", value=md("3000–-5"), now=md(f"{lo}–{hi}")) in toasts
    # nothing hostile is left in the selection or the URL
    assert "evil" not in repr(at.session_state[state.SELECTION])
    assert all("evil" not in str(v) for v in at.query_params.values())


@pytest.mark.parametrize("page", ["overview", "terms", "timeline", "policies"])
def test_a_term_that_is_markup_is_shown_as_text(page):
    """A term is any short string (it is not an id): kept, and escaped wherever it is shown."""
    at = _open(page, {"term": PHISH, "papers": DOC})
    _assert_inert(at)
    chips = [m.value for m in at.sidebar.markdown]
    assert any("点此登录" in c for c in chips), chips
    if page == "terms":
        assert any("点此登录" in s.value for s in at.subheader)


@pytest.mark.parametrize(
    ("page", "query", "slider_label", "expected"),
    [
        ("overview", {"y0": "3000"}, "sidebar.years", None),
        ("timeline", {"y1": "1000"}, "sidebar.years", None),
        ("mechanisms", {"y0": "2030", "y1": "1900"}, "sidebar.years", None),
        ("terms", {"n": "61"}, "terms.top_n", 60),
        ("terms", {"n": "-5"}, "terms.top_n", 5),
    ],
)
def test_a_url_value_outside_a_sliders_range_is_clamped_not_an_error(page, query, slider_label, expected, seed_corpus):
    from components.views import year_bounds

    at = _open(page, query)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate(f"page.{page}", "zh")
    slider = next(s for s in at.slider if s.label == translate(slider_label, "zh"))
    lo, hi = year_bounds(seed_corpus.tables)
    if expected is None:
        a, b = slider.value
        assert lo <= a <= b <= hi
    else:
        assert slider.value == expected
    assert at.toast, "the user is told the link's value was changed"


def test_reversed_years_are_swapped():
    at = _open("timeline", {"y0": "2024", "y1": "2015"})
    assert not at.exception
    assert at.session_state[state.SELECTION]["y0"] == 2015 and at.session_state[state.SELECTION]["y1"] == 2024
    assert at.query_params["y0"] == "2015"


def test_a_script_in_the_readers_paragraph_link_never_reaches_the_page():
    at = _open("reader", {"doc": DOC, "para": SCRIPT})
    _assert_inert(at)
    assert at.session_state[state.SELECTION]["para"] is None  # not a paragraph of this paper
    scripts = [b for b in _html_values(at) if "<script" in b]
    assert all("alert" not in b for b in scripts)


def _hostile_corpus(seed_corpus) -> SessionCorpus:
    """The seed corpus as a colleague's bundle could carry it: markup in every shown field, and a
    paragraph id that is markup (ids are checked on import; the pages must not trust them either)."""
    tables = {name: table.copy() for name, table in seed_corpus.tables.items()}
    docs = tables["documents"]
    for column in ("title", "label", "journal", "title_en"):
        docs[column] = HOSTILE
    docs["authors"] = [[HOSTILE, PHISH]] * len(docs)
    docs["keywords"] = [[IMAGE]] * len(docs)
    events = tables["events"]
    for column in ("label", "date_text", "conflict", "sentence", "category"):
        events[column] = HOSTILE
    mechanisms = tables["mechanisms"]
    mechanisms["kind"] = IMG_TAG
    mechanisms["description"] = HOSTILE
    policies = tables["policies"]
    for column in ("title", "text", "subtool"):
        policies[column] = HOSTILE
    tables["sections"]["heading"] = HOSTILE
    bad_para = 'p0010"><img src=x onerror=alert(3)>'
    for name in ("paragraphs", "events", "mechanisms", "policies"):
        table = tables[name]
        table["para_id"] = table["para_id"].mask((table["doc_id"] == DOC) & (table["para_id"] == "p0010"), bad_para)
    paragraphs = tables["paragraphs"]
    first = paragraphs.index[paragraphs["doc_id"] == DOC][0]
    paragraphs.at[first, "text"] = HOSTILE + " 人工智能 " + paragraphs.at[first, "text"]
    return SessionCorpus(tables, from_bundle=True, manifest={"corpus_version": HOSTILE, "built_at": PHISH})


@pytest.fixture(scope="module")
def hostile_session(seed_corpus):
    return _hostile_corpus(seed_corpus)


def _selection_on(session: SessionCorpus, page: str) -> dict:
    tables = session.tables
    event = tables["events"][tables["events"]["doc_id"] == DOC].iloc[0]
    policy = tables["policies"][tables["policies"]["doc_id"] == DOC].iloc[0]
    mechanism = tables["mechanisms"][tables["mechanisms"]["doc_id"] == DOC].iloc[0]
    return {
        "papers": DOC, "term": "人工智能", "event": f"{DOC}:{event['event_id']}", "mech": mechanism["name"],
        "domain": policy["domain"], "pdoc": DOC, "doc": DOC, "para": 'p0010"><img src=x onerror=alert(3)>',
        "tdoc": DOC,
    }


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_metadata_and_text_are_shown_as_text(page, lang, hostile_session):
    at = _open(page, {**_selection_on(hostile_session, page), "lang": lang}, session=hostile_session)
    _assert_inert(at)
    assert at.title[0].value == translate(f"page.{page}", lang)
    shown = "\n".join(_markdown_values(at) + _html_values(at))
    if page in ("reader", "terms", "timeline", "policies", "mechanisms", "overview"):
        assert "点此登录" in shown  # the hostile text is there, as text


def test_the_hostile_paragraph_id_is_used_only_escaped(hostile_session):
    at = _open("reader", _selection_on(hostile_session, "reader"), session=hostile_session)
    _assert_inert(at)
    body = next(b for b in _html_values(at) if 'class="reader"' in b)
    assert 'id="p0010&quot;&gt;&lt;img src=x onerror=alert(3)&gt;"' in body
    assert 'class="para target' in body  # the linked paragraph is still found and marked


def test_an_unexpected_error_in_a_page_is_a_translated_message(monkeypatch):
    """Whatever client.showErrorDetails is (Community Cloud forces tracebacks on), a page that
    fails shows our message, and the frame (sidebar, navigation) stays."""

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("components.charts.timeline.events_frame", broken)
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/timeline.py")
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [translate("app.crashed", "zh", detail="RuntimeError")]
    assert at.sidebar.multiselect  # the shared sidebar is still there


@pytest.mark.parametrize("value", ["", " ", "x" * 41, "a\x00b"])
def test_terms_that_no_chart_could_have_sent_are_dropped(value):
    from components.guard import check_against_corpus

    changes, notices = check_against_corpus({"term": value}, {"documents": pd.DataFrame({"doc_id": []})}, (0, 0))
    assert changes == {"term": None} and notices
