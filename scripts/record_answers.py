"""Seal every exercise's answer from the notebooks' own solutions (``make answers``).

The plain texts of each notebook's exercises (kind, hint, explanation, expected misreadings,
the fields of a coding exercise) are in ``notebooks/answers/<NN>.json``, with the instructors'
material. This script runs each notebook in a fresh kernel with one extra cell after each
solution cell, which records the solution's ``answer`` under the exercise id of the
``grade("NN.k", answer)`` cell that follows; then it writes
``course_lib/assets/answers/<NN>.json`` with :func:`course_lib.exercises.seal`: digests, and
the explanations encrypted with their answer. Run it after changing the data or an exercise,
then ``make notebooks``.

Usage: python scripts/record_answers.py notebooks/01_al_qaeda_and_the_taliban.ipynb [...]
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_lib.exercises import ANSWERS_DIR, seal

ROOT = Path(__file__).resolve().parent.parent
PLAIN = ROOT / "notebooks" / "answers"
GRADE = re.compile(r"""(?:grade|check)\(\s*["'](\d\d[a-z]?\.\d+)["']""")


def solution_answers(path: Path) -> dict:
    """Run ``path`` and return ``{exercise id: the answer its solution cell computes}``."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "answers.json"
        cells = []
        for i, cell in enumerate(nb.cells):
            cells.append(cell)
            if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", []):
                following = (c.source for c in nb.cells[i + 1 :] if c.cell_type == "code")
                match = next((m for m in map(GRADE.search, following) if m), None)
                if match is None:
                    raise ValueError(
                        f"{path.name}: no grade() cell follows the solution {cell.source[:80]!r}"
                    )
                cells.append(
                    nbformat.v4.new_code_cell(
                        "import json as _j, pathlib as _p\nfrom course_lib.exercises import recordable as _r\n"
                        f"_f = _p.Path({str(out)!r}); _d = _j.loads(_f.read_text()) if _f.exists() else {{}}\n"
                        f"_d[{match[1]!r}] = _r(answer)\n"
                        "_f.write_text(_j.dumps(_d, default=str))"
                    )
                )
        nb.cells = cells
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        return json.loads(out.read_text()) if out.exists() else {}


def main(paths: list[str]) -> int:
    if not paths:
        print("no notebooks given", file=sys.stderr)
        return 2
    for name in paths:
        path = Path(name)
        number = path.name.split("_", 1)[0]
        plain_file = PLAIN / f"{number}.json"
        plain = json.loads(plain_file.read_text(encoding="utf-8")) if plain_file.exists() else {}
        answers = solution_answers(path)
        missing = sorted(set(answers) - set(plain))
        if missing:
            raise SystemExit(f"{plain_file}: no hint or explanation for {', '.join(missing)}")
        sealed = {qid: seal(qid, answers[qid], plain[qid]) for qid in sorted(answers)}
        ANSWERS_DIR.mkdir(parents=True, exist_ok=True)
        (ANSWERS_DIR / f"{number}.json").write_text(
            json.dumps(sealed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"{path.name}: sealed {', '.join(sealed) or 'no exercises'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
