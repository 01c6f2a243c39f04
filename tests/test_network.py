"""The alliance network model: which ties hold when, the filters, the graph and the layout."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from benchmarks.synthetic import synthetic_alliances, synthetic_groups
from course_lib.data import _frame
from course_lib.groups import UnknownGroupError
from course_lib.network import (
    EVENT_RELATIONS,
    AllianceModel,
    alliance_graph,
    date_range,
    holding_intervals,
    stable_layout,
    ties_between,
    ties_on,
)
from course_lib.schema import load_schema
from course_lib.validate import RawTable

DEFAULTS = {"relation": "ally", "source_id": "src", "locator": "p. 1", "evidence_level": "reported"}


def make_alliances(rows: list[dict]) -> pd.DataFrame:
    """An alliances table with exactly the loader's dtypes, from a few dicts of cell text."""
    table = load_schema().table("alliances")
    cols = {f.name: [str(r.get(f.name, DEFAULTS.get(f.name, "")) or "") for r in rows] for f in table.fields}
    cols["alliance_id"] = [r.get("alliance_id", f"t{i}") for i, r in enumerate(rows)]
    return _frame(RawTable(table, table.path, cols, list(range(2, len(rows) + 2))))


def ids(frame: pd.DataFrame) -> list[str]:
    return frame["alliance_id"].tolist()


# ----------------------------------------------------------------------------- dates


@pytest.fixture
def dated() -> pd.DataFrame:
    return make_alliances(
        [
            {
                "alliance_id": "month_start",
                "group_a": "a",
                "group_b": "b",
                "start": "2014-11",
                "end": "2015-02",
            },
            {"alliance_id": "year_open", "group_a": "a", "group_b": "c", "start": "2001"},
            {
                "alliance_id": "one_day",
                "group_a": "b",
                "group_b": "c",
                "start": "2014-11-03",
                "end": "2014-11-03",
            },
            {"alliance_id": "no_start_obs", "group_a": "c", "group_b": "d", "observed": "2010-04-19"},
            {
                "alliance_id": "no_start_end",
                "group_a": "a",
                "group_b": "d",
                "end": "2001",
                "observed": "2010",
            },
            {"alliance_id": "undated", "group_a": "b", "group_b": "d"},
        ]
    )


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (
            "2014-10-31",
            ["year_open", "no_start_obs"],
        ),  # a partial start holds from its first possible day ...
        ("2014-11-01", ["month_start", "year_open", "no_start_obs"]),
        ("2014-11-03", ["month_start", "year_open", "one_day", "no_start_obs"]),
        ("2015-02-28", ["month_start", "year_open", "no_start_obs"]),  # ... a partial end until its last
        ("2015-03-01", ["year_open", "no_start_obs"]),
        ("2000-12-31", []),
        ("2001-01-01", ["year_open", "no_start_end"]),  # no start, an end: from the end's first day
        ("2001-12-31", ["year_open", "no_start_end"]),
        ("2002-01-01", ["year_open"]),
        ("2010-04-18", ["year_open"]),  # no start, no end: from the observed date on
        ("2010-04-19", ["year_open", "no_start_obs"]),
        ("2099-01-01", ["year_open", "no_start_obs"]),  # an open end holds on every later date
    ],
)
def test_holding_on_a_day(dated, when, expected):
    assert ids(ties_on(dated, when)) == expected


def test_a_year_or_month_means_any_time_in_it(dated):
    assert ids(ties_on(dated, "2014")) == ["month_start", "year_open", "one_day", "no_start_obs"]
    assert ids(ties_on(dated, 2014)) == ids(ties_on(dated, "2014"))
    assert ids(ties_on(dated, "2015-02")) == ["month_start", "year_open", "no_start_obs"]
    assert ids(ties_on(dated, "2010")) == ["year_open", "no_start_obs"]


def test_dates_of_every_kind(dated):
    day = ids(ties_on(dated, "2014-11-03"))
    assert ids(ties_on(dated, dt.date(2014, 11, 3))) == day
    assert ids(ties_on(dated, pd.Timestamp("2014-11-03"))) == day
    assert ids(ties_on(dated, np.datetime64("2014-11-03"))) == day
    assert date_range("1970-01-01") == (0, 0)
    with pytest.raises(TypeError, match="needs a date"):
        ties_on(dated)
    with pytest.raises(TypeError, match="partial ISO date"):
        ties_on(dated, 2014.5)
    with pytest.raises(ValueError, match="month 13"):
        ties_on(dated, "2014-13")


def test_undated_rows_never_hold(dated):
    assert "undated" not in ids(ties_between(dated))
    model = AllianceModel(dated, ["a", "b", "c", "d"])
    assert model.undated == 1


def test_holding_intervals_say_what_dates_them(dated):
    iv = holding_intervals(dated).set_index(dated["alliance_id"])
    assert iv.loc["month_start"].tolist() == [pd.Timestamp("2014-11-01"), pd.Timestamp("2015-02-28"), "start"]
    assert iv.loc["year_open", "holds_until"] is pd.NaT
    assert iv.loc["no_start_obs", "dated_by"] == "observed"
    assert iv.loc["no_start_end", "holds_from"] == pd.Timestamp("2001-01-01")
    assert iv.loc["no_start_end", "dated_by"] == "end"
    assert iv.loc["undated", "dated_by"] == "undated"
    assert iv.loc["undated"].isna().sum() == 2


def test_periods_keep_ties_that_overlap(dated):
    assert ids(ties_between(dated, "2015-02-28", "2016")) == ["month_start", "year_open", "no_start_obs"]
    assert ids(ties_between(dated, "2015-03", "2016")) == ["year_open", "no_start_obs"]
    assert ids(ties_between(dated, None, "2001-06")) == ["year_open", "no_start_end"]
    assert ids(ties_between(dated, "2002", None)) == [
        "month_start",
        "year_open",
        "one_day",
        "no_start_obs",
    ]
    assert ids(ties_between(dated, "2014", "2014")) == ids(ties_on(dated, "2014"))
    with pytest.raises(ValueError, match="after it ends"):
        ties_between(dated, "2015", "2014")


def test_matches_a_plain_pandas_reading_on_synthetic_data():
    ties = synthetic_alliances(n_groups=40, n_ties=400, seed=3)
    model = AllianceModel(ties, synthetic_groups(40))
    event = ties["relation"].isin(EVENT_RELATIONS) & ties["end"].isna()
    last = ties["end_end"].where(~event, ties["start_end"])
    for day in ["1989-12-31", "1995-06-15", "2003-01-01", "2010-12-31", "2024-12-31", "2030-01-01"]:
        t = pd.Timestamp(day)
        expected = ties[(ties["start_start"] <= t) & ~(last < t)]
        assert ids(ties_on(ties, day)) == ids(expected)
        assert ids(model.ties_on(day)) == ids(expected)
    lo, hi = pd.Timestamp("2000-01-01"), pd.Timestamp("2004-12-31")
    expected = ties[(ties["start_start"] <= hi) & ~(last < lo)]
    assert ids(ties_between(ties, "2000", "2004")) == ids(expected)
    assert ids(model.ties_between("2000", "2004")) == ids(expected)


# ----------------------------------------------------------------------------- filters


@pytest.fixture
def mixed() -> pd.DataFrame:
    common = {"start": "2010"}
    return make_alliances(
        [
            {"alliance_id": "strat", "group_a": "a", "group_b": "b", "level": "strategic", **common},
            {"alliance_id": "tact", "group_a": "a", "group_b": "c", "level": "tactical", **common},
            {"alliance_id": "both", "group_a": "b", "group_b": "c", "level": "both", **common},
            {"alliance_id": "unspec", "group_a": "c", "group_b": "d", "level": "unspecified", **common},
            {"alliance_id": "blank", "group_a": "d", "group_b": "a", **common},
            {
                "alliance_id": "war",
                "group_a": "islamic_state",
                "group_b": "a",
                "relation": "armed_conflict",
                "evidence_level": "verified",
                **common,
            },
            {
                "alliance_id": "rumour",
                "group_a": "b",
                "group_b": "islamic_state",
                "relation": "truce",
                "evidence_level": "suspected",
                **common,
            },
        ]
    )


def test_relation_filter(mixed):
    assert ids(ties_on(mixed, "2011", relations=["truce", "armed_conflict"])) == ["war", "rumour"]
    assert ids(ties_on(mixed, "2011", relations="truce")) == ["rumour"]
    assert ids(ties_on(mixed, "2011", relations=[])) == []
    with pytest.raises(ValueError, match="relations must be among affiliate, ally"):
        ties_on(mixed, "2011", relations=["friendship"])


def test_level_filter(mixed):
    assert ids(ties_on(mixed, "2011", level="strategic")) == ["strat", "both"]
    assert ids(ties_on(mixed, "2011", level="tactical")) == ["tact", "both"]
    assert ids(ties_on(mixed, "2011", level="unspecified")) == ["unspec", "blank", "war", "rumour"]
    assert len(ties_on(mixed, "2011", level="all")) == len(mixed)
    with pytest.raises(ValueError, match="level must be among all, strategic"):
        ties_on(mixed, "2011", level="operational")


def test_evidence_threshold(mixed):
    assert len(ties_on(mixed, "2011", min_evidence="suspected")) == len(mixed)
    assert "rumour" not in ids(ties_on(mixed, "2011", min_evidence="reported"))
    assert ids(ties_on(mixed, "2011", min_evidence="verified")) == ["war"]
    with pytest.raises(ValueError, match="min_evidence must be among suspected"):
        ties_on(mixed, "2011", min_evidence="certain")


def test_focus_on_a_group_and_its_ties(mixed):
    assert ids(ties_on(mixed, "2011", focus="c")) == ["tact", "both", "unspec"]
    assert ids(ties_on(mixed, "2011", focus="all")) == ids(mixed)
    # a name or alias from the registry works too
    assert ids(ties_on(mixed, "2011", focus="ISIS")) == ["war", "rumour"]
    assert ids(ties_on(mixed, "2011", focus="Al-Qaeda")) == []  # in the registry, but no tie here
    with pytest.raises(UnknownGroupError, match="did you mean"):
        ties_on(mixed, "2011", focus="Islamic Stat")


def test_filters_combine(mixed):
    got = ties_on(mixed, "2011", relations=["ally"], level="tactical", focus="b")
    assert ids(got) == ["both"]
    model = AllianceModel(mixed, ["a", "b", "c", "d", "islamic_state"])
    assert ids(model.ties_on("2011", relations=["ally"], level="tactical", focus="b")) == ["both"]


def test_bundled_table_works_without_arguments():
    frame = ties_between()
    assert set(frame.columns) >= {"alliance_id", "group_a", "group_b", "relation"}
    assert len(ties_on(None, "2014")) <= len(frame)


# ----------------------------------------------------------------------------- graph and layout


def test_alliance_graph_is_a_multigraph_with_attributes(mixed):
    groups = pd.DataFrame(
        {"group_id": ["a", "b"], "name": ["Alpha", "Beta"], "kind": ["militia", "government"]}
    )
    extra = make_alliances([{"alliance_id": "again", "group_a": "a", "group_b": "b", "relation": "rival"}])
    ties = pd.concat([mixed, extra], ignore_index=True)
    g = alliance_graph(ties, groups)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_edges() == len(ties)
    assert sorted(g["a"]["b"]) == ["again", "strat"]  # parallel edges keyed by alliance_id
    edge = g.edges["a", "b", "strat"]
    assert (edge["relation"], edge["level"], edge["evidence_level"], edge["source_id"]) == (
        "ally",
        "strategic",
        "reported",
        "src",
    )
    assert edge["start"] == "2010" and edge["end"] is None
    assert g.nodes["a"] == {"name": "Alpha", "kind": "militia"}
    assert g.nodes["d"] == {"name": "d", "kind": "other"}  # not in the registry: named by its id
    undirected = alliance_graph(ties, groups, directed=False)
    assert isinstance(undirected, nx.MultiGraph) and not undirected.is_directed()
    assert undirected.number_of_edges("b", "a") == 2


def test_layout_is_deterministic_and_covers_every_group():
    ties = synthetic_alliances(n_groups=30, n_ties=80, seed=1)
    pos = stable_layout(ties, seed=4)
    assert set(pos) == set(ties["group_a"]) | set(ties["group_b"])
    assert pos == stable_layout(ties.sample(frac=1, random_state=2), seed=4)  # row order does not matter
    assert pos != stable_layout(ties, seed=5)
    xy = np.array(list(pos.values()))
    assert np.abs(xy).max() <= 1.0
    assert len({tuple(p) for p in xy}) == len(xy)  # no two groups on one spot


def test_layout_edge_cases():
    assert stable_layout(make_alliances([]).iloc[:0]) == {}
    one = make_alliances([{"group_a": "a", "group_b": "a", "start": "2000"}])
    assert stable_layout(one) == {"a": (0.0, 0.0)}
    pos = stable_layout(one, groups=["b", "c"])
    assert set(pos) == {"a", "b", "c"}


def test_positions_stay_put_whatever_the_date_or_filter():
    ties = synthetic_alliances(n_groups=25, n_ties=60, seed=2)
    model = AllianceModel(ties, synthetic_groups(25), seed=0)
    before = dict(model.positions)
    for year in ("1991", "2005", "2020"):
        model.mask(year, relations=["ally"], min_evidence="verified")
    assert model.positions == before == stable_layout(ties, seed=0)
    # positions for every group that ever has a tie, even one with no tie on a given date
    assert set(model.positions) == set(model.group_ids)


def test_model_arrays_and_years(dated):
    model = AllianceModel(dated, pd.DataFrame({"group_id": ["a"], "name": ["Alpha"], "kind": ["militia"]}))
    assert model.years[0] == 2001 and model.years[-1] == 2015
    assert model.name_of("a") == "Alpha" and model.name_of("b") == "b"
    assert model.xy.shape == (4, 2)
    assert list(model.group_ids[model.a]) == dated["group_a"].tolist()
    with pytest.raises(ValueError, match="no place for"):
        AllianceModel(dated, ["a"], positions={"a": (0, 0)})
    empty = AllianceModel(dated.iloc[:0], ["a"])
    assert empty.years == [] and empty.positions == {}
