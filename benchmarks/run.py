"""The course's benchmarks (``make bench``): medians over repeated runs, checked against bounds.

Python (loading the tables, an explorer's redraw on 200,000 synthetic attacks or 3,000
synthetic ties, importing a GTD-sized file, Run All of each notebook) and, since that is what
a user feels, the browser (the dashboard's load, its websocket bytes and key → figure
latencies in Chromium, on the bundled data and on 200,000 synthetic attacks; see
``benchmarks/browser.py``). Writes ``benchmarks/results.json`` and the summary table in
README.md (between the ``bench:start`` / ``bench:end`` markers), and exits non-zero if a
bound is missed. Timings live here, never in the test suite.

Usage: python benchmarks/run.py [--only loading attacks alliances overviews import notebooks browser]
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "README.md"


def median_ms(fn: Callable[[], object], repeat: int = 30, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cold_ms(code: str, repeat: int = 9) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd="/")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_loading() -> list[dict]:
    import course_lib

    course_lib.load_course()
    warm = median_ms(course_lib.load_course, repeat=50)
    pandas_cold = cold_ms("import pandas")
    course_cold = cold_ms("import course_lib; course_lib.load_course()")
    return [
        dict(name="load_course() warm", value=warm, unit="ms", bound=100.0),
        dict(name="cold `import pandas`", value=pandas_cold, unit="ms", bound=None),
        dict(name="cold `import course_lib; load_course()`", value=course_cold, unit="ms", bound=None),
        dict(
            name="cold load_course / cold import pandas", value=course_cold / pandas_cold, unit="×", bound=1.5
        ),
    ]


def bench_attack_explorer() -> list[dict]:
    import numpy as np

    from benchmarks.synthetic import synthetic_attacks
    from course_lib.widgets.attacks import AttackExplorer

    attacks = synthetic_attacks()
    explorer = AttackExplorer(attacks=attacks, groups=None)
    groups = sorted(attacks["group_id"].unique())
    years = [(1995, 2005), (2000, 2015), (2010, 2024), (1990, 2024)]
    state = {"i": 0}

    def change() -> None:
        i = state["i"] = state["i"] + 1
        explorer.set_filters(groups=groups[(i * 7) % 480 : (i * 7) % 480 + 20], years=years[i % 4])

    def bare() -> None:
        i = state["i"] = state["i"] + 1
        chosen = groups[(i * 7) % 480 : (i * 7) % 480 + 20]
        lo, hi = years[i % 4]
        year = attacks["date_start"].dt.year
        keep = (
            attacks["group_id"].isin(chosen)
            & year.between(lo, hi)
            & (attacks["evidence_level"] >= "suspected")
        )
        attacks[keep]

    explorer_ms = median_ms(change)
    pandas_ms = median_ms(bare)
    assert np.isfinite(explorer_ms)
    return [
        dict(
            name="attack explorer: filter change → figure (200,000 attacks)",
            value=explorer_ms,
            unit="ms",
            bound=50.0,
        ),
        dict(name="bare pandas filter on the same data", value=pandas_ms, unit="ms", bound=None),
        dict(
            name="attack explorer / bare pandas filter", value=explorer_ms / pandas_ms, unit="×", bound=10.0
        ),
    ]


def bench_alliance_explorer() -> list[dict]:
    from benchmarks.synthetic import synthetic_alliances, synthetic_groups_table
    from course_lib.widgets.alliances import AllianceExplorer

    alliances = synthetic_alliances()
    explorer = AllianceExplorer(alliances=alliances, groups=synthetic_groups_table())
    options = list(explorer.date_slider.options)
    state = {"i": 0}

    def change() -> None:
        state["i"] += 1
        explorer.date_slider.value = options[(state["i"] * 5) % len(options)]

    return [
        dict(
            name="alliance explorer: date change → figure (500 groups, 3,000 ties)",
            value=median_ms(change),
            unit="ms",
            bound=50.0,
        ),
    ]


def bench_notebooks() -> list[dict]:
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        client = NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        )
        client.execute()
        rows.append(
            dict(name=f"Run All: {path.name}", value=time.perf_counter() - start, unit="s", bound=10.0)
        )
    return rows


def bench_overviews() -> list[dict]:
    """Bytes of the kernel-free figures a static page carries (every state precomputed)."""
    import json as _json

    import course_lib as cl
    from course_lib.plots.base import json_ready

    tables = cl.load_course()
    built = {
        "alliance network by year": cl.AllianceExplorer(tables["alliances"], tables["groups"]).overview(),
        "attacks by group, place and year": cl.AttackExplorer(tables["attacks"], tables["groups"]).overview(),
        "arsenal matrix by evidence": cl.ArsenalExplorer(tables["arsenals"], tables["groups"]).overview(),
    }
    return [
        dict(
            name=f"kernel-free figure: {name}",
            value=len(_json.dumps(json_ready(fig.to_plotly_json()))) / 1e3,
            unit="kB",
            bound=500.0,
        )
        for name, fig in built.items()
    ]


def bench_import() -> list[dict]:
    from benchmarks.import_events import bench_import_events

    return bench_import_events()


def bench_browser() -> list[dict]:
    """What a visitor of the dashboard feels, in Chromium: bundled data, then 200,000 synthetic events."""
    import tempfile

    from benchmarks.browser import measure, synthetic_dashboard

    rows = []
    with tempfile.TemporaryDirectory(dir=ROOT / "build") as tmp:
        cases = [
            ("dashboard", ROOT / "dashboards" / "explorers.ipynb", 80.0),
            ("dashboard on 200,000 synthetic attacks", synthetic_dashboard(Path(tmp)), 200.0),
        ]
        for label, notebook, key_bound in cases:
            m = measure(notebook)
            rows += [
                dict(name=f"{label}: first figure drawn", value=m["first_figure_s"], unit="s", bound=3.0),
                dict(name=f"{label}: every figure drawn", value=m["all_figures_s"], unit="s", bound=6.0),
                dict(
                    name=f"{label}: websocket bytes while loading",
                    value=m["websocket_mb"],
                    unit="MB",
                    bound=3.0,
                ),
            ]
            rows += [
                dict(name=f"{label}: key → figure, {tab}", value=ms, unit="ms", bound=key_bound)
                for tab, ms in m["key_to_figure_ms"].items()
            ]
    return rows


BENCHES = {
    "loading": bench_loading,
    "attacks": bench_attack_explorer,
    "alliances": bench_alliance_explorer,
    "overviews": bench_overviews,
    "import": bench_import,
    "notebooks": bench_notebooks,
    "browser": bench_browser,
}


def summary_table(rows: list[dict]) -> str:
    lines = ["| measure | median | bound | met |", "|---|---:|---:|:---:|"]
    for r in rows:
        value = (
            f"{r['value']:.2f} {r['unit']}"
            if r["unit"] not in ("ms", "kB")
            else f"{r['value']:.1f} {r['unit']}"
        )
        bound = "" if r["bound"] is None else f"≤ {r['bound']:g} {r['unit']}"
        met = "" if r["bound"] is None else ("yes" if r["value"] <= r["bound"] else "**no**")
        lines.append(f"| {r['name']} | {value} | {bound} | {met} |")
    return "\n".join(lines)


def write_readme(table: str, machine: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    README.write_text(f"{head}{start}\n{machine}\n\n{table}\n{end}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        nargs="*",
        choices=list(BENCHES),
        help="run only these (results.json and the README are written only after a full run)",
    )
    args = parser.parse_args(argv)
    chosen = args.only or list(BENCHES)
    rows = [row for name in chosen for row in BENCHES[name]()]
    if args.only:
        print(summary_table(rows))
        return 1 if any(r["bound"] is not None and r["value"] > r["bound"] for r in rows) else 0
    machine = (
        f"Measured by `make bench` on {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {len(__import__('os').sched_getaffinity(0))} cores; medians."
    )
    RESULTS.write_text(json.dumps({"machine": machine, "results": rows}, indent=2) + "\n", encoding="utf-8")
    table = summary_table(rows)
    write_readme(table, machine)
    print(table)
    missed = [r["name"] for r in rows if r["bound"] is not None and r["value"] > r["bound"]]
    if missed:
        print("bounds missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
