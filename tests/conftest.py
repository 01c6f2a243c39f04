"""Shared fixtures: a private copy of the bundled data that a test may break."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from course_lib.schema import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the bundled data folder (CSV and datapackage.json) to edit freely."""
    target = tmp_path / "data"
    target.mkdir()
    for path in DATA_DIR.iterdir():
        if path.suffix in {".csv", ".json"}:
            shutil.copy(path, target / path.name)
    return target


def read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path: Path, row: int, column: str, value: str) -> int:
    """Set ``column`` of data row ``row`` (0 = first after the header); return its line number."""
    rows = read_rows(path)
    rows[row + 1][rows[0].index(column)] = value
    write_rows(path, rows)
    return row + 2
