"""The one global selection, kept in `st.session_state` and mirrored in the URL.

Every view-defining value (papers, year range, term, domain, the picked event / mechanism /
policy cell, the Reader's paragraph, language, presentation mode) is a `Field`. The selection
lives in `st.session_state[SELECTION]`; after every change the URL query string is rewritten
from it, so a copied link reproduces the view. On a session's first run the URL is the source;
later, a URL key that differs from what the app last wrote (a `st.page_link` with
`query_params`, an edited address) wins over the session value, while keys a page switch
dropped from the URL are restored from the session.

Chart clicks: a chart is drawn with its `Pick` (components/charts), whose changes are applied by
the chart's `on_select` callback (components/layout.show_chart). Streamlit runs callbacks
before the script, so every element of the run, sidebar included, already sees the click.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

SELECTION = "_selection"
WRITTEN = "_url_written"
EPOCH = "_chart_epoch"
EPOCH_SEPARATOR = "~"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "str" | "list" | "int" | "bool"
    default: Any = None


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("lang", "str", "zh"),
        Field("present", "bool", False),
        Field("papers", "list", ()),
        Field("y0", "int"),
        Field("y1", "int"),
        Field("term", "str"),
        Field("domain", "str"),
        Field("event", "str"),  # "<doc_id>:<event_id>"
        Field("mech", "str"),  # mechanism name (a concept can be shared by papers)
        Field("pdoc", "str"),  # policy heatmap cell: paper
        Field("tool", "str"),  # policy tool × domain cell: tool
        Field("actor", "str"),
        Field("horizon", "str"),
        Field("doc", "str"),  # Reader: document
        Field("para", "str"),  # Reader: paragraph anchor
        Field("tdoc", "str"),  # Terms: paper for the word cloud / distinctive terms
        Field("n", "int", 20),  # Terms: top-N
        Field("axis", "str", "factor"),  # Mechanisms: matrix axis (factor | level | type)
        Field("author", "str"),  # 文献计量: the papers of an author …
        Field("kw", "str"),  # … of an author keyword …
        Field("cluster", "str"),  # … of a keyword cluster (its label)
        Field("overlay", "bool", False),  # 文献计量: the network coloured by average year
        Field("otab", "str"),  # Overview: the open tab (None: the first; guard.TABS)
        Field("btab", "str"),  # 文献计量: the open tab
    )
}


# ---- pure conversions (unit-tested) -------------------------------------------------------


def defaults() -> dict[str, Any]:
    return {name: (list(f.default) if f.kind == "list" else f.default) for name, f in FIELDS.items()}


def parse_query(params: Mapping[str, list[str]]) -> dict[str, Any]:
    """Typed values for the known keys present in `params` (values as lists, like `get_all`)."""
    parsed: dict[str, Any] = {}
    for name, values in params.items():
        field = FIELDS.get(name)
        if field is None:
            continue
        values = [v for v in values if v is not None]
        if field.kind == "list":
            parsed[name] = [v for v in dict.fromkeys(values) if v != ""]
            continue
        raw = values[-1] if values else ""
        if field.kind == "int":
            try:
                parsed[name] = int(raw)
            except ValueError:
                parsed[name] = field.default
        elif field.kind == "bool":
            parsed[name] = raw.lower() in {"1", "true", "yes", "on"}
        else:
            parsed[name] = raw or field.default
    return parsed


def to_query(selection: Mapping[str, Any]) -> dict[str, list[str]]:
    """The query string for a selection; values equal to their default are left out."""
    query: dict[str, list[str]] = {}
    for name, field in FIELDS.items():
        value = selection.get(name, field.default)
        if value is None or value == field.default or (field.kind == "list" and not value):
            continue
        if field.kind == "list":
            query[name] = [str(v) for v in value]
        elif field.kind == "bool":
            query[name] = ["1"] if value else []
        else:
            query[name] = [str(value)]
    return {k: v for k, v in query.items() if v}


def merge_url(
    current: dict[str, Any], url: dict[str, Any], written: Mapping[str, list[str]], raw_url: Mapping[str, list[str]]
) -> dict[str, Any]:
    """Adopt URL keys that changed since the app last wrote them; keep the rest of `current`."""
    merged = dict(current)
    for name, value in url.items():
        if list(raw_url.get(name, [])) != list(written.get(name, [])):
            merged[name] = value
    return merged


# ---- session / URL -------------------------------------------------------------------------


def _url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def sync_from_url() -> dict[str, Any]:
    """Run once at the top of every script run, before anything reads the selection."""
    ss = st.session_state
    raw = _url_params()
    url = parse_query(raw)
    if SELECTION not in ss:
        ss[SELECTION] = {**defaults(), **url}
    else:
        merged = merge_url(ss[SELECTION], url, ss.get(WRITTEN, {}), raw)
        if merged != ss[SELECTION]:
            ss[SELECTION] = merged
            _new_chart_epoch()
    write_url()
    return ss[SELECTION]


def selection() -> dict[str, Any]:
    if SELECTION not in st.session_state:
        st.session_state[SELECTION] = defaults()
    return st.session_state[SELECTION]


def get(name: str) -> Any:
    return selection().get(name, FIELDS[name].default)


def update(**changes: Any) -> None:
    sel = selection()
    changed = False
    for name, value in changes.items():
        if name not in FIELDS:
            raise KeyError(name)
        changed |= sel.get(name) != value
        sel[name] = value
    if changed:
        _new_chart_epoch()
    write_url()


def reset(keep: tuple[str, ...] = ("lang", "present", "n", "axis")) -> None:
    """Clear every selection except the view settings in `keep`."""
    update(**{**defaults(), **{k: get(k) for k in keep}})


def write_url() -> None:
    query = to_query(selection())
    if query != st.session_state.get(WRITTEN) or query != _url_params():
        st.query_params.from_dict(query)
        st.session_state[WRITTEN] = query


def widget_key(name: str) -> str:
    """Key of the widget editing field `name`, pre-set from the selection before it is drawn."""
    key = f"w_{name}"
    value = get(name)
    if FIELDS[name].kind == "list":
        value = list(value or [])
    if st.session_state.get(key) != value:
        st.session_state[key] = value
    return key


def on_widget_change(name: str) -> None:
    update(**{name: st.session_state[f"w_{name}"]})


# ---- chart selections ----------------------------------------------------------------------


def chart_value(widget_state: Any, param: str) -> Any:
    """The selection of `param` in a chart's widget state (None when nothing is selected)."""
    if widget_state is None:
        return None
    picked = (dict(widget_state.get("selection") or {})).get(param)
    if isinstance(picked, dict):
        picked = {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in picked.items()}
    return picked or None


def _new_chart_epoch() -> None:
    st.session_state[EPOCH] = st.session_state.get(EPOCH, 0) + 1


def chart_key(name: str) -> str:
    """The widget key of chart `name` for the current selection.

    The selection of a drawn chart lives in the browser and cannot be set from Python; when the
    selection changes (a click elsewhere, the sidebar, a link, "clear"), a new key makes the
    browser draw a fresh chart whose selection starts from the `value=` the builder restored.
    """
    return f"{name}{EPOCH_SEPARATOR}{st.session_state.get(EPOCH, 0)}"


def apply_pick(widget: str, param: str, changes) -> None:
    """A chart's on_select callback: its new selection (in `st.session_state[widget]`) becomes
    changes of the global selection through `changes(picked)` (a `Pick`'s function)."""
    update(**changes(chart_value(st.session_state.get(widget), param)))
