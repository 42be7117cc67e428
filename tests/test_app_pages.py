"""Every page through AppTest on the seed corpus: no selection, a selection in the session, and
the same view from URL query parameters (a first run = a cold deep link)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import state
from components.i18n import translate

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["overview", "timeline", "mechanisms", "terms", "policies", "bibliometrics", "reader", "corpus"]
DOC = "000_e938fc2a5e09f312"


@pytest.fixture(autouse=True)
def seed_data(monkeypatch, seed_processed_dir):
    monkeypatch.setattr("components.data.PROCESSED_DIR", seed_processed_dir)


@pytest.fixture(scope="module")
def picks(seed_corpus):
    """One real value for every page's selection."""
    events = seed_corpus.table("events")
    event = events[events["doc_id"] == DOC].iloc[0]
    policies = seed_corpus.table("policies")
    policy = policies[policies["doc_id"] == DOC].iloc[0]
    paragraphs = seed_corpus.table("paragraphs")
    return {
        "event_uid": f"{DOC}:{event['event_id']}",
        "event_label": event["label"],
        "mech": "智能生产力",
        "term": "人工智能",
        "domain": policy["domain"],
        "pdoc": DOC,
        "para": paragraphs[paragraphs["doc_id"] == DOC]["para_id"].iloc[5],
    }


def _open(page: str, query: dict | None = None, selection: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(query)
    if selection:
        at.session_state[state.SELECTION] = {**state.defaults(), **selection}
    # Before the first run AppTest resolves the page by file name: this is a deep link.
    at.switch_page(f"pages/{page}.py")
    return at.run()


def _clean(at: AppTest, page: str, lang: str = "zh") -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title][:1] == [translate(f"page.{page}", lang)]


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("subheader", "markdown", "caption", "info") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_page_without_selection(page):
    at = _open(page)
    _clean(at, page)
    assert at.sidebar.multiselect[0].value == []  # the shared sidebar is there


def _selection(picks: dict) -> dict:
    return {
        "papers": [DOC],
        "event": picks["event_uid"],
        "mech": picks["mech"],
        "term": picks["term"],
        "domain": picks["domain"],
        "pdoc": picks["pdoc"],
        "doc": DOC,
        "para": picks["para"],
        "btab": "network",  # 文献计量's keyword network tab (the other pages ignore it)
    }


def _query(picks: dict) -> dict:
    return {k: v[0] if len(v) == 1 else v for k, v in state.to_query({**state.defaults(), **_selection(picks)}).items()}


def _shows_selection(at: AppTest, page: str, picks: dict) -> None:
    if page == "corpus":  # the metadata editor opens on the paper in view
        assert at.selectbox(key="meta_doc").value == DOC
        return
    text = _texts(at)
    expected = {
        "overview": translate("overview.selected", "zh", label="人工智能视域下的新质生产力生成路径"),
        "timeline": picks["event_label"],
        "mechanisms": translate("mech.definitions", "zh", name=picks["mech"]),
        "terms": translate("terms.kwic", "zh", term=picks["term"], n="").split("（")[0],
        "policies": translate("policy.list", "zh"),
        "bibliometrics": translate("biblio.no_keywords", "zh"),  # the seed paper lists no author keywords
        "reader": "人工智能视域下的新质生产力生成路径",
    }[page]
    assert expected in text, page
    assert at.sidebar.multiselect[0].value == [DOC]


@pytest.mark.parametrize("page", PAGES)
def test_page_with_selection_in_session(page, picks):
    at = _open(page, selection=_selection(picks))
    _clean(at, page)
    _shows_selection(at, page, picks)
    # the session's selection is written to the URL
    assert at.query_params["papers"] == DOC
    assert at.query_params["term"] == picks["term"]


@pytest.mark.parametrize("page", PAGES)
def test_page_from_url_query(page, picks):
    at = _open(page, query=_query(picks))
    _clean(at, page)
    _shows_selection(at, page, picks)


def test_selection_carries_over_to_another_page(picks):
    at = _open("overview", query={"papers": DOC, "term": "数据"})
    at.switch_page("pages/terms.py").run()
    _clean(at, "terms")
    assert at.sidebar.multiselect[0].value == [DOC]
    assert translate("terms.kwic", "zh", term="数据", n="").split("（")[0] in _texts(at)
    assert at.query_params["papers"] == DOC and at.query_params["term"] == "数据"


def test_sidebar_filter_changes_selection_and_url():
    at = _open("timeline")
    at.sidebar.multiselect[0].set_value(["001_3f6d6f34627a8da3"]).run()
    _clean(at, "timeline")
    assert at.query_params["papers"] == "001_3f6d6f34627a8da3"
    assert at.session_state[state.SELECTION]["papers"] == ["001_3f6d6f34627a8da3"]


def test_english_and_presentation_mode_from_url():
    at = _open("policies", query={"lang": "en", "present": "1"})
    _clean(at, "policies", lang="en")
    assert len(at.sidebar.multiselect) == 0  # no sidebar controls on a projector
    exit_button = next(b for b in at.button if b.key == "exit_present")
    assert exit_button.label == translate("present.exit", "en")
    exit_button.click().run()
    assert "present" not in at.query_params
    assert len(at.sidebar.multiselect) == 1


def test_missing_corpus_shows_a_message_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setattr("components.data.PROCESSED_DIR", tmp_path / "nowhere")
    at = _open("timeline", query={"lang": "en"})
    assert not at.exception
    assert at.error and "python -m corpus build" in at.error[0].value


def test_session_stopwords_and_dictionary_words_apply_at_once(seed_corpus):
    from components.charts.terms import top_terms

    at = _open("terms")
    stop_area, words_area = at.text_area[0], at.text_area[1]
    stop_area.input("技术\n数据")
    words_area.input("智能生产力")
    at.button[0].click().run()  # the form's Apply button
    _clean(at, "terms")
    terms = at.session_state["_term_edit_result"][1][0]
    assert not terms["term"].isin(["技术", "数据"]).any()
    # the added word is counted as one term after re-segmentation
    assert "智能生产力" in set(terms["term"])
    before = top_terms(seed_corpus.table("terms"), 20)
    assert "技术" in set(before["term"])
    assert translate("terms.applied", "zh", stop=2, words=1) in _texts(at)


def _many_papers(seed_corpus, copies: int = 8):
    """32 papers: the seed papers eight times over under new ids (a corpus past the drawing cap)."""
    import pandas as pd

    from components.data import SessionCorpus

    tables = {}
    for name, table in seed_corpus.tables.items():
        if "doc_id" not in table.columns:
            tables[name] = table
            continue
        copies_of = [table.assign(doc_id=table["doc_id"] + f"_{k}") for k in range(copies)]
        if name == "documents":
            copies_of = [t.assign(label=t["label"] + f"（{k}）") for k, t in enumerate(copies_of)]
        tables[name] = pd.concat(copies_of, ignore_index=True)
    return SessionCorpus(tables)


@pytest.mark.parametrize("page", ["overview", "timeline", "mechanisms", "policies", "terms"])
def test_per_paper_charts_draw_at_most_the_cap_and_say_so(page, seed_corpus):
    from components.views import MAX_PAPERS_DRAWN

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["session_corpus"] = _many_papers(seed_corpus)
    if page == "terms":
        at.query_params["term"] = "人工智能"
    at.switch_page(f"pages/{page}.py")
    at.run()
    _clean(at, page)
    assert translate("common.papers_capped", "zh", shown=MAX_PAPERS_DRAWN, n=32) in [c.value for c in at.caption]


@pytest.mark.parametrize("page", ["overview", "mechanisms", "policies"])
def test_a_page_the_year_range_does_not_filter_says_so(page):
    at = _open(page, query={"y0": "2020", "y1": "2024"})
    _clean(at, page)
    assert translate("common.years_not_applied", "zh", years="2020–2024") in [c.value for c in at.caption]


def test_overview_draws_only_its_open_tab_and_its_table_only_when_unfolded(seed_corpus):
    at = _open("overview")
    _clean(at, "overview")
    assert [t.label for t in at.tabs] == [translate("tab.otab.counts", "zh"), translate("tab.otab.terms", "zh")]
    assert len(at.main.get("vega_lite_chart")) == 1  # the counts; the term panels are not sent
    assert not at.dataframe  # the documents table waits, folded
    at.session_state["overview_documents"] = True  # the user unfolds it
    at.run()
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == len(seed_corpus.documents)

    at = _open("overview", query={"otab": "terms"})
    _clean(at, "overview")
    assert len(at.main.get("vega_lite_chart")) == len(seed_corpus.documents)  # one panel per paper
    assert at.query_params["otab"] == "terms"


def test_the_timeline_table_is_sent_when_unfolded_and_follows_the_period(seed_corpus):
    at = _open("timeline", query={"y0": "2020", "y1": "2024"})
    _clean(at, "timeline")
    assert not at.dataframe
    at.session_state["timeline_table"] = True
    at.run()
    events = seed_corpus.table("events")
    overlapping = events[(events["year_end"].fillna(events["year"]) >= 2020) & (events["year"] <= 2024)]
    assert 0 < len(at.dataframe[0].value) == len(overlapping) < len(events)


def test_the_sidebar_draws_the_years_above_the_year_range_it_greys_outside(seed_corpus):
    import pyarrow as pa

    at = _open("reader", query={"y0": "2020", "y1": "2024"})
    _clean(at, "reader")
    charts = at.sidebar.get("vega_lite_chart")
    assert len(charts) == 1
    rows = pa.ipc.open_stream(charts[0].proto.datasets[0].data.data).read_all().to_pandas()
    inside = set(rows.loc[rows["shown"], "year"])
    assert inside and inside == set(rows.loc[rows["year"].between(2020, 2024), "year"])
    assert at.sidebar.slider[0].value == (2020, 2024)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_picked_mechanism_shows_each_axis_value_with_the_words_that_decided_it(seed_corpus, lang):
    from components.i18n import code_label

    mechanisms = seed_corpus.table("mechanisms")
    row = mechanisms[(mechanisms["doc_id"] == DOC) & (mechanisms["name"] == "智能生产力")].iloc[0]
    at = _open("mechanisms", query={"axis": "type", "mech": "智能生产力", "lang": lang})
    _clean(at, "mechanisms", lang)
    captions = " ".join(c.value for c in at.caption)
    for axis in ("factor", "level", "type"):
        value, reason = row[axis], row[f"{axis}_reason"]
        assert isinstance(value, str) and isinstance(reason, str)  # 智能生产力 is aligned on all three
        assert f"{translate(f'mech.axis.{axis}', lang)}: {code_label(f'mech.{axis}', value, lang)}" in captions
        assert reason in captions
    assert "type" in [r.value for r in at.radio]  # the axis control shows the linked axis
