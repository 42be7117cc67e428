"""Chart builders on the real seed corpus: the Vega-Lite specs carry what users see and click."""

from pathlib import Path

import pandas as pd
import pytest

from components.charts import style
from components.charts.mechanisms import (
    MECH_PICK,
    concept_key,
    matrix_chart,
    matrix_layout,
    mechanisms_frame,
    network_chart,
    network_frames,
)
from components.charts.overview import PAPER_PICK, counts_chart, counts_frame
from components.charts.policies import (
    DOMAIN_PAPER_PICK,
    domain_paper_counts,
    domain_paper_heatmap,
    policies_frame,
    tool_domain_counts,
    tool_domain_heatmap,
)
from components.charts.terms import TERM_PICK, one_vs_rest, top_bars, top_terms, top_terms_per_paper
from components.charts.timeline import BRUSH, EVENT_PICK, events_frame, overview_strip, timeline_chart
from components.views import doc_order, paper_labels


@pytest.fixture(scope="module")
def tables(seed_corpus):
    return seed_corpus.tables


@pytest.fixture(scope="module")
def short(tables):
    return paper_labels(tables["documents"])


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _param(spec: dict, name: str) -> dict:
    return next(
        p
        for p in spec.get("params", []) + [p for lay in _layers(spec) for p in lay.get("params", [])]
        if p["name"] == name
    )


# ---- timeline ------------------------------------------------------------------------------


def test_timeline_lanes_colours_and_hollow_gazetteer_marks(tables, short):
    frame = events_frame(tables["events"], short, "zh")
    assert len(frame) == len(tables["events"])
    # the seeds have both: dates stated in the text and dates from the AI-milestones gazetteer
    assert set(frame["date_source"]) == {"text", "gazetteer"}

    spec = timeline_chart(frame, list(short.values()), "zh").to_dict()
    bands, points, labels = _layers(spec)
    assert labels["mark"]["type"] == "text" and labels["encoding"]["text"]["field"] == "mark_label"
    assert points["encoding"]["y"]["field"] == "category"  # one lane per category
    assert points["encoding"]["color"]["field"] == "paper"
    assert points["encoding"]["stroke"]["field"] == "paper"  # hollow marks keep the paper colour
    fill = points["encoding"]["fillOpacity"]
    assert "gazetteer" in fill["condition"]["test"] and fill["condition"]["value"] == 0
    assert fill["value"] == 1
    assert points["encoding"]["shape"]["field"] == "source_label"
    assert "approximate" in points["encoding"]["strokeDash"]["condition"]["test"]  # dashed, not faded
    # phases and plans are bands from start to end year
    assert bands["mark"]["type"] == "bar" and bands["encoding"]["x2"]["field"] == "year_end"
    assert frame["span"].sum() >= 1
    pick = _param(spec, EVENT_PICK.param)
    assert pick["select"]["fields"] == ["uid"] and "value" not in pick


def test_marks_of_one_year_stand_side_by_side_and_labels_go_where_there_is_room(tables, short):
    """000 and 002 each name several events of 2023 in one lane: they must not sit on one spot."""
    from components.charts.timeline import placed

    frame = placed(events_frame(tables["events"], short, "zh"))
    same = frame.groupby(["category", "paper", "year"])["x"]
    crowded = same.size() > 1
    assert crowded.any()
    assert (same.nunique()[crowded] == same.size()[crowded]).all()  # every mark its own x
    assert (frame["x"] - frame["year"]).abs().max() < 0.5  # still within its year
    labelled = frame[frame["mark_label"] != ""]
    assert 0 < len(labelled) < len(frame)


def test_timeline_restores_the_selected_event_and_zooms_to_the_brush(tables, short):
    frame = events_frame(tables["events"], short, "zh")
    uid = frame["uid"].iloc[3]
    spec = timeline_chart(frame, list(short.values()), "zh", selected_uid=uid, year_range=(2015, 2024)).to_dict()
    assert _param(spec, EVENT_PICK.param)["value"] == [{"uid": uid}]
    points = _layers(spec)[1]
    assert points["encoding"]["x"]["scale"]["domain"] == [2014.5, 2024.5]
    shown = pd.DataFrame(spec["datasets"][spec["data"]["name"]])
    assert shown["year"].le(2024).all()
    assert (shown["year_end"].fillna(shown["year"]) >= 2015).all()


def test_overview_strip_brush_is_an_interval_on_the_year(tables, short):
    frame = events_frame(tables["events"], short, "zh")
    spec = overview_strip(frame, "zh", year_range=(2016, 2023)).to_dict()
    brush = _param(spec, BRUSH.param)
    assert brush["select"] == {"type": "interval", "encodings": ["x"]}
    assert brush["value"] == {"x": [2016, 2023]}
    assert spec["encoding"]["x"]["field"] == "year"
    counts = pd.DataFrame(spec["datasets"][spec["data"]["name"]])
    assert counts["count"].sum() == len(frame)  # the strip shows the whole corpus, not the zoom


# ---- mechanisms ----------------------------------------------------------------------------


DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset"


@pytest.mark.skipif(not (DEVSET / "gwr").is_dir(), reason="../shared/devset is not here")
def test_matrix_puts_names_in_cells_and_marks_shared_concepts():
    """Two government work reports that both name 出口退税负担机制: a concept shared across documents."""
    from corpus.assemble import assemble
    from corpus.pipeline import Pipeline

    pipeline = Pipeline()
    tables = assemble([pipeline(name, (DEVSET / "gwr" / name).read_bytes()) for name in ("2015.txt", "2018.txt")])
    short = paper_labels(tables["documents"])
    frame = mechanisms_frame(tables["mechanisms"], short, "type", "en")
    shared = frame[frame["shared"] > 1]
    assert concept_key("出口退税负担机制") in set(shared["concept"])
    assert shared.groupby("concept")["doc_id"].nunique().min() >= 2
    assert frame.loc[frame["name"] == "出口退税负担机制", "reason"].str.len().gt(0).all()  # aligned, with its words
    axis_values = sorted(frame["axis_value"].unique())
    spec = matrix_chart(frame, list(short.values()), axis_values, "en", selected="出口退税负担机制", axis="type").to_dict()
    names = _layers(spec)[-1]
    assert names["mark"]["type"] == "text" and names["encoding"]["text"]["field"] == "name"
    assert names["encoding"]["x"]["field"] == "paper"
    assert "datum.shared > 1" in names["mark"]["fontWeight"]["expr"]
    assert "datum.shared > 1" in names["encoding"]["color"]["condition"][0]["test"]["and"]
    assert _param(spec, MECH_PICK.param)["value"] == [{"name": "出口退税负担机制"}]
    tooltip = {t["field"]: t["title"] for t in names["encoding"]["tooltip"]}
    assert tooltip["reason"] == "Because the text says" and tooltip["axis_value"] == "Mechanism type"
    # English axis values come from the lexicon's `en:` names, not the Chinese codes
    assert not any("\u4e00" <= ch <= "\u9fff" for v in axis_values for ch in v)


def test_matrix_layout_gives_every_name_its_own_line(tables, short):
    frame = mechanisms_frame(tables["mechanisms"], short, "level", "zh")
    lines, blocks = matrix_layout(frame, sorted(frame["axis_value"].unique()))
    assert not lines.duplicated(["paper", "row"]).any()
    for block in blocks.itertuples():
        inside = lines[lines["axis_value"] == block.axis_value]
        assert inside["row"].between(block.start, block.end).all()


def test_network_links_paper_to_dimension_to_mechanism(tables, short):
    frame = mechanisms_frame(tables["mechanisms"], short, "factor", "zh")
    papers = list(short.values())
    nodes, edges = network_frames(frame, papers, sorted(frame["axis_value"].unique()))
    assert set(nodes["column"]) == {0, 1, 2}
    assert edges.groupby("edge").size().eq(2).all()  # every edge is a two-point line
    assert set(nodes.loc[nodes["column"] == 2, "node"]) == set(frame.drop_duplicates("concept")["name"])
    spec = network_chart(nodes, edges, papers, "zh").to_dict()
    assert _param(spec, MECH_PICK.param)["select"]["fields"] == ["name"]


# ---- terms, overview, policies -------------------------------------------------------------


def test_top_terms_bars_sorted_and_clickable(tables):
    top = top_terms(tables["terms"], 15)
    assert top["count"].is_monotonic_decreasing and len(top) == 15
    assert top["term"].iloc[0] == "人工智能"  # the corpus' subject is its most frequent term
    spec = top_bars(top, "zh", selected="技术").to_dict()
    assert spec["encoding"]["y"]["sort"] == top["term"].tolist()
    assert _param(spec, TERM_PICK.param)["value"] == [{"term": "技术"}]


def test_one_paper_against_the_rest_has_both_sides(tables):
    contrast = one_vs_rest(tables["terms"], "001_3f6d6f34627a8da3", 10)
    assert (contrast["log_ratio"] > 0).any() and (contrast["log_ratio"] < 0).any()
    assert contrast["log_ratio"].is_monotonic_decreasing


def test_overview_counts_match_the_tables_and_select_a_paper(tables, short):
    order = doc_order(tables["documents"])
    frame = counts_frame(tables, order, short, "zh")
    for kind in ("events", "mechanisms", "policies"):
        got = frame[frame["kind"] == kind].set_index("doc_id")["count"]
        want = tables[kind].groupby("doc_id").size().reindex(order, fill_value=0)
        assert got.reindex(order).tolist() == want.tolist(), kind
    spec = counts_chart(frame, list(short.values()), "zh", selected=order[1]).to_dict()
    assert _param(spec, PAPER_PICK.param) == {**_param(spec, PAPER_PICK.param), "value": [{"doc_id": order[1]}]}
    small = top_terms_per_paper(tables["terms"], short, 10)
    assert small.groupby("doc_id").size().max() == 10


def test_policy_heatmaps_count_recommendations_per_cell(tables, short):
    frame = policies_frame(tables["policies"], short, "zh")
    counts = domain_paper_counts(frame)
    assert counts["count"].sum() == len(tables["policies"])
    domains = sorted(counts["domain_label"].unique())
    spec = domain_paper_heatmap(
        counts, list(short.values()), domains, "zh", selected={"domain": "talent", "doc_id": counts["doc_id"].iloc[0]}
    ).to_dict()
    cell = _param(spec, DOMAIN_PAPER_PICK.param)
    assert cell["select"]["fields"] == ["domain", "doc_id"] and cell["value"][0]["domain"] == "talent"
    cells = _layers(spec)[0]
    assert cells["mark"]["type"] == "rect" and cells["encoding"]["color"]["field"] == "count"
    pairs = tool_domain_counts(frame)
    assert pairs["count"].sum() == len(tables["policies"])
    assert set(pairs["tool"]) <= {"supply", "environment", "demand"}
    spec = tool_domain_heatmap(pairs, ["供给型", "环境型", "需求型"], domains, "zh").to_dict()
    assert _param(spec, DOMAIN_PAPER_PICK.param)["select"]["fields"] == ["tool", "domain"]


def test_style_sizes_type_for_a_projector(tables, short):
    frame = events_frame(tables["events"], short, "zh")
    normal = style(overview_strip(frame, "zh")).to_dict()["config"]
    large = style(overview_strip(frame, "zh"), large=True).to_dict()["config"]
    assert large["axis"]["labelFontSize"] > normal["axis"]["labelFontSize"]
    assert "Noto Sans SC" in normal["font"]


# ---- contrast on a projector -----------------------------------------------------------------

BACKGROUND_KEYS = {"background", "gridColor", "domainColor", "stroke_background"}


def _contrast(colour: str) -> float:
    """WCAG contrast of a #rrggbb colour against the charts' white background."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def _marks_colours_and_opacities(spec, key=None, found=None):
    """Every colour a mark or text is drawn in (values, conditions, scale ranges) and every opacity."""
    found = found if found is not None else {"colours": set(), "opacities": set()}
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in BACKGROUND_KEYS or k == "config":
                continue
            _marks_colours_and_opacities(v, k, found)
    elif isinstance(spec, list):
        for v in spec:
            _marks_colours_and_opacities(v, key, found)
    elif isinstance(spec, str) and key in ("color", "fill", "stroke", "value", "range") and spec.startswith("#"):
        found["colours"].add(spec.lower())
    elif isinstance(spec, (int, float)) and key == "opacity":
        found["opacities"].add(spec)
    if isinstance(spec, dict) and isinstance(spec.get("mark"), dict) and spec["mark"].get("type") in ("point", "circle", "square"):
        found["opacities"].add(spec["mark"].get("opacity", 0.7))  # Vega-Lite's own default for points
    return found


def test_every_mark_is_at_least_3_to_1_against_white(tables, short):
    """Marks are told apart by colour, never by fading: a faded mark is unreadable on a projector."""
    from components.charts import PAPER_COLOURS
    from components.charts.cloud import cloud_chart, cloud_layout
    from components.charts.overview import KIND_COLOURS
    from components.charts.policies import HEAT_RANGE

    papers = list(short.values())
    events = events_frame(tables["events"], short, "zh")
    mechs = mechanisms_frame(tables["mechanisms"], short, "factor", "zh")
    axis_values = sorted(mechs["axis_value"].unique())
    nodes, edges = network_frames(mechs, papers, axis_values)
    policy = policies_frame(tables["policies"], short, "zh")
    order = doc_order(tables["documents"])
    charts = [
        timeline_chart(events, papers, "zh", selected_uid=events["uid"].iloc[0]),
        overview_strip(events, "zh"),
        counts_chart(counts_frame(tables, order, short, "zh"), papers, "zh", selected=order[0]),
        matrix_chart(mechs, papers, axis_values, "zh", selected="智能生产力"),
        network_chart(nodes, edges, papers, "zh", selected="智能生产力"),
        top_bars(top_terms(tables["terms"], 15), "zh", selected="技术"),
        cloud_chart(cloud_layout(top_terms(tables["terms"], 80)), "zh", selected="数据"),
        domain_paper_heatmap(domain_paper_counts(policy), papers, sorted(policy["domain_label"].unique()), "zh"),
    ]
    for chart in charts:
        found = _marks_colours_and_opacities(chart.to_dict())
        # within 1.2:1 of white is a background band (the matrix's alternate rows), not a mark
        low = {c: round(_contrast(c), 2) for c in found["colours"] if 1.2 < _contrast(c) < 3}
        assert not low, low
        assert all(o >= 1 for o in found["opacities"]), found["opacities"]
    for colour in (*PAPER_COLOURS, *KIND_COLOURS, HEAT_RANGE[0]):
        assert _contrast(colour) >= 3, colour


def test_distinctive_terms_are_those_one_paper_uses_far_more_than_the_others(tables):
    """Weighted log-odds: 人工智能, 技术 and 数据, which every seed paper uses, no longer head any
    paper's list (raw TF-IDF put them first); each paper's top term is used in it at more than twice
    the rate of the other papers."""
    from components.charts.terms import distinctive_terms

    terms = tables["terms"]
    totals = terms.groupby("term")["count"].sum()
    for doc_id in tables["documents"]["doc_id"]:
        top = distinctive_terms(terms, doc_id, 15)
        assert not {"人工智能", "技术", "数据"} & set(top["term"].head(5)), doc_id
        best = top.iloc[0]
        mine = terms["doc_id"] == doc_id
        rate = best["count"] / terms.loc[mine, "count"].sum()
        rest_rate = (totals[best["term"]] - best["count"]) / terms.loc[~mine, "count"].sum()
        assert rate > 2 * rest_rate, (doc_id, best["term"])
        assert top["z"].is_monotonic_decreasing


def test_a_cell_picked_in_one_heatmap_shows_as_its_domain_in_the_other(tables, short):
    frame = policies_frame(tables["policies"], short, "zh")
    domains = sorted(frame["domain_label"].unique())
    spec = tool_domain_heatmap(tool_domain_counts(frame), ["供给型", "环境型", "需求型"], domains, "zh",
                               domain="talent").to_dict()
    stroke = _layers(spec)[0]["encoding"]["stroke"]["condition"]
    assert stroke[1] == {"test": 'datum.domain === "talent"', "value": stroke[1]["value"]}
    # a hostile code cannot break out of the string
    spec = tool_domain_heatmap(tool_domain_counts(frame), ["供给型"], domains, "zh", domain='x" || true || "').to_dict()
    assert _layers(spec)[0]["encoding"]["stroke"]["condition"][1]["test"] == 'datum.domain === "x\\" || true || \\""'


# ---- sidebar year histogram ----------------------------------------------------------------


def test_year_histogram_counts_every_dated_event_and_paper_and_greys_years_outside_the_range(tables):
    from components.charts.years import IN_RANGE, year_histogram
    from components.views import year_bounds, year_counts

    counts = year_counts(tables)
    assert counts["events"].sum() == tables["events"]["year"].notna().sum()
    assert counts["papers"].sum() == tables["documents"]["year"].notna().sum()
    assert counts["year"].is_monotonic_increasing and (counts["papers"] + counts["events"] > 0).all()
    assert counts["year"].min() == year_bounds(tables)[0]

    spec = year_histogram(counts, "zh", (2015, 2024)).to_dict()
    shown = pd.DataFrame(spec["datasets"][spec["data"]["name"]])
    assert set(shown.loc[shown["shown"], "year"]) == set(counts["year"][counts["year"].between(2015, 2024)])
    assert spec["encoding"]["color"]["value"] != IN_RANGE  # outside the range: grey
    assert spec["encoding"]["color"]["condition"]["value"] == IN_RANGE
    # a gap of years stays a gap: bars sit on a linear year axis, not one slot per listed year
    assert spec["encoding"]["x"]["type"] == "quantitative"
