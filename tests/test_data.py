"""Loaders: typed as the schema says, derived date columns, nothing imported that need not be."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import course_lib
from course_lib import load_schema

LOADERS = {
    "sources": course_lib.load_sources,
    "groups": course_lib.load_groups,
    "attacks": course_lib.load_attacks,
    "arsenals": course_lib.load_arsenals,
    "alliances": course_lib.load_alliances,
    "indicators": course_lib.load_indicators,
    "milestones": course_lib.load_milestones,
}


def test_one_loader_per_table():
    assert sorted(LOADERS) == sorted(load_schema().names)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loader_types_follow_the_schema(name):
    frame = LOADERS[name]()
    table = load_schema().table(name)
    assert list(frame.columns[:1]) == [table.primary_key]
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


def test_evidence_levels_are_ordered_weakest_first():
    levels = course_lib.load_alliances()["evidence_level"]
    assert list(levels.cat.categories) == ["suspected", "reported", "verified"]
    assert (levels >= "reported").sum() <= len(levels)


def test_year_precision_spans_the_year():
    frame = course_lib.load_milestones()
    years = frame[frame["date_precision"] == "year"]
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
    raw = json.loads((course_lib.DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert raw["profile"] == "tabular-data-package"
    names = [r["name"] for r in raw["resources"]]
    assert names == ["sources", "groups", "attacks", "arsenals", "alliances", "indicators", "milestones"]
    for res in raw["resources"]:
        assert res["schema"]["primaryKey"], res["name"]
        assert all(f.get("description") for f in res["schema"]["fields"]), res["name"]


def test_explorers_and_modules_load_on_first_use():
    assert course_lib.AllianceExplorer is course_lib.widgets.AllianceExplorer
    assert callable(course_lib.plots.network_figure)
    assert "GroupComparison" in dir(course_lib)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        course_lib.nothing_here  # noqa: B018


def test_the_evidence_constant_is_the_schema_scale():
    from course_lib.schema import EVIDENCE_LEVELS

    for table in load_schema().tables:
        if "evidence_level" in table.field_names:
            assert table.field("evidence_level").enum == EVIDENCE_LEVELS


#: The curation's floor (issue 3): a shortfall means rows were lost, not that the floor moved.
FLOOR = {"groups": 40, "alliances": 60, "arsenals": 25, "attacks": 15, "indicators": 25, "milestones": 35}


@pytest.mark.parametrize("name", sorted(FLOOR))
def test_each_table_meets_the_curation_floor(name):
    assert len(LOADERS[name]()) >= FLOOR[name]
