"""Execute notebooks in place and normalise them so strict nbval can compare their outputs.

Normalised means: run top to bottom in a fresh ``python3`` kernel from the notebook's
folder; execution counts 1, 2, 3 ... in order; no widget state (it embeds plotly.js, megabytes
per notebook, and nbval never compares it); no timing metadata; a fixed kernelspec.

Usage: python scripts/build_notebooks.py notebooks/00_start_here.ipynb [...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip what changes between runs and machines; renumber execution counts."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is None and not cell.outputs:
            continue
        count += 1
        cell.execution_count = count
        for out in cell.outputs:
            if "execution_count" in out:
                out["execution_count"] = count
    return nb


def execute(path: Path, timeout: int = 300) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    return nb


def main(paths: list[str]) -> int:
    if not paths:
        print("no notebooks given", file=sys.stderr)
        return 2
    for name in paths:
        path = Path(name)
        nb = normalise(execute(path))
        nbformat.write(nb, path)
        print(f"executed and normalised {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
