"""The alliance network figure and the alliance explorer widget, headless."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import make_table, plain

from benchmarks.synthetic import synthetic_alliances
from course_lib.network import AllianceModel
from course_lib.plots.base import summary_of
from course_lib.plots.network import Drawing, network_figure, network_summary, tie_hover_texts
from course_lib.plots.palette import RELATION_STYLE
from course_lib.schema import load_schema
from course_lib.widgets.alliances import TABLE_COLUMNS, AllianceExplorer

DEFAULTS = {"relation": "ally", "source_id": "src", "locator": "p. 1", "evidence_level": "reported"}


def make_alliances(rows: list[dict]) -> pd.DataFrame:
    """An alliances table with exactly the loader's dtypes, from a few dicts of cell text."""
    names = load_schema().table("alliances").field_names
    cols = {f: [str(r.get(f, DEFAULTS.get(f, "")) or "") for r in rows] for f in names}
    cols["alliance_id"] = [r.get("alliance_id", f"t{i}") for i, r in enumerate(rows)]
    return make_table("alliances", **cols)


#: The line widths of the three kinds of line trace.
WIDTH = {"thick": 3.6, "thin": 1.4, "faded": 1.2}


def n_traces(model: AllianceModel) -> int:
    """The model's line traces and legend entries, then the tie markers, the "last seen" labels,
    the rings and the nodes."""
    d = Drawing(model, None)
    return len(d.line_kinds) + len(d.relations) + 4


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


@pytest.fixture
def model(ties) -> AllianceModel:
    return AllianceModel(ties)


def draw(model: AllianceModel, when: str | None, groups=None, **kwargs):
    keep = model.mask(when) if when is not None else np.ones(len(model.alliances), bool)
    return network_figure(model, keep, groups, when=when, **kwargs)


def line_traces(fig) -> list[dict]:
    """The traces that draw ties (an entry of the legend is a line trace too, 2.4 px wide)."""
    return [t for t in plain(fig)["data"] if t["mode"] == "lines" and t["line"]["width"] in WIDTH.values()]


def legend_entries(fig) -> list[dict]:
    return [t for t in plain(fig)["data"] if t["mode"] == "lines" and t["line"]["width"] == 2.4]


def trace(fig, name: str, kind: str) -> dict:
    """The thick, thin or faded line trace of a relation, as plain values (``{}`` when the
    model has no tie that could be drawn so: it has no such trace)."""
    found = [t for t in line_traces(fig) if t["legendgroup"] == name and t["line"]["width"] == WIDTH[kind]]
    assert len(found) <= 1
    return found[0] if found else {}


def by_name(fig, name: str) -> dict:
    (found,) = [t for t in plain(fig)["data"] if t.get("name") == name]
    return found


def markers(fig) -> dict:
    """The tie markers of the ties shown (every tie has a marker; a tie not shown, a missing point)."""
    m = by_name(fig, "Tie details (hover)")
    shown = [i for i, v in enumerate(m["x"]) if v is not None]

    def pick(value):
        return [value[i] for i in shown] if isinstance(value, list) and len(value) == len(m["x"]) else value

    return {**{k: pick(v) for k, v in m.items()}, "marker": {k: pick(v) for k, v in m["marker"].items()}}


def rings(fig) -> dict:
    return plain(fig)["data"][-2]


def nodes(fig) -> dict:
    return plain(fig)["data"][-1]


def n_segments(t: dict) -> int:
    return len(t.get("x") or []) // 4


# ----------------------------------------------------------------------------- figure


def test_line_traces_per_relation_styled_from_the_palette(model, groups):
    fig = draw(model, "2005", groups)
    assert len(fig.data) == n_traces(model)
    # only the traces the model can need: every relation it has can fade; only strategic ties are thick
    kinds = {(t["legendgroup"], w) for t in line_traces(fig) for w in WIDTH if t["line"]["width"] == WIDTH[w]}
    relations = set(model.alliances["relation"])
    strategic = set(model.alliances.loc[model.alliances["level"].isin(["strategic", "both"]), "relation"])
    assert kinds == (
        {(r, "faded") for r in relations}
        | {(r, "thick") for r in strategic}
        | {
            (r, "thin")
            for r in set(
                model.alliances.loc[~model.alliances["level"].isin(["strategic", "both"]), "relation"]
            )
        }
    )
    assert strategic and strategic < relations  # the fixture has both kinds
    for t in line_traces(fig):
        style = RELATION_STYLE[t["legendgroup"]]
        assert t["line"]["color"] == style.color and t["line"]["dash"] == style.dash
        assert t["name"] == t["legendgroup"].replace("_", " ")
        assert t["opacity"] == (0.4 if t["line"]["width"] == WIDTH["faded"] else 1)
    # 2005: the strategic alliance, the tactical war, support with no level stated
    assert n_segments(trace(fig, "ally", "thick")) == 1
    assert n_segments(trace(fig, "armed_conflict", "thin")) == 1
    assert n_segments(trace(fig, "support", "thin")) == 1
    assert n_segments(trace(fig, "split", "thick")) == 0
    assert len(markers(fig)["x"]) == 3
    # one legend entry per relation of the model, a trace of its own, listed when the relation is drawn
    entries = legend_entries(fig)
    assert sorted(t["legendgroup"] for t in entries) == sorted(relations)
    assert sorted(t["name"] for t in entries if t["showlegend"]) == ["ally", "armed conflict", "support"]


def test_title_summary_and_hover(model, groups):
    fig = draw(model, "2005", groups)
    assert fig.layout.title.text == "Alliance network, 2005"
    assert summary_of(fig) == (
        "2005: 3 ties among 3 groups: 1 ally, 1 armed conflict, 1 support; "
        "1 strategic, 1 tactical, 1 level not stated."
    )
    hover = markers(fig)["hovertext"]
    war = next(h for h in hover if "ab_war" in h)
    assert "armed conflict" in war and "Level: tactical" in war and "Evidence: reported" in war
    assert "Holds: 2005 – 2006-03" in war
    assert "Source: src, p. &lt;7&gt;" in war  # the source citation, escaped
    assert "Alpha – &lt;script&gt;" in war  # a symmetric relation: no arrow
    support = next(h for h in hover if "cb_support" in h)
    assert "Gamma → &lt;script&gt;" in support  # directed relations get an arrow
    assert "Level: level not stated" in support and "Evidence: suspected" in support


def test_data_text_is_escaped_everywhere(model, groups):
    fig = draw(model, "2005", groups, focus="b")
    assert "&lt;script&gt;x&lt;/script&gt;" in nodes(fig)["text"]
    assert any("&lt;script&gt;" in h for h in nodes(fig)["hovertext"])
    assert "&lt;script&gt;" in fig.layout.title.text
    shown = fig.to_plotly_json()
    shown["layout"].pop("meta")  # the plain-text summary, escaped wherever it is shown
    assert "<script>" not in json.dumps(shown, default=str)


def test_nodes_keep_their_place_from_one_date_to_the_next(model, groups):
    early = draw(model, "2002", groups, show_all_groups=True)
    late = draw(model, "2009", groups, show_all_groups=True)
    names = {"Alpha": "a", "&lt;script&gt;x&lt;/script&gt;": "b", "Gamma": "c", "Delta": "d", "Epsilon": "e"}
    for fig in (early, late):
        drawn = {}
        for t in (rings(fig), nodes(fig)):
            for h, x, y in zip(t["hovertext"], t["x"], t["y"]):
                drawn[names[h.split("</b>")[0].removeprefix("<b>")]] = (x, y)
        assert drawn == {g: pytest.approx(p) for g, p in model.positions.items()}
    # groups with no tie shown are drawn faintly, as rings, when asked for
    assert any("Epsilon</b><br>no tie shown" in h for h in rings(early)["hovertext"])
    assert plain(early)["layout"]["xaxis"]["range"] == plain(late)["layout"]["xaxis"]["range"]
    assert not rings(draw(model, "2002", groups))["x"]  # by default, only groups with a tie


def test_empty_selection_keeps_the_traces_and_says_so(model, groups):
    fig = network_figure(
        model, np.zeros(len(model.alliances), bool), groups, when="1990", show_all_groups=True
    )
    assert len(fig.data) == n_traces(model)
    assert line_traces(fig) and all(n_segments(t) == 0 for t in line_traces(fig))
    assert len(rings(fig)["x"]) == 5 and not nodes(fig)["x"]
    assert summary_of(fig) == "No ties hold in 1990 with the current filters."
    assert any(a.text == summary_of(fig) for a in fig.layout.annotations)


def test_nothing_at_all_keeps_the_traces_and_says_so(ties):
    empty = AllianceModel(ties.iloc[:0])
    fig = network_figure(empty, empty.mask("1990"), {}, when="1990")
    assert len(fig.data) == n_traces(empty) == 4 and all(
        not any(v is not None for v in t.get("x") or []) for t in plain(fig)["data"]
    )
    assert summary_of(fig).startswith("No ties hold in 1990")


def test_parallel_ties_bow_apart(model, groups):
    keep = model.mask("2005", relations=["ally", "armed_conflict"])  # both between a and b
    m = markers(network_figure(model, keep, groups))
    assert len(m["x"]) == 2 and (m["x"][0], m["y"][0]) != (m["x"][1], m["y"][1])
    # the strategic tie's marker is larger
    assert m["marker"]["size"][0] > m["marker"]["size"][1]


def test_focus_is_named_and_highlighted(model, groups):
    fig = network_figure(model, model.mask("2005", focus="a"), groups, focus="a", when="2005")
    assert fig.layout.title.text == "Alliance network, 2005: ties of Alpha"
    assert "involving Alpha" in summary_of(fig)
    n = nodes(fig)
    sizes = n["marker"]["size"]
    assert max(sizes) == sizes[n["text"].index("Alpha")] > min(sizes)


def test_labels_are_limited_but_hover_names_every_group():
    ties = synthetic_alliances(n_groups=60, n_ties=200)
    model = AllianceModel(ties)
    n = nodes(draw(model, "2010", max_labels=5))
    assert sum(bool(t) for t in n["text"]) == 5 < len(n["text"])
    assert all(h.startswith("<b>g0") for h in n["hovertext"])


def test_builder_errors_are_plain(ties, groups):
    model = AllianceModel(ties, positions={"a": (0, 0), "b": (1, 1), "c": (0, 1), "d": (1, 0)})
    with pytest.raises(ValueError, match="no place for 'e'"):
        draw(model, None, groups)
    assert len(draw(model, "2005", groups).data) == n_traces(model)  # e has no tie in 2005: nothing missing
    with pytest.raises((IndexError, ValueError)):
        draw(AllianceModel(ties), None, groups, hovertext=np.array(["x"], dtype=object))
    # by default, the model lays out every group with a tie
    assert len(draw(AllianceModel(ties), None, groups).data) == n_traces(model)


def test_ready_hover_texts_give_the_same_figure(model, groups):
    ready = np.array(
        tie_hover_texts(model.alliances, dict(zip(groups["group_id"], groups["name"]))), dtype=object
    )
    a = draw(model, "2009", groups, hovertext=ready)
    b = draw(model, "2009", groups)
    assert markers(a)["hovertext"] == markers(b)["hovertext"]


def test_summary_for_one_tie(ties):
    assert network_summary(ties.iloc[:1], None) == "1 tie among 2 groups: 1 ally; 1 strategic."


def test_ties_no_source_has_seen_for_years_are_faded_and_say_when():
    ties = make_alliances(
        [
            {"alliance_id": "fresh", "group_a": "a", "group_b": "b", "start": "2000", "observed": "2011"},
            {
                "alliance_id": "stale",
                "group_a": "a",
                "group_b": "c",
                "start": "2000",
                "observed": "2004",
                "level": "strategic",
            },
            {"alliance_id": "unsaid", "group_a": "b", "group_b": "c", "start": "2000"},
        ]
    )
    model = AllianceModel(ties)
    fig = draw(model, "2012", as_of="2012", horizon=5)
    assert n_segments(trace(fig, "ally", "faded")) == 1  # stale, although strategic
    assert n_segments(trace(fig, "ally", "thick")) == 0 and n_segments(trace(fig, "ally", "thin")) == 2
    m = markers(fig)
    labels = by_name(fig, "Last seen")
    assert labels["text"] == ["last seen 2004"] and [labels["x"][0], labels["y"][0]] == [m["x"][1], m["y"][1]]
    assert "last seen 2004" in m["hovertext"][1] and "last seen 2011" in m["hovertext"][0]
    assert "1 tie not seen by any source for 5 years or more (faded)" in summary_of(fig)
    assert n_segments(trace(draw(model, "2012", as_of="2012", horizon=10), "ally", "faded")) == 0
    assert n_segments(trace(draw(model, "2012", as_of="2012", horizon=None), "ally", "faded")) == 0
    assert n_segments(trace(draw(model, "2012"), "ally", "faded")) == 0  # no as_of: nothing faded


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
        explorer.horizon_dropdown,
        explorer.all_groups,
        *explorer.relation_toggles.values(),
    ]
    assert all(c.description for c in controls)
    assert list(explorer.relation_toggles) == list(RELATION_STYLE)
    assert explorer.date_slider.options[0] == "2001" and explorer.date_slider.options[-1] == "2012"
    assert explorer.focus_dropdown.options[0] == ("All groups", "all")
    assert ("Alpha", "a") in explorer.focus_dropdown.options
    assert explorer.period_slider.disabled and not explorer.date_slider.disabled


def test_date_slider_redraws_in_place(explorer, monkeypatch):
    sent = []
    monkeypatch.setattr(explorer.view, "send", sent.append)
    view = explorer.view
    assert explorer.figure["layout"]["title"]["text"] == "Alliance network, 2005"
    assert table_ids(explorer) == ["ab_ally", "ab_war", "cb_support"]
    explorer.date_slider.value = "2008"
    assert explorer.view is view and [m["type"] for m in sent] == [
        "patch"
    ]  # the differences, not a new figure
    assert sent[0]["length"] == n_traces(explorer.model) and "title" in sent[0]["layout"]
    assert explorer.figure["layout"]["title"]["text"] == "Alliance network, 2008"
    assert table_ids(explorer) == ["ab_ally", "cb_support", "dc_split"]
    assert len(explorer.figure["data"]) == n_traces(explorer.model)
    assert n_segments(trace(explorer.figure, "split", "thick")) == 1
    assert n_segments(trace(explorer.figure, "armed_conflict", "thin")) == 0
    assert "<td>split</td>" in explorer.table.value and "armed conflict" not in explorer.table.value
    assert explorer.summary.value.startswith("<p>2008: 3 ties")
    explorer.date_slider.value = "2012"
    assert "ea_host" in table_ids(explorer)  # no start: shown from its observed date
    assert "start not stated, shown from 2012" in explorer.table.value


def test_relation_toggles(explorer):
    explorer.relation_toggles["ally"].value = False
    assert table_ids(explorer) == ["ab_war", "cb_support"]
    assert n_segments(trace(explorer.figure, "ally", "thick")) == 0
    assert len(markers(explorer.figure)["x"]) == 2
    assert explorer.relation_toggles["ally"].icon == ""  # the state shows as a mark, not only a shade
    explorer.relation_toggles["ally"].value = True
    assert "ab_ally" in table_ids(explorer) and explorer.relation_toggles["ally"].icon == "check"


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
    assert len(explorer.figure["data"]) == n_traces(explorer.model)
    assert "No ties match" in explorer.table.value


def test_focus_dropdown(explorer):
    explorer.focus_dropdown.value = "c"
    assert table_ids(explorer) == ["cb_support"]
    assert explorer.figure["layout"]["title"]["text"] == "Alliance network, 2005: ties of Gamma"
    explorer.focus_dropdown.value = "all"
    assert len(table_ids(explorer)) == 3


def test_period_mode(explorer):
    explorer.mode.value = "period"
    assert explorer.date_slider.disabled and not explorer.period_slider.disabled
    assert len(table_ids(explorer)) == 5  # the whole span
    explorer.period_slider.value = ("2002", "2004")
    assert table_ids(explorer) == ["ab_ally", "cb_support"]
    assert explorer.figure["layout"]["title"]["text"] == "Alliance network, 2002–2004"
    explorer.period_slider.value = ("2006", "2006")
    assert table_ids(explorer) == ["ab_ally", "ab_war", "cb_support"]
    assert explorer.figure["layout"]["title"]["text"] == "Alliance network, 2006"


def test_fading_and_all_groups_controls(ties, groups):
    old = make_alliances(
        [{"alliance_id": "old", "group_a": "a", "group_b": "d", "start": "2001", "observed": "2003"}]
    )
    ex = AllianceExplorer(pd.concat([ties, old], ignore_index=True), groups, date=2010)
    assert ex.horizon_dropdown.value == 5
    assert n_segments(trace(ex.figure, "ally", "faded")) == 1  # unseen since 2003
    assert "(faded)" in ex.summary_text
    ex.horizon_dropdown.value = None
    assert n_segments(trace(ex.figure, "ally", "faded")) == 0 and "(faded)" not in ex.summary_text
    assert not rings(ex.figure).get("x")
    ex.all_groups.value = True
    assert len(rings(ex.figure)["x"]) == 1  # Epsilon: its only tie is from 2012


def test_table_lists_sources_and_escapes(explorer):
    html = explorer.table.value
    for column in TABLE_COLUMNS:
        assert f"<th scope='col'>{column}</th>" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert "src, p. &lt;7&gt;" in html
    ally = html[html.index("<td>Alpha</td><td>ally</td>") :].split("</tr>")[0]
    assert "<td>no end stated</td>" in ally
    assert html.index("ally") < html.index("armed conflict")


def test_table_is_capped(ties, groups):
    ex = AllianceExplorer(ties, groups, date="2005", max_table_rows=2)
    assert ex.table.value.count("<tr>") == 3  # header + 2 rows
    assert "Showing the first 2 of 3 ties" in ex.table.value


def test_undated_ties_are_counted_below_the_table(ties, groups):
    undated = make_alliances([{"alliance_id": "never", "group_a": "a", "group_b": "c"}])
    ex = AllianceExplorer(pd.concat([ties, undated], ignore_index=True), groups, date=2005)
    assert "1 tie(s) with no date at all are never shown" in ex.table.value


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
    alliances = synthetic_alliances(n_groups=80, n_ties=300)
    ex = AllianceExplorer(alliances, pd.DataFrame({"group_id": [], "name": []}))
    model = AllianceModel(alliances, positions={})
    for year in ("1990", "2000", "2015"):
        ex.date_slider.value = year
        assert len(ex.figure["data"]) == n_traces(ex.model)
        assert len(markers(ex.figure)["x"]) == int(model.mask(year).sum()) == len(ex.ties)


def test_large_networks_draw_their_ties_with_webgl():
    """Above WEBGL_ABOVE ties, the lines and tie markers are WebGL (as plotly express's
    render_mode="auto"); the groups, their names and the legend entries stay SVG."""
    from course_lib.plots.network import WEBGL_ABOVE

    for n_ties, tie_type in ((WEBGL_ABOVE, "scatter"), (WEBGL_ABOVE + 1, "scattergl")):
        model = AllianceModel(synthetic_alliances(n_groups=80, n_ties=n_ties))
        fig = draw(model, "2010")
        data = plain(fig)["data"]
        ties = [*line_traces(fig), markers(fig)]
        assert {t["type"] for t in ties} == {tie_type}
        others = [*legend_entries(fig), *data[len(data) - 3 :]]  # "Last seen", rings, groups
        assert {t["type"] for t in others} == {"scatter"}
        assert len(ties) + len(others) == len(data) == n_traces(model)


def test_explorer_shows_its_first_figure_in_svg_then_lets_the_size_choose():
    """The page shows quickly (no WebGL to start), and a large network redraws fast from the first change."""
    from course_lib.plots.network import WEBGL_ABOVE

    ex = AllianceExplorer(
        synthetic_alliances(n_groups=80, n_ties=WEBGL_ABOVE + 1), pd.DataFrame({"group_id": [], "name": []})
    )
    assert ex.figure["data"][0]["type"] == "scatter"
    ex.date_slider.value = ex.date_slider.options[0]
    assert ex.figure["data"][0]["type"] == "scattergl"
