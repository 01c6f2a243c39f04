"""Group comparison, before/after and evidence sensitivity: models, figures and explorers.

Fixture tables are built through the loaders' own conversion, so they have the real dtypes
(ordered Categoricals, derived date columns); the bundled data is only smoke-tested.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import make_table as make
from conftest import plain

from course_lib import load_course
from course_lib.comparison import compare_groups
from course_lib.dates import date_bounds
from course_lib.groups import UnknownGroupError
from course_lib.network import AllianceModel
from course_lib.periods import SIDES, before_after, lineages
from course_lib.plots.base import summary_of
from course_lib.plots.comparison import (
    DASH_PATTERN,
    SIDE_STYLE,
    before_after_figure,
    comparison_figure,
    sensitivity_figure,
)
from course_lib.plots.palette import EVIDENCE_STYLE, GROUP_STYLES
from course_lib.schema import load_schema
from course_lib.sensitivity import SensitivityModel, evidence_sensitivity, network_sensitivity
from course_lib.widgets.comparison import BeforeAfterExplorer, ComparisonExplorer, SensitivityExplorer

SCRIPT = "<script>x</script>"
ESCAPED = "&lt;script&gt;x&lt;/script&gt;"


def holding_on(alliances: pd.DataFrame, date) -> np.ndarray:
    """Which rows hold on ``date``, as the alliance explorer reads them."""
    return AllianceModel(alliances, positions={}).mask(date)


def provenance(n: int, level: str | list[str] = "reported") -> dict[str, list[str]]:
    levels = [level] * n if isinstance(level, str) else level
    return {"source_id": ["src"] * n, "locator": [f"p. {i}" for i in range(n)], "evidence_level": levels}


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    groups = make(
        "groups",
        group_id=["al_qaeda", "gspc", "aqim", "isk", "evil", "unknown"],
        name=[
            "Al-Qaeda",
            "GSPC",
            "Al-Qaeda in the Islamic Maghreb",
            "Islamic State Khorasan",
            SCRIPT,
            "Unknown",
        ],
        aliases=["AQ", "Salafist Group", "AQIM", "ISKP|ISIS-K", "", ""],
        kind=["jihadist_group"] * 5 + ["other"],
        parent_id=["", "", "al_qaeda", "", "", ""],
        founded=["1988", "1998", "2007", "2015", "", ""],
        ended=["", "2007", "", "", "", ""],
        base_countries=["AFG|PAK", "DZA", "DZA|MLI", "AFG", "", ""],
        **provenance(6),
    )
    attacks = make(
        "attacks",
        attack_id=[f"a{i}" for i in range(9)],
        date=[
            "2006-05-02",
            "2006-12",
            "2007-01-23",
            "2007-01-24",
            "2007-01",
            "2007",
            "2008-06",
            "2024-03",
            "2010",
        ],
        group_id=["gspc", "gspc", "gspc", "aqim", "aqim", "aqim", "aqim", "isk", "evil"],
        attack_type=[
            "bombing",
            "hostage_kidnapping",
            "armed_assault",
            "bombing",
            "bombing",
            "armed_assault",
            "bombing",
            "armed_assault",
            "bombing",
        ],
        country=["DZA", "DZA", "DZA", "DZA", "", "DZA", "MLI", "RUS", "DZA"],
        killed_low=["2", "", "1", "33", "", "5", "1", "140", "1"],
        killed_high=["2", "", "1", "33", "", "", "1", "145", "1"],
        **provenance(9, ["reported"] * 7 + ["verified", "suspected"]),
    )
    alliances = make(
        "alliances",
        alliance_id=[f"t{i}" for i in range(6)],
        group_a=["gspc", "aqim", "aqim", "isk", "aqim", "gspc"],
        group_b=["aqim", "al_qaeda", "isk", "al_qaeda", "evil", "al_qaeda"],
        relation=["rebrand", "affiliate", "rival", "armed_conflict", "ally", "ally"],
        start=["2007", "2007", "2015", "2015", "", "2006"],
        end=["", "", "", "", "", "2007"],
        **provenance(6, ["reported", "verified", "suspected", "reported", "suspected", "reported"]),
    )
    arsenals = make(
        "arsenals",
        arsenal_id=["r0", "r1", "r2"],
        group_id=["aqim", "aqim", "isk"],
        item=["AK-47", "SA-7", "rifles"],
        category=["small_arms", "air_defence", "small_arms"],
        **provenance(3, ["verified", "suspected", "reported"]),
    )
    indicators = make(
        "indicators",
        indicator_id=["i0", "i1", "i2", "i3"],
        group_id=["isk", "aqim", "aqim", "isk"],
        measure=["members", "fighters", "funding", "fighters"],
        value_low=["6000", "", "100", "4000"],
        value_high=["7000", "899", "", ""],
        period_start=["2024", "2013-01", "2006", ""],
        period_end=["2024", "", "", "2021"],
        **provenance(4, ["reported", "reported", "reported", "suspected"]),
    )
    milestones = make(
        "milestones",
        milestone_id=["m0", "m1", "m2"],
        date=["2007-01-24", "2013-01", "2021-08"],
        kind=["renamed", "intervention", "other"],
        group_ids=["gspc|aqim", "aqim", "isk"],
        description=["The GSPC renamed itself AQIM.", "France intervenes in Mali.", "ISK attack in Kabul."],
        **provenance(3),
    )
    return dict(
        groups=groups,
        attacks=attacks,
        alliances=alliances,
        arsenals=arsenals,
        indicators=indicators,
        milestones=milestones,
    )


# -- compare_groups -------------------------------------------------------------------
def test_compare_groups_profiles_and_counts(tables):
    c = compare_groups(["aqim", "ISIS-K", "aqim"], tables)
    assert c.group_ids == ("aqim", "isk")
    p = c.profiles
    assert p.loc["aqim", "name"] == "Al-Qaeda in the Islamic Maghreb"
    assert p.loc["aqim", "parent"] == "Al-Qaeda"
    assert p.loc["aqim", "base_countries"] == "Algeria (DZA), Mali (MLI)"
    assert p.loc["aqim", "founded"] == "2007" and p.loc["isk", "founded"] == "2015"
    assert c.attack_mix.loc["aqim", "bombing"] == 3 and c.attack_mix.loc["isk", "armed_assault"] == 1
    assert list(c.attack_mix.columns) == list(load_schema().table("attacks").field("attack_type").enum)
    assert c.ties.loc["aqim"].to_dict()["rival"] == 1 and c.ties.loc["isk", "rival"] == 1
    assert c.ties.loc["aqim"].sum() == 4  # rebrand, affiliate, rival, ally
    assert c.arsenal.loc["aqim", "small_arms"] == 1 and c.arsenal.loc["aqim", "air_defence"] == 1


def test_compare_groups_strength_ranges_by_period(tables):
    s = compare_groups(["aqim", "isk"], tables).strength
    assert s["measure"].astype(str).tolist() == ["fighters", "fighters", "members"]  # no funding
    isk = s[s["group_id"] == "isk"].set_index("indicator_id")
    assert isk.loc["i0", "start"] == pd.Timestamp("2024-01-01") and isk.loc["i0", "end"] == pd.Timestamp(
        "2024-12-31"
    )
    assert isk.loc["i3", "start"] == pd.Timestamp("2021-01-01")  # only period_end given
    aqim = s[s["group_id"] == "aqim"].iloc[0]
    assert aqim["end"] == pd.Timestamp("2013-01-31") and np.isnan(aqim["value_low"])


def test_compare_groups_threshold_and_missing_tables(tables):
    c = compare_groups(["aqim", "isk"], tables, min_evidence="verified")
    assert c.ties.loc["aqim"].sum() == 1 and c.attack_mix.loc["isk", "armed_assault"] == 1
    assert c.attack_mix.loc["aqim"].sum() == 0 and len(c.strength) == 0
    only = compare_groups("gspc", {"groups": tables["groups"]})
    assert only.group_ids == ("gspc",) and only.ties.to_numpy().sum() == 0 and only.strength.empty


def test_compare_groups_unknown_name_suggests(tables):
    with pytest.raises(UnknownGroupError, match="did you mean"):
        compare_groups(["aqim", "Islamic State Khorasa"], tables)
    with pytest.raises(ValueError, match="at least one"):
        compare_groups([], tables)


# -- before / after -------------------------------------------------------------------
def test_split_exactly_at_a_day(tables):
    s = before_after(tables["attacks"], ("gspc", "aqim"), "2007-01-24")
    side = dict(zip(s.rows["date"], s.rows["side"].astype(str)))
    assert side["2007-01-23"] == "before"
    assert side["2007-01-24"] == "after"  # the day of the event counts as after
    assert side["2007-01"] == "uncertain" and side["2007"] == "uncertain"  # straddle the day
    assert side["2006-12"] == "before" and side["2008-06"] == "after"
    assert s.counts() == {"before": 3, "uncertain": 2, "after": 2}
    assert s.start == s.end == pd.Timestamp("2007-01-24")


def test_split_at_a_partial_date_and_on_1_january(tables):
    year = before_after(tables["attacks"], ("gspc", "aqim"), "2007")
    assert year.counts() == {"before": 2, "uncertain": 4, "after": 1}
    assert (year.start, year.end) == (pd.Timestamp("2007-01-01"), pd.Timestamp("2007-12-31"))
    jan1 = before_after(tables["attacks"], ("gspc", "aqim"), "2007-01-01")
    assert jan1.counts() == {"before": 2, "uncertain": 0, "after": 5}
    assert before_after(tables["attacks"], ("gspc", "aqim"), 2007).counts() == year.counts()
    day = before_after(tables["attacks"], ("gspc", "aqim"), dt.date(2007, 1, 24))
    assert day.counts() == {"before": 3, "uncertain": 2, "after": 2}


def test_lineage_pools_ids_and_single_group_does_not(tables):
    assert before_after(tables["attacks"], "gspc", "2007-01-24").counts() == {
        "before": 3,
        "uncertain": 0,
        "after": 0,
    }
    pooled = before_after(tables["attacks"], ["gspc", "aqim"], "2007-01-24")
    assert pooled.group_ids == ("gspc", "aqim") and len(pooled.rows) == 7


def test_before_after_tables_window_and_killed(tables):
    s = before_after(tables["attacks"], ("gspc", "aqim"), "2007-01-24")
    assert s.by_type.loc["bombing"].tolist() == [1, 1, 2]
    assert list(s.by_type.columns) == list(SIDES)
    assert s.by_country.loc["(not stated)"].tolist() == [0, 1, 0]
    assert s.by_country.loc["MLI", "after"] == 1
    k = s.killed
    assert k.loc["before", "attacks"] == 3 and k.loc["before", "killed_low"] == 3
    assert np.isnan(k.loc["before", "killed_high"]) and k.loc["before", "not_stated"] == 1  # open-ended
    assert k.loc["after", "killed_low"] == 34 and k.loc["after", "killed_high"] == 34
    assert k.loc["uncertain", "killed_low"] == 5 and np.isnan(k.loc["uncertain", "killed_high"])
    narrow = before_after(tables["attacks"], ("gspc", "aqim"), "2007-01-24", window_years=1)
    assert narrow.counts() == {"before": 3, "uncertain": 2, "after": 1}  # 2008-06 is out
    assert narrow.window_years == 1
    with pytest.raises(ValueError, match="window_years"):
        before_after(tables["attacks"], "aqim", "2007", window_years=-1)


def test_before_after_threshold_and_date_column_only(tables):
    assert len(before_after(tables["attacks"], ("gspc", "aqim"), "2007", min_evidence="verified").rows) == 0
    plain = pd.DataFrame(
        {
            "group_id": ["g", "g", "g"],
            "date": ["2001", "2003-05-01", None],
            "attack_type": ["bombing"] * 3,
            "country": ["AFG"] * 3,
            "evidence_level": ["reported"] * 3,
        }
    )
    s = before_after(plain, "g", "2002")
    assert s.counts() == {"before": 1, "uncertain": 0, "after": 1} and s.undated == 1


def test_split_date_rejects_nonsense(tables):
    with pytest.raises(ValueError, match="month 13"):
        date_bounds("2007-13")
    with pytest.raises(TypeError, match="partial ISO date"):
        date_bounds(2007.5)
    with pytest.raises(ValueError, match="month 13"):
        before_after(tables["attacks"], "aqim", "2007-13")
    with pytest.raises(TypeError, match="but bool was passed"):
        before_after(tables["attacks"], "aqim", True)


def test_lineages_from_rebrand_and_merger_rows():
    t = make(
        "alliances",
        alliance_id=["a", "b", "c", "d", "e"],
        group_a=["gia", "gspc", "gspc", "eij", "x"],
        group_b=["gspc", "aqim", "aqim", "al_qaeda", "y"],
        relation=["rebrand", "rebrand", "rebrand", "merger", "ally"],
        start=["1998", "2007-01", "2007", "", "2000"],
        **provenance(5),
    )
    found = lineages(t)
    assert [lin.group_ids for lin in found] == [("eij", "al_qaeda"), ("gia", "gspc", "aqim")]
    gia = found[1]
    assert [tr.date for tr in gia.transitions] == ["1998", "2007-01"]  # duplicates: earliest, most precise
    assert gia.label({"gia": "GIA", "gspc": "GSPC", "aqim": "AQIM"}) == "GIA → GSPC → AQIM"
    assert found[0].transitions[0].relation == "merger" and found[0].transitions[0].date is None
    loop = t.assign(group_a=["a", "b"] * 2 + ["x"], group_b=["b", "a"] * 2 + ["y"])
    assert all(len(lin.group_ids) == 2 for lin in lineages(loop))  # a cycle does not loop forever


# -- evidence sensitivity -------------------------------------------------------------
def test_evidence_sensitivity_counts_and_splits(tables):
    counts = evidence_sensitivity(tables["alliances"])
    assert counts["rows"].tolist() == [6, 4, 1]
    assert counts.index.tolist() == ["suspected", "reported", "verified"] and counts.index.ordered
    by = evidence_sensitivity(tables["alliances"], by="relation")
    assert list(by.columns) == ["affiliate", "ally", "rival", "armed_conflict", "rebrand"]  # schema order
    assert by["ally"].tolist() == [2, 1, 0] and by["affiliate"].tolist() == [1, 1, 1]
    groups = evidence_sensitivity(tables["milestones"], by="group_ids")  # a list column: once per item
    assert groups["aqim"].tolist() == [2, 2, 0] and groups.loc["suspected"].sum() == 4
    country = evidence_sensitivity(tables["attacks"], by="country")
    assert list(country.columns) == ["DZA", "MLI", "RUS", "(not stated)"]
    bundled = evidence_sensitivity(load_course()["alliances"])
    assert bundled.index.tolist() == ["suspected", "reported", "verified"]
    assert bundled["rows"].is_monotonic_decreasing and bundled.loc["suspected", "rows"] > 0


def test_sensitivity_sources(tables):
    model = SensitivityModel(tables["arsenals"])
    assert model.split_columns() == ["category", "group_id", "country", "acquisition"]
    src = model.sources("category")
    assert src.loc["suspected", "air_defence"] == "src" and src.loc["reported", "air_defence"] == ""
    assert src.shape == model.counts("category").shape
    many = SensitivityModel(tables["attacks"].assign(source_id=[f"s{i}" for i in range(9)]))
    assert many.sources()["rows"]["suspected"] == "s0, s1, s2 (+6 more)"


def test_network_sensitivity_on_a_date(tables):
    a = tables["alliances"]
    # t4 has no date at all (holds on no date); t0 is a rebrand: an event of 2007 only
    assert holding_on(a, "2006").tolist() == [False, False, False, False, False, True]
    assert holding_on(a, "2007").tolist() == [True, True, False, False, False, True]
    assert holding_on(a, "2016").tolist() == [False, True, True, True, False, False]
    net = network_sensitivity(a, "2016")
    assert net.loc["suspected"].tolist() == [3, 3, 3] and net.loc["reported"].tolist() == [2, 2, 3]
    assert net.loc["verified"].tolist() == [1, 1, 2]
    everything = network_sensitivity(a)
    assert everything["ties"].tolist() == [6, 4, 1] and everything.loc["verified", "nodes"] == 2


# -- figures --------------------------------------------------------------------------
def test_comparison_figure_traces_cues_and_labels(tables):
    fig = comparison_figure(compare_groups(["aqim", "isk"], tables))
    assert len(fig.data) == 10
    assert [t.type for t in fig.data[:5]] == ["scatter", "scatter", "bar", "bar", "bar"]
    band, marks, ties, attacks, _ = fig.data[5:]
    assert ties.name == "Islamic State Khorasan" and ties.marker.color == GROUP_STYLES[1].color
    assert ties.marker.pattern.shape == DASH_PATTERN[GROUP_STYLES[1].dash]
    assert band.line.dash == GROUP_STYLES[1].dash and marks.marker.symbol == GROUP_STYLES[1].symbol
    assert list(marks.text) == ["at least 4,000", "6,000–7,000"]  # strength as ranges, never one guess
    assert (
        "Islamic State Khorasan" in marks.customdata[1]
        and "members: 6,000–7,000 (2024–2024)" in marks.customdata[1]
    )
    assert "src, p. 0" in marks.customdata[1] and "reported" in marks.customdata[1]
    assert list(attacks.y) == ["armed assault", "bombing"] and list(attacks.x) == [1, 0]
    assert list(fig.data[3].x) == [1, 3]
    assert fig.layout.xaxis.title.text == "Period" and fig.layout.xaxis2.title.text == "Ties (rows)"
    assert fig.layout.xaxis3.title.text == "Attacks" and fig.layout.xaxis4.title.text == "Items"
    panels = [a.text for a in fig.layout.annotations]
    assert panels[:4] == [
        "<b>Strength over time (fighters, members)</b>",
        "<b>Ties by relation</b>",
        "<b>Attacks by type</b>",
        "<b>Arsenal by category</b>",
    ]
    assert fig.layout.title.text == "Groups side by side"
    assert fig.layout.title.subtitle.text == (
        "Al-Qaeda in the Islamic Maghreb · Islamic State Khorasan (evidence ≥ suspected)"
    )
    assert summary_of(fig).endswith("Ties: 4 vs 2. Attacks: 4 vs 1. Arsenal items: 2 vs 1.")


def test_comparison_figure_escapes_and_empty_state(tables):
    fig = comparison_figure(compare_groups(["evil", "aqim"], tables))
    assert fig.data[2].name == ESCAPED
    assert SCRIPT not in fig.layout.title.subtitle.text and ESCAPED in fig.layout.title.subtitle.text
    assert all(SCRIPT not in str(h) for t in fig.data for h in (t.customdata or ()))
    verified = comparison_figure(compare_groups(["gspc", "al_qaeda"], tables, min_evidence="verified"))
    assert len(verified.data) == 10 and "Ties: 0 vs 1. Attacks: 0 vs 0." in summary_of(verified)
    notes = [a.text.replace("<br>", " ") for a in verified.layout.annotations]
    assert (
        "No dated strength figure at evidence ≥ verified." in notes
        and "No attacks at evidence ≥ verified." in notes
    )
    none = comparison_figure(compare_groups("gspc", {"groups": tables["groups"]}))
    assert len(none.data) == 0 and "No strength figures" in summary_of(none)
    with pytest.raises(ValueError, match="at most 3"):
        comparison_figure(compare_groups(["gspc", "aqim", "isk", "al_qaeda"], tables))


def test_before_after_figure(tables):
    split = before_after(tables["attacks"], ("gspc", "aqim"), "2007-01-24")
    fig = before_after_figure(split, tables["groups"])
    assert len(fig.data) == 9
    assert [t.name for t in fig.data[:3]] == list(SIDES)
    assert [t.marker.color for t in fig.data[:3]] == [SIDE_STYLE[s].color for s in SIDES]
    assert list(fig.data[0].x) == ["armed assault", "bombing", "hostage kidnapping"]
    assert list(fig.data[2].y) == [0, 2, 0]
    assert list(fig.data[6].text) == ["", "at least 3"] and list(fig.data[8].text) == ["", "34"]
    assert fig.layout.yaxis.title.text == "Attacks" and fig.layout.xaxis3.title.text == "Side of the date"
    assert fig.layout.title.text == "Attacks before and after 2007-01-24"
    assert fig.layout.title.subtitle.text == "GSPC → Al-Qaeda in the Islamic Maghreb (evidence ≥ suspected)"
    assert summary_of(fig).startswith("GSPC → Al-Qaeda in the Islamic Maghreb, split at 2007-01-24")
    assert "2 uncertain" in summary_of(fig)
    evil = before_after_figure(before_after(tables["attacks"], "evil", "2005"), tables["groups"])
    assert evil.layout.title.subtitle.text == f"{ESCAPED} (evidence ≥ suspected)"
    empty = before_after_figure(before_after(tables["attacks"], "al_qaeda", "2005"), tables["groups"])
    assert len(empty.data) == 0 and summary_of(empty).startswith("No attack by Al-Qaeda")


def test_sensitivity_figure(tables):
    counts = evidence_sensitivity(tables["attacks"], by="group_id")
    fig = sensitivity_figure(counts, by="group_id", what="attacks", labels={"evil": SCRIPT})
    assert [t.name for t in fig.data] == [f"evidence ≥ {lv}" for lv in EVIDENCE_STYLE]
    assert [t.marker.color for t in fig.data] == [s.color for s in EVIDENCE_STYLE.values()]
    assert list(fig.data[0].y) == ["aqim", "gspc", ESCAPED, "isk"]
    assert list(fig.data[0].x) == [4, 3, 1, 1] and list(fig.data[2].x) == [0, 0, 0, 1]
    assert fig.layout.xaxis.title.text == "Attacks kept" and fig.layout.yaxis.title.text == "Group id"
    assert summary_of(fig).startswith("Attacks by group id: 9 at ≥ suspected, 8 at ≥ reported (89%)")
    few = sensitivity_figure(counts, by="group_id", max_series=2)
    assert list(few.data[0].y)[-1] == "other (2 values)" and list(few.data[0].x)[-1] == 2
    net = sensitivity_figure(network_sensitivity(tables["alliances"]), what="count")
    assert list(net.data[0].y) == ["ties", "pairs", "nodes"]
    assert summary_of(net).startswith("At evidence ≥ suspected → reported → verified: ties: 6 → 4 → 1")
    nothing = sensitivity_figure(
        network_sensitivity(tables["alliances"], "1990"), what="count", empty="None."
    )
    assert len(nothing.data) == 0 and summary_of(nothing) == "None."
    empty = sensitivity_figure(evidence_sensitivity(tables["attacks"].iloc[:0]))
    assert len(empty.data) == 0 and summary_of(empty) == "No rows to count."


# -- explorers ------------------------------------------------------------------------
def data(explorer) -> list[dict]:
    """The traces the explorer shows, as plain values."""
    return plain(explorer.figure)["data"]


def test_group_comparison_explorer(tables):
    explorer = ComparisonExplorer(tables, group_ids=["aqim", "isk"])
    assert [t["name"] for t in data(explorer)[2::5]] == [
        "Al-Qaeda in the Islamic Maghreb",
        "Islamic State Khorasan",
    ]
    assert "2015" in explorer.table.value and "Algeria (DZA), Mali (MLI)" in explorer.table.value
    explorer.group_b_dropdown.value = "evil"
    assert data(explorer)[7]["name"] == ESCAPED
    assert SCRIPT not in explorer.table.value and ESCAPED in explorer.table.value
    explorer.group_c_dropdown.value = "gspc"
    assert len(data(explorer)) == 15 and data(explorer)[12]["name"] == "GSPC"
    assert explorer.table.value.count("<tr>") == 4
    explorer.group_c_dropdown.value = None
    assert len(data(explorer)) == 10
    before = data(explorer)[3]["x"]
    explorer.evidence.value = "verified"
    assert data(explorer)[3]["x"] != before
    options = [v for _, v in explorer.group_a_dropdown.options]
    assert "unknown" not in options and "al_qaeda" in options


def test_comparison_explorer_takes_an_imported_attacks_table(tables):
    imported = tables["attacks"].iloc[:0]  # e.g. an event dataset in the attacks contract
    explorer = ComparisonExplorer(tables, group_ids=["aqim", "isk"], attacks=imported)
    assert "Attacks: 0 vs 0." in explorer.summary_text


def test_before_after_explorer_lineage_and_dates(tables):
    explorer = BeforeAfterExplorer(tables)
    assert explorer.group_dropdown.value == ("gspc", "aqim")
    assert explorer.group_dropdown.options[0][0] == "GSPC → Al-Qaeda in the Islamic Maghreb (lineage)"
    dates = [v for _, v in explorer.date_dropdown.options]
    assert dates == ["2007", "2007-01-24", "2013-01", None]
    assert explorer.date_dropdown.value == "2007" and explorer.year_slider.value == 2007
    assert summary_of(explorer.figure).startswith("GSPC → Al-Qaeda in the Islamic Maghreb, split at 2007 ")
    assert data(explorer)[1]["y"] == [2, 2, 0]  # uncertain: armed assault, bombing, kidnapping
    explorer.date_dropdown.value = "2007-01-24"
    assert explorer.split.counts() == {"before": 3, "uncertain": 2, "after": 2}
    explorer.year_slider.value = 2008
    assert explorer.date_dropdown.value is None and explorer.date == "2008-01-01"
    assert explorer.split.counts() == {"before": 6, "uncertain": 0, "after": 1}
    assert "split at 2008-01-01" in explorer.summary.value
    explorer.window_dropdown.value = 1
    assert explorer.split.counts() == {"before": 4, "uncertain": 0, "after": 1}
    explorer.window_dropdown.value = None
    explorer.evidence.value = "verified"
    assert len(data(explorer)) == 0 and "No attack" in explorer.summary.value
    explorer.evidence.value = "suspected"
    explorer.group_dropdown.value = ("isk",)
    assert [v for _, v in explorer.date_dropdown.options] == ["2021-08", None]
    assert explorer.date_dropdown.value == "2021-08" and explorer.split.counts()["after"] == 1
    assert "140–145" in explorer.table.value and "src, p. 7" in explorer.table.value


def test_before_after_explorer_with_a_chosen_group_and_imported_attacks(tables):
    explorer = BeforeAfterExplorer(tables, group_ids="isk", attacks=tables["attacks"])
    assert explorer.group_dropdown.value == ("isk",)
    assert explorer.split.group_ids == ("isk",)


def test_evidence_sensitivity_explorer(tables):
    explorer = SensitivityExplorer(tables)
    assert explorer.table_dropdown.value == "attacks" and explorer.year_dropdown.disabled
    assert [t["x"] for t in data(explorer)] == [[9], [8], [1]]
    explorer.split_dropdown.value = "attack_type"
    assert data(explorer)[0]["y"] == ["armed assault", "bombing", "hostage kidnapping"]
    assert "All rows" in explorer.table.value and "11%" in explorer.table.value
    explorer.split_dropdown.value = "group_id"
    assert ESCAPED in data(explorer)[0]["y"] and SCRIPT not in explorer.table.value
    explorer.table_dropdown.value = "alliances"
    assert explorer.split_dropdown.value is None
    assert [v for _, v in explorer.split_dropdown.options] == [
        None,
        "relation",
        "level",
        "group_a",
        "group_b",
    ]
    assert [t["x"] for t in data(explorer)] == [[6], [4], [1]]
    explorer.table_dropdown.value = "network"
    assert explorer.split_dropdown.disabled and not explorer.year_dropdown.disabled
    assert data(explorer)[0]["y"] == ["ties", "pairs", "nodes"]
    explorer.year_dropdown.value = 2015
    assert data(explorer)[0]["x"] == [3, 3, 3] and "in 2015" in explorer.figure["layout"]["title"]["text"]
    explorer.table_dropdown.value = "milestones"
    explorer.split_dropdown.value = "group_ids"
    assert "Al-Qaeda in the Islamic Maghreb" in data(explorer)[0]["y"]


def test_explorers_on_the_bundled_data():
    comparison = ComparisonExplorer()
    assert len(comparison.selected) == 2 and len(data(comparison)) == 10
    ba = BeforeAfterExplorer()
    assert ba.group_dropdown.options
    assert "split at" in ba.summary.value or "No attack" in ba.summary.value
    es = SensitivityExplorer()
    names = [v for _, v in es.table_dropdown.options]
    assert names
    for name in names:
        es.table_dropdown.value = name
        assert es.summary_text
