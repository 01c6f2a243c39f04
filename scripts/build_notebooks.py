"""Execute notebooks in place and normalise them so strict nbval can compare their outputs.

Normalised means: run top to bottom in a fresh ``python3`` kernel from the notebook's
folder; execution counts 1, 2, 3 ... in order; no widget state (a static page shows each
explorer's kernel-free figure instead, and nbval never compares it); a widget output's model
id numbered in order (a random id would change the file at every run); consecutive prints of
a cell in one stream output (the kernel may split them differently from run to run); no
timing metadata; a fixed kernelspec. Running a notebook twice gives the same file.

Usage: python scripts/build_notebooks.py notebooks/00_start_here.ipynb [...]
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def merged_streams(outputs: list) -> list:
    r"""``outputs`` with consecutive stream outputs of the same stream joined into one.

    >>> out = [nbformat.v4.new_output("stream", name="stdout", text="a\n"),
    ...        nbformat.v4.new_output("stream", name="stdout", text="b\n")]
    >>> [o["text"] for o in merged_streams(out)]
    ['a\nb\n']
    """
    merged: list = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (
            out.output_type == "stream"
            and last is not None
            and last.output_type == "stream"
            and last.name == out.name
        ):
            last.text += out.text
        else:
            merged.append(out)
    return merged


def normalise(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """Strip what changes between runs and machines; renumber execution counts and widget ids."""
    nb.metadata.pop("widgets", None)
    widgets = 0
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
        cell.outputs = merged_streams(cell.outputs)
        for out in cell.outputs:
            if "execution_count" in out:
                out["execution_count"] = count
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view:
                widgets += 1
                view["model_id"] = uuid.uuid5(uuid.NAMESPACE_URL, f"course:{name}:{widgets}").hex
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
        nb = normalise(execute(path), path.stem)
        nbformat.write(nb, path)
        print(f"executed and normalised {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
