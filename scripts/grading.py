"""Lay out an nbgrader course from the notebooks (``make grading``), for nbgrader as released.

Each notebook of the course already carries nbgrader's cell metadata: every exercise's solution
cell is an autograded answer (its ``### BEGIN SOLUTION`` region is what nbgrader clears), every
``grade("NN.k", answer)`` cell is an autograder test worth points, and every discussion
question has a manually graded answer cell. This script writes ``build/grading/``:

- ``nbgrader_config.py``: the course directory, and the stubs students see (``answer = ...``);
- ``source/<assignment>/<notebook>.ipynb`` for each notebook (assignment ``week-NN``), where
  the practice cell before each solution (tagged ``exercise``, for readers of the full edition)
  is left out, and solution cells are unfolded: a student writes in the released answer cell.

Then, in ``build/grading/``, nbgrader's own commands do the rest (``teaching/GRADING.md``):
``nbgrader generate_assignment week-01``, release, collect, ``nbgrader autograde week-01``,
``nbgrader generate_feedback week-01``.

Usage: python scripts/grading.py [--out build/grading] [notebooks ...]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """c = get_config()  # noqa: F821 (nbgrader's config file)
c.CourseDirectory.course_id = "jihadist-groups-course"
c.CourseDirectory.root = {root!r}
# What a released answer cell holds: the variable to set, as in the course's own notebooks.
c.ClearSolutions.code_stub = {{"python": "answer = ...  # YOUR ANSWER HERE"}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
"""


def assignment_of(path: Path) -> str:
    """``week-01`` for ``01_al_qaeda_and_the_taliban.ipynb`` (``week-00a`` for ``00a_...``)."""
    return "week-" + path.name.split("_", 1)[0]


def source_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The nbgrader source version of a course notebook: no practice cells, solutions unfolded.

    >>> from nbformat.v4 import new_notebook, new_code_cell
    >>> nb = new_notebook(cells=[new_code_cell("answer = ...", metadata={"tags": ["exercise"]}),
    ...     new_code_cell("x", metadata={"tags": ["solution"], "jupyter": {"source_hidden": True}})])
    >>> [(c.source, c.metadata.get("jupyter")) for c in source_notebook(nb).cells]
    [('x', {})]
    """
    out = nbformat.from_dict(nb)
    out.cells = [c for c in out.cells if "exercise" not in c.metadata.get("tags", [])]
    for cell in out.cells:
        cell.metadata.get("jupyter", {}).pop("source_hidden", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    out.metadata.pop("widgets", None)
    return out


def build(out: Path, notebooks: list[Path]) -> None:
    if (out / "source").exists():
        shutil.rmtree(out / "source")
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG.format(root=str(out)), encoding="utf-8")
    for path in notebooks:
        target = out / "source" / assignment_of(path)
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(nbformat.read(path, as_version=4)), target / path.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "grading")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    build(args.out.resolve(), notebooks)
    print(f"wrote the nbgrader course in {args.out}: {', '.join(assignment_of(p) for p in notebooks)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
