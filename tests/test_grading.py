"""Grading with nbgrader, end to end, as ``teaching/GRADING.md`` tells a lecturer to (slow).

``scripts/grading.py`` lays out the course; nbgrader's own commands then generate the
assignment of notebook 02 (a coding exercise, judgements, look-ups and discussion questions)
and autograde two submissions: one that answers with the solutions and writes an answer to
each discussion question (every autograded point; the discussion answers wait for a person)
and one left as released (no point; nbgrader gives an unanswered discussion cell 0 itself).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "02_from_gspc_to_aqim.ipynb"
ASSIGNMENT = "week-02"


def nbgrader(course: Path, *args: str) -> str:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, (
        f"nbgrader {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout + done.stderr


def points(nb: nbformat.NotebookNode, kind: str) -> float:
    return sum(
        c.metadata.get("nbgrader", {}).get("points", 0)
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == kind
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    course = tmp_path_factory.mktemp("grading")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "grading.py"), "--out", str(course), str(NOTEBOOK)],
        check=True,
        capture_output=True,
    )
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    released = course / "release" / ASSIGNMENT / NOTEBOOK.name
    nb = nbformat.read(released, as_version=4)
    # The solved submission: each answer cell gets the solution from the course's notebook.
    solutions = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(NOTEBOOK, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"
    }
    solved = nbformat.from_dict(nb)
    for cell in solved.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and grade_id in solutions:
            cell.source = solutions[grade_id]
        elif cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = "A student's answer, citing the rows it rests on."
    for student, version in (("solver", solved), ("blank", nb)):
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(version, folder / NOTEBOOK.name)
    nbgrader(course, "db", "student", "add", "solver")
    nbgrader(course, "db", "student", "add", "blank")
    nbgrader(course, "autograde", ASSIGNMENT, "--force")
    # The gradebook, read by nbgrader's own API in a fresh process (importing nbgrader here would
    # import setuptools' distutils shim into a test process that may hold the standard one).
    query = (
        "import json, sys\nfrom nbgrader.api import Gradebook\nout = {}\n"
        "with Gradebook(sys.argv[1]) as gb:\n"
        "    for student in ('solver', 'blank'):\n"
        "        grades = gb.find_submission_notebook(sys.argv[2], sys.argv[3], student).grades\n"
        "        out[student] = {'auto': sum(g.auto_score or 0 for g in grades if not g.needs_manual_grade),\n"
        "                        'max': sum(g.max_score for g in grades),\n"
        "                        'by_hand': sum(1 for g in grades if g.needs_manual_grade)}\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", query, f"sqlite:///{course / 'gradebook.db'}", NOTEBOOK.stem, ASSIGNMENT],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    scores = json.loads(done.stdout)
    return {"source": nbformat.read(NOTEBOOK, as_version=4), "released": released, "scores": scores}


def test_the_released_notebook_has_stubs_not_solutions(graded):
    nb = nbformat.read(graded["released"], as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "BEGIN SOLUTION" not in text
    answers = [
        c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    ]
    assert answers and all(c.source.startswith("answer = ...  # YOUR ANSWER HERE") for c in answers)
    assert not [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])], (
        "practice stubs are left out"
    )


def test_solutions_earn_every_autograded_point_and_blanks_none(graded):
    nb = graded["source"]
    auto, manual = points(nb, "code"), points(nb, "markdown")
    assert auto > 0 and manual > 0
    solver, blank = graded["scores"]["solver"], graded["scores"]["blank"]
    assert solver["auto"] == auto and blank["auto"] == 0, (solver, blank)
    assert solver["max"] == blank["max"] == auto + manual
    discussions = sum(
        1 for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")
    )
    assert solver["by_hand"] == discussions > 0 and blank["by_hand"] == 0
