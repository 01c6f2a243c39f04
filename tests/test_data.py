"""Loaders: typed as the schema says, derived date columns, nothing imported that need not be."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import set_cell

import course_lib
from course_lib import load_schema

LOADERS = {
    "sources": course_lib.load_sources,
    "groups": course_lib.load_groups,
    "places": course_lib.load_places,
    "attacks": course_lib.load_attacks,
    "arsenals": course_lib.load_arsenals,
    "alliances": course_lib.load_alliances,
    "indicators": course_lib.load_indicators,
    "milestones": course_lib.load_milestones,
}


def check_types(name: str) -> None:
    """The table loads with the dtypes its schema declares."""
    frame = course_lib.load_table(name)
    table = load_schema().table(name)
    key = list(table.primary_key)
    assert list(frame.columns[: len(key)]) == key
    assert not frame.duplicated(key).any()
    for field in table.fields:
        column = frame[field.name]
        if field.enum:
            assert isinstance(column.dtype, pd.CategoricalDtype) and column.cat.ordered
            assert tuple(column.cat.categories) == field.enum
        elif field.type == "integer":
            assert str(column.dtype) == "Int64"
        elif field.type == "number":
            assert column.dtype == "float64"
        elif field.type == "boolean":
            assert str(column.dtype) == "boolean"
        elif field.type == "list":
            assert all(isinstance(v, tuple) for v in column)
        if field.partial_date:
            for suffix in ("_start", "_end"):
                assert pd.api.types.is_datetime64_any_dtype(frame[field.name + suffix])
            known = column.notna()
            assert (frame.loc[known, field.name + "_start"] <= frame.loc[known, field.name + "_end"]).all()
            assert list(frame[field.name + "_precision"].cat.categories) == ["year", "month", "day"]


def test_one_loader_per_table():
    schema = load_schema()
    assert set(LOADERS) <= set(schema.names)
    for name, loader in LOADERS.items():
        assert loader.__name__ == f"load_{name}" and loader().attrs["table"] == name
    # every table of facts (with an evidence level) has its own loader; the others (link tables,
    # crosswalks) load by name
    facts = {t.name for t in schema.tables if "evidence_level" in t.field_names}
    assert facts and facts <= set(LOADERS)
    for name in schema.names:
        assert course_lib.load_table(name).attrs["table"] == name
    public = {n.removeprefix("load_") for n in course_lib.__all__ if n.startswith("load_")}
    assert public - {"course", "table", "schema"} == set(LOADERS)  # no loader left out of this test


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loader_types_follow_the_schema(name):
    check_types(name)


def test_every_other_table_is_typed_too():
    others = [n for n in load_schema().names if n not in LOADERS]
    assert "milestone_groups" in others
    for name in others:
        check_types(name)


def test_attacks_get_name_and_coordinates_from_the_gazetteer():
    attacks, places = course_lib.load_attacks(), course_lib.load_places()
    at = list(attacks.columns).index("place_id")
    assert list(attacks.columns[at + 1 : at + 4]) == ["place_name", "latitude", "longitude"]
    names = places.set_index("place_id")["name"]
    located = attacks["place_id"].notna()
    assert located.any()
    assert list(attacks.loc[located, "place_name"]) == list(names.loc[attacks.loc[located, "place_id"]])
    assert attacks["latitude"].dtype == "float64" and attacks["longitude"].dtype == "float64"
    coords = places.set_index("place_id")[["latitude", "longitude"]]
    located = attacks["place_id"].notna()
    expected = coords.loc[attacks.loc[located, "place_id"]].to_numpy()
    assert (attacks.loc[located, ["latitude", "longitude"]].to_numpy() == expected).all()
    assert attacks.loc[~located, ["latitude", "longitude"]].isna().all().all()


def test_coordinates_follow_an_edited_gazetteer(data_copy):
    attacks = course_lib.load_attacks(data_copy)
    located = attacks[attacks["place_id"].notna()]
    assert len(located), "the bundled attacks name no place of the gazetteer"
    place = located["place_id"].iloc[0]
    rows = course_lib.load_places(data_copy)
    set_cell(data_copy / "places.csv", int(rows.index[rows["place_id"] == place][0]), "latitude", "-12.5")
    moved = course_lib.load_attacks(data_copy)
    assert set(moved.loc[moved["place_id"] == place, "latitude"]) == {-12.5}


def test_milestones_get_their_groups_from_the_link_table():
    milestones, links = course_lib.load_milestones(), course_lib.load_table("milestone_groups")
    assert len(links) > 0
    at = list(milestones.columns).index("kind")
    assert milestones.columns[at + 1] == "group_ids"
    assert all(isinstance(v, tuple) for v in milestones["group_ids"])
    pairs = {(m, g) for m, ids in zip(milestones["milestone_id"], milestones["group_ids"]) for g in ids}
    assert pairs == set(zip(links["milestone_id"], links["group_id"]))
    # the link table's order is kept within each milestone
    first = links["milestone_id"].iloc[0]
    by_id = dict(zip(milestones["milestone_id"], milestones["group_ids"]))
    assert by_id[first] == tuple(links.loc[links["milestone_id"] == first, "group_id"])


def test_evidence_levels_are_ordered_weakest_first():
    levels = course_lib.load_alliances()["evidence_level"]
    assert list(levels.cat.categories) == ["suspected", "reported", "verified"]
    assert (levels >= "reported").sum() <= len(levels)


def test_year_precision_spans_the_year(data_copy):
    set_cell(data_copy / "milestones.csv", 0, "date", "2007")  # at least one date given as a year
    frame = course_lib.load_milestones(data_copy)
    years = frame[frame["date_precision"] == "year"]
    assert len(years) > 0
    for _, row in years.iterrows():
        assert row["date_start"] == pd.Timestamp(f"{row['date']}-01-01")
        assert row["date_end"] == pd.Timestamp(f"{row['date']}-12-31")


def test_each_call_returns_a_fresh_copy():
    first = course_lib.load_groups()
    first.loc[:, "name"] = "changed"
    assert "changed" not in set(course_lib.load_groups()["name"])


def test_unknown_table_name_lists_the_tables():
    with pytest.raises(KeyError, match="attacks"):
        course_lib.load_table("attack")


def test_loading_imports_no_plotting_library_and_opens_no_socket():
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise AssertionError('network use while loading')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "import course_lib\n"
        "course_lib.load_course()\n"
        "heavy = {'plotly', 'matplotlib', 'ipywidgets', 'networkx'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_import_changes_no_global_state():
    code = (
        "import warnings, pandas as pd\n"
        "before = (list(warnings.filters), pd.get_option('display.max_rows'))\n"
        "import course_lib\n"
        "after = (list(warnings.filters), pd.get_option('display.max_rows'))\n"
        "print(before == after)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_datapackage_is_a_tabular_data_package():
    raw = json.loads((course_lib.bundled_data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    assert raw["profile"] == "tabular-data-package"
    names = [r["name"] for r in raw["resources"]]
    assert set(LOADERS) | {"milestone_groups"} <= set(names) and len(set(names)) == len(names)
    assert names == load_schema().names  # read in the order declared
    for res in raw["resources"]:
        assert res["schema"]["primaryKey"], res["name"]
        assert all(f.get("description") for f in res["schema"]["fields"]), res["name"]
        for fk in res["schema"].get("foreignKeys", []):  # referenced tables are declared first
            target = fk["reference"]["resource"]
            assert names.index(target) <= names.index(res["name"]), (res["name"], target)


def test_explorers_and_modules_load_on_first_use():
    code = (
        "import sys, course_lib\n"
        "before = 'course_lib.widgets' in sys.modules\n"
        "explorer = course_lib.AllianceExplorer\n"
        "print(before, explorer.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "course_lib.widgets.alliances"]
    assert course_lib.AllianceExplorer is course_lib.widgets.AllianceExplorer
    assert course_lib.network_figure is course_lib.plots.network_figure
    assert {"ComparisonExplorer", "ArsenalExplorer", "ties_on"} <= set(dir(course_lib))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        course_lib.nothing_here  # noqa: B018


@pytest.mark.parametrize("name", course_lib.__all__)
def test_every_public_name_resolves(name):
    assert getattr(course_lib, name) is not None


def test_the_evidence_constant_is_the_schema_scale():
    from course_lib.schema import EVIDENCE_LEVELS

    for table in load_schema().tables:
        if "evidence_level" in table.field_names:
            assert table.field("evidence_level").enum == EVIDENCE_LEVELS


#: The curation's floor (issue 3): a shortfall means rows were lost, not that the floor moved.
FLOOR = {
    "groups": 40,
    "alliances": 60,
    "arsenals": 25,
    "attacks": 15,
    "indicators": 25,
    "milestones": 35,
    "places": 1,
}


@pytest.mark.parametrize("name", sorted(FLOOR))
def test_each_table_meets_the_curation_floor(name):
    assert len(course_lib.load_table(name)) >= FLOOR[name]


def test_frictionless_validates_the_package():
    """The reference validator of the Data Package standard accepts the data as it is."""
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(course_lib.bundled_data_dir() / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors][:10]
    assert report.valid, errors
