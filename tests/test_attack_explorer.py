"""Attack figures (map, timeline, type mix) and the attack explorer widget."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import make_table, plain

from benchmarks.synthetic import synthetic_attacks
from course_lib import load_attacks, load_groups
from course_lib.attacks import AttackSelection
from course_lib.plots.attacks import (
    MAP_TITLE,
    MIX_TITLE,
    MIXED_STYLE,
    TIMELINE_TITLE,
    attack_map,
    attack_timeline,
    attack_type_mix,
)
from course_lib.plots.base import summary_of
from course_lib.plots.palette import ATTACK_TYPE_STYLE
from course_lib.widgets.attacks import TABLE_COLUMNS, AttackExplorer
from course_lib.widgets.figure import ASSET_FOLDERS, FigureView

AQIM = pd.DataFrame({"group_id": ["aqim"], "name": ["AQIM"]})
NO_NAMES = pd.DataFrame({"group_id": pd.Series([], dtype="str"), "name": pd.Series([], dtype="str")})
TYPES = list(ATTACK_TYPE_STYLE)
EVIL = "<script>x</script>"


def example_attacks(**changes: list) -> pd.DataFrame:
    """Three attacks with the loader's dtypes; ``changes`` replace whole columns (cell text, or floats
    for ``latitude``/``longitude``)."""
    columns = dict(
        attack_id=["a1", "a2", "a3"],
        date=["2007-04-11", "2007", "2009-06"],
        group_id=["aqim"] * 3,
        country=["DZA", "DZA", "MLI"],
        place=["Algiers", "Algiers", ""],
        latitude=[36.75, 36.75, 17.57],
        longitude=[3.06, 3.06, -3.99],
        geo_precision=["place", "place", "country"],
        attack_type=["bombing", "bombing", "unknown"],
        killed_low=["33", "2", ""],
        killed_high=["33", "", ""],
        source_id=["rand2013"] * 3,
        locator=["p. 4", "p. 5", "p. 6"],
        evidence_level=["reported", "reported", "suspected"],
    )
    return make_table("attacks", **{**columns, **changes})


def selection(frame: pd.DataFrame | None = None, groups: pd.DataFrame = AQIM) -> AttackSelection:
    return AttackSelection(example_attacks() if frame is None else frame, groups)


def trace_by_name(fig, name: str) -> dict:
    return next(t for t in plain(fig)["data"] if t["name"] == name)


def nothing(sel: AttackSelection) -> np.ndarray:
    return np.zeros(sel.n, dtype=bool)


# ------------------------------------------------------------------------- map
def test_map_has_one_trace_per_type_then_several_always():
    fig = attack_map(selection())
    assert [t.type for t in fig.data] == ["scattergeo"] * (len(TYPES) + 1)
    assert [t.name for t in fig.data] == [t.replace("_", " ") for t in TYPES] + ["several types"]
    assert fig.layout.title.text == MAP_TITLE
    assert [t.showlegend for t in fig.data] == [name in ("bombing", "unknown") for name in TYPES] + [False]


def test_map_uses_the_shipped_base_map_settings_and_frames_the_data():
    fig = plain(attack_map(selection()))
    geo = fig["layout"]["geo"]
    assert (geo["resolution"], geo["showcountries"]) == (110, True)  # the 1:110m map the course ships
    lon = [v for t in fig["data"] for v in t["lon"]]
    lat = [v for t in fig["data"] for v in t["lat"]]
    assert geo["lonaxis"]["range"][0] < min(lon) and max(lon) < geo["lonaxis"]["range"][1]
    assert geo["lataxis"]["range"][0] < min(lat) and max(lat) < geo["lataxis"]["range"][1]


def test_a_world_wide_selection_shows_the_whole_world():
    frame = example_attacks(longitude=[-100.0, -100.0, 120.0], latitude=[40.0, 40.0, 10.0])
    geo = plain(attack_map(selection(frame)))["layout"]["geo"]
    assert "lonaxis" not in geo and "lataxis" not in geo


def test_map_markers_take_the_palette_of_their_type_or_the_mixed_style():
    frame = example_attacks(attack_type=["bombing", "armed_assault", "unknown"])
    fig = attack_map(selection(frame))
    mixed = trace_by_name(fig, "several types")  # Algiers: a bombing and an armed assault
    assert len(mixed["lon"]) == 1
    assert (mixed["marker"]["color"], mixed["marker"]["symbol"]) == (MIXED_STYLE.color, MIXED_STYLE.symbol)
    unknown = trace_by_name(fig, "unknown")
    style = ATTACK_TYPE_STYLE["unknown"]
    assert (unknown["marker"]["color"], unknown["marker"]["symbol"]) == (style.color, style.symbol)
    assert mixed["marker"]["size"] == [2] and unknown["marker"]["size"] == [1]
    assert mixed["marker"]["sizemode"] == "area"


def test_map_hover_gives_counts_ranges_and_the_source_of_single_attacks():
    fig = attack_map(selection())
    algiers = trace_by_name(fig, "bombing")["hovertext"][0]
    assert "Algiers, Algeria (DZA)" in algiers and "2 attacks, 2007" in algiers
    assert "killed: at least 35" in algiers and "all bombing" in algiers
    mali = trace_by_name(fig, "unknown")["hovertext"][0]
    assert "<b>Mali (MLI)</b>" in mali
    assert "2009-06 · AQIM" in mali and "killed: not stated" in mali and "evidence: suspected" in mali
    assert "Source: rand2013, p. 6" in mali


def test_map_summary_counts_attacks_places_and_the_unlocated():
    frame = example_attacks(latitude=[36.75, 36.75, np.nan], longitude=[3.06, 3.06, np.nan])
    fig = attack_map(selection(frame))
    assert summary_of(fig) == (
        "2 attacks at 1 place. Killed: at least 35 (sum of the attacks' ranges). "
        "Most at Algiers, Algeria (DZA) (2). "
        "1 matching attack without coordinates not on the map."
    )


def test_a_map_of_many_places_draws_those_with_the_most_attacks_and_says_so(monkeypatch):
    import course_lib.plots.attacks as plots

    sel = AttackSelection(synthetic_attacks(3_000, n_groups=20, n_places=300, seed=3))
    whole = sel.by_place(sel.mask())
    assert len(whole) > 50
    monkeypatch.setattr(plots, "MAP_PLACES", 50)
    fig = attack_map(sel)
    drawn = [s for t in plain(fig)["data"] for s in t["marker"]["size"]]
    assert len(drawn) == 50
    assert sorted(drawn, reverse=True) == sorted(whole["count"], reverse=True)[:50]
    assert summary_of(fig).startswith(f"3,000 attacks at {len(whole)} places.")  # every attack counted
    assert "The map shows the 50 places with the most attacks" in summary_of(fig)
    few = np.zeros(sel.n, dtype=bool)
    few[:40] = True  # 40 attacks: 40 places at most
    assert "The map shows" not in summary_of(attack_map(sel, few))


def test_the_overview_of_many_places_stays_within_its_budget(monkeypatch):
    import course_lib.plots.attacks as plots

    assert "at most" not in summary_of(plots.attack_overview(AttackSelection(load_attacks())))
    sel = AttackSelection(synthetic_attacks(3_000, n_groups=20, n_places=300, seed=3))
    monkeypatch.setattr(plots, "OVERVIEW_PLACES", 2_000)
    fig = plain(plots.attack_overview(sel))
    maps = [t for t in fig["data"] if t["type"] == "scattergeo"]
    (slider,) = fig["layout"]["sliders"]
    (everything, *by_year) = [[len(lon) for lon in step["args"][0]["lon"]] for step in slider["steps"]]
    per_all, per_year = 2_000 // (2 * len(maps)), 2_000 // (2 * len(maps) * len(by_year))
    assert max(everything) == per_all and max(map(max, by_year)) == per_year
    assert sum(everything) + sum(map(sum, by_year)) <= 2_000
    assert (
        f"at most the {per_all} places with the most attacks of all years, or the {per_year} of"
        in (fig["layout"]["meta"]["summary"])
    )


def test_map_empty_states_say_why():
    sel = selection()
    fig = attack_map(sel, nothing(sel))
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "No attacks match the current selection."
    assert fig.layout.title.text == MAP_TITLE
    nowhere = example_attacks(latitude=[np.nan] * 3, longitude=[np.nan] * 3)
    assert summary_of(attack_map(selection(nowhere))) == "None of the 3 matching attacks has coordinates."


def test_map_summary_names_no_busiest_place_when_places_tie():
    one_each = example_attacks().iloc[[0, 2]].reset_index(drop=True)
    summary = summary_of(attack_map(selection(one_each)))
    assert summary.startswith("2 attacks at 2 places") and "Most at" not in summary
    assert "Most at Algiers" in summary_of(attack_map(selection()))


# -------------------------------------------------------------------- timeline
def test_timeline_traces_axes_and_labels():
    fig = attack_timeline(selection())
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
    bars = plain(fig)["data"][0]
    assert bars["x"] == [2007, 2008, 2009] and bars["y"] == [2, 0, 1]


def test_timeline_shows_killed_as_a_range_never_one_number():
    # 2007: 33 + (12–15) = 45–48, closed; 2009: "at least 2"
    frame = example_attacks(killed_low=["33", "12", "2"], killed_high=["33", "15", ""])
    fig = attack_timeline(selection(frame))
    bars, closed, open_ = plain(fig)["data"]
    assert closed["x"] == [2007] and closed["y"] == [45.0]
    assert closed["error_y"]["array"] == [3.0] and closed["error_y"]["arrayminus"] == [0.0]
    assert closed["error_y"]["symmetric"] is False
    assert "2007: killed 45–48" in closed["hovertext"][0]
    assert open_["x"] == [2009] and open_["y"] == [2.0]
    assert "2009: killed at least 2" in open_["hovertext"][0]
    assert open_["marker"]["symbol"] == "triangle-up"
    assert bars["hovertext"][0] == "2007: 2 attacks; killed: 45–48"
    assert summary_of(fig) == (
        "3 attacks from 2007 to 2009, most in 2007 (2). Killed: at least 47 (sum of the attacks' ranges)."
    )


def test_timeline_span_follows_the_years_asked_for():
    fig = attack_timeline(selection(), years=(2005, 2012))
    assert plain(fig)["data"][0]["x"] == list(range(2005, 2013))
    assert list(fig.layout.xaxis.range) == [2004.4, 2012.6]


def test_timeline_empty_states():
    sel = selection()
    fig = attack_timeline(sel, nothing(sel))
    assert len(fig.data) == 0 and summary_of(fig) == "No attacks match the current selection."
    undated = example_attacks(date=["", "", ""])
    assert summary_of(attack_timeline(selection(undated))) == "None of the 3 matching attacks is dated."


# -------------------------------------------------------------------- type mix
def test_type_mix_has_a_bar_per_type_in_palette_colours():
    fig = attack_type_mix(selection())
    assert len(fig.data) == 1 and fig.data[0].type == "bar" and fig.data[0].orientation == "h"
    bar = plain(fig)["data"][0]
    assert bar["y"] == [t.replace("_", " ") for t in TYPES]
    assert bar["marker"]["color"] == [ATTACK_TYPE_STYLE[t].color for t in TYPES]
    expected = {t.replace("_", " "): {"bombing": 2, "unknown": 1}.get(t, 0) for t in TYPES}
    assert dict(zip(bar["y"], bar["x"])) == expected
    assert fig.layout.title.text == MIX_TITLE
    assert fig.layout.xaxis.title.text == "Attacks" and fig.layout.yaxis.title.text == "Attack type"
    assert "bombing: 2 attacks; killed: at least 35" in bar["hovertext"]
    assert summary_of(fig) == "3 attacks of 2 types: 2 bombing, 1 unknown."


def test_type_mix_empty_state():
    sel = selection()
    fig = attack_type_mix(sel, nothing(sel))
    assert len(fig.data) == 0 and fig.layout.annotations[0].text == "No attacks match the current selection."


# -------------------------------------------------------------------- escaping
@pytest.fixture
def evil() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = example_attacks(
        group_id=[EVIL] * 3,
        place=["<b>Algiers</b>", "<b>Algiers</b>", "<i>Gao</i>"],
        locator=["p. 4", "p. 5", "<img src=x onerror=alert(1)>"],
    )
    return frame, pd.DataFrame({"group_id": [EVIL], "name": [f"{EVIL} & co"]})


def test_text_from_the_data_is_escaped_in_hover_text(evil):
    frame, groups = evil
    fig = attack_map(AttackSelection(frame, groups))
    hover = " ".join(h for t in plain(fig)["data"] for h in t["hovertext"])
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


def test_builders_on_the_bundled_tables():
    sel = AttackSelection(load_attacks(), load_groups())
    for builder in (attack_map, attack_timeline, attack_type_mix):
        fig = builder(sel)
        assert fig.layout.title.text and summary_of(fig)
    assert plain(attack_timeline(sel))["data"][0]["y"] and sum(
        plain(attack_timeline(sel))["data"][0]["y"]
    ) == int(sel.has_year.sum())


# ---------------------------------------------------------------------- widget
@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return synthetic_attacks(4_000, n_groups=30, n_places=400, seed=7)


@pytest.fixture
def explorer(synthetic) -> AttackExplorer:
    return AttackExplorer(synthetic, groups=NO_NAMES)


def views(explorer: AttackExplorer) -> tuple[FigureView, FigureView, FigureView]:
    return explorer.view, explorer.timeline, explorer.type_mix


def count_in(view: FigureView) -> int:
    return int(sum(plain(view.current)["data"][0]["y"]))


def map_total(view: FigureView) -> int:
    return int(sum(sum(t["marker"]["size"]) for t in plain(view.current)["data"]))


def n_traces(explorer: AttackExplorer) -> list[int]:
    return [len(v.current["data"]) for v in views(explorer)]


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
    assert explorer.view in explorer.children and explorer.timeline in explorer.children
    assert explorer.type_mix in explorer.children and explorer.table in explorer.children
    assert explorer.figure is explorer.view.current
    assert n_traces(explorer) == [len(TYPES) + 1, 3, 1]
    assert ("Mali (MLI)", "MLI") in explorer.country_select.options  # names beside codes


def test_explorer_map_draws_offline(explorer):
    # plotly.js and the base map come from the course's own server extension or the dashboard's folder
    assert explorer.view._asset_folders == ASSET_FOLDERS == ["course-lib/", "voila/static/"]
    assert all(v.get_state()["_asset_folders"] == ASSET_FOLDERS for v in views(explorer))
    assert "cdn" not in FigureView._esm.lower() and "https://" not in FigureView._esm
    assert "topojsonURL: assets" in FigureView._esm  # the map is fetched from the same folder


def test_group_choice_changes_every_figure_and_the_table(explorer, synthetic):
    before = [plain(v.current)["data"] for v in views(explorer)]
    chosen = ("g0003", "g0011")
    explorer.group_select.value = chosen
    expected = int(synthetic["group_id"].isin(chosen).sum())
    assert count_in(explorer.timeline) == expected
    assert int(sum(plain(explorer.type_mix.current)["data"][0]["x"])) == expected
    assert map_total(explorer.view) == expected
    after = [plain(v.current)["data"] for v in views(explorer)]
    assert all(a != b for a, b in zip(after, before))
    assert f"Showing the first 50 of {expected:,} matching attacks" in explorer.table.value
    assert explorer.table.value.count("<tr>") == 51  # header + 50 rows
    assert "groups: g0003, g0011" in explorer.summary.value
    for column in TABLE_COLUMNS:
        assert f"<th scope='col'>{column}</th>" in explorer.table.value


def test_year_range_narrows_the_timeline_axis_and_counts(explorer, synthetic):
    explorer.year_slider.value = (2000, 2004)
    assert plain(explorer.timeline.current)["data"][0]["x"] == [2000, 2001, 2002, 2003, 2004]
    expected = int(synthetic["date_start"].dt.year.between(2000, 2004).sum())
    assert count_in(explorer.timeline) == expected
    assert map_total(explorer.view) == expected
    assert explorer.timeline.current["layout"]["xaxis"]["range"] == [1999.4, 2004.6]
    assert "years 2000–2004" in explorer.summary.value


def test_attack_type_choice_leaves_only_those_types(explorer, synthetic):
    explorer.type_select.value = ("bombing", "hijacking")
    mix = plain(explorer.type_mix.current)["data"][0]
    counts = dict(zip(mix["y"], mix["x"]))
    assert {k for k, v in counts.items() if v} == {"bombing", "hijacking"}
    assert counts["bombing"] == int((synthetic["attack_type"] == "bombing").sum())
    shown = {t["name"] for t in plain(explorer.view.current)["data"] if t["lon"]}
    assert shown and shown <= {"bombing", "hijacking", "several types"}


def test_evidence_threshold_drops_weaker_rows(explorer, synthetic):
    explorer.evidence_control.value = "verified"
    assert count_in(explorer.timeline) == int((synthetic["evidence_level"] == "verified").sum())
    explorer.evidence_control.value = "reported"
    assert count_in(explorer.timeline) == int((synthetic["evidence_level"] >= "reported").sum())


def test_country_choice(explorer, synthetic):
    explorer.country_select.value = ("MLI",)
    expected = int((synthetic["country"] == "MLI").sum())
    assert count_in(explorer.timeline) == expected
    assert "countries: Mali (MLI)" in explorer.summary.value
    assert "<td>Mali (MLI)</td>" in explorer.table.value and "(AFG)</td>" not in explorer.table.value


def test_updates_are_patches_and_equal_a_fresh_build(explorer, monkeypatch):
    sent = {id(v): [] for v in views(explorer)}
    for v in views(explorer):
        monkeypatch.setattr(v, "send", sent[id(v)].append)
    shown = views(explorer)
    explorer.group_select.value = ("g0001", "g0002", "g0005")
    explorer.year_slider.value = (1995, 2015)
    explorer.evidence_control.value = "reported"
    assert views(explorer) == shown  # the same widgets, redrawn in place
    for v in shown:
        assert sent[id(v)] and all(m["type"] == "patch" for m in sent[id(v)])
    sel = explorer.selection
    mask = sel.mask(explorer.filters())
    fresh = (attack_map(sel, mask), attack_timeline(sel, mask, (1995, 2015)), attack_type_mix(sel, mask))
    for view, figure in zip(shown, fresh):
        assert plain(view.current) == plain(figure)


def test_nothing_matching_shows_the_empty_state_and_comes_back(explorer):
    explorer.group_select.value = ("g0001",)
    explorer.type_select.value = ("hijacking",)
    explorer.year_slider.value = (1990, 1990)
    explorer.evidence_control.value = "verified"
    if explorer.selection.mask(explorer.filters()).any():  # pragma: no cover - depends on the seed
        pytest.skip("the synthetic data happen to match")
    assert n_traces(explorer) == [0, 0, 0]
    assert summary_of(explorer.figure) == "No attacks match the current selection."
    assert "No attacks match the current selection." in explorer.table.value
    explorer.reset()
    assert n_traces(explorer) == [len(TYPES) + 1, 3, 1]
    assert count_in(explorer.timeline) == explorer.selection.n
    assert explorer.figure["layout"]["geo"]["resolution"] == 110


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
    assert n == len(load_attacks()) > 0
    assert (
        f"{n:,} matching attack" in explorer.table.value
        or f"of {n:,} matching attacks" in explorer.table.value
    )
    assert explorer.figure["layout"]["title"]["text"] == MAP_TITLE


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
    assert n_traces(explorer) == [0, 0, 0]
    assert "No attacks match the current selection." in explorer.table.value
    explorer.evidence_control.value = "verified"  # still no error
    assert summary_of(explorer.type_mix.current) == "No attacks match the current selection."


def test_the_figures_sent_to_the_browser_are_plain_json(explorer):
    for view in views(explorer):
        json.dumps(view.current, allow_nan=False)  # no numpy values and no NaN left
