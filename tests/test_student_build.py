"""The student build has no solutions and runs, with only the unanswered exercises failing."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    assert NOTEBOOKS
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_student.py"), "--out", str(out), *map(str, NOTEBOOKS)],
        check=True,
        capture_output=True,
    )
    return out / "notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_notebook_has_no_solutions_and_runs(student_dir, path):
    nb = nbformat.read(student_dir / path.name, as_version=4)
    source = "\n".join(c.source for c in nb.cells)
    assert "### BEGIN SOLUTION" not in source
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert solutions and all("raise NotImplementedError()" in c.source for c in solutions)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    failed = [
        (i, c.source.splitlines()[0] if c.source else "")
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        and any(o.output_type == "error" for o in c.outputs)
        and "solution" not in c.metadata.get("tags", [])
    ]
    assert not failed, f"cells that fail without the solutions: {failed}"
    stubs_raised = [c for c in solutions if any(o.get("ename") == "NotImplementedError" for o in c.outputs)]
    assert len(stubs_raised) == len(solutions)
