"""Attack figures (map, timeline, type mix) and the attack explorer widget."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from benchmarks.synthetic import synthetic_attacks
from course_lib.palette import ATTACK_TYPE_STYLE
from course_lib.plots.attacks import (
    MAP_TITLE,
    MIX_TITLE,
    MIXED_STYLE,
    TIMELINE_TITLE,
    attack_map,
    attack_timeline,
    attack_type_mix,
    build,
    example_attacks,
    map_parts,
    timeline_parts,
    type_mix_parts,
)
from course_lib.plots.base import summary_of
from course_lib.selection import AttackSelection
from course_lib.widgets.attacks import TABLE_COLUMNS, AttackExplorer, example_groups

AQIM = pd.DataFrame({"group_id": ["aqim"], "name": ["AQIM"]})
TYPES = list(ATTACK_TYPE_STYLE)
EVIL = "<script>x</script>"


def attacks_with(**changes) -> pd.DataFrame:
    """``example_attacks()`` with whole columns replaced (lists keep the column's dtype)."""
    frame = example_attacks()
    for column, values in changes.items():
        dtype = frame[column].dtype
        frame[column] = pd.Series(values, dtype=dtype) if not isinstance(dtype, pd.CategoricalDtype) else (
            pd.Categorical(values, categories=dtype.categories, ordered=dtype.ordered)
        )  # fmt: skip
    return frame


def plain(fig: go.Figure) -> dict:
    """The figure as JSON, without trace uids (random in widgets)."""
    out = json.loads(fig.to_json())
    for trace in out["data"]:
        trace.pop("uid", None)
    return out


def trace_by_name(fig: go.Figure, name: str):
    return next(t for t in fig.data if t.name == name)


# ------------------------------------------------------------------------- map
def test_map_has_one_trace_per_type_then_several_always():
    fig = attack_map(example_attacks(), groups=AQIM)
    assert [t.type for t in fig.data] == ["scattergeo"] * 10
    assert [t.name for t in fig.data] == [t.replace("_", " ") for t in TYPES] + ["several types"]
    assert fig.layout.title.text == MAP_TITLE
    assert [t.showlegend for t in fig.data] == [name in ("bombing", "unknown") for name in TYPES] + [False]


def test_map_uses_the_shipped_base_map_settings_and_frames_the_data():
    fig = attack_map(example_attacks(), groups=AQIM)
    geo = fig.layout.geo
    assert (geo.scope, geo.resolution, geo.showcountries) == ("world", 110, True)
    lon = np.concatenate([np.asarray(t.lon, dtype=float) for t in fig.data])
    lat = np.concatenate([np.asarray(t.lat, dtype=float) for t in fig.data])
    assert geo.lonaxis.range[0] < lon.min() and lon.max() < geo.lonaxis.range[1]
    assert geo.lataxis.range[0] < lat.min() and lat.max() < geo.lataxis.range[1]


def test_a_world_wide_selection_shows_the_whole_world():
    frame = attacks_with(longitude=[-100.0, -100.0, 120.0], latitude=[40.0, 40.0, 10.0])
    fig = attack_map(frame, groups=AQIM)
    assert fig.layout.geo.lonaxis.range is None and fig.layout.geo.lataxis.range is None


def test_map_markers_take_the_palette_of_their_type_or_the_mixed_style():
    frame = attacks_with(attack_type=["bombing", "armed_assault", "unknown"])
    fig = attack_map(frame, groups=AQIM)
    mixed = trace_by_name(fig, "several types")  # Algiers: a bombing and an armed assault
    assert len(mixed.lon) == 1
    assert (mixed.marker.color, mixed.marker.symbol) == (MIXED_STYLE.color, MIXED_STYLE.symbol)
    unknown = trace_by_name(fig, "unknown")
    assert (unknown.marker.color, unknown.marker.symbol) == (
        ATTACK_TYPE_STYLE["unknown"].color,
        ATTACK_TYPE_STYLE["unknown"].symbol,
    )
    assert list(mixed.marker.size) == [2] and list(unknown.marker.size) == [1]
    assert mixed.marker.sizemode == "area"


def test_map_hover_gives_counts_ranges_and_the_source_of_single_attacks():
    fig = attack_map(example_attacks(), groups=AQIM)
    algiers = trace_by_name(fig, "bombing").hovertext[0]
    assert "Algiers, DZA" in algiers and "2 attacks, 2007" in algiers
    assert "killed: at least 35" in algiers and "all bombing" in algiers
    mali = trace_by_name(fig, "unknown").hovertext[0]
    assert "MLI (location given to the country)" in mali
    assert "2009-06 · AQIM" in mali and "killed: not stated" in mali and "evidence: suspected" in mali
    assert "Source: rand2013, p. 6" in mali


def test_map_summary_counts_attacks_places_and_the_unlocated():
    frame = attacks_with(latitude=[36.75, 36.75, np.nan], longitude=[3.06, 3.06, np.nan])
    fig = attack_map(frame, groups=AQIM)
    assert summary_of(fig) == (
        "2 attacks at 1 place. Killed: at least 35 (sum of the attacks' ranges). Most at Algiers, DZA (2). "
        "1 matching attack without coordinates not on the map."
    )


def test_map_empty_states_say_why():
    sel = AttackSelection(example_attacks(), groups=AQIM)
    fig = attack_map(selection=sel, mask=np.zeros(sel.n, dtype=bool))
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "No attacks match the current selection."
    assert fig.layout.title.text == MAP_TITLE
    nowhere = attacks_with(latitude=[np.nan] * 3, longitude=[np.nan] * 3)
    fig = attack_map(nowhere, groups=AQIM)
    assert summary_of(fig) == "None of the 3 matching attacks has coordinates."


# -------------------------------------------------------------------- timeline
def test_timeline_traces_axes_and_labels():
    fig = attack_timeline(example_attacks(), groups=AQIM)
    assert [(t.type, t.name) for t in fig.data] == [
        ("bar", "attacks"),
        ("scatter", "killed (low–high)"),
        ("scatter", "killed (at least)"),
    ]
    assert fig.layout.title.text == TIMELINE_TITLE
    assert fig.layout.xaxis.title.text == "Year"
    assert fig.layout.yaxis.title.text == "Attacks"
    assert fig.layout.yaxis2.title.text == "Killed (range)"
    assert [t.yaxis for t in fig.data] == ["y", "y2", "y2"]
    assert fig.data[0].x.tolist() == [2007, 2008, 2009] and fig.data[0].y.tolist() == [2, 0, 1]


def test_timeline_shows_killed_as_a_range_never_one_number():
    # 2007: 33 + (12–15) = 45–48, closed; 2009: "at least 2"
    frame = attacks_with(killed_low=[33, 12, 2], killed_high=[33, 15, None])
    fig = attack_timeline(frame, groups=AQIM)
    closed, open_ = fig.data[1], fig.data[2]
    assert closed.x.tolist() == [2007] and closed.y.tolist() == [45.0]
    assert closed.error_y.array.tolist() == [3.0] and closed.error_y.arrayminus.tolist() == [0.0]
    assert closed.error_y.symmetric is False
    assert "2007: killed 45–48" in closed.hovertext[0]
    assert open_.x.tolist() == [2009] and open_.y.tolist() == [2.0]
    assert "2009: killed at least 2" in open_.hovertext[0]
    assert open_.marker.symbol == "triangle-up"
    assert "2007: 2 attacks; killed: 45–48" == fig.data[0].hovertext[0]
    assert summary_of(fig) == (
        "3 attacks from 2007 to 2009, most in 2007 (2). Killed: at least 47 (sum of the attacks' ranges)."
    )


def test_timeline_span_follows_the_years_asked_for():
    fig = attack_timeline(example_attacks(), groups=AQIM, years=(2005, 2012))
    assert fig.data[0].x.tolist() == list(range(2005, 2013))
    assert list(fig.layout.xaxis.range) == [2004.4, 2012.6]


def test_timeline_empty_states():
    sel = AttackSelection(example_attacks(), groups=AQIM)
    fig = attack_timeline(selection=sel, mask=np.zeros(sel.n, dtype=bool))
    assert len(fig.data) == 0 and summary_of(fig) == "No attacks match the current selection."
    undated = attacks_with(date_start=[pd.NaT] * 3)
    assert summary_of(attack_timeline(undated, groups=AQIM)) == "None of the 3 matching attacks is dated."


# -------------------------------------------------------------------- type mix
def test_type_mix_has_a_bar_per_type_in_palette_colours():
    fig = attack_type_mix(example_attacks(), groups=AQIM)
    assert len(fig.data) == 1 and fig.data[0].type == "bar" and fig.data[0].orientation == "h"
    bar = fig.data[0]
    assert list(bar.y) == [t.replace("_", " ") for t in TYPES]
    assert list(bar.marker.color) == [ATTACK_TYPE_STYLE[t].color for t in TYPES]
    assert dict(zip(bar.y, bar.x.tolist())) == {t.replace("_", " "): {"bombing": 2, "unknown": 1}.get(t, 0)
                                                  for t in TYPES}  # fmt: skip
    assert fig.layout.title.text == MIX_TITLE
    assert fig.layout.xaxis.title.text == "Attacks" and fig.layout.yaxis.title.text == "Attack type"
    assert "bombing: 2 attacks; killed: at least 35" in bar.hovertext
    assert summary_of(fig) == "3 attacks of 2 types: 2 bombing, 1 unknown."


def test_type_mix_empty_state():
    sel = AttackSelection(example_attacks(), groups=AQIM)
    fig = attack_type_mix(selection=sel, mask=np.zeros(sel.n, dtype=bool))
    assert len(fig.data) == 0 and fig.layout.annotations[0].text == "No attacks match the current selection."


# -------------------------------------------------------------------- escaping
@pytest.fixture
def evil() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = attacks_with(
        group_id=[EVIL] * 3,
        place=["<b>Algiers</b>", "<b>Algiers</b>", "<i>Gao</i>"],
        locator=["p. 4", "p. 5", "<img src=x onerror=alert(1)>"],
    )
    return frame, pd.DataFrame({"group_id": [EVIL], "name": [f"{EVIL} & co"]})


def test_text_from_the_data_is_escaped_in_hover_text(evil):
    frame, groups = evil
    fig = attack_map(frame, groups=groups)
    hover = " ".join(h for t in fig.data for h in t.hovertext)
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in hover
    assert "&lt;b&gt;Algiers&lt;/b&gt;" in hover and "&lt;img src=x onerror=alert(1)&gt;" in hover
    assert "<script>" not in hover and "<img" not in hover and "<i>" not in hover


def test_text_from_the_data_is_escaped_in_the_explorer(evil):
    frame, groups = evil
    explorer = AttackExplorer(frame, groups=groups)
    html = explorer.summary.value + explorer.table.value
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in explorer.table.value
    assert "<script>" not in html and "<img" not in html and "<b>Algiers" not in html
    explorer.group_select.value = (EVIL,)
    assert "groups: &lt;script&gt;x&lt;/script&gt; &amp; co" in explorer.summary.value
    assert "<script>" not in explorer.summary.value


def test_builders_default_to_the_bundled_tables():
    for builder in (attack_map, attack_timeline, attack_type_mix):
        fig = builder()
        assert isinstance(fig, go.Figure) and summary_of(fig)


# ---------------------------------------------------------------------- widget
@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return synthetic_attacks(4_000, n_groups=30, n_places=400, seed=7)


@pytest.fixture
def explorer(synthetic) -> AttackExplorer:
    return AttackExplorer(synthetic, groups=example_groups())


def count_in(fig_widget) -> int:
    return int(np.asarray(fig_widget.data[0].y).sum())


def map_total(fig_widget) -> int:
    return int(sum(np.asarray(t.marker.size).sum() for t in fig_widget.data))


def test_explorer_controls_are_labelled_standard_widgets(explorer):
    controls = [
        explorer.group_select,
        explorer.country_select,
        explorer.type_select,
        explorer.year_slider,
        explorer.evidence_control,
        explorer.reset_button,
    ]
    assert all(c.description for c in controls)
    assert explorer.year_slider.value == explorer.selection.year_range
    assert explorer.evidence_control.value == "suspected"
    assert explorer.figure in explorer.children and explorer.timeline in explorer.children
    assert explorer.type_mix in explorer.children and explorer.table in explorer.children
    assert [len(f.data) for f in (explorer.figure, explorer.timeline, explorer.type_mix)] == [10, 3, 1]


def test_explorer_map_draws_offline(explorer):
    from course_lib.basemap import config_for_context

    assert explorer.figure._config["topojsonURL"] == config_for_context()["topojsonURL"]


def test_group_choice_changes_every_figure_and_the_table(explorer, synthetic):
    before = [plain(f)["data"] for f in (explorer.figure, explorer.timeline, explorer.type_mix)]
    chosen = ("g0003", "g0011")
    explorer.group_select.value = chosen
    expected = int(synthetic["group_id"].isin(chosen).sum())
    assert count_in(explorer.timeline) == expected
    assert int(np.asarray(explorer.type_mix.data[0].x).sum()) == expected
    assert map_total(explorer.figure) == expected
    after = [plain(f)["data"] for f in (explorer.figure, explorer.timeline, explorer.type_mix)]
    assert all(a != b for a, b in zip(after, before))
    assert f"Showing the first 50 of {expected:,} matching attacks" in explorer.table.value
    assert explorer.table.value.count("<tr>") == 51  # header + 50 rows
    assert "groups: g0003, g0011" in explorer.summary.value
    for column in TABLE_COLUMNS:
        assert f"<th scope='col'>{column}</th>" in explorer.table.value


def test_year_range_narrows_the_timeline_axis_and_counts(explorer, synthetic):
    explorer.year_slider.value = (2000, 2004)
    assert np.asarray(explorer.timeline.data[0].x).tolist() == [2000, 2001, 2002, 2003, 2004]
    expected = int(synthetic["date_start"].dt.year.between(2000, 2004).sum())
    assert count_in(explorer.timeline) == expected
    assert map_total(explorer.figure) == expected
    assert list(explorer.timeline.layout.xaxis.range) == [1999.4, 2004.6]
    assert "years 2000–2004" in explorer.summary.value


def test_attack_type_choice_leaves_only_those_types(explorer, synthetic):
    explorer.type_select.value = ("bombing", "hijacking")
    counts = dict(zip(explorer.type_mix.data[0].y, np.asarray(explorer.type_mix.data[0].x).tolist()))
    assert {k for k, v in counts.items() if v} == {"bombing", "hijacking"}
    assert counts["bombing"] == int((synthetic["attack_type"] == "bombing").sum())
    shown = {t.name for t in explorer.figure.data if len(t.lon)}
    assert shown <= {"bombing", "hijacking", "several types"}


def test_evidence_threshold_drops_weaker_rows(explorer, synthetic):
    explorer.evidence_control.value = "verified"
    assert count_in(explorer.timeline) == int((synthetic["evidence_level"] == "verified").sum())
    explorer.evidence_control.value = "reported"
    assert count_in(explorer.timeline) == int((synthetic["evidence_level"] >= "reported").sum())


def test_country_choice(explorer, synthetic):
    explorer.country_select.value = ("MLI",)
    expected = int((synthetic["country"] == "MLI").sum())
    assert count_in(explorer.timeline) == expected
    assert "countries: MLI" in explorer.summary.value
    assert "<td>MLI</td>" in explorer.table.value and "<td>AFG</td>" not in explorer.table.value


def test_updates_are_in_place_and_equal_a_fresh_build(explorer):
    traces = [list(f.data) for f in (explorer.figure, explorer.timeline, explorer.type_mix)]
    explorer.group_select.value = ("g0001", "g0002", "g0005")
    explorer.year_slider.value = (1995, 2015)
    explorer.evidence_control.value = "reported"
    for widget, old in zip((explorer.figure, explorer.timeline, explorer.type_mix), traces):
        assert all(a is b for a, b in zip(widget.data, old)), "traces were replaced, not updated"
    sel = explorer.selection
    mask = sel.mask(explorer.filters())
    fresh = (
        build(map_parts(sel, mask)),
        build(timeline_parts(sel, mask, (1995, 2015))),
        build(type_mix_parts(sel, mask)),
    )
    for widget, figure in zip((explorer.figure, explorer.timeline, explorer.type_mix), fresh):
        assert plain(widget) == plain(figure)


def test_nothing_matching_shows_the_empty_state_and_comes_back(explorer):
    explorer.group_select.value = ("g0001",)
    explorer.type_select.value = ("hijacking",)
    explorer.year_slider.value = (1990, 1990)
    explorer.evidence_control.value = "verified"
    if explorer.selection.mask(explorer.filters()).any():  # pragma: no cover - depends on the seed
        pytest.skip("the synthetic data happen to match")
    assert [len(f.data) for f in (explorer.figure, explorer.timeline, explorer.type_mix)] == [0, 0, 0]
    assert summary_of(explorer.figure) == "No attacks match the current selection."
    assert "No attacks match the current selection." in explorer.table.value
    explorer.reset()
    assert [len(f.data) for f in (explorer.figure, explorer.timeline, explorer.type_mix)] == [10, 3, 1]
    assert count_in(explorer.timeline) == explorer.selection.n
    assert explorer.figure.layout.geo.resolution == 110


def test_reset_clears_every_filter_with_one_redraw(explorer, monkeypatch):
    explorer.group_select.value = ("g0001",)
    explorer.country_select.value = ("IRQ",)
    explorer.evidence_control.value = "verified"
    calls = []
    original = explorer.update
    monkeypatch.setattr(explorer, "update", lambda: (calls.append(1), original()))
    explorer.reset_button.click()
    assert len(calls) == 1
    assert explorer.group_select.value == () and explorer.country_select.value == ()
    assert explorer.evidence_control.value == "suspected"
    assert "Showing all attacks." in explorer.summary.value
    assert count_in(explorer.timeline) == explorer.selection.n


def test_table_lists_casualty_ranges_and_sources():
    explorer = AttackExplorer(example_attacks(), groups=AQIM)
    table = explorer.table.value
    assert "3 matching attacks, by date." in table
    assert "<td>at least 2</td>" in table and "<td>33</td>" in table and "<td>not stated</td>" in table
    assert "<td>rand2013, p. 6</td>" in table and "<td>AQIM</td>" in table


def test_explorer_on_the_bundled_tables():
    explorer = AttackExplorer()
    n = explorer.selection.n
    assert f"{n:,} matching attack" in explorer.table.value or "No attacks match" in explorer.table.value
    assert explorer.figure._config.get("topojsonURL")


def test_set_filters_changes_several_controls_with_one_redraw(explorer, synthetic, monkeypatch):
    calls = []
    original = explorer.update
    monkeypatch.setattr(explorer, "update", lambda: (calls.append(1), original()))
    explorer.set_filters(groups=["g0004", "g0009"], years=(1980, 2003), min_evidence="reported")
    assert len(calls) == 1
    assert explorer.group_select.value == ("g0004", "g0009")
    assert explorer.year_slider.value == (explorer.selection.year_range[0], 2003)  # clipped to the data
    assert explorer.country_select.value == () and explorer.evidence_control.value == "reported"
    expected = synthetic["group_id"].isin(["g0004", "g0009"]) & (synthetic["evidence_level"] >= "reported")
    expected &= synthetic["date_start"].dt.year <= 2003
    assert count_in(explorer.timeline) == int(expected.sum())
    explorer.set_filters(countries="IRQ")  # the others keep their value
    assert explorer.group_select.value == ("g0004", "g0009") and explorer.country_select.value == ("IRQ",)
    explorer.set_filters(groups=None, years=None)
    assert explorer.group_select.value == () and explorer.year_slider.value == explorer.selection.year_range


def test_set_filters_rejects_unknown_values(explorer):
    with pytest.raises(ValueError, match="did you mean"):
        explorer.set_filters(groups=["g000"])
    with pytest.raises(ValueError, match=r"Countries: no attacks with 'FRA'"):
        explorer.set_filters(countries=["FRA"])
    with pytest.raises(ValueError, match="min_evidence must be one of"):
        explorer.set_filters(min_evidence="certain")


def test_explorer_on_an_empty_table():
    explorer = AttackExplorer(example_attacks().iloc[:0], groups=AQIM)
    assert explorer.year_slider.disabled
    assert [len(f.data) for f in (explorer.figure, explorer.timeline, explorer.type_mix)] == [0, 0, 0]
    assert "No attacks match the current selection." in explorer.table.value
    explorer.evidence_control.value = "verified"  # still no error
    assert summary_of(explorer.type_mix) == "No attacks match the current selection."


def test_map_summary_names_no_busiest_place_when_places_tie():
    from course_lib.plots.attacks import attack_map, example_attacks
    from course_lib.plots.base import summary_of

    one_each = example_attacks().iloc[[0, 2]]
    summary = summary_of(attack_map(one_each))
    assert summary.startswith("2 attacks at 2 places") and "Most at" not in summary
    assert "Most at Algiers" in summary_of(attack_map(example_attacks()))
