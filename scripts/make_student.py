"""Publish the student edition (``make student``): the course without solutions or instructors' material.

Writes ``build/student/`` (and ``build/student.zip``), a course a lecturer can hand out:

- the notebooks, with every solution cell (tag ``solution``) and every cell meant for teachers
  only (tag ``instructors``) removed, the model answers of discussion questions replaced by
  ``YOUR ANSWER HERE``, and all outputs cleared; each exercise keeps its answer cell and its
  feedback cell, so the notebooks run top to bottom unanswered;
- ``course_lib`` (whose exercises store only sealed answers and explanations), ``data/``, the
  environment files, and the students' pages of ``teaching/`` (syllabus, glossary, cheat sheet);
- never: ``notebooks/answers/`` (the plain explanations), the instructors' guide, grading notes,
  tests, scripts or CI.

``--branch NAME`` also commits the edition to the git branch ``NAME`` (created or advanced;
the current checkout is not touched), for nbgitpuller links: push it with
``git push origin NAME``.

Usage: python scripts/make_student.py [--out build/student] [--branch student] [notebooks ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
COPY = ["course_lib", "data", "pyproject.toml", "requirements.lock", "environment.yml", "LICENSE", "jupyter"]
TEACHING = ["SYLLABUS.md", "GLOSSARY.md", "CHEATSHEET.md", "READINGS.md"]
DROP_TAGS = {"solution", "instructors"}
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"

README = """# Jihadist armed groups compared: the student edition

Your copy of the course. Open it in JupyterLab (your lecturer's JupyterHub, or on your own
machine: `python3 -m venv .venv && .venv/bin/pip install -r requirements.lock -e .`, then
`.venv/bin/jupyter lab notebooks/00_start_here.ipynb`). Read `teaching/SYLLABUS.md` for the
weeks and the readings, `teaching/GLOSSARY.md` for the names and acronyms, and
`teaching/CHEATSHEET.md` for the functions of `course_lib`.

Every exercise checks your answer at once and gives a hint when it is not yet right; the
explanation is shown when it is. Discussion questions have an answer cell for your text.
"""


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without solution or instructors' cells, model answers or outputs.

    >>> from nbformat.v4 import new_notebook, new_code_cell, new_markdown_cell
    >>> nb = new_notebook(cells=[new_code_cell("answer = ...", metadata={"tags": ["exercise"]}),
    ...     new_code_cell("### BEGIN SOLUTION\\nanswer = 1\\n### END SOLUTION", metadata={"tags": ["solution"]}),
    ...     new_markdown_cell("Model: ### BEGIN SOLUTION\\nit is so\\n### END SOLUTION",
    ...                       metadata={"nbgrader": {"solution": True, "grade": True}})])
    >>> [c.source for c in student_notebook(nb).cells]
    ['answer = ...', 'YOUR ANSWER HERE']
    """
    out = nbformat.from_dict(nb)
    cells = []
    for cell in out.cells:
        if DROP_TAGS & set(cell.metadata.get("tags", [])):
            continue
        if cell.cell_type == "markdown" and BEGIN in cell.source:
            cell.source = "YOUR ANSWER HERE"
            cell.metadata.get("jupyter", {}).pop("source_hidden", None)
        if BEGIN in cell.source or END in cell.source:
            raise ValueError(f"a solution region outside a cell tagged 'solution': {cell.source[:80]!r}")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    out.cells = cells
    out.metadata.pop("widgets", None)
    return out


def build(out: Path, notebooks: list[Path]) -> None:
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, out / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copy(src, out / name)
    (out / "teaching").mkdir()
    for name in TEACHING:
        if (ROOT / "teaching" / name).exists():
            shutil.copy(ROOT / "teaching" / name, out / "teaching" / name)
    (out / "README.md").write_text(README, encoding="utf-8")
    for path in notebooks:
        nbformat.write(student_notebook(nbformat.read(path, as_version=4)), out / "notebooks" / path.name)
    shutil.make_archive(str(out), "zip", out.parent, out.name)


def commit_to_branch(folder: Path, branch: str) -> str:
    """Commit ``folder``'s files as the whole tree of ``branch`` (its own history); return the commit."""

    def git(*args: str, env: dict | None = None, cwd: Path = ROOT) -> str:
        return subprocess.run(
            ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env
        ).stdout.strip()

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "GIT_DIR": str(ROOT / ".git"),
            "GIT_WORK_TREE": str(folder),
            "GIT_INDEX_FILE": str(Path(tmp) / "index"),
        }
        git("add", "-A", ".", env=env, cwd=folder)
        tree = git("write-tree", env=env, cwd=folder)
    parent = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    commit = git(
        "commit-tree", tree, *(["-p", parent] if parent else []), "-m", "The student edition (make student)"
    )
    git("update-ref", f"refs/heads/{branch}", commit)
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    parser.add_argument("--branch", help="also commit the edition to this git branch")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    build(args.out.resolve(), notebooks)
    print(f"wrote {args.out} and {args.out}.zip ({len(notebooks)} notebooks)")
    if args.branch:
        print(f"committed {commit_to_branch(args.out.resolve(), args.branch)[:12]} to branch {args.branch}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
