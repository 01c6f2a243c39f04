"""The student edition (``make student``): no solutions, no plain answers, and it runs unanswered.

The edition is built once into a temporary folder; each notebook is then run top to bottom
with the edition's own ``course_lib`` and data first on ``PYTHONPATH`` (as a student's copy
would run): no cell may fail, and every exercise's check answers "Not yet" (the practice
cells hold ``answer = ...``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition") / "student"
    assert NOTEBOOKS
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_student.py"), "--out", str(out), *map(str, NOTEBOOKS)],
        check=True,
        capture_output=True,
    )
    return out


def test_the_edition_holds_what_a_student_needs_and_nothing_else(edition):
    names = {p.relative_to(edition).as_posix() for p in edition.rglob("*") if p.is_file()}
    assert {f"notebooks/{p.name}" for p in NOTEBOOKS} <= names
    assert {"README.md", "requirements.lock", "teaching/GLOSSARY.md", "teaching/SYLLABUS.md"} <= names
    assert any(n.startswith("course_lib/assets/answers/") for n in names)
    assert any(n.startswith("data/") and n.endswith(".csv") for n in names)
    for secret in (
        "notebooks/answers/",
        "teaching/guide/",
        "teaching/GRADING.md",
        "tests/",
        "scripts/",
        ".ci/",
    ):
        assert not [n for n in names if n.startswith(secret)], f"{secret} is in the student edition"
    assert (edition.parent / "student.zip").is_file()


def test_no_explanation_is_readable_in_the_edition(edition):
    """The explanations shown with "Correct!" are stored sealed: none is readable in the library or
    the notebooks (some quote the codebook, which the edition's data/README.md holds anyway)."""
    texts = [
        spec.get("explain", "")
        for path in (ROOT / "notebooks" / "answers").glob("*.json")
        for entry in json.loads(path.read_text(encoding="utf-8")).values()
        for spec in [entry, *entry.get("fields", {}).values()]
    ]
    texts = [t for t in texts if len(t) > 80]
    assert texts, "no explanation to look for"
    files = [
        p
        for folder in ("course_lib", "notebooks")
        for p in (edition / folder).rglob("*")
        if p.is_file() and p.suffix in (".json", ".py", ".ipynb", ".md")
    ]
    assert files
    for path in files:
        content = path.read_text(encoding="utf-8", errors="replace")
        leaked = [t[:60] for t in texts if t[:80] in content]
        assert not leaked, f"{path.relative_to(edition)} shows explanations: {leaked[:2]}"


def test_the_edition_runs_its_own_course_lib(edition, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(edition))
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import course_lib; print(course_lib.__file__); print(course_lib.load_attacks().shape[0])",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=edition / "notebooks",
    ).stdout.split()
    assert where[0].startswith(str(edition)) and int(where[1]) > 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_notebook_has_no_solutions_and_runs_unanswered(edition, path, monkeypatch):
    nb = nbformat.read(edition / "notebooks" / path.name, as_version=4)
    source = "\n".join(c.source for c in nb.cells)
    assert "### BEGIN SOLUTION" not in source and "### END SOLUTION" not in source
    assert not [c for c in nb.cells if {"solution", "instructors"} & set(c.metadata.get("tags", []))]
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.strip().startswith("cl.grade(")]
    stubs = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
    assert checks and len(stubs) == len(checks)
    assert all(c.source.startswith("answer = ...") for c in stubs)
    monkeypatch.setenv("PYTHONPATH", str(edition))
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(edition / "notebooks")}}
    ).execute()  # raises on the first cell that fails
    for cell in checks:
        shown = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert shown.startswith(("Not yet", "No answer yet")), (
            f"{path.name}: an unanswered exercise says {shown[:80]!r}"
        )
