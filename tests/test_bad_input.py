"""Bad input as a spreadsheet or a hand edit makes it: always one DataValidationError that says where and why.

Each case breaks a private copy of the data folder the way someone editing the CSV files in
a spreadsheet might, and checks that loading raises (no row is lost silently) with a problem
naming the file, the line, and the column and value where there are any, and that nothing
outside the data folder was opened on the way.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import read_rows, set_cell, write_rows

from course_lib import DataValidationError, load_course, validate

# ------------------------------------------------------------------ what gets opened
_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # records nothing unless a test is inside `files_opened()`


@contextmanager
def files_opened() -> Iterator[list[str]]:
    """The files opened inside the block (Python's own module files left out)."""
    global _opened
    _opened = found = []
    try:
        yield found
    finally:
        _opened = None
        found[:] = [p for p in found if not p.endswith((".py", ".pyc", ".so"))]


def outside(folder: Path, paths: list[str]) -> list[str]:
    """The paths that resolve (links followed) to somewhere outside ``folder``."""
    root = folder.resolve()
    return [p for p in paths if not Path(p).resolve().is_relative_to(root)]


# ------------------------------------------------------------------ ways to break a folder
def edit_line(path: Path, index: int, change: Callable[[str], str]) -> int:
    """Rewrite line ``index`` (0: the header) of a file as raw text; return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[index] = change(lines[index])
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def plain_links(folder: Path) -> Path:
    """``milestone_groups.csv``: two columns of slugs, no quotes, so raw edits are predictable."""
    path = folder / "milestone_groups.csv"
    text = path.read_text(encoding="utf-8")
    assert '"' not in text and text.count("\n") >= 5
    return path


def edit_package(folder: Path, change: Callable[[dict], None]) -> None:
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package), encoding="utf-8")


def quote_never_closed(folder: Path) -> dict:
    line = edit_line(plain_links(folder), 2, lambda s: s.replace(",", ',"', 1))  # swallows the rest
    return dict(file="milestone_groups.csv", line=line, rule="malformed CSV")


def quote_closed_lines_later(folder: Path) -> dict:
    path = plain_links(folder)
    line = edit_line(path, 2, lambda s: s.replace(",", ',"', 1))
    edit_line(path, 4, lambda s: s + '"')  # two rows swallowed into one cell
    return dict(file="milestone_groups.csv", line=line, rule=r"runs over 3 lines: a quote \(\"\) opened")


def line_break_in_a_cell(folder: Path) -> dict:
    line = set_cell(folder / "alliances.csv", 0, "description", "first line\nsecond line")
    return dict(file="alliances.csv", line=line, rule="runs over 2 lines")


def package_not_json(folder: Path) -> dict:
    (folder / "datapackage.json").write_text('{"resources": [\n  {"name": "sources",\n', encoding="utf-8")
    return dict(file="datapackage.json", line=3, rule="is not valid JSON")


def package_empty(folder: Path) -> dict:
    (folder / "datapackage.json").write_text("", encoding="utf-8")
    return dict(file="datapackage.json", line=1, rule="is not valid JSON")


def package_without_resources(folder: Path) -> dict:
    edit_package(folder, lambda p: p.pop("resources"))
    return dict(file="datapackage.json", rule="no list of 'resources'")


def resource_outside_the_folder(folder: Path) -> dict:
    shutil.copy(folder / "places.csv", folder.parent / "x.csv")  # a valid table there, to be sure
    edit_package(
        folder, lambda p: next(r for r in p["resources"] if r["name"] == "places").update(path="../x.csv")
    )
    return dict(file="datapackage.json", rule=r"'\.\./x\.csv' must be a file name inside the data folder")


def resource_with_an_absolute_path(folder: Path) -> dict:
    target = str(folder.parent / "x.csv")
    shutil.copy(folder / "places.csv", target)
    edit_package(
        folder, lambda p: next(r for r in p["resources"] if r["name"] == "places").update(path=target)
    )
    return dict(file="datapackage.json", rule="must be a file name inside the data folder")


def link_to_a_file_outside(folder: Path) -> dict:
    elsewhere = folder.parent / "elsewhere"
    elsewhere.mkdir()
    shutil.move(folder / "places.csv", elsewhere / "places.csv")  # a valid table, but outside
    (folder / "places.csv").symlink_to(elsewhere / "places.csv")
    return dict(file="places.csv", line=None, rule="link to a file outside the data folder")


def package_linked_from_outside(folder: Path) -> dict:
    shutil.move(folder / "datapackage.json", folder.parent / "datapackage.json")
    (folder / "datapackage.json").symlink_to(folder.parent / "datapackage.json")
    return dict(file="datapackage.json", rule="link to a file outside the data folder")


def utf16(folder: Path) -> dict:
    path = folder / "groups.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))  # with its byte-order mark
    return dict(file="groups.csv", line=1, rule="UTF-16")


def utf16_without_its_mark(folder: Path) -> dict:
    path = folder / "milestone_groups.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    return dict(file="milestone_groups.csv", line=1, rule="NUL")


def workbook_saved_as_csv(folder: Path) -> dict:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:  # an .xlsx is a zip of XML parts
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    (folder / "arsenals.csv").write_bytes(buffer.getvalue())
    return dict(file="arsenals.csv", rule="spreadsheet workbook")


def semicolons(folder: Path) -> dict:
    path = folder / "milestone_groups.csv"
    path.write_text(plain_links(folder).read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    return dict(file="milestone_groups.csv", line=1, rule="save the file with ',' as separator")


def spaces_around_a_name(folder: Path) -> dict:
    path = folder / "alliances.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("relation")] = " relation "
    write_rows(path, rows)
    return dict(file="alliances.csv", line=1, column=" relation ", rule="remove the spaces around the name")


def row_of_commas(folder: Path) -> dict:
    line = edit_line(folder / "indicators.csv", 3, lambda s: "," * s.count(","))
    return dict(file="indicators.csv", line=line, rule="only empty cells")


def day_first_date(folder: Path) -> dict:
    line = set_cell(folder / "milestones.csv", 0, "date", "11/04/2007")
    return dict(file="milestones.csv", line=line, column="date", value="11/04/2007", rule="YYYY-MM-DD")


def month_name_date(folder: Path) -> dict:
    line = set_cell(folder / "attacks.csv", 0, "date", "Apr-07")
    return dict(file="attacks.csv", line=line, column="date", value="Apr-07", rule="write months as YYYY-MM")


def thousands_in_an_integer(folder: Path) -> dict:
    line = set_cell(folder / "attacks.csv", 0, "killed_low", "1,200")
    return dict(
        file="attacks.csv", line=line, column="killed_low", value="1,200", rule="thousands separators"
    )


def thousands_in_a_number(folder: Path) -> dict:
    line = set_cell(folder / "indicators.csv", 0, "value_low", "6,000")
    return dict(
        file="indicators.csv", line=line, column="value_low", value="6,000", rule="'.' as the decimal point"
    )


def formula_for_a_number(folder: Path) -> dict:
    line = set_cell(folder / "attacks.csv", 0, "killed_low", "=SUM(O2:O3)")
    return dict(file="attacks.csv", line=line, column="killed_low", value="=SUM(O2:O3)", rule="formula")


def formula_for_a_text(folder: Path) -> dict:
    value = '=HYPERLINK("https://example.org")'
    line = set_cell(folder / "alliances.csv", 0, "description", value)
    return dict(file="alliances.csv", line=line, column="description", value=value, rule="formula")


def own_parent(folder: Path) -> dict:
    path = folder / "groups.csv"
    gid = read_rows(path)[1][read_rows(path)[0].index("group_id")]
    line = set_cell(path, 0, "parent_id", gid)
    return dict(file="groups.csv", line=line, column="parent_id", value=gid, rule="cannot be its own parent")


def duplicate_composite_key(folder: Path) -> dict:
    path = plain_links(folder)
    rows = read_rows(path)
    rows.append(rows[1])
    write_rows(path, rows)
    return dict(
        file="milestone_groups.csv",
        line=len(rows),
        column="milestone_id + group_id",
        value=" + ".join(rows[1]),
        rule="duplicate key; already on line 2",
    )


def a_folder_for_a_file(folder: Path) -> dict:
    (folder / "places.csv").unlink()
    (folder / "places.csv").mkdir()
    return dict(file="places.csv", rule="is a folder, not a file")


def nul_bytes(folder: Path) -> dict:
    line = edit_line(folder / "alliances.csv", 2, lambda s: s.replace(",", ",\x00", 1))
    return dict(file="alliances.csv", line=line, rule="NUL")


def columns_moved(folder: Path) -> dict:
    rows = read_rows(folder / "places.csv")
    write_rows(folder / "places.csv", [[r[1], r[0], *r[2:]] for r in rows])
    return dict(file="places.csv", line=1, rule="not in the order datapackage.json declares")


CASES = [
    columns_moved,
    quote_never_closed,
    quote_closed_lines_later,
    line_break_in_a_cell,
    package_not_json,
    package_empty,
    package_without_resources,
    resource_outside_the_folder,
    resource_with_an_absolute_path,
    link_to_a_file_outside,
    package_linked_from_outside,
    utf16,
    utf16_without_its_mark,
    workbook_saved_as_csv,
    semicolons,
    spaces_around_a_name,
    row_of_commas,
    day_first_date,
    month_name_date,
    thousands_in_an_integer,
    thousands_in_a_number,
    formula_for_a_number,
    formula_for_a_text,
    own_parent,
    duplicate_composite_key,
    a_folder_for_a_file,
    nul_bytes,
]


@pytest.fixture(autouse=True)
def _warm() -> None:
    """Load the bundled data once, so that imports made on first use are not counted as reads."""
    load_course()


@pytest.mark.parametrize("case", CASES, ids=lambda f: f.__name__)
def test_bad_input_is_reported_with_file_line_column_and_value(data_copy, case):
    expected = case(data_copy)
    rule = expected.pop("rule")
    with files_opened() as opened, pytest.raises(DataValidationError) as info:
        load_course(data_copy)
    assert isinstance(info.value, ValueError)
    found = [p for p in info.value.problems if all(getattr(p, k) == v for k, v in expected.items())]
    assert found, f"no problem like {expected} in:\n{info.value}"
    assert any(re.search(rule, p.rule) for p in found), f"no problem says {rule!r} in:\n{info.value}"
    first = next(p for p in found if re.search(rule, p.rule))
    message = str(info.value)
    where = [first.file] + ([f"line {first.line}"] if first.line is not None else [])
    assert ", ".join(where) in message
    if first.column is not None:
        assert f"column {first.column!r}" in message
    if first.value is not None:
        assert f"value {first.value!r}" in message
    assert not outside(data_copy, opened), f"read outside the data folder: {outside(data_copy, opened)}"


@pytest.mark.parametrize(
    "case",
    [
        quote_never_closed,
        quote_closed_lines_later,
        row_of_commas,
        thousands_in_an_integer,
        formula_for_a_text,
        duplicate_composite_key,
        nul_bytes,
    ],
    ids=lambda f: f.__name__,
)
def test_every_problem_names_its_line(data_copy, case):
    """Row-level problems always carry a line number: a reader can go straight to it."""
    case(data_copy)
    with pytest.raises(DataValidationError) as info:
        validate(data_copy)
    assert info.value.problems
    assert all(p.line is not None for p in info.value.problems if p.file.endswith(".csv"))


def test_a_data_folder_that_does_not_exist(tmp_path):
    missing = tmp_path / "no such folder"
    with pytest.raises(DataValidationError) as info:
        load_course(missing)
    (problem,) = info.value.problems
    assert problem.file == str(missing) and "does not exist" in problem.rule
    assert str(missing) in str(info.value)


def test_unrelated_links_and_files_in_the_folder_are_ignored(data_copy, tmp_path):
    expected = {name: len(frame) for name, frame in load_course().items()}  # the copy's, not yet read
    secret = tmp_path / "secret.csv"
    secret.write_text("not,course,data\n", encoding="utf-8")
    (data_copy / "notes.csv").symlink_to(secret)  # a link the package does not name
    (data_copy / "old attacks (copy).csv").write_text("anything\n", encoding="utf-8")
    (data_copy / "drafts").mkdir()
    (data_copy / ".~lock.attacks.csv#").write_text("LibreOffice lock file", encoding="utf-8")
    with files_opened() as opened:
        tables = load_course(data_copy)
    assert {name: len(frame) for name, frame in tables.items()} == expected
    assert opened, "the tables were not read at all"
    assert not any(Path(p).name in {"notes.csv", "secret.csv", "old attacks (copy).csv"} for p in opened)
    assert not outside(data_copy, opened)


def test_a_link_to_a_file_inside_the_folder_is_followed(data_copy):
    expected = len(load_course(data_copy)["places"])
    shutil.move(data_copy / "places.csv", data_copy / "gazetteer.csv")
    (data_copy / "places.csv").symlink_to("gazetteer.csv")
    assert len(load_course(data_copy)["places"]) == expected


def test_a_broken_table_loses_no_row_of_the_others(data_copy):
    """One problem stops the whole load: no table is returned with rows missing."""
    quote_never_closed(data_copy)
    for loader in ("attacks", "groups", "milestones"):
        with pytest.raises(DataValidationError, match=r"milestone_groups\.csv, line 3"):
            load_course(data_copy)[loader]
