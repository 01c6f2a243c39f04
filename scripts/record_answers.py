"""Refresh the stored answers of every exercise from the notebooks' own solutions.

Each notebook is run in a fresh kernel with one extra cell after each solution cell, which
passes the solution's ``answer`` to :func:`course_lib.exercises.refresh`. The notebooks on
disk are not changed. Run it (``make answers``) after changing the data, then
``make notebooks``.

Usage: python scripts/record_answers.py notebooks/01_al_qaeda_and_the_taliban.ipynb [...]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK = re.compile(r"""check\(\s*["'](\d\d\.\d+)["']""")


def with_refresh_cells(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, list[str]]:
    """A copy of ``nb`` with a refresh cell after each solution cell, and the exercise ids."""
    cells, ids = [], []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", []):
            qid = CHECK.search(cell.source)
            if qid is None:
                raise ValueError(f"a solution cell calls no check(): {cell.source[:80]!r}")
            ids.append(qid[1])
            code = f"import course_lib.exercises\ncourse_lib.exercises.refresh({qid[1]!r}, answer)"
            cells.append(nbformat.v4.new_code_cell(code))
    copy = nbformat.from_dict(nb)
    copy.cells = cells
    return copy, ids


def main(paths: list[str]) -> int:
    if not paths:
        print("no notebooks given", file=sys.stderr)
        return 2
    for name in paths:
        path = Path(name)
        nb, ids = with_refresh_cells(nbformat.read(path, as_version=4))
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        print(f"{path.name}: refreshed {', '.join(ids) or 'no exercises'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
