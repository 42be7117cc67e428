"""The 文献计量 page on the 307 CNKI records of the CiteSpace sample (../shared/devset/bibliographic),
built by the pipeline: its views, and its clicks and URL values as selections for every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.guard import TABS
from components.i18n import translate

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "devset" / "bibliographic" / \
    "citespace-converted-cnki-download_1-307.txt"
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/devset is not here")


@pytest.fixture(scope="module")
def records_dir(tmp_path_factory):
    from corpus.build import build_corpus

    raw = tmp_path_factory.mktemp("records_raw", numbered=False)
    shutil.copyfile(SAMPLE, raw / SAMPLE.name)
    out = tmp_path_factory.mktemp("records_processed")
    result = build_corpus(raw, out)
    assert not result.failures
    return out


@pytest.fixture(autouse=True)
def records_data(monkeypatch, records_dir):
    monkeypatch.setattr("components.data.PROCESSED_DIR", records_dir)
    monkeypatch.setattr("components.data.RAW_DIR", records_dir.parent / "records_raw")


@pytest.fixture(scope="module")
def documents(records_dir):
    from corpus.store import load_processed

    return load_processed(records_dir, raw_dir=records_dir.parent / "records_raw").tables["documents"]


def _open(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if query:
        at.query_params.update(query)
    at.switch_page("pages/bibliometrics.py")  # a cold deep link
    return at.run()


def _charts(at: AppTest) -> list[dict]:
    """Each chart's Vega-Lite spec, with its data (sent beside the spec, as Arrow) under `rows`."""
    import json

    import pyarrow as pa

    specs = []
    for chart in at.main.get("vega_lite_chart"):  # the page's, not the sidebar's year histogram
        spec = json.loads(chart.proto.spec)
        spec["rows"] = [row for ds in chart.proto.datasets
                        for row in pa.ipc.open_stream(ds.data.data).read_all().to_pylist()]
        specs.append(spec)
    return specs


def _titles(at: AppTest) -> list[str]:
    titles = []
    for spec in _charts(at):
        title = spec.get("title")
        titles.append(title if isinstance(title, str) else (title or {}).get("text"))
    return titles


def test_the_page_shows_every_view_of_the_records_one_tab_at_a_time(documents):
    at = _open()
    assert not at.exception and not at.error
    assert [t.value for t in at.title][:1] == [translate("page.bibliometrics", "zh")]
    assert [t.label for t in at.tabs] == [translate(f"tab.btab.{tab}", "zh") for tab in TABS["btab"]]
    # the first tab only: the network is not computed or sent until its tab is opened
    assert _titles(at) == [translate(key, "zh") for key in ("biblio.per_year", "biblio.authors")]
    spec = _charts(at)[0]
    years = {row["year"] for row in spec["rows"]}
    assert years == set(range(int(documents["year"].min()), int(documents["year"].max()) + 1))

    at = _open({"btab": "sources"})
    assert not at.exception and _titles(at) == [translate("biblio.journals", "zh"), translate("biblio.affiliations", "zh")]
    journals = _charts(at)[0]["rows"]
    assert journals[0]["value"] == documents["journal"].value_counts().index[0]  # the journal with most papers first
    at = _open({"btab": "network"})
    assert not at.exception and _titles(at) == [translate("biblio.network", "zh")]
    clusters = at.selectbox[-1].options
    # clusters named by their most frequent keywords: the field's own words
    assert any("艺术学理论" in label for label in clusters)
    at = _open({"btab": "timezone", "lang": "en"})
    assert not at.exception and _titles(at) == [translate("biblio.timezone", "en")]
    at = _open({"btab": "bursts"})
    assert not at.exception and not _titles(at)
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) > 0


def test_an_unknown_tab_in_the_url_opens_the_first_with_a_notice():
    at = _open({"btab": "<b>network</b>"})
    assert not at.exception and "btab" not in at.query_params
    assert translate("biblio.per_year", "zh") in _titles(at)
    assert any("btab" in t.value for t in at.toast)


def test_an_author_from_the_url_narrows_every_page_to_their_papers(documents):
    author = documents["authors"].explode().value_counts().index[0]
    theirs = documents[documents["authors"].map(lambda a: author in list(a))]
    at = _open({"author": author})
    assert not at.exception
    assert any(author in m.value for m in at.sidebar.markdown)  # the chip
    per_year = _charts(at)[0]
    assert sum(row["count"] for row in per_year["rows"]) == len(theirs)
    at.switch_page("pages/overview.py").run()
    assert not at.exception and at.query_params["author"] == author


def test_a_cluster_and_a_keyword_from_the_url_select_their_papers(documents):
    from corpus.bibliometrics import keyword_network

    nodes, _ = keyword_network(documents)
    label = nodes.loc[nodes["cluster"] == 0, "cluster_label"].iloc[0]
    at = _open({"cluster": label, "lang": "en", "btab": "network"})
    assert not at.exception and at.selectbox[-1].value == label
    words = set(nodes.loc[nodes["cluster_label"] == label, "keyword"])
    theirs = documents[documents["keywords"].map(lambda k: bool(set(k) & words))]
    at = _open({"cluster": label, "lang": "en"})
    per_year = _charts(at)[0]
    assert sum(row["count"] for row in per_year["rows"]) == len(theirs) < len(documents)
    at = _open({"kw": "艺术学理论"})
    assert at.query_params["kw"] == "艺术学理论"
    assert not at.exception


def test_an_unknown_author_keyword_or_cluster_in_the_url_is_dropped_with_a_notice():
    at = _open({"author": "无此作者", "kw": "[点此](https://evil.example)", "cluster": "不存在的聚类"})
    assert not at.exception and not at.error
    for name in ("author", "kw", "cluster"):
        assert name not in at.query_params
    assert at.toast and all("evil.example" not in t.value or "\\" in t.value for t in at.toast)


def test_the_keyword_map_draws_its_strongest_links_only(documents):
    """A map whose keywords have more links than the budget (VOSviewer: 1,000) draws the strongest."""
    from components.charts.bibliometrics import network_chart
    from corpus.bibliometrics import keyword_network

    nodes, edges = keyword_network(documents)
    budget = len(edges) // 3
    assert budget >= 10
    spec = network_chart(nodes, edges, "zh", max_lines=budget).to_dict()
    drawn = next(v for k, v in spec["datasets"].items() if len(v) and "x2" in v[0])
    assert len(drawn) == budget
    weakest_drawn = min(row["weight"] for row in drawn)
    drawn_pairs = {(row["source"], row["target"]) for row in drawn}
    left_out = edges[[(s, t) not in drawn_pairs for s, t in zip(edges["source"], edges["target"], strict=True)]]
    assert left_out["weight"].max() <= weakest_drawn
    # the whole map when it is within the budget
    every = network_chart(nodes, edges, "zh").to_dict()
    assert len(next(v for v in every["datasets"].values() if len(v) and "x2" in v[0])) == len(edges)


def test_the_sidebar_finds_papers_by_search_when_there_are_too_many_to_list(documents):
    """307 records: the picker lists what a search finds, not every paper (each option is sent on every run)."""
    at = _open()
    picker = at.sidebar.multiselect(key="w_papers")
    assert len(picker.options) == 100 < len(documents)
    # an author with several papers in the sample: the search finds their papers, and the papers
    # that name them in the title (a review of 梁玖's 《审艺学》)
    author = documents.authors.explode().value_counts().index[0]
    theirs = {row.label for row in documents.itertuples() if author in list(row.authors)}
    naming = {row.label for row in documents.itertuples() if author in row.title}
    at.sidebar.text_input(key="w_paper_query").input(author).run()
    picker = at.sidebar.multiselect(key="w_papers")
    assert set(picker.options) == theirs | naming and len(theirs) >= 5
    found = len(theirs | naming)
    assert translate("sidebar.papers_found", "zh", n=found, shown=found) in [c.value for c in at.sidebar.caption]
    # a paper picked from the results stays chosen (and listed) when the search changes
    first = documents[documents.label == picker.options[0]].doc_id.iloc[0]
    picker.set_value([first]).run()
    at.sidebar.text_input(key="w_paper_query").input("没有这样的论文题名").run()
    assert at.sidebar.multiselect(key="w_papers").value == [first]
    assert at.query_params["papers"] in (first, [first])  # the link carries it
    assert translate("sidebar.papers_none_found", "zh") in [c.value for c in at.sidebar.caption]
