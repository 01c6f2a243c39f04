"""Every notebook follows the course template, is normalised, and its exercises work."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import ROOT

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
SERIES = [
    "00_start_here",
    "01_al_qaeda_and_the_taliban",
    "02_from_gspc_to_aqim",
    "03_aqim_arsenal_and_region",
    "04_al_qaeda_and_the_islamic_state",
    "05_afghanistan_after_2021",
    "06_sahel_and_outside_powers",
    "07_comparative_synthesis",
]
EXPLORERS = re.compile(
    r"\b(AllianceExplorer|AttackExplorer|ArsenalMatrix|GroupComparison|BeforeAfter|EvidenceSensitivity)\("
)
CHECK = re.compile(r"""check\(\s*["'](\d\d\.\d+)["']""")


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
    assert EXPLORERS.search(text_of(nb, "code")), f"{path.name} uses no explorer"
    discussion = [c.source for c in nb.cells if c.cell_type == "markdown" and "## Discussion" in c.source]
    assert discussion, f"{path.name} has no Discussion section"
    questions = sum(s.count("?") for s in discussion)
    assert questions >= 2, f"{path.name} has {questions} discussion questions"


def test_exercises_are_checked_with_folded_solutions(notebook):
    path, nb = notebook
    cells = nb.cells
    exercises = [i for i, c in enumerate(cells) if "exercise" in c.metadata.get("tags", [])]
    assert len(exercises) >= 3, f"{path.name} has {len(exercises)} exercises"
    answers = json.loads((ROOT / "course_lib" / "assets" / "answers" / f"{path.stem[:2]}.json").read_text())
    for i in exercises:
        ask = cells[i]
        qid = CHECK.search(ask.source)
        assert qid, f"exercise cell {i} of {path.name} calls no check()"
        assert qid[1] in answers and qid[1].startswith(path.stem[:2])
        solution = cells[i + 1]
        assert "solution" in solution.metadata.get("tags", []), (
            f"cell {i + 1} of {path.name} is not its solution"
        )
        assert "### BEGIN SOLUTION" in solution.source and "### END SOLUTION" in solution.source
        assert solution.metadata.get("jupyter", {}).get("source_hidden") is True, "solutions are folded"
        assert CHECK.search(solution.source)[1] == qid[1]
        shown = "".join(
            o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in solution.outputs
        )
        assert "Correct!" in shown, f"the solution to {qid[1]} does not pass its own check: {shown!r}"


def test_notebooks_are_normalised(notebook):
    path, nb = notebook
    assert "widgets" not in nb.metadata, "widget state is stripped (make notebooks)"
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
