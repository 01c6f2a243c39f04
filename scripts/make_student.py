"""Write the student build: solutions replaced by nbgrader-compatible stubs, outputs cleared.

In code cells, each region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes
``# YOUR CODE HERE`` / ``raise NotImplementedError()`` (what nbgrader's ClearSolutions
writes); in Markdown cells it becomes ``YOUR ANSWER HERE``. Solution cells are unfolded, so
the learner sees the stub. Instructors who use nbgrader can take the source notebooks as they
are: solution cells carry nbgrader metadata.

Usage: python scripts/make_student.py [--out build/student] notebooks/*.ipynb
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import nbformat

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"
_REGION = re.compile(rf"^([ \t]*){re.escape(BEGIN)}[^\n]*\n.*?^[ \t]*{re.escape(END)}[^\n]*$", re.S | re.M)


def clear_solutions(source: str, stub: str) -> str:
    """Replace every solution region of ``source`` by ``stub``, keeping its indentation.

    >>> cell = "x = 1\\n### BEGIN SOLUTION\\nanswer = 2\\n### END SOLUTION\\ncheck(answer)"
    >>> print(clear_solutions(cell, CODE_STUB))
    x = 1
    # YOUR CODE HERE
    raise NotImplementedError()
    check(answer)
    """

    def replace(match: re.Match) -> str:
        indent = match.group(1)
        return "\n".join(indent + line for line in stub.splitlines())

    return _REGION.sub(replace, source)


def student_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without solutions or outputs."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if BEGIN in cell.source:
            stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
            cell.source = clear_solutions(cell.source, stub)
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="build/student")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args(argv)
    out = Path(args.out) / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    for name in args.notebooks:
        path = Path(name)
        nb = student_version(nbformat.read(path, as_version=4))
        nbformat.write(nb, out / path.name)
        print(f"wrote {out / path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
