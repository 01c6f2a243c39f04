"""``import_events``: GTD, UCDP GED and ACLED files into the attacks contract.

The files under ``tests/fixtures/events/`` are invented rows in each dataset's layout (see the
README there); no real row of any dataset is used.
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import course_lib
from course_lib import events
from course_lib.events import ACLED_COLUMNS, GTD_COLUMNS, UCDP_GED_COLUMNS, detect_dataset, import_events
from course_lib.validate import DataValidationError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "events"
GTD = FIXTURES / "gtd_invented.csv"
UCDP = FIXTURES / "ucdp_ged_invented.csv"
ACLED = FIXTURES / "acled_invented.csv"
FILES = {"gtd": GTD, "ucdp_ged": UCDP, "acled": ACLED}

#: The groups the notebooks compare; each must have at least one crosswalk name.
COMPARED = (
    "al_qaeda aqim gspc gia isk islamic_state ttp taliban jnim aqap jabhat_al_nusra hts aqis al_shabaab "
    "isgs mujao ansar_dine boko_haram"
).split()


#: Names the fixtures use that the bundled crosswalk does not list (its rows must cite a page
#: that shows the name): added, for these tests only, to a private copy of the data.
TEST_NAMES = [
    ("ucdp_ged", "Jabhat Fateh al-Sham", "jabhat_al_nusra"),
    ("acled", "JNIM: Group for Support of Islam and Muslims", "jnim"),
    ("ucdp_ged", "Taleban", "taliban"),
    ("acled", "HTS: Hayat Tahrir al Sham", "hts"),
    ("acled", "Islamic State (Greater Sahara)", "isgs"),
]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test caches into its own folder, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def test_data(tmp_path_factory) -> Path:
    """The bundled data with :data:`TEST_NAMES` in its crosswalk (rows marked as test rows), where
    the bundled crosswalk does not cite them already."""
    folder = tmp_path_factory.mktemp("data")
    for path in course_lib.bundled_data_dir().iterdir():
        if path.suffix in {".csv", ".json"}:
            shutil.copy(path, folder / path.name)
    with open(folder / "crosswalk.csv", encoding="utf-8", newline="") as fh:
        bundled = {(r["dataset"], r["actor_name"]) for r in csv.DictReader(fh)}
    with open(folder / "crosswalk.csv", "a", encoding="utf-8", newline="") as fh:
        for dataset, name, gid in TEST_NAMES:
            if (dataset, name) in bundled:  # the bundled crosswalk cites it already
                continue
            csv.writer(fh, lineterminator="\n").writerow(
                [dataset, name, gid, "course_editors", "test row", f"TEST ROW: {name}", "for tests only"]
            )
    return folder


@pytest.fixture(autouse=True)
def _data(test_data, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(test_data))


def load(path, **kwargs):
    kwargs.setdefault("cache", False)
    kwargs.setdefault("verbose", False)
    return import_events(path, **kwargs)


def row(frame, event_id):
    return frame.set_index("dataset_event_id").loc[event_id]


def rewrite(source: Path, target: Path, edit) -> Path:
    """Copy a fixture CSV, applying ``edit(header, rows)`` to its cells."""
    with open(source, encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    edit(header, rows)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])
    return target


# --- the fixtures are the datasets' layouts, and invented -----------------------------------


def test_fixtures_have_the_datasets_layouts_and_are_marked_invented():
    assert len(GTD_COLUMNS) == 135 and len(set(GTD_COLUMNS)) == 135
    assert len(UCDP_GED_COLUMNS) == 49 and len(ACLED_COLUMNS) == 31
    for path, columns in ((GTD, GTD_COLUMNS), (UCDP, UCDP_GED_COLUMNS), (ACLED, ACLED_COLUMNS)):
        with open(path, encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        assert header == list(columns)
        assert rows and all("INVENTED TEST ROW" in ",".join(r) for r in rows)
    assert "invented" in (FIXTURES / "README.md").read_text(encoding="utf-8")


# --- the contract ---------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", sorted(FILES))
def test_columns_and_dtypes_are_the_attacks_contract(dataset):
    curated = course_lib.load_attacks()
    imported = load(FILES[dataset])
    assert list(imported.columns) == [*curated.columns, "dataset", "dataset_event_id", "actor_name"]
    for name, dtype in curated.dtypes.items():
        assert imported[name].dtype == dtype, name
    both = pd.concat([curated, imported], ignore_index=True)
    for name in imported.columns:
        assert both[name].dtype == imported[name].dtype, name
    assert (imported["dataset"] == dataset).all()
    assert imported.attrs["dataset"] == dataset
    known = imported["date"].notna()
    assert (imported.loc[known, "date_start"] <= imported.loc[known, "date_end"]).all()
    assert imported["place_id"].isna().all()


def test_course_lib_exposes_import_events():
    assert course_lib.import_events is import_events


# --- GTD ------------------------------------------------------------------------------------


def test_gtd_dates_and_their_precision():
    gtd = load(GTD)
    exact = row(gtd, "201503020001")
    assert (exact["date"], exact["date_precision"]) == ("2015-03-02", "day")
    no_day = row(gtd, "201407000001")  # iday 0
    assert (no_day["date"], str(no_day["date_start"].date()), str(no_day["date_end"].date())) == (
        "2014-07",
        "2014-07-01",
        "2014-07-31",
    )
    no_month = row(gtd, "201200000001")  # imonth 0, iday 0
    assert (no_month["date"], no_month["date_precision"]) == ("2012", "year")
    assert str(no_month["date_end"].date()) == "2012-12-31"
    approx = row(gtd, "201603300001")  # approxdate "March 30-April 2, 2016"
    assert (str(approx["date_start"].date()), str(approx["date_end"].date())) == ("2016-03-30", "2016-04-02")
    assert approx["date"] == "2016"  # the range spans two months
    unread = row(gtd, "201706150001")  # approxdate "mid-June 2017": the day is not kept
    assert (unread["date"], unread["date_precision"]) == ("2017-06", "month")
    assert "GTD approxdate: mid-June 2017" in unread["note"]
    multi = row(gtd, "201801020001")  # extended 1, resolution 2018-01-05
    assert (multi["date"], str(multi["date_end"].date())) == ("2018-01-02", "2018-01-05")


def test_gtd_places_and_their_precision():
    gtd = load(GTD)
    assert row(gtd, "201503020001")["geo_precision"] == "place"
    assert row(gtd, "201706150001")["geo_precision"] == "admin1"  # specificity 2
    no_coords = row(gtd, "201200000001")  # specificity 5: coordinates unknown
    assert no_coords["geo_precision"] == "country" and np.isnan(no_coords["latitude"])
    assert row(gtd, "201503020001")[["admin1", "place"]].tolist() == ["Invented Province", "Invented Town"]


def test_gtd_casualties_are_ranges_and_unknown_is_not_zero():
    gtd = load(GTD)
    assert row(gtd, "201503020001")[["killed_low", "killed_high", "wounded_low"]].tolist() == [3, 3, 5]
    blank = row(gtd, "201407000001")  # nkill blank, nwound -99
    assert pd.isna(blank["killed_low"]) and pd.isna(blank["wounded_low"]) and pd.isna(blank["wounded_high"])
    zero = row(gtd, "201200000001")  # a stated 0
    assert (zero["killed_low"], zero["killed_high"]) == (0, 0)
    kidnapped = row(gtd, "201603300001")  # ishostkid 1, nhostkid -99: at least one
    assert kidnapped["hostages_low"] == 1 and pd.isna(kidnapped["hostages_high"])
    assert row(gtd, "202004310001")[["hostages_low", "hostages_high"]].tolist() == [12, 12]
    malformed = row(gtd, "201913010001")  # nkill "abc"
    assert pd.isna(malformed["killed_low"])


def test_gtd_types_outcome_attribution_and_evidence():
    gtd = load(GTD)
    first = row(gtd, "201503020001")
    assert first[["attack_type", "target_type", "outcome", "attribution", "evidence_level"]].tolist() == [
        "bombing",
        "police",
        "carried_out",
        "claimed",
        "reported",
    ]
    assert first["description"] == "GTD: Bombing/Explosion"
    assert first["suicide"] is False or first["suicide"] == False  # noqa: E712 (a nullable boolean)
    assert row(gtd, "202004310001")[["attack_type", "target_type"]].tolist() == [
        "hostage_kidnapping",
        "civilians",
    ]
    assert row(gtd, "201801020001")["attack_type"] == "unknown"
    assert row(gtd, "201407000001")["evidence_level"] == "suspected"  # doubtterr 1
    assert row(gtd, "201913010001")[["attribution", "evidence_level"]].tolist() == ["suspected", "suspected"]
    assert row(gtd, "201801020001")[["group_id", "attribution"]].tolist() == ["unknown", "unknown"]


def test_gtd_provenance():
    gtd = load(GTD)
    first = row(gtd, "201503020001")
    assert first["attack_id"] == "gtd_201503020001"
    assert first["locator"] == "eventid 201503020001"
    assert first["source_id"] == "gtd_unknown"  # the fixture's name carries no version
    assert first["excerpt"].startswith("INVENTED TEST ROW")
    named = load(GTD, version="0718dist")
    assert named["source_id"].iloc[0] == "gtd_0718dist"


def test_unknown_codes_and_malformed_cells_are_reported_with_their_line():
    gtd = load(GTD)
    problems = gtd.attrs["problems"]
    assert (
        "gtd_invented.csv, line 8, column 'imonth', value '13': is not a code of the codebook (0-12)"
        in problems
    )
    assert any("line 8, column 'attacktype1', value '12'" in p for p in problems)
    assert any("line 8, column 'nkill', value 'abc': must be a number" in p for p in problems)
    assert any("line 9, column 'iday', value '31'" in p for p in problems)
    assert len(gtd) == 8  # the rows are kept
    assert row(gtd, "201913010001")[["date", "attack_type"]].tolist() == ["2019", "unknown"]
    assert not any("doubtterr" in p or "claimed" in p for p in problems)  # -9 is GTD's "unknown"
    with pytest.raises(DataValidationError) as err:
        load(GTD, strict=True)
    assert len(err.value.problems) == 4


def test_lines_count_text_that_spans_lines(tmp_path):
    def edit(header, rows):
        rows[0][header.index("summary")] = "INVENTED TEST ROW:\na summary over\nthree lines."

    gtd = load(rewrite(GTD, tmp_path / "gtd.csv", edit))
    assert any("line 10, column 'imonth', value '13'" in p for p in gtd.attrs["problems"])


# --- actors -----------------------------------------------------------------------------


def test_actors_map_through_the_crosswalk_and_unmatched_ones_are_kept_and_counted():
    gtd = load(GTD)
    matches = gtd.attrs["actor_matches"]
    assert matches["Al-Qaida in the Islamic Maghreb (AQIM)"] == {"group_id": "aqim", "rule": "crosswalk"}
    assert matches["Al-Qa`ida in the Islamic Maghreb (AQIM)"] == {
        "group_id": "aqim",
        "rule": "crosswalk, normalised name",
    }
    cell = row(gtd, "201706150001")
    assert cell["actor_name"] == "Invented Splinter Cell" and pd.isna(cell["group_id"])
    assert gtd.attrs["unmatched_actors"] == {"Invented Splinter Cell": 1}
    assert row(gtd, "202004310001")["group_id"] == "isk"


def test_registry_names_match_when_the_crosswalk_has_none(tmp_path):
    def edit(header, rows):
        rows[0][header.index("gname")] = "Tehreek-e-Taliban Pakistan"  # the registry's name for ttp

    gtd = load(rewrite(GTD, tmp_path / "gtd.csv", edit))
    assert gtd["group_id"].iloc[0] == "ttp"
    assert gtd.attrs["actor_matches"]["Tehreek-e-Taliban Pakistan"]["rule"] == "registry name or alias"


def test_the_crosswalk_covers_the_compared_groups_and_cites_its_sources():
    crosswalk = course_lib.load_table("crosswalk", course_lib.bundled_data_dir())
    assert set(COMPARED) <= set(crosswalk.loc[crosswalk["dataset"] == "gtd", "group_id"])
    assert set(crosswalk["source_id"]) <= set(
        course_lib.load_sources(course_lib.bundled_data_dir())["source_id"]
    )
    for name, excerpt in zip(crosswalk["actor_name"], crosswalk["excerpt"]):
        assert name in excerpt, name
    assert set(crosswalk["dataset"]) == {"gtd", "ucdp_ged", "acled"}


# --- UCDP GED -------------------------------------------------------------------------------


def test_ucdp_dates_follow_date_prec_and_multi_day_events_keep_their_range():
    ged = load(UCDP)
    single = row(ged, "900001")  # date_prec 1, a timestamp as UCDP writes it
    assert (single["date"], single["date_precision"]) == ("2016-05-02", "day")
    multi = row(ged, "900002")  # date_prec 1 over three days
    assert (multi["date"], str(multi["date_end"].date())) == ("2016-05-03", "2016-05-05")
    week = row(ged, "900005")  # date_prec 3: a week
    assert (week["date"], str(week["date_start"].date()), str(week["date_end"].date())) == (
        "2019-06",
        "2019-06-10",
        "2019-06-16",
    )
    assert row(ged, "900003")[["date", "date_precision"]].tolist() == ["2017-02", "month"]
    year = row(ged, "900004")
    assert (year["date"], str(year["date_end"].date())) == ("2018", "2018-12-31")


def test_ucdp_places_casualties_actors_and_evidence():
    ged = load(UCDP)
    one_sided = row(ged, "900001")
    assert one_sided[["group_id", "attribution", "target_type", "target"]].tolist() == [
        "al_qaeda",
        "attributed",
        "civilians",
        "Civilians",
    ]
    assert one_sided[["killed_low", "killed_high"]].tolist() == [3, 6]
    assert "UCDP best estimate 4" in one_sided["note"]
    assert one_sided[["geo_precision", "country"]].tolist() == ["exact", "YEM"]  # "Yemen (North Yemen)"
    assert pd.isna(one_sided["wounded_low"]) and pd.isna(one_sided["hostages_low"])
    state = row(ged, "900003")  # side_a is the government, side_b the group
    assert state[["actor_name", "group_id", "attribution", "geo_precision", "evidence_level"]].tolist() == [
        "IS",
        "islamic_state",
        "unknown",
        "admin1",
        "suspected",
    ]
    assert row(ged, "900004")[["actor_name", "geo_precision"]].tolist() == ["Jabhat Fateh al-Sham", "unknown"]
    assert row(ged, "900005")["group_id"] == "taliban"
    assert row(ged, "900001")["description"] == "UCDP GED: one-sided violence"
    assert ged["attack_type"].eq("unknown").all() and ged["outcome"].eq("carried_out").all()
    assert row(ged, "900002")["locator"] == "id 900002"


# --- ACLED ------------------------------------------------------------------------------


def test_acled_dates_follow_time_precision():
    acled = load(ACLED)
    assert row(acled, "MLI90001")[["date", "date_precision"]].tolist() == ["2020-03-05", "day"]
    week = row(acled, "NER90002")  # time_precision 2: the week around the date
    assert (str(week["date_start"].date()), str(week["date_end"].date()), week["date"]) == (
        "2020-03-15",
        "2020-03-21",
        "2020-03",
    )
    month = row(acled, "AFG90003")  # time_precision 3: the month
    assert (month["date"], str(month["date_start"].date()), str(month["date_end"].date())) == (
        "2020-04",
        "2020-04-01",
        "2020-04-30",
    )
    assert row(acled, "XXX90004")["date"] == "2021-02-16"  # "16 February 2021"


def test_acled_types_casualties_actors_and_countries():
    acled = load(ACLED)
    clash = row(acled, "MLI90001")
    assert clash[["description", "attack_type", "attribution"]].tolist() == [
        "ACLED: Battles / Armed clash",
        "armed_assault",
        "unknown",
    ]
    assert clash[["actor_name", "group_id", "country"]].tolist() == [
        "JNIM: Group for Support of Islam and Muslims",
        "jnim",
        "MLI",
    ]
    assert clash["killed_low"] == 7 and pd.isna(clash["killed_high"])  # ACLED records the lowest figure
    assert "other actor: Military Forces of Mali (2013-)" in clash["note"]
    civilians = row(acled, "NER90002")
    assert civilians[["attribution", "target_type", "target", "geo_precision"]].tolist() == [
        "attributed",
        "civilians",
        "Civilians (Niger)",
        "place",
    ]
    assert pd.isna(civilians["killed_low"])  # 0 is ACLED's "no information"
    suicide = row(acled, "AFG90003")
    assert suicide[["attack_type", "suicide", "geo_precision", "country"]].tolist() == [
        "bombing",
        True,
        "admin1",
        "AFG",
    ]
    assert acled.attrs["unmapped_countries"] == {"Invented Land": 1}
    assert acled.attrs["unmatched_actors"] == {"Invented Militia": 1}
    assert acled["source_id"].iloc[0] == "acled_2023_11_14"  # the latest timestamp
    problems = acled.attrs["problems"]
    assert any("column 'time_precision', value '9'" in p for p in problems)
    assert any("column 'sub_event_type', value 'Invented sub-type'" in p for p in problems)
    assert any("line 6, column 'event_date', value '2021-13-01'" in p for p in problems)


def test_acled_exports_with_upper_case_columns_are_read(tmp_path):
    def edit(header, rows):
        header[:] = [h.upper() for h in header]

    acled = load(rewrite(ACLED, tmp_path / "acled.csv", edit))
    assert acled["group_id"].iloc[0] == "jnim"


# --- files that are not right ---------------------------------------------------------------------


def test_detection_from_columns():
    assert detect_dataset(GTD_COLUMNS) == "gtd"
    assert detect_dataset(UCDP_GED_COLUMNS) == "ucdp_ged"
    assert detect_dataset(ACLED_COLUMNS) == "acled"
    assert detect_dataset(["id", "date", "name"]) is None


def test_a_file_of_no_known_dataset_is_refused_with_its_name():
    with pytest.raises(DataValidationError, match=r"README\.md, line 1: is not a GTD, UCDP GED or ACLED"):
        load(FIXTURES / "README.md")
    with pytest.raises(ValueError, match="dataset must be one of gtd, ucdp_ged, acled"):
        load(GTD, dataset="gdelt")
    with pytest.raises(FileNotFoundError):
        load(FIXTURES / "nothing.csv")


def test_missing_columns_are_named(tmp_path):
    def edit(header, rows):
        for name in ("nkill", "gname"):
            i = header.index(name)
            del header[i]
            for r in rows:
                del r[i]

    with pytest.raises(DataValidationError) as err:
        load(rewrite(GTD, tmp_path / "gtd.csv", edit))
    assert {p.column for p in err.value.problems} == {"nkill", "gname"}
    assert "gtd.csv" in str(err.value) and "lacks the gtd columns" in str(err.value)


def test_a_dataset_named_explicitly_is_checked_for_its_columns():
    with pytest.raises(DataValidationError, match="lacks the gtd columns"):
        load(ACLED, dataset="gtd")


def test_rows_that_do_not_fit_the_header_are_reported_with_their_lines(tmp_path):
    lines = GTD.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    lines[5] += ",extra,cells"
    bad = tmp_path / "gtd.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load(bad)
    assert [p.line for p in err.value.problems] == [3, 6]
    assert "row has 136 fields, the header has 135" in str(err.value)


def test_a_file_that_is_not_utf8_is_read_as_latin1(tmp_path):
    def edit(header, rows):
        rows[0][header.index("city")] = "Invented Tébessa"

    path = rewrite(GTD, tmp_path / "gtd.csv", edit)
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    gtd = load(path)
    assert gtd["place"].iloc[0] == "Invented Tébessa" and gtd.attrs["encoding"] == "latin-1"


# --- Excel -------------------------------------------------------------------------------


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@pytest.mark.skipif(
    not (_has("python_calamine") or _has("openpyxl")), reason="needs python-calamine or openpyxl"
)
def test_gtd_xlsx_reads_like_the_csv():
    from_xlsx = load(FIXTURES / "gtd_invented.xlsx")
    from_csv = load(GTD)
    pd.testing.assert_frame_equal(from_xlsx, from_csv, check_like=False)


def test_excel_without_a_reader_names_the_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ImportError, match="python-calamine"):
        load(FIXTURES / "gtd_invented.xlsx")


# --- cache and progress ---------------------------------------------------------------------


def test_a_second_import_reads_the_cache_and_a_changed_file_is_read_again(tmp_path, monkeypatch):
    path = shutil.copy(GTD, tmp_path / "gtd.csv")
    first = import_events(path, verbose=False)
    assert list((tmp_path / "cache" / "course_lib" / "events").glob("*.pickle"))
    read = events._read

    def refuse(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(events, "_read", refuse)
    again = import_events(path, verbose=False)
    pd.testing.assert_frame_equal(first, again)
    assert again.attrs == first.attrs
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    Path(path).write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="read again"):
        import_events(path, verbose=False)
    monkeypatch.setattr(events, "_read", read)
    assert len(import_events(path, verbose=False)) == 2


def test_the_cache_is_in_the_users_cache_folder_not_the_repository():
    folder = events.cache_folder()
    root = Path(course_lib.__file__).resolve().parent.parent
    assert root not in folder.resolve().parents


def test_progress_bar_and_summary_go_to_stderr(capsys):
    import_events(GTD, cache=False, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "import_events [####################] 100%" in err
    assert "1 events have an actor with no course group; the most frequent: Invented Splinter Cell (1)" in err


def test_a_crosswalk_name_appears_once_per_dataset(data_copy):
    path = data_copy / "crosswalk.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(
        DataValidationError, match=r"'dataset \+ actor_name', value 'gtd \+ .*duplicate key; already on"
    ):
        course_lib.validate(data_copy)


def test_the_documented_crosswalk_is_the_crosswalk():
    """data/EVENT_DATASETS.md's table of names is what data/crosswalk.csv cites, no more, no less."""
    text = (ROOT / "data" / "EVENT_DATASETS.md").read_text(encoding="utf-8")
    after = text.split("| group | GTD | UCDP GED | ACLED |", 1)[1].split("\n\n", 1)[0]
    table = [line for line in after.splitlines() if re.match(r"\| [a-z_]+ \| ", line)]
    assert len(table) > 10
    documented = set()
    for line in table:
        gid, *cells = [c.strip() for c in line.strip("|").split("|")]
        for dataset, cell in zip(("gtd", "ucdp_ged", "acled"), cells):
            if cell and cell != "—" and not cell.startswith("("):
                documented |= {(dataset, name.strip(), gid) for name in cell.split(";")}
    with open(ROOT / "data" / "crosswalk.csv", encoding="utf-8", newline="") as fh:
        cited = {(r["dataset"], r["actor_name"], r["group_id"]) for r in csv.DictReader(fh)}
    assert documented <= cited, f"documented but not cited: {sorted(documented - cited)}"
    compared = {gid for _, _, gid in documented}
    assert not {r for r in cited if r[2] in compared} - documented, "cited but not in the table"
