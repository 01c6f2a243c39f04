"""Shared fixtures: a private copy of the bundled data that a test may break."""

from __future__ import annotations

import base64
import csv
import io
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course_lib.data import bundled_data_dir, frame_of
from course_lib.schema import load_schema
from course_lib.validate import RawTable

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = bundled_data_dir()

# The repository's scripts (codebook, notebook builds) are imported by name, as `make` runs them.
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))


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


def make_table(name: str, /, **columns: list) -> pd.DataFrame:
    """A table built through the loaders' own conversion, so it has exactly their dtypes.

    ``columns`` are lists of cell text (unnamed columns are empty). As the loader does, an
    ``attacks`` table gets ``latitude``/``longitude`` (floats, default NaN) right after
    ``place_id``, and a ``milestones`` table gets ``group_ids`` (``"a|b"`` → ``("a", "b")``),
    in place of the gazetteer and the link table.
    """
    extra = {k: columns.pop(k) for k in ("latitude", "longitude", "group_ids") if k in columns}
    table = load_schema().table(name)
    unknown = set(columns) - set(table.field_names)
    assert not unknown, f"{name} has no columns {sorted(unknown)}"
    n = len(next(iter([*columns.values(), *extra.values()]), []))
    cells = {f.name: [str(v) for v in columns.get(f.name, [""] * n)] for f in table.fields}
    frame = frame_of(RawTable(table, cells, list(range(2, n + 2))))
    if name == "attacks":
        at = frame.columns.get_loc("place_id") + 1
        for k, col in enumerate(("latitude", "longitude")):
            frame.insert(at + k, col, np.asarray(extra.get(col, [np.nan] * n), dtype="float64"))
    if name == "milestones":
        ids = extra.get("group_ids", [""] * n)
        frame.insert(
            frame.columns.get_loc("kind") + 1, "group_ids", [tuple(v.split("|")) if v else () for v in ids]
        )
    return frame


def decoded(value):
    """Figure values as plain Python: plotly's base64 arrays (``{"dtype", "bdata"}``) decoded, NaN as None."""
    if isinstance(value, dict):
        if {"dtype", "bdata"} <= set(value):
            array = np.frombuffer(
                base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<")
            )
            if "shape" in value:
                array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return decoded(array.tolist())
        return {k: decoded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [decoded(v) for v in value]
    if isinstance(value, np.ndarray):
        return decoded(value.tolist())
    if isinstance(value, np.generic):
        return decoded(value.item())
    if isinstance(value, float) and value != value:
        return None
    return value


def plain(figure) -> dict:
    """A figure (a ``go.Figure`` or the dict an explorer shows) as plain JSON values, arrays decoded."""
    if hasattr(figure, "to_plotly_json"):
        figure = figure.to_plotly_json()
    return decoded({"data": list(figure.get("data", [])), "layout": dict(figure.get("layout", {}))})
