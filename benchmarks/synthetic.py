"""Deterministic synthetic tables at the scale of the Global Terrorism Database.

For benchmarks only: never shipped as course data. The tables are built through the same
conversion as the real loaders, so they have exactly the real dtypes.

>>> attacks = synthetic_attacks(1_000)
>>> len(attacks), attacks["attack_type"].dtype.ordered, str(attacks["latitude"].dtype)
(1000, True, 'float64')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course_lib.data import frame_of
from course_lib.schema import load_schema
from course_lib.validate import RawTable

__all__ = ["synthetic_alliances", "synthetic_attacks", "synthetic_groups", "synthetic_groups_table"]

COUNTRIES = ["AFG", "PAK", "IRQ", "SYR", "MLI", "NER", "BFA", "DZA", "LBY", "NGA", "SOM", "YEM"]


def _raw(name: str, columns: dict[str, list[str]]) -> RawTable:
    table = load_schema().table(name)
    n = len(next(iter(columns.values())))
    full = {f.name: columns.get(f.name, [""] * n) for f in table.fields}
    return RawTable(table, full, list(range(2, n + 2)))


def _dates(rng: np.random.Generator, n: int, first: int = 1990, last: int = 2024) -> list[str]:
    days = rng.integers(0, (last - first + 1) * 365, n)
    base = np.datetime64(f"{first}-01-01")
    full = (base + days.astype("timedelta64[D]")).astype(str)
    precision = rng.choice([4, 7, 10], n, p=[0.1, 0.2, 0.7])
    return [d[:p] for d, p in zip(full, precision)]


def synthetic_groups(n: int = 500) -> list[str]:
    """Group ids ``g0000`` ... for ``n`` synthetic groups."""
    return [f"g{i:04d}" for i in range(n)]


def synthetic_groups_table(n: int = 500, seed: int = 0) -> pd.DataFrame:
    """A groups registry for ``n`` synthetic groups, with the real dtypes."""
    rng = np.random.default_rng(seed)
    kinds = load_schema().table("groups").field("kind").enum
    ids = synthetic_groups(n)
    cols = {
        "group_id": ids,
        "name": [f"Group {i}" for i in range(n)],
        "kind": list(rng.choice(kinds, n)),
        "source_id": ["synthetic"] * n,
        "locator": ["row"] * n,
        "evidence_level": ["reported"] * n,
    }
    return frame_of(_raw("groups", cols))


def synthetic_attacks(
    n: int = 200_000, n_groups: int = 500, n_places: int = 2_000, seed: int = 0
) -> pd.DataFrame:
    """``n`` attacks by ``n_groups`` groups at ``n_places`` places, with the real dtypes."""
    rng = np.random.default_rng(seed)
    schema = load_schema().table("attacks")
    enum = {f.name: f.enum for f in schema.fields if f.enum}
    place = rng.integers(0, n_places, n)
    lat = np.round(rng.uniform(-10, 45, n_places), 2)[place]
    lon = np.round(rng.uniform(-15, 75, n_places), 2)[place]
    low = rng.integers(0, 30, n)
    groups = np.array(synthetic_groups(n_groups))
    cols = {
        "attack_id": [f"a{i:06d}" for i in range(n)],
        "date": _dates(rng, n),
        "group_id": list(groups[rng.integers(0, n_groups, n)]),
        "attribution": list(rng.choice(enum["attribution"], n)),
        "country": list(rng.choice(COUNTRIES, n)),
        "place": [f"place {p}" for p in place],
        "place_id": [f"p{p:05d}" for p in place],
        "geo_precision": ["place"] * n,
        "attack_type": list(rng.choice(enum["attack_type"], n)),
        "target_type": list(rng.choice(enum["target_type"], n)),
        "outcome": list(rng.choice(enum["outcome"], n, p=[0.9, 0.05, 0.05])),
        "killed_low": [str(v) for v in low],
        "killed_high": [str(v + d) for v, d in zip(low, rng.integers(0, 5, n))],
        "source_id": ["synthetic"] * n,
        "locator": ["row"] * n,
        "evidence_level": list(rng.choice(enum["evidence_level"], n)),
    }
    frame = frame_of(_raw("attacks", cols))
    # As the loader does from the gazetteer (``places``): coordinates right after ``place_id``.
    at = frame.columns.get_loc("place_id") + 1
    frame.insert(at, "latitude", lat.astype("float64"))
    frame.insert(at + 1, "longitude", lon.astype("float64"))
    return frame


def synthetic_alliances(n_groups: int = 500, n_ties: int = 3_000, seed: int = 0) -> pd.DataFrame:
    """``n_ties`` dated, typed ties among ``n_groups`` groups, with the real dtypes."""
    rng = np.random.default_rng(seed)
    schema = load_schema().table("alliances")
    enum = {f.name: f.enum for f in schema.fields if f.enum}
    groups = np.array(synthetic_groups(n_groups))
    a = rng.integers(0, n_groups, n_ties)
    b = (a + rng.integers(1, n_groups, n_ties)) % n_groups
    start = rng.integers(1990, 2022, n_ties)
    length = rng.integers(0, 15, n_ties)
    ended = rng.random(n_ties) < 0.6
    cols = {
        "alliance_id": [f"t{i:05d}" for i in range(n_ties)],
        "group_a": list(groups[a]),
        "group_b": list(groups[b]),
        "relation": list(rng.choice(enum["relation"], n_ties)),
        "level": list(rng.choice(enum["level"], n_ties)),
        "start": [str(s) for s in start],
        "end": [str(min(s + d, 2024)) if e else "" for s, d, e in zip(start, length, ended)],
        "observed": ["2024"] * n_ties,
        "source_id": ["synthetic"] * n_ties,
        "locator": ["row"] * n_ties,
        "evidence_level": list(rng.choice(enum["evidence_level"], n_ties)),
    }
    return frame_of(_raw("alliances", cols))
