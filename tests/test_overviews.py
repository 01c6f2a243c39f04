"""The kernel-free overviews: every state the explorer could show, precomputed into plotly's own controls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_table, plain

from benchmarks.synthetic import synthetic_attacks
from course_lib import load_course
from course_lib.attacks import AttackSelection
from course_lib.network import AllianceModel
from course_lib.plots import (
    arsenal_heatmap,
    arsenal_overview,
    attack_overview,
    network_figure,
    network_overview,
    summary_of,
)
from course_lib.plots.network import Drawing, tie_hover_texts
from course_lib.vocab import EVIDENCE_LEVELS


@pytest.fixture(scope="module")
def course() -> dict[str, pd.DataFrame]:
    return load_course()


# ----------------------------------------------------------------------------- network
def alliances_fixture() -> pd.DataFrame:
    rows = [
        ("ab", "a", "b", "ally", "strategic", "2001", "", "2003"),
        ("bc", "b", "c", "armed_conflict", "tactical", "2002", "2004", ""),
        ("cd", "c", "d", "support", "", "2004", "", "2004"),
        ("da", "d", "a", "split", "both", "2003-05", "", ""),
    ]
    cols = ["alliance_id", "group_a", "group_b", "relation", "level", "start", "end", "observed"]
    table = {c: [r[i] for r in rows] for i, c in enumerate(cols)}
    n = len(rows)
    return make_table(
        "alliances", **table, source_id=["s"] * n, locator=["p"] * n, evidence_level=["reported"] * n
    )


@pytest.mark.parametrize("source", ["fixture", "bundled"])
def test_network_overview_has_a_step_per_year_drawing_that_year(course, source):
    alliances = alliances_fixture() if source == "fixture" else course["alliances"]
    groups = {"a": "Alpha", "b": "Beta"} if source == "fixture" else course["groups"]
    model = AllianceModel(alliances)
    assert model.years
    fig = network_overview(model, groups, horizon=2)
    shown = plain(fig)
    (slider,) = shown["layout"]["sliders"]
    assert [s["label"] for s in slider["steps"]] == [str(y) for y in model.years]
    assert slider["active"] == len(model.years) - 1  # opens on the last year, as drawn
    hover = np.array(
        tie_hover_texts(
            model.alliances,
            groups if isinstance(groups, dict) else dict(zip(groups["group_id"], groups["name"])),
        ),
        dtype=object,
    )
    years = (
        model.years
        if source == "fixture"
        else model.years[:: max(1, len(model.years) // 6)] + model.years[-1:]
    )
    d = Drawing(model, groups)
    n_lines = len(d.line_kinds)
    assert n_lines and len(d.relations) == len(set(alliances["relation"]))
    for year in years:
        step = slider["steps"][model.years.index(year)]
        drawn = plain(
            network_figure(
                model,
                model.mask(str(year)),
                groups,
                when=str(year),
                as_of=str(year),
                horizon=2,
                hovertext=hover,
            )
        )
        restyle, relayout, moving = step["args"]
        assert step["method"] == "update"
        # a step moves the line traces, the tie midpoints and the groups; never the legend entries
        assert moving == [*range(n_lines), len(shown["data"]) - 2, len(shown["data"]) - 1]
        for i in range(n_lines):  # the same ties, joining the same groups, as the explorer draws
            assert ends(restyle["x"][i], restyle["y"][i]) == ends(
                drawn["data"][i]["x"], drawn["data"][i]["y"]
            ), (year, i)
        tie_x, node_x, node_y = restyle["x"][-2], restyle["x"][-1], restyle["y"][-1]
        (tie_markers,) = [t for t in drawn["data"] if t["name"] == "Tie details (hover)"]
        assert tie_x == tie_markers["x"]  # the same ties, at the same places
        drawn_nodes = drawn["data"][-1]
        assert points(node_x, node_y) == points(drawn_nodes["x"], drawn_nodes["y"])
        assert relayout == {
            "title.text": drawn["layout"]["title"]["text"],
            "meta.summary": drawn["layout"]["meta"]["summary"],
        }
    # the figure first shows the last year; every relation of the table is in the legend, whatever the year
    last_args = slider["steps"][-1]["args"][0]
    assert [t.get("x") for t in shown["data"][:n_lines]] == last_args["x"][:n_lines]
    entries = shown["data"][n_lines : n_lines + len(d.relations)]
    assert all(t["x"] == [None] for t in entries)
    assert sorted(t["legendgroup"] for t in entries if t["showlegend"]) == sorted(set(alliances["relation"]))


def ends(x: list, y: list) -> list:
    """The end points of the segments of a line trace (a, middle, b, gap per tie), sorted."""
    return sorted((x[k], y[k], x[k + 2], y[k + 2]) for k in range(0, len(x or []) - 3, 4))


def points(x: list, y: list) -> set:
    return {(a, b) for a, b in zip(x, y) if a is not None}


def test_network_overview_with_no_dated_tie_says_so():
    undated = alliances_fixture().assign(start=None, end=None, observed=None)
    fig = network_overview(AllianceModel(undated.iloc[:0]))
    assert len(fig.data) == 0 and summary_of(fig) == "The table has no dated ties."


# ----------------------------------------------------------------------------- attacks
@pytest.fixture(scope="module")
def synthetic() -> AttackSelection:
    return AttackSelection(synthetic_attacks(3_000, n_groups=20, n_places=200, seed=5), None)


def test_attack_overview_has_a_legend_entry_per_group_and_other_groups(synthetic):
    sel = synthetic
    fig = plain(attack_overview(sel))
    maps = [t for t in fig["data"] if t["type"] == "scattergeo"]
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    counts = pd.Series(sel.frame["group_id"].astype(str)).value_counts()
    top = list(counts.index[:8])
    assert [t["name"] for t in maps] == [*top, "other groups"]
    assert all(t.get("showlegend", True) for t in maps) and not any(t["showlegend"] for t in bars)
    assert [t["legendgroup"] for t in maps] == [t["legendgroup"] for t in bars]  # one click hides both panels
    assert sum(sum(t["marker"]["size"]) for t in maps) == sel.n  # every attack, by place
    assert sum(sum(t["y"]) for t in bars) == int(sel.has_year.sum())
    other = maps[-1]
    assert sum(other["marker"]["size"]) == int(counts.iloc[8:].sum())
    fewer = plain(attack_overview(sel, max_groups=3))
    assert [t["name"] for t in fewer["data"] if t["type"] == "scattergeo"] == [*top[:3], "other groups"]


def test_attack_overview_without_other_groups(synthetic):
    frame = synthetic.frame[synthetic.frame["group_id"].isin(["g0001", "g0002"])]
    fig = plain(
        attack_overview(AttackSelection(frame, pd.DataFrame({"group_id": ["g0001"], "name": ["One"]})))
    )
    names = [t["name"] for t in fig["data"] if t["type"] == "scattergeo"]
    assert sorted(names) == ["One", "g0002"]  # registry names where there are some; no "other groups"


def test_attack_overview_slider_has_all_years_then_each_year(synthetic):
    sel = synthetic
    fig = plain(attack_overview(sel))
    (slider,) = fig["layout"]["sliders"]
    first, last = sel.year_range
    assert [s["label"] for s in slider["steps"]] == ["all years", *map(str, range(first, last + 1))]
    n_maps = sum(t["type"] == "scattergeo" for t in fig["data"])
    for step in slider["steps"]:
        restyle, traces = step["args"]
        assert step["method"] == "restyle" and traces == list(range(n_maps))
        shown = sum(sum(sizes) for sizes in restyle["marker.size"])
        if step["label"] == "all years":
            assert shown == sel.n
        else:
            assert shown == int(sel.mask(years=(int(step["label"]),) * 2).sum())
        assert [len(lon) for lon in restyle["lon"]] == [len(s) for s in restyle["marker.size"]]


def test_attack_overview_on_the_bundled_and_an_empty_table(course):
    sel = AttackSelection(course["attacks"], course["groups"])
    fig = plain(attack_overview(sel))
    names = [t["name"] for t in fig["data"] if t["type"] == "scattergeo"]
    assert 1 <= len(names) <= 9 and len(set(names)) == len(names)
    assert ("other groups" in names) == (course["attacks"]["group_id"].nunique() > 8)
    empty = attack_overview(AttackSelection(course["attacks"].iloc[:0], course["groups"]))
    assert len(empty.data) == 0 and summary_of(empty) == "The table has no attacks."


# ----------------------------------------------------------------------------- arsenal
@pytest.mark.parametrize("source", ["fixture", "bundled"])
def test_arsenal_overview_has_a_button_per_level_with_the_heatmap_of_that_level(course, source):
    if source == "bundled":
        arsenals, groups = course["arsenals"], course["groups"]
    else:
        arsenals = make_table(
            "arsenals",
            arsenal_id=["r0", "r1", "r2", "r3"],
            group_id=["aqim", "aqim", "mali", "isk"],
            category=["small_arms", "small_arms", "artillery", "explosives"],
            item=["a", "b", "c", "d"],
            evidence_level=["verified", "suspected", "reported", "suspected"],
            source_id=["s"] * 4,
            locator=["p"] * 4,
        )
        groups = {"aqim": "AQIM"}
    fig = plain(arsenal_overview(arsenals, groups))
    (menu,) = fig["layout"]["updatemenus"]
    assert [b["label"] for b in menu["buttons"]] == [f"≥ {lv}" for lv in EVIDENCE_LEVELS]
    for button, level in zip(menu["buttons"], EVIDENCE_LEVELS):
        heat = arsenal_heatmap(arsenals, level, groups=groups)
        restyle, relayout = button["args"]
        if len(heat.data):
            expected = plain(heat)["data"][0]
            assert restyle["z"] == [expected["z"]] and restyle["text"] == [expected["text"]], level
            assert restyle["customdata"] == [expected["customdata"]]
            assert relayout == {"meta.summary": summary_of(heat)}
        else:  # nothing at that level: every cell empty, axes kept
            assert all(v is None for row in restyle["z"][0] for v in row)
    z = [b["args"][0]["z"][0] for b in menu["buttons"]]
    assert z[0] != z[-1]  # the levels do differ: the comparison above is not between equal states
    assert fig["data"][0]["z"] == plain(arsenal_heatmap(arsenals, groups=groups))["data"][0]["z"]


def test_arsenal_overview_of_an_empty_table(course):
    fig = arsenal_overview(course["arsenals"].iloc[:0])
    assert len(fig.data) == 0 and summary_of(fig) == "The arsenals table has no rows."
