"""Serve the explorers dashboard (``dashboards/explorers.ipynb``) with Voila on 127.0.0.1.

``make dashboard`` runs this; the browser tests start the dashboard the same way. Voila
runs the notebook and shows its outputs, never its code, at http://127.0.0.1:<port>/.

- plotly.js and the base map are copied into ``build/voila/`` as the static folder of the
  course's template, so every figure loads them once, from ``/voila/static/`` (see
  ``course_lib/web.py``), and never from a CDN;
- ``--template=course`` (``dashboards/share/voila/templates/course``, found through
  ``JUPYTER_PATH``) is Voila's ``lab`` template without its style sheets from a CDN, so the
  page makes no request off the machine.

Usage: python dashboards/serve.py [--port 8866] [--open]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOTEBOOK = HERE / "explorers.ipynb"
TEMPLATES = HERE / "share"
STATIC = ROOT / "build" / "voila"
UNUSED_EXTENSIONS = (
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "@voila-dashboards/jupyterlab-preview",
    "jupyterlab-plotly",
)


def command(port: int, open_browser: bool = False, pool: int = 2) -> list[str]:
    """The Voila command line."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(NOTEBOOK.relative_to(ROOT)),
        "--template=course",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        f"--Voila.root_dir={ROOT}",
        "--VoilaConfiguration.show_tracebacks=True",
        # A kernel is started and the notebook run before anyone asks (then again after each
        # visit): a visitor waits only for the browser to draw, not for Python to start.
        "--VoilaConfiguration.preheat_kernel=True",
        f"--VoilaConfiguration.default_pool_size={pool}",
        # Not the front-end extensions of JupyterLab's own pages: in the dev environment
        # nbgrader's, the notebook's and the preview's would load, fail, and cost time.
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS),
        *([] if open_browser else ["--no-browser"]),
    ]


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the course's Voila template and its static files on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    paths = (str(TEMPLATES), str(STATIC), env.get("JUPYTER_PATH", ""))
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in paths if p)
    return env


def prepare() -> None:
    """Copy plotly.js and the base map where Voila serves the template's static files."""
    from course_lib.web import copy_assets

    copy_assets(STATIC / "voila" / "templates" / "course" / "static")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--open", action="store_true", help="open the dashboard in a web browser")
    args = parser.parse_args(argv)
    print(f"The explorers dashboard: http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
    os.chdir(ROOT)
    prepare()
    cmd = command(args.port, args.open)
    os.execve(cmd[0], cmd, environment())


if __name__ == "__main__":
    main()
