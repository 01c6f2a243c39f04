"""The alliance network figure and the alliance explorer widget, headless."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from benchmarks.synthetic import synthetic_alliances, synthetic_groups
from course_lib.data import _frame
from course_lib.network import AllianceModel, stable_layout, ties_on
from course_lib.palette import RELATION_STYLE
from course_lib.plots.alliances import network_figure, network_summary, tie_hover_texts
from course_lib.plots.base import summary_of
from course_lib.schema import load_schema
from course_lib.validate import RawTable
from course_lib.widgets.alliances import TABLE_COLUMNS, AllianceExplorer, tie_table_rows

DEFAULTS = {"relation": "ally", "source_id": "src", "locator": "p. 1", "evidence_level": "reported"}


def make_alliances(rows: list[dict]) -> pd.DataFrame:
    """An alliances table with exactly the loader's dtypes, from a few dicts of cell text."""
    table = load_schema().table("alliances")
    cols = {f.name: [str(r.get(f.name, DEFAULTS.get(f.name, "")) or "") for r in rows] for f in table.fields}
    cols["alliance_id"] = [r.get("alliance_id", f"t{i}") for i, r in enumerate(rows)]
    return _frame(RawTable(table, table.path, cols, list(range(2, len(rows) + 2))))


N_TRACES = 2 * len(RELATION_STYLE) + 3
EVIL = "<script>x</script>"


@pytest.fixture
def groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group_id": ["a", "b", "c", "d", "e"],
            "name": ["Alpha", EVIL, "Gamma", "Delta", "Epsilon"],
            "kind": ["jihadist_group", "militia", "state_force", "government", "other"],
        }
    )


@pytest.fixture
def ties() -> pd.DataFrame:
    return make_alliances(
        [
            {"alliance_id": "ab_ally", "group_a": "a", "group_b": "b", "level": "strategic", "start": "2001"},
            {
                "alliance_id": "ab_war",
                "group_a": "a",
                "group_b": "b",
                "relation": "armed_conflict",
                "level": "tactical",
                "start": "2005",
                "end": "2006-03",
                "locator": "p. <7>",
            },
            {
                "alliance_id": "cb_support",
                "group_a": "c",
                "group_b": "b",
                "relation": "support",
                "start": "2003",
                "end": "2010",
                "evidence_level": "suspected",
            },
            {
                "alliance_id": "dc_split",
                "group_a": "d",
                "group_b": "c",
                "relation": "split",
                "level": "both",
                "start": "2008-05",
                "evidence_level": "verified",
            },
            {
                "alliance_id": "ea_host",
                "group_a": "e",
                "group_b": "a",
                "relation": "host",
                "observed": "2012",
            },
        ]
    )


def trace(fig: go.Figure, name: str, thick: bool) -> go.Scatter:
    """The thick- or thin-line trace of a relation."""
    i = list(RELATION_STYLE).index(name)
    return fig.data[2 * i + (0 if thick else 1)]


def markers(fig: go.Figure) -> go.Scatter:
    return fig.data[2 * len(RELATION_STYLE)]


def n_segments(t: go.Scatter) -> int:
    return 0 if t.x is None else len(t.x) // 4


# ----------------------------------------------------------------------------- figure


def test_one_thick_and_one_thin_trace_per_relation_styled_from_the_palette(ties, groups):
    fig = network_figure(ties_on(ties, "2005"), groups, stable_layout(ties), when="2005")
    assert len(fig.data) == N_TRACES
    for relation, style in RELATION_STYLE.items():
        thick, thin = trace(fig, relation, True), trace(fig, relation, False)
        for t in (thick, thin):
            assert t.line.color == style.color and t.line.dash == style.dash
            assert t.name == relation.replace("_", " ") and t.legendgroup == relation
        assert thick.line.width > thin.line.width
    # 2005: the strategic alliance, the tactical war, support with no level stated
    assert n_segments(trace(fig, "ally", True)) == 1
    assert n_segments(trace(fig, "armed_conflict", False)) == 1
    assert n_segments(trace(fig, "support", False)) == 1
    assert n_segments(trace(fig, "split", True)) == 0
    assert len(markers(fig).x) == 3
    # one legend entry per relation shown, on the trace that draws it
    legend = [t.name for t in fig.data[: 2 * len(RELATION_STYLE)] if t.showlegend and len(t.x)]
    assert sorted(legend) == ["ally", "armed conflict", "support"]


def test_title_summary_and_hover(ties, groups):
    shown = ties_on(ties, "2005")
    fig = network_figure(shown, groups, stable_layout(ties), when="2005")
    assert fig.layout.title.text == "Alliance network, 2005"
    assert summary_of(fig) == (
        "2005: 3 ties among 3 groups: 1 ally, 1 support, 1 armed conflict; "
        "1 strategic, 1 tactical, 1 level not stated."
    )
    hover = list(markers(fig).hovertext)
    war = next(h for h in hover if "ab_war" in h)
    assert "armed conflict" in war and "Level: tactical" in war and "Evidence: reported" in war
    assert "Holds: 2005 – 2006-03" in war
    assert "Source: src, p. &lt;7&gt;" in war  # the source citation, escaped
    support = next(h for h in hover if "cb_support" in h)
    assert "Gamma → &lt;script&gt;" in support  # directed relations get an arrow
    assert "Level: not stated" in support and "Evidence: suspected" in support


def test_data_text_is_escaped_everywhere(ties, groups):
    fig = network_figure(ties_on(ties, "2005"), groups, stable_layout(ties), when="2005", focus="b")
    nodes = fig.data[-1]
    assert "&lt;script&gt;x&lt;/script&gt;" in list(nodes.text)
    assert any("&lt;script&gt;" in h for h in nodes.hovertext)
    assert "&lt;script&gt;" in fig.layout.title.text
    shown = fig.to_plotly_json()
    shown["layout"].pop("meta")  # the plain-text summary, escaped wherever it is shown
    assert "<script>" not in json.dumps(shown, default=str)


def test_nodes_keep_their_place_from_one_date_to_the_next(ties, groups):
    pos = stable_layout(ties)
    early = network_figure(ties_on(ties, "2002"), groups, pos, when="2002")
    late = network_figure(ties_on(ties, "2009"), groups, pos, when="2009")
    for fig in (early, late):
        both = {**_points(fig.data[-2]), **_points(fig.data[-1])}
        assert both == {g: pytest.approx(p) for g, p in pos.items()}
    # node hover has the name and kind; groups with no tie shown are drawn faintly
    assert any("Epsilon</b> (other)" in h and "no tie shown" in h for h in early.data[-2].hovertext)
    assert early.layout.xaxis.range == late.layout.xaxis.range


def _points(t: go.Scatter) -> dict[str, tuple[float, float]]:
    names = {
        "&lt;script&gt;x&lt;/script&gt;": "b",
        "Alpha": "a",
        "Gamma": "c",
        "Delta": "d",
        "Epsilon": "e",
    }
    out = {}
    for h, x, y in zip(t.hovertext, t.x, t.y):
        label = h.split("</b>")[0].removeprefix("<b>")
        out[names[label]] = (x, y)
    return out


def test_empty_selection_keeps_the_traces_and_says_so(ties, groups):
    fig = network_figure(ties.iloc[:0], groups, stable_layout(ties), when="1990")
    assert len(fig.data) == N_TRACES
    assert all(n_segments(t) == 0 for t in fig.data[: 2 * len(RELATION_STYLE)])
    assert len(fig.data[-2].x) == 5 and len(fig.data[-1].x) == 0
    assert summary_of(fig) == "No ties hold in 1990 with the current filters."
    assert any(a.text == summary_of(fig) for a in fig.layout.annotations)


def test_nothing_at_all_gives_the_empty_figure(ties):
    fig = network_figure(ties.iloc[:0], ["a"], {}, when="1990")
    assert len(fig.data) == 0
    assert summary_of(fig).startswith("No ties hold in 1990")


def test_parallel_ties_bow_apart(ties, groups):
    shown = ties_on(ties, "2005", relations=["ally", "armed_conflict"])  # both between a and b
    fig = network_figure(shown, groups, stable_layout(ties))
    m = markers(fig)
    assert len(m.x) == 2 and (m.x[0], m.y[0]) != (m.x[1], m.y[1])
    # the strategic tie's marker is larger
    assert sorted(m.marker.size) == [8, 12]


def test_focus_is_named_and_highlighted(ties, groups):
    fig = network_figure(
        ties_on(ties, "2005", focus="a"), groups, stable_layout(ties), focus="a", when="2005"
    )
    assert fig.layout.title.text == "Alliance network, 2005: ties of Alpha"
    assert "involving Alpha" in summary_of(fig)
    nodes = fig.data[-1]
    assert max(nodes.marker.size) == nodes.marker.size[list(nodes.text).index("Alpha")]


def test_labels_are_limited_but_hover_names_every_group():
    ties = synthetic_alliances(n_groups=60, n_ties=200)
    fig = network_figure(ties_on(ties, "2010"), synthetic_groups(60), stable_layout(ties), max_labels=5)
    nodes = fig.data[-1]
    assert sum(bool(t) for t in nodes.text) == 5
    assert all(h.startswith("<b>g0") for h in nodes.hovertext)


def test_builder_errors_are_plain(ties, groups):
    with pytest.raises(ValueError, match="no place for 'e'"):
        network_figure(ties, groups, {"a": (0, 0), "b": (1, 1), "c": (0, 1), "d": (1, 0)})
    with pytest.raises(ValueError, match="hovertext has 1 texts for 5 ties"):
        network_figure(ties, groups, stable_layout(ties), hovertext=["x"])
    # without positions, the builder lays out what it is given
    assert len(network_figure(ties, groups).data) == N_TRACES


def test_ready_hover_texts_give_the_same_figure(ties, groups):
    pos = stable_layout(ties)
    shown = ties_on(ties, "2009")
    ready = np.array(tie_hover_texts(ties, groups), dtype=object)[
        ties["alliance_id"].isin(shown["alliance_id"])
    ]
    a = network_figure(shown, groups, pos, hovertext=list(ready))
    b = network_figure(shown, groups, pos)
    assert list(markers(a).hovertext) == list(markers(b).hovertext)


def test_summary_for_one_tie(ties):
    assert network_summary(ties.iloc[:1]) == "1 tie among 2 groups: 1 ally; 1 strategic."


# ----------------------------------------------------------------------------- widget


@pytest.fixture
def explorer(ties, groups) -> AllianceExplorer:
    return AllianceExplorer(ties, groups, date=2005)


def table_ids(ex: AllianceExplorer) -> list[str]:
    return sorted(ex.ties["alliance_id"])


def test_controls_are_standard_widgets_with_descriptions(explorer):
    controls = [
        explorer.mode,
        explorer.date_slider,
        explorer.period_slider,
        explorer.level_control,
        explorer.evidence,
        explorer.focus_dropdown,
        *explorer.relation_toggles.values(),
    ]
    assert all(c.description for c in controls)
    assert list(explorer.relation_toggles) == list(RELATION_STYLE)
    assert explorer.date_slider.options[0] == "2001" and explorer.date_slider.options[-1] == "2012"
    assert explorer.focus_dropdown.options[0] == ("All groups", "all")
    assert ("Alpha", "a") in explorer.focus_dropdown.options
    assert explorer.period_slider.disabled and not explorer.date_slider.disabled


def test_date_slider_redraws_in_place(explorer):
    first_trace = explorer.figure.data[0]
    assert explorer.figure.layout.title.text == "Alliance network, 2005"
    assert table_ids(explorer) == ["ab_ally", "ab_war", "cb_support"]
    explorer.date_slider.value = "2008"
    assert explorer.figure.layout.title.text == "Alliance network, 2008"
    assert table_ids(explorer) == ["ab_ally", "cb_support", "dc_split"]
    assert len(explorer.figure.data) == N_TRACES and explorer.figure.data[0] is first_trace
    assert n_segments(trace(explorer.figure, "split", True)) == 1
    assert n_segments(trace(explorer.figure, "armed_conflict", False)) == 0
    assert "<td>split</td>" in explorer.table.value and "armed conflict" not in explorer.table.value
    assert explorer.summary.value.startswith("<p>2008: 3 ties")
    explorer.date_slider.value = "2012"
    assert "ea_host" in table_ids(explorer)  # no start: shown from its observed date
    assert "start not stated, shown from 2012" in explorer.table.value


def test_relation_toggles(explorer):
    explorer.relation_toggles["ally"].value = False
    assert table_ids(explorer) == ["ab_war", "cb_support"]
    assert n_segments(trace(explorer.figure, "ally", True)) == 0
    assert len(markers(explorer.figure).x) == 2
    explorer.relation_toggles["ally"].value = True
    assert "ab_ally" in table_ids(explorer)


def test_level_control(explorer):
    explorer.level_control.value = "strategic"
    assert table_ids(explorer) == ["ab_ally"]
    explorer.level_control.value = "tactical"
    assert table_ids(explorer) == ["ab_war"]
    explorer.date_slider.value = "2008"
    assert table_ids(explorer) == ["dc_split"]  # coded "both"


def test_a_split_is_an_event_not_a_lasting_tie(explorer):
    explorer.date_slider.value = "2008"
    assert "dc_split" in table_ids(explorer)
    explorer.date_slider.value = "2009"
    assert "dc_split" not in table_ids(explorer)


def test_evidence_threshold(explorer):
    explorer.evidence.value = "reported"
    assert "cb_support" not in table_ids(explorer)
    explorer.evidence.value = "verified"
    assert table_ids(explorer) == []
    assert "No ties hold in 2005" in explorer.summary.value
    assert len(explorer.figure.data) == N_TRACES
    assert "No ties match" in explorer.table.value


def test_focus_dropdown(explorer):
    explorer.focus_dropdown.value = "c"
    assert table_ids(explorer) == ["cb_support"]
    assert explorer.figure.layout.title.text == "Alliance network, 2005: ties of Gamma"
    explorer.focus_dropdown.value = "all"
    assert len(table_ids(explorer)) == 3


def test_period_mode(explorer):
    explorer.mode.value = "period"
    assert explorer.date_slider.disabled and not explorer.period_slider.disabled
    assert len(table_ids(explorer)) == 5  # the whole span
    explorer.period_slider.value = ("2002", "2004")
    assert table_ids(explorer) == ["ab_ally", "cb_support"]
    assert explorer.figure.layout.title.text == "Alliance network, 2002–2004"
    explorer.period_slider.value = ("2006", "2006")
    assert table_ids(explorer) == ["ab_ally", "ab_war", "cb_support"]
    assert explorer.figure.layout.title.text == "Alliance network, 2006"


def test_table_lists_sources_and_escapes(explorer):
    html = explorer.table.value
    for column in TABLE_COLUMNS:
        assert f"<th scope='col'>{column}</th>" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert "src, p. &lt;7&gt;" in html
    rows = tie_table_rows(explorer.ties, {"a": "Alpha"})
    assert rows[0]["Group A"] == "Alpha" and rows[0]["End"] == "no end stated"
    assert explorer.table.value.index("ally") < explorer.table.value.index("armed conflict")


def test_table_is_capped(ties, groups):
    ex = AllianceExplorer(ties, groups, date="2005", max_table_rows=2)
    assert ex.table.value.count("<tr>") == 3  # header + 2 rows
    assert "Showing the first 2 of 3 ties" in ex.table.value


def test_month_resolution_and_bad_dates(ties, groups):
    ex = AllianceExplorer(ties, groups, resolution="month", date="2006")
    assert ex.date_slider.value == "2006-01"
    ex.date_slider.value = "2006-04"
    assert "ab_war" not in table_ids(ex)  # ended 2006-03
    with pytest.raises(ValueError, match="outside the data"):
        AllianceExplorer(ties, groups, date=1950)
    with pytest.raises(ValueError, match="resolution must be"):
        AllianceExplorer(ties, groups, resolution="week")


def test_no_ties_at_all(groups):
    ex = AllianceExplorer(make_alliances([]).iloc[:0], groups)
    assert ex.ties.empty and summary_of(ex.figure).startswith("No ties")
    ex.mode.value = "period"
    assert ex.ties.empty


def test_synthetic_scale_keeps_the_trace_count():
    ex = AllianceExplorer(synthetic_alliances(n_groups=80, n_ties=300), synthetic_groups(80))
    model = AllianceModel(synthetic_alliances(n_groups=80, n_ties=300), synthetic_groups(80))
    for year in ("1990", "2000", "2015"):
        ex.date_slider.value = year
        assert len(ex.figure.data) == N_TRACES
        assert len(markers(ex.figure).x) == len(model.ties_on(year)) == len(ex.ties)
