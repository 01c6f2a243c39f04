"""Serve the explorers dashboard (``dashboards/explorers.ipynb``) with Voila on 127.0.0.1.

``make dashboard`` runs this; the browser tests start the dashboard the same way. Voila
runs the notebook and shows its outputs, never its code, at http://127.0.0.1:<port>/.

- ``--Voila.root_dir`` is the project folder, and JSON files below ``course_lib/assets``
  are on Voila's allowlist, so the maps load the base map the course ships from
  ``/voila/files/course_lib/assets/`` (see ``course_lib/basemap.py``);
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


def command(port: int, open_browser: bool = False) -> list[str]:
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
        "--VoilaConfiguration.file_allowlist=course_lib/assets/.*[.]json",
        "--VoilaConfiguration.show_tracebacks=True",
        # Cells render as they run, over the page's own kernel connection. Without it (Voila
        # 0.5.13, plotly 6 on anywidget), one of a page's FigureWidgets often drew once and
        # then applied no update: the kernel sent them, but the front-end model plotly had
        # initialised never saw them, so an explorer's table changed and its figure did not.
        "--VoilaConfiguration.progressive_rendering=True",
        *([] if open_browser else ["--no-browser"]),
    ]


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the course's Voila template on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATES), env.get("JUPYTER_PATH", "")) if p)
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--open", action="store_true", help="open the dashboard in a web browser")
    args = parser.parse_args(argv)
    print(f"The explorers dashboard: http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", flush=True)
    os.chdir(ROOT)
    cmd = command(args.port, args.open)
    os.execve(cmd[0], cmd, environment())


if __name__ == "__main__":
    main()
