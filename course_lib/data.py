"""Loaders: one per table, each returning a DataFrame typed as ``datapackage.json`` says.

Every loader reads and checks the whole data folder (tables are validated together, so
foreign keys hold) and raises :class:`~course_lib.validate.DataValidationError` listing
every problem; nothing is dropped. Results are cached while the files are unchanged, and
each call returns a fresh copy, so editing a returned frame never affects the next call.

Column types:

- enums and ``evidence_level``: ordered ``Categorical`` (in the schema's order);
- integers: nullable ``Int64``; numbers: ``float64`` (``NaN`` when empty);
- booleans: nullable ``boolean``; lists: tuples of strings (empty tuple when empty);
- partial dates: the text as written, plus ``<col>_start`` and ``<col>_end``
  (first and last possible day, ``datetime64``) and ``<col>_precision``
  (ordered ``year`` < ``month`` < ``day``).

Examples
--------
>>> attacks = load_attacks()
>>> attacks["evidence_level"].cat.categories.tolist()
['suspected', 'reported', 'verified']
>>> str(attacks["killed_low"].dtype)
'Int64'
>>> sorted(load_course())
['alliances', 'arsenals', 'attacks', 'groups', 'indicators', 'milestones', 'sources']
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np
import pandas as pd

from .dates import PRECISIONS, parse_partial_date
from .schema import Field, resolve_data_dir
from .validate import TRUE_VALUES, RawTable, folder_signature, read_all

__all__ = [
    "load_alliances",
    "load_arsenals",
    "load_attacks",
    "load_course",
    "load_groups",
    "load_indicators",
    "load_milestones",
    "load_sources",
    "load_table",
]

PathLike = str | os.PathLike | None


def _date_columns(name: str, values: list[str]) -> dict[str, object]:
    starts, ends, precisions = [], [], []
    for v in values:
        if v:
            p = parse_partial_date(v)
            starts.append(p.start)
            ends.append(p.end)
            precisions.append(p.precision)
        else:
            starts.append(None)
            ends.append(None)
            precisions.append(None)
    return {
        f"{name}_start": pd.to_datetime(pd.Series(starts, dtype="object")),
        f"{name}_end": pd.to_datetime(pd.Series(ends, dtype="object")),
        f"{name}_precision": pd.Categorical(precisions, categories=PRECISIONS, ordered=True),
    }


def _column(field: Field, values: list[str]) -> object:
    if field.enum is not None:
        return pd.Categorical([v or None for v in values], categories=field.enum, ordered=True)
    if field.type == "integer":
        return pd.array([int(v) if v else None for v in values], dtype="Int64")
    if field.type == "number":
        return np.array([float(v) if v else np.nan for v in values], dtype="float64")
    if field.type == "boolean":
        return pd.array([(v in TRUE_VALUES) if v else None for v in values], dtype="boolean")
    if field.type == "list":
        return pd.Series(
            [tuple(i.strip() for i in v.split(field.delimiter)) if v else () for v in values],
            dtype="object",
        )
    return pd.Series([v or None for v in values], dtype="str")


def _frame(raw: RawTable) -> pd.DataFrame:
    data: dict[str, object] = {}
    for field in raw.table.fields:
        values = raw.columns[field.name]
        data[field.name] = _column(field, values)
        if field.partial_date:
            data.update(_date_columns(field.name, values))
    frame = pd.DataFrame(data)
    frame.attrs["table"] = raw.table.name
    return frame


def _locate(attacks: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Add ``latitude`` and ``longitude`` to the attacks from their ``place_id``."""
    coords = places.set_index("place_id")[["latitude", "longitude"]]
    located = coords.reindex(attacks["place_id"].astype(object)).to_numpy()
    at = attacks.columns.get_loc("place_id") + 1
    attacks.insert(at, "latitude", located[:, 0].astype("float64"))
    attacks.insert(at + 1, "longitude", located[:, 1].astype("float64"))
    return attacks


@lru_cache(maxsize=8)
def _frames(folder, signature) -> dict[str, pd.DataFrame]:
    frames = {name: _frame(raw) for name, raw in read_all(folder).items()}
    if "places" in frames and "attacks" in frames:
        _locate(frames["attacks"], frames["places"])
    return frames


def _load(data_dir: PathLike) -> dict[str, pd.DataFrame]:
    folder = resolve_data_dir(data_dir)
    return _frames(folder, folder_signature(folder))


def load_table(name: str, data_dir: PathLike = None) -> pd.DataFrame:
    """Load one table by name (``"attacks"``, ``"groups"``, ...).

    >>> load_table("groups").index.size > 0
    True
    """
    frames = _load(data_dir)
    if name not in frames:
        raise KeyError(f"no table {name!r}; the tables are {', '.join(sorted(frames))}")
    return frames[name].copy()


def load_course(data_dir: PathLike = None) -> dict[str, pd.DataFrame]:
    """Load every table, validated together, as a dict of DataFrames keyed by table name."""
    return {name: frame.copy() for name, frame in _load(data_dir).items()}


def load_sources(data_dir: PathLike = None) -> pd.DataFrame:
    """The bibliography: one row per source (``source_id``, authors, title, ...)."""
    return load_table("sources", data_dir)


def load_groups(data_dir: PathLike = None) -> pd.DataFrame:
    """The registry of groups, factions, state forces and outside powers."""
    return load_table("groups", data_dir)


def load_attacks(data_dir: PathLike = None) -> pd.DataFrame:
    """Attacks and plots, with casualty ranges (``killed_low`` ... ``hostages_high``)."""
    return load_table("attacks", data_dir)


def load_arsenals(data_dir: PathLike = None) -> pd.DataFrame:
    """Weapons and equipment reported for each actor, by category and evidence level."""
    return load_table("arsenals", data_dir)


def load_alliances(data_dir: PathLike = None) -> pd.DataFrame:
    """Typed, dated relationships between two actors (read ``group_a … group_b``)."""
    return load_table("alliances", data_dir)


def load_indicators(data_dir: PathLike = None) -> pd.DataFrame:
    """Figures stated by the sources (strengths, counts, money), as ranges over periods."""
    return load_table("indicators", data_dir)


def load_milestones(data_dir: PathLike = None) -> pd.DataFrame:
    """Dated events other than attacks: foundings, renamings, pledges, interventions ..."""
    return load_table("milestones", data_dir)
