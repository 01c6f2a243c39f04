"""The attack explorer's model: filters agree with pandas, aggregates keep ranges as ranges."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from benchmarks.synthetic import synthetic_attacks
from course_lib import load_attacks, load_groups
from course_lib.attacks import AttackSelection, Filters
from course_lib.schema import load_schema
from course_lib.vocab import format_range

NO_NAMES = pd.DataFrame({"group_id": pd.Series([], dtype="str"), "name": pd.Series([], dtype="str")})
ENUM = {f.name: list(f.enum) for f in load_schema().table("attacks").fields if f.enum}


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return synthetic_attacks(3_000, n_groups=40, n_places=300, seed=3)


@pytest.fixture(scope="module")
def sel(synthetic) -> AttackSelection:
    return AttackSelection(synthetic, groups=NO_NAMES)


def frame(rows: list[dict]) -> pd.DataFrame:
    """A small attacks table with the loaders' dtypes; unspecified cells are empty."""
    base = {
        "attack_id": None,
        "date": None,
        "group_id": "aqim",
        "country": "DZA",
        "admin1": None,
        "place": None,
        "latitude": np.nan,
        "longitude": np.nan,
        "geo_precision": None,
        "attack_type": "bombing",
        "killed_low": None,
        "killed_high": None,
        "source_id": "rand2013",
        "locator": "p. 1",
        "evidence_level": "reported",
    }
    full = [{**base, "attack_id": f"a{i}", **row} for i, row in enumerate(rows)]
    out = pd.DataFrame(full)
    out["date_start"] = pd.to_datetime([r["date"] for r in full], format="mixed")
    for col in ("attack_id", "date", "group_id", "country", "admin1", "place", "source_id", "locator"):
        out[col] = out[col].astype("str").where(out[col].notna(), None).astype("str")
    for col in ("killed_low", "killed_high"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    for col in ("geo_precision", "attack_type"):
        out[col] = pd.Categorical(out[col], categories=ENUM[col])
    out["evidence_level"] = pd.Categorical(
        out["evidence_level"], categories=ENUM["evidence_level"], ordered=True
    )
    return out


@pytest.fixture
def small() -> pd.DataFrame:
    return frame(
        [
            # Algiers: two bombings, one with an open range
            dict(
                date="2007-04-11",
                place="Algiers",
                latitude=36.75,
                longitude=3.06,
                killed_low=33,
                killed_high=33,
            ),
            dict(date="2007", place="Algiers", latitude=36.75, longitude=3.06, killed_low=12),
            # In Amenas: one hostage taking, range 37–40
            dict(
                date="2013-01",
                group_id="mua",
                place="In Amenas",
                latitude=28.05,
                longitude=9.55,
                attack_type="hostage_barricade",
                killed_low=37,
                killed_high=40,
                evidence_level="verified",
            ),
            # Mali, country level: an armed assault and a kidnapping, killed not stated
            dict(
                date="2013-02",
                group_id="mua",
                country="MLI",
                latitude=17.57,
                longitude=-3.99,
                geo_precision="country",
                attack_type="armed_assault",
                evidence_level="suspected",
            ),
            dict(
                date="2013-03",
                country="MLI",
                latitude=17.57,
                longitude=-3.99,
                geo_precision="country",
                attack_type="hostage_kidnapping",
                killed_low=2,
                killed_high=5,
            ),
            # No coordinates, no date
            dict(date=None, country="TUN", attack_type="assassination", killed_low=1, killed_high=1),
        ]
    )


# ------------------------------------------------------------------ formatting
@pytest.mark.parametrize(
    ("low", "high", "stated", "text"),
    [
        (12, 15, True, "12–15"),
        (33, 33, True, "33"),
        (12, None, True, "at least 12"),
        (12, np.nan, True, "at least 12"),
        (12, pd.NA, True, "at least 12"),
        (None, 10, True, "up to 10"),
        (None, None, True, "not stated"),
        (0, None, False, "not stated"),
        (1200, 1350, True, "1,200–1,350"),
        (np.int64(3), np.float64(4.0), True, "3–4"),
    ],
)
def test_format_range(low, high, stated, text):
    assert format_range(low, high, stated) == text


# --------------------------------------------------------------------- filters
def pandas_filter(df, groups=None, countries=None, years=None, attack_types=None, min_evidence=None):
    keep = pd.Series(True, index=df.index)
    if groups:
        keep &= df["group_id"].isin(groups)
    if countries:
        keep &= df["country"].isin(countries)
    if years:
        year = df["date_start"].dt.year
        keep &= year.between(*years)
    if attack_types:
        keep &= df["attack_type"].isin(attack_types)
    if min_evidence:
        keep &= (df["evidence_level"] >= min_evidence).fillna(False)
    return keep.to_numpy(dtype=bool)


def test_filters_match_pandas_on_many_random_choices(sel, synthetic):
    rng = np.random.default_rng(0)
    groups = sorted(synthetic["group_id"].unique())
    countries = sorted(synthetic["country"].unique())
    for _ in range(40):
        choice = {
            "groups": list(rng.choice(groups, rng.integers(0, 6), replace=False)) or None,
            "countries": list(rng.choice(countries, rng.integers(0, 4), replace=False)) or None,
            "years": tuple(sorted(rng.integers(1990, 2025, 2).tolist())) if rng.random() < 0.7 else None,
            "attack_types": list(rng.choice(ENUM["attack_type"], rng.integers(0, 4), replace=False)) or None,
            "min_evidence": rng.choice([None, *ENUM["evidence_level"]]),
        }
        np.testing.assert_array_equal(
            sel.mask(**choice), pandas_filter(synthetic, **choice), err_msg=str(choice)
        )


def test_no_filter_and_empty_lists_mean_everything(sel):
    assert sel.mask().all()
    assert sel.mask(groups=[], countries=(), attack_types=[], years=(None, None)).all()
    assert sel.mask(min_evidence="suspected").all()


def test_one_string_is_one_id_not_its_letters(sel, synthetic):
    gid = synthetic["group_id"].iloc[0]
    np.testing.assert_array_equal(sel.mask(groups=gid), (synthetic["group_id"] == gid).to_numpy())


def test_open_ended_years(sel, synthetic):
    year = synthetic["date_start"].dt.year.to_numpy()
    np.testing.assert_array_equal(sel.mask(years=(2010, None)), year >= 2010)
    np.testing.assert_array_equal(sel.mask(years=(None, 1995)), year <= 1995)


def test_a_filters_object_and_keywords_agree(sel):
    f = sel.filters(groups=["g0001", "g0002"], years=(2000, 2010), min_evidence="verified")
    assert isinstance(f, Filters)
    np.testing.assert_array_equal(
        sel.mask(f), sel.mask(groups=("g0001", "g0002"), years=(2000, 2010), min_evidence="verified")
    )


def test_ids_absent_from_the_table_match_nothing(small):
    s = AttackSelection(small, groups=pd.DataFrame({"group_id": ["isk"], "name": ["ISK"]}))
    assert not s.mask(groups=["isk"]).any()  # in the registry, not in this table
    assert not s.mask(countries=["FRA"]).any()


def test_typos_raise_errors_that_teach(small):
    s = AttackSelection(small, groups=pd.DataFrame({"group_id": ["aqim"], "name": ["AQIM"]}))
    with pytest.raises(ValueError, match=r"no group is called 'aqmi'.*did you mean 'AQIM' \(aqim\)"):
        s.mask(groups=["aqmi"])
    with pytest.raises(ValueError, match=r"attack type must be one of .*bombing.*'bomb' was passed"):
        s.mask(attack_types=["bomb"])
    with pytest.raises(ValueError, match=r"min_evidence must be one of suspected, reported, verified"):
        s.mask(min_evidence="confirmed")
    with pytest.raises(ValueError, match="earlier to later"):
        s.mask(years=(2013, 2007))


def test_undated_attacks_pass_only_without_a_year_filter(small):
    s = AttackSelection(small, groups=NO_NAMES)
    undated = small["date"].isna().to_numpy()
    assert s.mask()[undated].all()
    assert not s.mask(years=(1900, 2100))[undated].any()


def test_filters_describe_themselves():
    f = Filters(
        groups=("aqim", "mua"),
        countries=("MLI",),
        years=(2012, None),
        attack_types=("armed_assault",),
        min_evidence="reported",
    )
    assert f.describe({"aqim": "AQIM"}) == (
        "groups: AQIM, mua; countries: Mali (MLI); years 2012–…; types: armed assault; evidence ≥ reported"
    )
    assert Filters(countries=("XXX",)).describe() == "countries: XXX"  # a code with no name: the code
    assert Filters().describe() == "all attacks"
    assert Filters(min_evidence="suspected").describe() == "all attacks"


def test_select_returns_the_matching_rows(sel, synthetic):
    rows = sel.select(groups=["g0003"], min_evidence="verified")
    expected = synthetic[(synthetic["group_id"] == "g0003") & (synthetic["evidence_level"] == "verified")]
    assert rows["attack_id"].tolist() == expected["attack_id"].tolist()


def test_options_for_the_controls(small):
    s = AttackSelection(small, groups=pd.DataFrame({"group_id": ["aqim", "mua"], "name": ["AQIM", "MUJAO"]}))
    assert s.group_options() == [("AQIM", "aqim"), ("MUJAO", "mua")]
    assert s.country_options() == [("Algeria (DZA)", "DZA"), ("Mali (MLI)", "MLI"), ("Tunisia (TUN)", "TUN")]
    assert s.attack_type_options() == [
        "assassination",
        "armed_assault",
        "bombing",
        "hostage_barricade",
        "hostage_kidnapping",
    ]
    assert s.year_range == (2007, 2013)


# ---------------------------------------------------------------- aggregations
def test_by_year_keeps_ranges_as_ranges(small):
    s = AttackSelection(small, groups=NO_NAMES)
    years = s.by_year(s.mask()).set_index("year")
    assert years.index.tolist() == list(range(2007, 2014))  # empty years stay, so the axis holds still
    assert years.loc[2007, "count"] == 2
    assert years.loc[2007, "killed_low"] == 45
    assert np.isnan(years.loc[2007, "killed_high"])  # 33 + "at least 12" is "at least 45"
    # 37–40, a row with nothing stated (open), 2–5: at least 39
    assert years.loc[2013, "killed_low"] == 39 and np.isnan(years.loc[2013, "killed_high"])
    assert years.loc[2013, "killed_stated"] == 2
    assert years.loc[2010, "count"] == 0 and years.loc[2010, "killed_high"] == 0
    assert years.attrs["undated"] == 1


def test_by_year_closed_ranges_sum_both_bounds(small):
    s = AttackSelection(small, groups=NO_NAMES)
    years = s.by_year(s.mask(attack_types=["hostage_barricade", "hostage_kidnapping"]), years=(2012, 2014))
    row = years.set_index("year").loc[2013]
    assert (row["count"], row["killed_low"], row["killed_high"]) == (2, 39, 45.0)
    assert years["year"].tolist() == [2012, 2013, 2014]


def test_by_place_groups_attacks_at_the_same_coordinates(small):
    s = AttackSelection(small, groups=NO_NAMES)
    places = s.by_place(s.mask()).set_index("place", drop=False)
    assert len(places) == 3
    assert places.attrs["unlocated"] == 1
    algiers = places.loc["Algiers"]
    assert (algiers["count"], algiers["killed_low"], algiers["attack_type"], algiers["row"]) == (
        2,
        45,
        "bombing",
        -1,
    )
    assert np.isnan(algiers["killed_high"])
    assert (algiers["year_first"], algiers["year_last"]) == (2007, 2007)
    amenas = places.loc["In Amenas"]
    assert (amenas["count"], amenas["killed_low"], amenas["killed_high"]) == (1, 37, 40.0)
    assert small["attack_id"].iloc[amenas["row"]] == "a2"  # a single attack points at its row
    mali = places[places["country"] == "MLI"].iloc[0]
    assert mali["attack_type"] is None and mali["n_types"] == 2
    assert (mali["year_first"], mali["year_last"]) == (2013, 2013)
    assert mali["row"] == -1 and amenas["n_types"] == 1


def test_by_place_matches_a_pandas_groupby(sel, synthetic):
    mask = sel.mask(min_evidence="reported", years=(2000, 2010))
    places = sel.by_place(mask).set_index(["latitude", "longitude"]).sort_index()
    rows = synthetic[mask]
    expected = rows.groupby(["latitude", "longitude"]).agg(
        count=("attack_id", "size"), low=("killed_low", "sum"), high=("killed_high", "sum")
    )
    assert places["count"].tolist() == expected["count"].tolist()
    assert places["killed_low"].tolist() == expected["low"].tolist()
    assert places["killed_high"].tolist() == expected["high"].astype(float).tolist()


def test_by_type_lists_every_type_in_codebook_order(small):
    s = AttackSelection(small, groups=NO_NAMES)
    types = s.by_type(s.mask(groups=["mua"]))
    assert types["attack_type"].tolist() == ENUM["attack_type"]
    counts = dict(zip(types["attack_type"], types["count"]))
    assert counts["hostage_barricade"] == 1 and counts["armed_assault"] == 1 and counts["bombing"] == 0
    barricade = types.set_index("attack_type").loc["hostage_barricade"]
    assert (barricade["killed_low"], barricade["killed_high"]) == (37, 40.0)
    assault = types.set_index("attack_type").loc["armed_assault"]
    assert assault["killed_stated"] == 0 and np.isnan(assault["killed_high"])


def test_totals_agree_across_aggregations(sel, synthetic):
    mask = sel.mask(countries=["MLI", "NER"], min_evidence="reported")
    total = int(mask.sum())
    low = int(synthetic.loc[mask, "killed_low"].sum())
    assert sel.by_type(mask)["count"].sum() == total
    assert sel.by_year(mask)["count"].sum() == total
    assert sel.by_place(mask)["count"].sum() == total
    for table in (sel.by_type(mask), sel.by_year(mask), sel.by_place(mask)):
        assert table["killed_low"].sum() == low


def test_first_rows_are_sorted_by_date_limited_and_counted(small):
    s = AttackSelection(small, groups=pd.DataFrame({"group_id": ["mua"], "name": ["MUJAO"]}))
    rows = s.first_rows(s.mask(), limit=4)
    assert rows.attrs["total"] == 6
    assert rows["date"].tolist() == ["2007", "2007-04-11", "2013-01", "2013-02"]
    assert rows["killed"].tolist() == ["at least 12", "33", "37–40", "not stated"]
    assert rows["group"].tolist() == ["aqim", "aqim", "MUJAO", "MUJAO"]
    assert rows["source"].iloc[0] == "rand2013, p. 1"
    last = s.first_rows(s.mask(), limit=10)
    assert last["date"].iloc[-1] is None  # undated last
    assert len(last) == 6


def test_an_empty_table_gives_empty_results(small):
    s = AttackSelection(small.iloc[:0], groups=NO_NAMES)
    mask = s.mask()
    assert mask.shape == (0,)
    assert s.year_range is None
    assert s.by_place(mask).empty
    assert s.by_year(mask).empty
    assert s.by_type(mask)["count"].sum() == 0
    assert s.first_rows(mask).attrs["total"] == 0


def test_the_bundled_table_is_passed_not_loaded_by_default():
    with pytest.raises(TypeError):
        AttackSelection()  # tables are arguments: nothing is loaded behind the caller's back
    attacks = load_attacks()
    s = AttackSelection(attacks, load_groups())
    assert s.n == int(s.mask().sum()) == len(attacks) > 0
    assert s.by_type(s.mask())["count"].sum() == s.n
    assert s.by_place(s.mask())["count"].sum() + s.by_place(s.mask()).attrs["unlocated"] == s.n
    assert all(name != gid for name, gid in s.group_options() if gid in set(load_groups()["group_id"]))


def test_the_model_imports_no_plotting_or_widget_library():
    code = (
        "import sys, course_lib.attacks; "
        "bad = [m for m in ('plotly', 'ipywidgets', 'matplotlib') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_place_is_named_by_its_one_attack_or_by_the_gazetteer():
    attacks = load_attacks()
    s = AttackSelection(attacks, load_groups())
    shared = attacks.groupby("place_id")["place"].nunique()
    place_id = shared[shared > 1].index[0]
    here = attacks.index[attacks["place_id"] == place_id]
    name = attacks.loc[here[0], "place_name"]
    # every attack there: one marker, with the gazetteer's name
    everything = s.by_place(s.mask())
    assert (everything["place"] == name).sum() == 1
    # only the last attack there: its own words, not those of the place's first row in the table
    only = np.zeros(len(attacks), bool)
    only[here[-1]] = True
    one = s.by_place(only)
    assert one["place"].tolist() == [attacks.loc[here[-1], "place"]] != [attacks.loc[here[0], "place"]]
    assert one["row"].tolist() == [here[-1]]
