"""Every notebook follows the course template, is normalised, and its exercises work."""

from __future__ import annotations

import ast
import itertools
import json
import re

import nbformat
import pytest
from conftest import ROOT

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]*_*.ipynb"))
SERIES = [
    "00_start_here",
    "00a_pandas_primer",
    "01_al_qaeda_and_the_taliban",
    "02_from_gspc_to_aqim",
    "03_aqim_arsenal_and_region",
    "04_al_qaeda_and_the_islamic_state",
    "05_afghanistan_after_2021",
    "06_sahel_and_outside_powers",
    "07_comparative_synthesis",
    "08_comparing_event_datasets",
]
#: The case studies: each has a coding exercise (code a passage as the curators did).
CASE_STUDIES = [name for name in SERIES if name[:2] in ("01", "02", "03", "04", "05", "06", "07")]
EXPLORERS = re.compile(
    r"\b(AllianceExplorer|AttackExplorer|ArsenalExplorer|ComparisonExplorer|BeforeAfterExplorer|SensitivityExplorer)\("
)
GRADE = re.compile(r"""^cl\.grade\(\s*["'](\d\da?\.\d+)["'],\s*answer\s*\)$""")
EXERCISE_HEADING = re.compile(r"^### Exercise (\d\da?\.\d+) \((\d) points?\)", re.M)


def test_the_series_is_complete_and_in_order():
    assert [p.stem for p in NOTEBOOKS] == SERIES


def load(path):
    return nbformat.read(path, as_version=4)


def text_of(nb, kind=None):
    return "\n".join(c.source for c in nb.cells if kind is None or c.cell_type == kind)


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request):
    return request.param, load(request.param)


def test_template_sections(notebook):
    path, nb = notebook
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "starts with a title"
    md = text_of(nb, "markdown")
    for heading in ["What you'll do", "What you'll learn", "What you'll need", "## Key points", "## Sources"]:
        assert heading in md, f"{path.name} lacks {heading!r}"
    assert re.search(r"(Estimated time|minutes)", md), f"{path.name} gives no estimated time"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and "import course_lib" in code[0].source, "the first code cell is the setup cell"
    last_code = code[-1].source
    assert "cite" in last_code, "the Sources section is generated from the rows used (cite / cite_rows)"


def test_explorer_and_discussion(notebook):
    path, nb = notebook
    if path.stem == "00a_pandas_primer":  # the primer teaches pandas: no explorer, no graded discussion
        return
    assert EXPLORERS.search(text_of(nb, "code")), f"{path.name} uses no explorer"
    cells = nb.cells
    answers = [
        i
        for i, c in enumerate(cells)
        if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("discussion-")
    ]
    assert len(answers) >= 2, f"{path.name} has {len(answers)} discussion questions with an answer cell"
    for i in answers:
        cell, question = cells[i], cells[i - 1]
        meta = cell.metadata["nbgrader"]
        assert cell.cell_type == "markdown" and meta["grade"] and meta["solution"] and meta["points"] > 0
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, "model answers are folded"
        assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        assert question.cell_type == "markdown" and "?" in question.source, (
            f"cell {i - 1} of {path.name} asks nothing"
        )


def exercises(nb) -> list[tuple[str, int, int]]:
    """(exercise id, points in the heading, index of its heading cell), in order."""
    return [
        (m[1], int(m[2]), i)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown"
        for m in EXERCISE_HEADING.finditer(c.source)
    ]


def test_exercises_follow_the_template(notebook):
    """Heading, practice stub (tag ``exercise``), folded solution, graded check: nbgrader's metadata."""
    path, nb = notebook
    found = exercises(nb)
    assert len(found) >= 4, f"{path.name} has {len(found)} exercises"
    prefix = path.stem.split("_")[0]
    assert [qid for qid, _, _ in found] == [f"{prefix}.{k}" for k in range(1, len(found) + 1)], (
        "numbered in order"
    )
    sealed = json.loads(
        (ROOT / "course_lib" / "assets" / "answers" / f"{prefix}.json").read_text(encoding="utf-8")
    )
    plain = json.loads((NOTEBOOK_DIR / "answers" / f"{prefix}.json").read_text(encoding="utf-8"))
    assert set(sealed) == set(plain) == {qid for qid, _, _ in found}, (
        "every exercise is sealed, and only those"
    )
    cells = nb.cells
    for qid, points, i in found:
        stub, solution, check = cells[i + 1 : i + 4]
        assert stub.metadata.get("tags") == ["exercise"] and stub.source.startswith("answer = ..."), (
            qid,
            stub.source,
        )
        assert (
            "solution" in solution.metadata.get("tags", [])
            and solution.metadata["jupyter"]["source_hidden"] is True
        )
        meta = solution.metadata["nbgrader"]
        assert (
            meta["solution"]
            and not meta["grade"]
            and meta["grade_id"] == f"ex-{qid.replace('.', '-')}-answer"
        )
        assert solution.source.startswith("### BEGIN SOLUTION\n") and solution.source.rstrip().endswith(
            "### END SOLUTION"
        )
        match = GRADE.match(check.source.strip())
        assert match and match[1] == qid, check.source
        meta = check.metadata["nbgrader"]
        assert meta["grade"] and meta["locked"] and meta["points"] == points, (qid, meta, points)
        shown = "".join(
            o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in check.outputs
        )
        assert shown.startswith("Correct!"), f"the solution to {qid} does not pass its own check: {shown!r}"


@pytest.mark.parametrize("name", CASE_STUDIES)
def test_case_studies_have_a_coding_exercise_and_a_judgement(name):
    path = NOTEBOOK_DIR / f"{name}.ipynb"
    plain = json.loads((NOTEBOOK_DIR / "answers" / f"{name[:2]}.json").read_text(encoding="utf-8"))
    assert "coding" in [entry["kind"] for entry in plain.values()], f"{name} has no coding exercise"
    judged = [
        qid for qid, points, _ in exercises(load(path)) if points == 2 and plain[qid]["kind"] != "coding"
    ]
    assert judged, f"{name} has no judgement (a 2-point exercise that is not a coding one)"


def test_solution_variables_are_not_used_later(notebook):
    """The student edition drops solution cells: no later cell may need a name only they define."""
    path, nb = notebook
    only_in_solutions: set[str] = set()
    defined: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(
            "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        )
        stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        stored |= {
            a.asname or a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, (ast.Import, ast.ImportFrom))
            for a in n.names
        }
        stored |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        if "solution" in cell.metadata.get("tags", []):
            only_in_solutions |= stored - defined
            continue
        loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        needed = (loaded & only_in_solutions) - {"answer"} - stored
        assert not needed, f"{path.name}: a cell uses {sorted(needed)}, defined only in a solution cell"
        defined |= stored
        only_in_solutions -= stored


def test_notebooks_are_normalised(notebook):
    path, nb = notebook
    assert "widgets" not in nb.metadata, "widget state is stripped (make notebooks)"
    for cell in nb.cells:
        kinds = [o.output_type + ":" + o.get("name", "") for o in cell.get("outputs", [])]
        assert all(a != b for a, b in itertools.pairwise(kinds) if a.startswith("stream")), (
            f"{path.name}: consecutive stream outputs are not merged (make notebooks)"
        )
    assert nb.metadata["kernelspec"]["name"] == "python3"
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name} is not executed in order: run make notebooks"
    )


def test_few_volatile_cells(notebook):
    path, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    ignored = [c for c in code if "nbval-ignore-output" in c.metadata.get("tags", [])]
    assert len(ignored) * 10 <= len(code), (
        f"{path.name}: {len(ignored)} of {len(code)} cells ignore their output"
    )


def test_no_network_paths_or_installs(notebook):
    path, nb = notebook
    code = text_of(nb, "code")
    assert not re.search(r"pip install|https?://|\.\./data|read_csv\(", code), (
        f"{path.name} reaches outside course_lib"
    )


def test_notebooks_exist():
    assert NOTEBOOKS, "no notebooks found"
