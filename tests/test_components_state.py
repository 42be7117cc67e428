"""The selection ↔ URL conversions and the chart-click bindings (pure parts of components.state)."""

from components import state
from components.charts.mechanisms import MECH_PICK
from components.charts.overview import PAPER_PICK
from components.charts.policies import DOMAIN_PAPER_PICK, TOOL_DOMAIN_PICK
from components.charts.terms import TERM_PICK
from components.charts.timeline import BRUSH, EVENT_PICK
from components.state import chart_value, merge_url, parse_query, to_query


def test_url_round_trip_keeps_every_field_a_view_needs():
    selection = {
        **state.defaults(),
        "lang": "en",
        "present": True,
        "papers": ["000_a", "001_b"],
        "y0": 2016,
        "y1": 2023,
        "term": "人工智能",
        "domain": "talent",
        "event": "000_a:e003",
        "mech": "能力整合机制",
        "doc": "001_b",
        "para": "p0030",
        "n": 30,
    }
    query = to_query(selection)
    assert query["papers"] == ["000_a", "001_b"]
    assert query["present"] == ["1"]
    back = {**state.defaults(), **parse_query(query)}
    assert back == selection


def test_defaults_stay_out_of_the_url():
    assert to_query(state.defaults()) == {}
    assert to_query({**state.defaults(), "lang": "zh", "n": 20, "papers": []}) == {}


def test_bad_url_values_fall_back_instead_of_failing():
    parsed = parse_query({"y0": ["twenty"], "n": [""], "present": ["0"], "unknown": ["x"], "papers": ["a", "a", ""]})
    assert parsed["y0"] is None
    assert parsed["n"] == 20
    assert parsed["present"] is False
    assert parsed["papers"] == ["a"]
    assert "unknown" not in parsed


def test_url_wins_only_for_keys_it_changed():
    current = {**state.defaults(), "papers": ["000_a"], "term": "数据"}
    written = to_query(current)
    # a page switch dropped the query string: the session keeps its selection
    assert merge_url(current, {}, written, {}) == current
    # a link carried a new paragraph for the Reader: only that key changes
    raw = {**written, "doc": ["001_b"], "para": ["p0002"]}
    merged = merge_url(current, parse_query(raw), written, raw)
    assert merged["doc"] == "001_b" and merged["para"] == "p0002"
    assert merged["papers"] == ["000_a"] and merged["term"] == "数据"


def test_chart_clicks_become_selection_changes():
    point = {"selection": {"event_pick": [{"uid": "000_a:e003"}]}}
    assert EVENT_PICK.changes(chart_value(point, EVENT_PICK.param)) == {"event": "000_a:e003"}
    # clicking empty space clears it
    assert EVENT_PICK.changes(chart_value({"selection": {"event_pick": []}}, EVENT_PICK.param)) == {"event": None}

    picked = chart_value({"selection": {"brush": {"year": [2016.4, 2022.6]}}}, BRUSH.param)
    assert BRUSH.changes(picked) == {"y0": 2016, "y1": 2023}
    assert BRUSH.changes(chart_value({"selection": {"brush": {}}}, BRUSH.param)) == {"y0": None, "y1": None}

    picked = chart_value({"selection": {"cell_pick": [{"domain": "talent", "doc_id": "000_a"}]}}, "cell_pick")
    assert DOMAIN_PAPER_PICK.changes(picked) == {"domain": "talent", "pdoc": "000_a", "tool": None}
    picked = chart_value({"selection": {"cell_pick": [{"domain": "talent", "tool": "supply"}]}}, "cell_pick")
    assert TOOL_DOMAIN_PICK.changes(picked) == {"domain": "talent", "pdoc": None, "tool": "supply"}

    picked = chart_value({"selection": {"paper_pick": [{"doc_id": "001_b"}]}}, PAPER_PICK.param)
    assert PAPER_PICK.changes(picked) == {"papers": ["001_b"]}


def test_every_pick_targets_known_fields():
    samples = {
        "paper_pick": [{"doc_id": "d"}],
        "brush": {"year": [1, 2]},
        "event_pick": [{"uid": "u"}],
        "mech_pick": [{"name": "n"}],
        "term_pick": [{"term": "t"}],
        "cell_pick": [{"domain": "d", "doc_id": "x", "tool": "supply"}],
    }
    for pick in (PAPER_PICK, BRUSH, EVENT_PICK, MECH_PICK, TERM_PICK, DOMAIN_PAPER_PICK, TOOL_DOMAIN_PICK):
        changes = pick.changes(samples[pick.param])
        assert changes, pick.param
        assert set(changes) <= set(state.FIELDS), pick.param


def test_chart_clicks_and_outside_changes_through_a_script_run():
    """A click's callback changes the selection before the run; a change made elsewhere gives
    charts a fresh key (no stale highlight)."""
    from streamlit.testing.v1 import AppTest

    def app():
        import streamlit as st

        from components import state
        from components.charts.terms import TERM_PICK

        clicked = st.session_state.pop("clicked_chart", None)
        if clicked:  # what Streamlit does before the run when the chart under this key reports a click
            state.apply_pick(clicked, TERM_PICK.param, TERM_PICK.changes)
        state.sync_from_url()
        st.write(state.chart_key("terms_bars"))
        st.write(repr(state.get("term")))

    at = AppTest.from_function(app).run()
    first_key = at.markdown[0].value
    # the browser reports a click on the chart drawn under `first_key`; Streamlit calls its on_select
    at.session_state[first_key] = {"selection": {"term_pick": [{"term": "数据"}]}}
    at.session_state["clicked_chart"] = first_key
    at.run()
    assert at.markdown[1].value == "'数据'"
    assert at.query_params["term"] == "数据"
    second_key = at.markdown[0].value
    assert second_key != first_key  # redrawn, with the click restored by the builder's value=
    at.run()  # a later rerun is not a new click
    assert at.markdown[1].value == "'数据'" and at.markdown[0].value == second_key
    # cleared from outside (sidebar ✕): the term goes and the chart key changes again
    at.session_state[state.SELECTION] = {**at.session_state[state.SELECTION], "term": None}
    at.query_params.pop("term")
    at.run()
    assert at.markdown[1].value == "None"
