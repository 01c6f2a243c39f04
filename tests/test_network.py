"""The alliance network model: which ties hold when, the filters, the graph and the layout."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from conftest import make_table

from benchmarks.synthetic import synthetic_alliances
from course_lib import load_alliances
from course_lib.dates import date_bounds
from course_lib.groups import UnknownGroupError
from course_lib.network import (
    EVENT_RELATIONS,
    AllianceModel,
    alliance_graph,
    holding_intervals,
    stable_layout,
    ties_between,
    ties_on,
)
from course_lib.schema import load_schema

DEFAULTS = {"relation": "ally", "source_id": "src", "locator": "p. 1", "evidence_level": "reported"}


def make_alliances(rows: list[dict]) -> pd.DataFrame:
    """An alliances table with exactly the loader's dtypes, from a few dicts of cell text."""
    names = load_schema().table("alliances").field_names
    cols = {f: [str(r.get(f, DEFAULTS.get(f, "")) or "") for r in rows] for f in names}
    cols["alliance_id"] = [r.get("alliance_id", f"t{i}") for i, r in enumerate(rows)]
    return make_table("alliances", **cols)


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
    assert date_bounds("1970-01-01") == (pd.Timestamp("1970-01-01"), pd.Timestamp("1970-01-01"), "1970-01-01")
    with pytest.raises(TypeError, match="date"):
        ties_on(dated)  # the date is required
    with pytest.raises(TypeError, match="partial ISO date"):
        ties_on(dated, 2014.5)
    with pytest.raises(ValueError, match="month 13"):
        ties_on(dated, "2014-13")


def test_undated_rows_never_hold(dated):
    assert "undated" not in ids(ties_between(dated))
    model = AllianceModel(dated)
    assert model.undated == 1
    assert not model.mask(None).tolist()[-1] and sum(model.mask(None)) == len(dated) - 1


def test_holding_intervals_say_what_dates_them(dated):
    iv = holding_intervals(dated).set_index(dated["alliance_id"])
    assert list(iv.columns) == [
        "holds_from",
        "holds_until",
        "last_seen",
        "dated_by",
        "closed_by",
        "closed_on",
    ]
    assert iv.loc["month_start"].tolist() == [
        pd.Timestamp("2014-11-01"),
        pd.Timestamp("2015-02-28"),
        pd.Timestamp("2015-02-28"),
        "start",
        None,
        None,
    ]
    assert iv.loc["year_open", "holds_until"] is pd.NaT
    assert iv.loc["year_open", "last_seen"] is pd.NaT  # no end, no observed date: never said
    assert iv.loc["no_start_obs", "dated_by"] == "observed"
    assert iv.loc["no_start_obs", "last_seen"] == pd.Timestamp("2010-04-19")  # carried forward since
    assert iv.loc["no_start_end", "holds_from"] == pd.Timestamp("2001-01-01")
    assert iv.loc["no_start_end", "dated_by"] == "end"
    assert iv.loc["no_start_end", "last_seen"] == pd.Timestamp("2001-12-31")  # its end, not its observed date
    assert iv.loc["undated", "dated_by"] == "undated"
    assert iv.loc["undated"].isna().sum() == 5
    assert iv.index.tolist() == dated["alliance_id"].tolist()


def test_a_later_row_with_an_end_closes_an_open_tie():
    ties = make_alliances(
        [
            {"alliance_id": "open", "group_a": "a", "group_b": "b", "relation": "support", "start": "2010"},
            {
                "alliance_id": "ended",
                "group_a": "a",
                "group_b": "b",
                "relation": "support",
                "end": "2016-05",
                "observed": "2016-05",
            },
            {
                "alliance_id": "other_way",
                "group_a": "b",
                "group_b": "a",
                "relation": "support",
                "end": "2012",
            },
            {"alliance_id": "ally_open", "group_a": "b", "group_b": "c", "relation": "ally", "start": "2011"},
            {"alliance_id": "ally_ended", "group_a": "c", "group_b": "b", "relation": "ally", "end": "2014"},
            {
                "alliance_id": "too_early",
                "group_a": "c",
                "group_b": "d",
                "relation": "rival",
                "start": "2015",
            },
            {
                "alliance_id": "ended_before",
                "group_a": "c",
                "group_b": "d",
                "relation": "rival",
                "end": "2013",
            },
            {
                "alliance_id": "episode",
                "group_a": "d",
                "group_b": "e",
                "relation": "host",
                "start": "2020-03",
            },
            {
                "alliance_id": "same_episode",
                "group_a": "d",
                "group_b": "e",
                "relation": "host",
                "start": "2020",
                "end": "2021",
            },
            {
                "alliance_id": "old_case",
                "group_a": "e",
                "group_b": "f",
                "relation": "support",
                "start": "1998",
            },
            {
                "alliance_id": "other_case",
                "group_a": "e",
                "group_b": "f",
                "relation": "support",
                "start": "2001",
                "end": "2002",
            },
        ]
    )
    iv = holding_intervals(ties).set_index(ties["alliance_id"])
    # support has a direction: b → a's end does not close a → b; the same direction's does, at its end
    assert iv.loc["open", "closed_by"] == "ended" and iv.loc["open", "holds_until"] == pd.Timestamp(
        "2016-05-31"
    )
    assert iv.loc["open", "last_seen"] == pd.Timestamp("2016-05-31")
    # ally reads both ways: c–b's end closes b–c
    assert iv.loc["ally_open", "closed_by"] == "ally_ended"
    # a row of the same episode (starting when the open tie starts) closes it; one of another does not
    assert iv.loc["episode", "closed_by"] == "same_episode" and iv.loc["episode", "closed_on"] == "2021"
    assert pd.isna(iv.loc["old_case", "closed_by"]) and iv.loc["old_case", "holds_until"] is pd.NaT
    # an end before the open tie begins closes nothing
    assert pd.isna(iv.loc["too_early", "closed_by"]) and iv.loc["too_early", "holds_until"] is pd.NaT
    assert ids(ties_on(ties, "2017")) == ["too_early", "old_case"]


def test_an_open_tie_was_last_seen_when_its_source_was_published():
    ties = make_alliances(
        [
            {"alliance_id": "open", "group_a": "a", "group_b": "b", "start": "2001"},
            {"alliance_id": "observed", "group_a": "a", "group_b": "c", "start": "2001", "observed": "2005"},
        ]
    ).assign(source_published=["2012", "2012-12-31"])
    iv = holding_intervals(ties).set_index(ties["alliance_id"])
    assert iv["last_seen"].tolist() == [pd.Timestamp("2012-12-31"), pd.Timestamp("2005-12-31")]
    assert AllianceModel(ties, positions={}).unseen_for("2020").tolist() == [7, 14]
    loaded = load_alliances()
    assert loaded["source_published"].notna().any()


def test_unseen_for_counts_whole_years_since_a_source_saw_the_tie(dated):
    model = AllianceModel(dated, positions={})
    gap = dict(zip(dated["alliance_id"], model.unseen_for("2016-04-19").tolist()))
    assert gap["no_start_obs"] == 6  # observed 2010-04-19, carried forward since
    assert gap["month_start"] == 1  # ended 2015-02
    assert gap["year_open"] == 0 and gap["undated"] == 0  # no date says when seen: not counted as unseen
    assert dict(zip(dated["alliance_id"], model.unseen_for("2010").tolist()))["no_start_obs"] == 0


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
    model = AllianceModel(ties, positions={})
    event = ties["relation"].isin(EVENT_RELATIONS) & ties["end"].isna()
    last = ties["end_end"].where(~event, ties["start_end"])
    for day in ["1989-12-31", "1995-06-15", "2003-01-01", "2010-12-31", "2024-12-31", "2030-01-01"]:
        t = pd.Timestamp(day)
        expected = ties[(ties["start_start"] <= t) & ~(last < t)]
        assert ids(ties_on(ties, day)) == ids(expected)
        assert ids(ties[model.mask(day)]) == ids(expected)
    lo, hi = pd.Timestamp("2000-01-01"), pd.Timestamp("2004-12-31")
    expected = ties[(ties["start_start"] <= hi) & ~(last < lo)]
    assert ids(ties_between(ties, "2000", "2004")) == ids(expected)
    assert ids(ties[model.mask(start="2000", end="2004")]) == ids(expected)


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
    with pytest.raises(ValueError, match="level must be one of all, strategic"):
        ties_on(mixed, "2011", level="operational")


def test_evidence_threshold(mixed):
    assert len(ties_on(mixed, "2011", min_evidence="suspected")) == len(mixed)
    assert "rumour" not in ids(ties_on(mixed, "2011", min_evidence="reported"))
    assert ids(ties_on(mixed, "2011", min_evidence="verified")) == ["war"]
    with pytest.raises(ValueError, match="min_evidence must be one of suspected"):
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
    model = AllianceModel(mixed)
    assert ids(mixed[model.mask("2011", relations=["ally"], level="tactical", focus="b")]) == ["both"]


def test_the_bundled_table_needs_to_be_passed():
    with pytest.raises(TypeError):
        ties_between()  # tables are arguments: nothing is loaded behind the caller's back
    alliances = load_alliances()
    frame = ties_between(alliances)
    assert len(frame) == int(AllianceModel(alliances, positions={}).dated.sum()) > 0  # every dated row
    years = AllianceModel(alliances, positions={}).years
    assert years
    for year in (years[0], years[len(years) // 2], years[-1]):
        assert set(ties_on(alliances, year)["alliance_id"]) <= set(frame["alliance_id"])


# ----------------------------------------------------------------------------- graph and layout


def test_alliance_graph_is_a_multigraph_with_attributes(mixed):
    groups = pd.DataFrame(
        {"group_id": ["a", "b"], "name": ["Alpha", "Beta"], "kind": ["militia", "government"]}
    )
    extra = make_alliances([{"alliance_id": "again", "group_a": "a", "group_b": "b", "relation": "rival"}])
    ties = pd.concat([mixed, extra], ignore_index=True)
    g = alliance_graph(ties, groups)
    assert isinstance(g, nx.MultiDiGraph) and g.is_directed()
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
    assert g.nodes["a"] == {"name": "Alpha"}
    assert g.nodes["d"] == {"name": "d"}  # not in the registry: named by its id
    assert g.number_of_edges("b", "a") == 0 and g.number_of_edges("a", "b") == 2  # directed: a → b
    assert sorted(alliance_graph(ties).nodes) == ["a", "b", "c", "d", "islamic_state"]  # no registry: ids


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
    two = make_alliances([{"group_a": "a", "group_b": "b", "start": "2000"}])
    pos = stable_layout(two)
    assert set(pos) == {"a", "b"} and pos["a"] != pos["b"]


def test_positions_stay_put_whatever_the_date_or_filter():
    ties = synthetic_alliances(n_groups=25, n_ties=60, seed=2)
    model = AllianceModel(ties, seed=0)
    before = dict(model.positions)
    for year in ("1991", "2005", "2020"):
        model.mask(year, relations=["ally"], min_evidence="verified")
    assert model.positions == before == stable_layout(ties, seed=0)
    # positions for every group that ever has a tie, even one with no tie on a given date
    assert set(model.positions) == set(model.group_ids)


def test_model_arrays_and_years(dated):
    model = AllianceModel(dated)
    assert model.years == list(range(2001, 2016))  # from the first day a tie holds to the last date given
    assert list(model.group_ids) == ["a", "b", "c", "d"]
    assert list(model.a_ids) == dated["group_a"].tolist() and list(model.b_ids) == dated["group_b"].tolist()
    assert set(model.positions) == {"a", "b", "c", "d"}
    given = {"a": (0.5, 0.5)}
    assert AllianceModel(dated, positions=given).positions == given  # taken as given, for a caller that draws
    empty = AllianceModel(dated.iloc[:0])
    assert empty.years == [] and empty.positions == {} and empty.undated == 0
    assert not empty.mask("2001").any()


def test_the_model_accepts_a_table_with_any_index(mixed):
    shuffled = mixed.sample(frac=1, random_state=0).set_axis(range(100, 100 + len(mixed)))
    model = AllianceModel(shuffled, positions={})
    assert ids(model.alliances[model.mask("2011", focus="c")]) == ids(
        shuffled[shuffled["alliance_id"].isin(["tact", "both", "unspec"])]
    )
    assert ids(ties_on(shuffled, "2011", focus="c")) == ids(model.alliances[model.mask("2011", focus="c")])


def test_no_tie_outlives_its_groups():
    ties = make_alliances(
        [
            {"alliance_id": "open", "group_a": "a", "group_b": "b", "relation": "support", "start": "1998"},
            {
                "alliance_id": "closed_first",
                "group_a": "a",
                "group_b": "c",
                "relation": "ally",
                "start": "1999",
                "end": "2003",
            },
        ]
    ).assign(group_a_ended=[None, None], group_b_ended=["2007", "2001"])
    iv = holding_intervals(ties).set_index(ties["alliance_id"])
    # b ended in 2007: its open tie ends then, and says why
    assert iv.loc["open", "closed_by"] == "group:b" and iv.loc["open", "closed_on"] == "2007"
    assert iv.loc["open", "holds_until"] == pd.Timestamp("2007-12-31")
    assert ids(ties_on(ties, "2008")) == []
    # a tie with its own end keeps it
    assert pd.isna(iv.loc["closed_first", "closed_by"]) and iv.loc[
        "closed_first", "holds_until"
    ] == pd.Timestamp("2003-12-31")
    # the loader joins each group's end
    loaded = load_alliances()
    assert {"group_a_ended", "group_b_ended"} <= set(loaded.columns)
    gspc = loaded["group_b"].eq("gspc") & loaded["end"].isna()
    assert gspc.any() and (loaded.loc[gspc, "group_b_ended"] == "2007").all()
