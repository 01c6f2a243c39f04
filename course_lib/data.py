"""The course data: where it lives, one cache, and one loader per table.

Every loader reads and checks the whole data folder (tables are checked together, so that
foreign keys hold), raises :class:`~course_lib.validate.DataValidationError` listing every
problem, and returns a DataFrame typed as ``datapackage.json`` says:

- enums and ``evidence_level``: ordered ``Categorical`` (in the schema's order);
- integers: nullable ``Int64``; numbers: ``float64`` (``NaN`` when empty);
- booleans: nullable ``boolean``; lists: tuples of strings (empty tuple when empty);
- partial dates: the text as written, plus ``<col>_start``, ``<col>_end`` (first and last
  possible day) and ``<col>_precision`` (ordered ``year`` < ``month`` < ``day``).

Three joins are made for convenience: ``attacks`` gets ``place_name``, ``latitude`` and
``longitude`` from its ``place_id`` (the gazetteer, ``places``); ``alliances`` gets
``source_published`` (its source's ``published`` date, a partial date: when the source last
saw a tie it gives no ``observed`` date for) and ``group_a_ended``, ``group_b_ended`` (when
each group ended, from ``groups``: no tie outlives its groups); and ``milestones`` gets
``group_ids`` (a tuple) from the link table ``milestone_groups``.

The data folder is ``data_dir`` when given, else ``$COURSE_DATA_DIR``, else the tables
bundled with the package. Results are cached while the folder's files are unchanged (one
cache, keyed by folder); each call returns fresh copies, so editing a returned frame never
affects the next call. Loading imports no plotting or widget library and reads no network.

Examples
--------
>>> attacks = load_attacks()
>>> attacks["evidence_level"].cat.categories.tolist()
['suspected', 'reported', 'verified']
>>> str(attacks["killed_low"].dtype)
'Int64'
>>> {"attacks", "groups", "sources"} <= set(load_course())
True
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .dates import date_columns
from .schema import Field, Schema
from .validate import PACKAGE, TRUE_VALUES, DataValidationError, Problem, RawTable, read_folder

__all__ = [
    "bundled_data_dir",
    "load_alliances",
    "load_arsenals",
    "load_attacks",
    "load_course",
    "load_groups",
    "load_indicators",
    "load_milestones",
    "load_places",
    "load_sources",
    "load_table",
    "resolve_data_dir",
    "validate",
]

PathLike = str | os.PathLike | None


def bundled_data_dir() -> Path:
    """The tables shipped with the package (``data/`` of the repository).

    An installed wheel carries them as the resource package ``course_lib._data``; in a
    checkout (an editable install) they are the repository's ``data/`` folder.

    >>> (bundled_data_dir() / "datapackage.json").is_file()
    True
    """
    try:
        return Path(str(importlib.resources.files("course_lib._data").joinpath(PACKAGE))).parent
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "data"


def resolve_data_dir(data_dir: PathLike = None) -> Path:
    """The data folder: ``data_dir``, else ``$COURSE_DATA_DIR``, else :func:`bundled_data_dir`.

    >>> resolve_data_dir() == bundled_data_dir() or "COURSE_DATA_DIR" in os.environ
    True
    """
    chosen = data_dir if data_dir is not None else os.environ.get("COURSE_DATA_DIR")
    path = Path(chosen).expanduser() if chosen else bundled_data_dir()
    if not path.is_dir():
        how = "data_dir" if data_dir is not None else "COURSE_DATA_DIR"
        raise DataValidationError(
            [Problem(str(path), None, None, None, f"data folder (from {how}) does not exist")]
        )
    return path


# ----------------------------------------------------------------------------- typing
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
            [tuple(i.strip() for i in v.split(field.delimiter)) if v else () for v in values], dtype="object"
        )
    return pd.Series([v or None for v in values], dtype="str")


def frame_of(raw: RawTable) -> pd.DataFrame:
    """A typed DataFrame of a table's text cells (see the module docstring)."""
    data: dict[str, object] = {}
    for f in raw.table.fields:
        values = raw.columns[f.name]
        data[f.name] = _column(f, values)
        if f.partial_date:
            data.update(date_columns(f.name, values))
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(raw)))
    frame.attrs["table"] = raw.table.name
    return frame


def _joins(frames: dict[str, pd.DataFrame]) -> None:
    attacks, places = frames.get("attacks"), frames.get("places")
    if attacks is not None and places is not None and "place_id" in attacks:
        gazetteer = places.set_index("place_id").reindex(attacks["place_id"].astype(object))
        found = gazetteer[["latitude", "longitude"]].to_numpy(dtype="float64")
        at = attacks.columns.get_loc("place_id") + 1
        attacks.insert(at, "place_name", gazetteer["name"].astype(object).to_numpy())
        attacks.insert(at + 1, "latitude", found[:, 0])
        attacks.insert(at + 2, "longitude", found[:, 1])
    alliances, sources = frames.get("alliances"), frames.get("sources")
    if alliances is not None and sources is not None and "published" in sources:
        published = sources.set_index("source_id")["published"].reindex(alliances["source_id"].astype(object))
        alliances["source_published"] = [v if isinstance(v, str) and v else None for v in published]
    groups = frames.get("groups")
    if alliances is not None and groups is not None and "ended" in groups:
        ended = groups.set_index("group_id")["ended"]
        for side in ("group_a", "group_b"):
            found = ended.reindex(alliances[side].astype(object))
            alliances[f"{side}_ended"] = [v if isinstance(v, str) and v else None for v in found]
    milestones, links = frames.get("milestones"), frames.get("milestone_groups")
    if milestones is not None and links is not None:
        by_event = links.groupby("milestone_id", sort=False)["group_id"].agg(tuple)
        ids = by_event.reindex(milestones["milestone_id"].astype(object))
        at = milestones.columns.get_loc("kind") + 1 if "kind" in milestones else len(milestones.columns)
        milestones.insert(at, "group_ids", [v if isinstance(v, tuple) else () for v in ids])


# ----------------------------------------------------------------------------- the cache
@dataclass
class _Loaded:
    signature: tuple
    schema: Schema
    frames: dict[str, pd.DataFrame]
    derived: dict[str, Any] = field(default_factory=dict)


_CACHE: dict[Path, _Loaded] = {}


def _signature(folder: Path) -> tuple:
    """What the cache depends on: the size and time of every file the folder's package names."""
    stats = []
    names = [PACKAGE]
    loaded = _CACHE.get(folder)
    if loaded is not None:
        names += [t.path for t in loaded.schema.tables]
    for name in names:
        try:
            st = (folder / name).stat()
            stats.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            stats.append((name, None, None))
    return tuple(stats)


def _loaded(data_dir: PathLike) -> _Loaded:
    folder = resolve_data_dir(data_dir).resolve()
    cached = _CACHE.get(folder)
    if cached is not None and cached.signature == _signature(folder):
        return cached
    schema, raws = read_folder(folder)
    frames = {name: frame_of(raw) for name, raw in raws.items()}
    _joins(frames)
    _CACHE[folder] = loaded = _Loaded((), schema, frames)
    loaded.signature = _signature(folder)
    return loaded


def schema_of(data_dir: PathLike = None):
    """The :class:`~course_lib.schema.Schema` of the data folder (checked with its tables)."""
    return _loaded(data_dir).schema


def data_version(data_dir: PathLike = None) -> str:
    """A short text that changes whenever a file of the data folder does (for caches built on it)."""
    signature = json.dumps([str(resolve_data_dir(data_dir).resolve()), _loaded(data_dir).signature])
    return hashlib.sha256(signature.encode()).hexdigest()[:16]


def derived(key: str, build: Callable[[dict[str, pd.DataFrame]], Any], data_dir: PathLike = None) -> Any:
    """``build(tables)``, computed once per version of the data folder (e.g. a name index)."""
    loaded = _loaded(data_dir)
    if key not in loaded.derived:
        loaded.derived[key] = build(loaded.frames)
    return loaded.derived[key]


# ----------------------------------------------------------------------------- loaders
def validate(data_dir: PathLike = None) -> None:
    """Check every table of the data folder; raise one error listing every problem."""
    _loaded(data_dir)


def load_course(data_dir: PathLike = None) -> dict[str, pd.DataFrame]:
    """Every table, checked together, as a dict of DataFrames keyed by table name."""
    return {name: frame.copy() for name, frame in _loaded(data_dir).frames.items()}


def load_table(name: str, data_dir: PathLike = None) -> pd.DataFrame:
    """One table by name (``"attacks"``, ``"groups"``, ...).

    >>> load_table("groups").index.size > 0
    True
    """
    frames = _loaded(data_dir).frames
    if name not in frames:
        raise KeyError(f"no table {name!r}; the tables are {', '.join(frames)}")
    return frames[name].copy()


def load_sources(data_dir: PathLike = None) -> pd.DataFrame:
    """The bibliography: one row per source (``source_id``, authors, title, url, ...)."""
    return load_table("sources", data_dir)


def load_groups(data_dir: PathLike = None) -> pd.DataFrame:
    """The registry of groups, factions, state forces and outside powers."""
    return load_table("groups", data_dir)


def load_places(data_dir: PathLike = None) -> pd.DataFrame:
    """The gazetteer: the towns the attacks name, with their coordinates."""
    return load_table("places", data_dir)


def load_attacks(data_dir: PathLike = None) -> pd.DataFrame:
    """Attacks, plots and other events of armed violence, with casualty ranges and coordinates."""
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
    """Dated events other than attacks (foundings, renamings, pledges, interventions ...), with ``group_ids``."""
    return load_table("milestones", data_dir)
