"""Benchmark of ``course_lib.import_events`` on a synthetic GTD-sized file (``make bench``).

Writes a CSV of 200,000 rows in GTD's 135-column layout into a temporary folder: every value
is synthetic (groups "Synthetic Group 17", summaries "SYNTHETIC BENCHMARK ROW"), with the
codes and the share of blank cells of a real export. Times a cold import (no cache; bound
20 s) and a cached one (bound 2 s), medians of a few runs, each in a fresh cache folder; then
the attack explorer on the imported table: its construction and a change of its year range.

Run alone: ``python benchmarks/import_events.py``; ``benchmarks/run.py`` calls
:func:`bench_import_events`.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = write_synthetic_gtd(Path(tmp) / "gtd.csv", rows=50)
...     len(path.read_text(encoding="utf-8").splitlines())
51
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course_lib.events import GTD_COLUMNS, import_events  # noqa: E402

ROWS = 200_000
COLD_BOUND_S = 20.0
CACHED_BOUND_S = 2.0

#: Real gname spellings (from the crosswalk) mixed with synthetic ones, so that matching runs.
_NAMES = [
    "Taliban",
    "Al-Shabaab",
    "Boko Haram",
    "Islamic State of Iraq and the Levant (ISIL)",
    "Unknown",
    *(f"Synthetic Group {i}" for i in range(400)),
]
_COUNTRIES = ["Afghanistan", "Iraq", "Pakistan", "Mali", "Nigeria", "Somalia", "Syria", "Yemen", "Atlantis"]
_ATTACKS = [
    "Assassination",
    "Armed Assault",
    "Bombing/Explosion",
    "Hijacking",
    "Hostage Taking (Barricade Incident)",
    "Hostage Taking (Kidnapping)",
    "Facility/Infrastructure Attack",
    "Unarmed Assault",
    "Unknown",
]


def write_synthetic_gtd(path: Path, rows: int = ROWS, seed: int = 0) -> Path:
    """A synthetic CSV in GTD's layout (values are made up; see the module's docstring)."""
    rng = np.random.default_rng(seed)
    n = rows
    year = rng.integers(1970, 2021, n)
    month = rng.integers(0, 13, n)
    day = np.where(month == 0, 0, rng.integers(0, 29, n))
    attack = rng.integers(1, 10, n)
    cols: dict[str, np.ndarray] = {c: np.full(n, "", dtype=object) for c in GTD_COLUMNS}
    cols["eventid"] = np.array(
        [f"{y}{m:02d}{d:02d}{i % 10000:04d}" for i, (y, m, d) in enumerate(zip(year, month, day))],
        dtype=object,
    )
    cols["iyear"], cols["imonth"], cols["iday"] = year.astype(str), month.astype(str), day.astype(str)
    cols["approxdate"] = np.where(rng.random(n) < 0.05, "March 2-5, 2015", "")
    cols["extended"] = np.where(rng.random(n) < 0.05, "1", "0")
    cols["country_txt"] = rng.choice(_COUNTRIES, n).astype(object)
    cols["country"] = rng.integers(1, 1000, n).astype(str)
    cols["region_txt"] = "Synthetic region"
    cols["provstate"] = "Synthetic province"
    cols["city"] = np.char.add("Synthetic town ", rng.integers(0, 5000, n).astype(str)).astype(object)
    cols["latitude"] = np.round(rng.uniform(-40, 60, n), 6).astype(str)
    cols["longitude"] = np.round(rng.uniform(-20, 120, n), 6).astype(str)
    cols["specificity"] = rng.integers(1, 6, n).astype(str)
    cols["vicinity"] = "0"
    cols["summary"] = "SYNTHETIC BENCHMARK ROW: no real event; the words are made up for timing only."
    for c in ("crit1", "crit2", "crit3", "success"):
        cols[c] = "1"
    cols["doubtterr"] = rng.choice(["0", "1", "-9"], n).astype(object)
    cols["multiple"] = cols["suicide"] = "0"
    cols["attacktype1"] = attack.astype(str)
    cols["attacktype1_txt"] = np.array(_ATTACKS, dtype=object)[attack - 1]
    target = rng.integers(1, 23, n)
    cols["targtype1"], cols["targtype1_txt"] = target.astype(str), "Synthetic target type"
    cols["target1"] = "Synthetic target"
    cols["natlty1_txt"] = "Synthetic"
    cols["gname"] = rng.choice(_NAMES, n).astype(object)
    cols["guncertain1"] = rng.choice(["0", "1"], n, p=[0.9, 0.1]).astype(object)
    cols["claimed"] = rng.choice(["0", "1", "-9", ""], n).astype(object)
    cols["weaptype1"], cols["weaptype1_txt"] = "6", "Explosives"
    cols["nkill"] = np.where(rng.random(n) < 0.1, "", rng.integers(0, 30, n).astype(str)).astype(object)
    cols["nwound"] = np.where(rng.random(n) < 0.1, "-99", rng.integers(0, 50, n).astype(str)).astype(object)
    cols["property"] = "0"
    cols["ishostkid"] = rng.choice(["0", "1", "-9"], n, p=[0.9, 0.08, 0.02]).astype(object)
    cols["nhostkid"] = np.where(cols["ishostkid"] == "1", "-99", "")
    cols["scite1"] = "SYNTHETIC source citation"
    cols["dbsource"] = "SYNTHETIC"
    for c in ("INT_LOG", "INT_IDEO", "INT_MISC", "INT_ANY"):
        cols[c] = "-9"
    quote = {"summary", "scite1", "approxdate"}
    table = []
    for c in GTD_COLUMNS:
        text = np.broadcast_to(np.asarray(cols[c], dtype=object), (n,)).astype(str)
        table.append(np.char.add(np.char.add('"', text), '"') if c in quote else text)
    lines = [",".join(row) for row in zip(*table)]
    path.write_text(",".join(GTD_COLUMNS) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_import_events(cold_runs: int = 3, cached_runs: int = 5) -> list[dict]:
    """Medians of cold and cached imports of a synthetic 200,000-row GTD file, as run.py rows."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_synthetic_gtd(Path(tmp) / "globalterrorismdb_synthetic.csv")
        old = os.environ.get("XDG_CACHE_HOME")
        cold, cached = [], []
        try:
            for run in range(cold_runs):
                os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / f"cache{run}")
                cold.append(_timed(lambda: import_events(path, verbose=False, progress=False)))
            for _ in range(cached_runs):
                cached.append(_timed(lambda: import_events(path, verbose=False, progress=False)))
            built, changes, static_mb = _explorer_on(import_events(path, verbose=False, progress=False))
        finally:
            if old is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = old
    return [
        dict(
            name="import_events: GTD-sized CSV (200,000 × 135), cold",
            value=statistics.median(cold),
            unit="s",
            bound=COLD_BOUND_S,
        ),
        dict(
            name="import_events: same file again (cached)",
            value=statistics.median(cached),
            unit="s",
            bound=CACHED_BOUND_S,
        ),
        dict(name="attack explorer on the imported table: built", value=built, unit="s", bound=None),
        dict(
            name="attack explorer on the imported table: year range change → figure (all groups)",
            value=statistics.median(changes) * 1000,
            unit="ms",
            bound=None,
        ),
        dict(
            name="attack explorer on the imported table: its kernel-free copy (kept in the notebook)",
            value=static_mb,
            unit="MB",
            bound=None,
        ),
    ]


def _explorer_on(attacks, changes: int = 12) -> tuple[float, list[float], float]:
    """Seconds to build an attack explorer on ``attacks``, the seconds of each change of its
    year range (all groups shown: about 35,000 of the 200,000 attacks, each at its own place),
    and the megabytes of its kernel-free copy, which a notebook keeps in its output."""
    import plotly.io as pio

    from course_lib.widgets.attacks import AttackExplorer

    start = time.perf_counter()
    explorer = AttackExplorer(attacks)
    built = time.perf_counter() - start
    windows = [(1995, 2005), (2000, 2015), (2010, 2020)]
    times = [_timed(lambda i=i: explorer.set_filters(years=windows[i % 3])) for i in range(changes)]
    return built, times, len(pio.to_json(explorer.overview(), validate=False)) / 1e6


if __name__ == "__main__":
    rows = bench_import_events()
    for r in rows:
        print(f"{r['name']}: {r['value']:.2f} {r['unit']} (bound {r['bound']:g} {r['unit']})")
    sys.exit(0 if all(r["value"] <= r["bound"] for r in rows) else 1)
