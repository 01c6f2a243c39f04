"""The offline base map: where plotly finds coastlines and borders with no internet.

plotly's geographic traces (``scatter_geo``, ``choropleth``, ``go.Scattergeo``) draw their
base map from ``world_110m.json``, which plotly.js downloads from its CDN each time a map
is viewed: offline the map draws nothing, not even its points. The course ships that file
(``course_lib/assets/world_110m.json``, Natural Earth data; see the README beside it) and
each function here points plotly at it in one setting:

==================  ==========================================  ==============================
Setting             How                                         Function
==================  ==========================================  ==============================
JupyterLab          ``topojsonURL`` config: ``/files/<path>/``  :func:`lab_config`
Voila               ``topojsonURL``: ``/voila/files/<path>/``   :func:`voila_config`
Exported HTML file  the file's data seeded in the page head     :func:`html_head_snippet`
==================  ==========================================  ==============================

:func:`config_for_context` picks the right config for the kernel it runs in.

In a notebook
-------------
Show a map figure with :func:`show` (not ``fig.show()`` or a bare ``fig``)::

    from course_lib import basemap
    fig = px.scatter_geo(...)        # or any figure with geo traces
    basemap.show(fig)                # same as fig.show(config=basemap.config_for_context())

The config travels with the saved output, so the map still draws when the executed
notebook is reopened offline. A ``go.FigureWidget`` takes the config through
:func:`configure_widget` (the course's explorers do this themselves).

Requirements of each route:

- JupyterLab serves ``/files/`` only below its root directory (``make lab`` uses the
  project folder) and not from hidden folders (such as ``.venv``): install the course
  with ``pip install -e .`` so that ``course_lib/assets`` is the folder in the project.
- Voila serves ``/voila/files/`` below its root directory (the notebook's folder unless
  ``--Voila.root_dir`` says otherwise) and only files its allowlist names: start it with
  ``--Voila.root_dir=<project> --VoilaConfiguration.file_allowlist="['course_lib/assets/.*[.]json']"``.
- An exported HTML file carries the 137 KB base map in its head (:func:`to_html`); a
  ``topojsonURL`` does not work from ``file://`` (the browser blocks the request).

Examples
--------
>>> topojson_path().name
'world_110m.json'
>>> lab_config(server_root=PROJECT_ROOT)
{'topojsonURL': '/files/course_lib/assets/'}
>>> voila_config(PROJECT_ROOT, base_url="/course/")
{'topojsonURL': '/course/voila/files/course_lib/assets/'}
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote

__all__ = [
    "ASSETS_DIR",
    "PROJECT_ROOT",
    "TOPOJSON_NAME",
    "config_for_context",
    "configure_widget",
    "html_head_snippet",
    "lab_config",
    "show",
    "to_html",
    "topojson_path",
    "voila_config",
]

#: The folder of files the library ships (the base map among them).
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
#: The project folder, which ``make lab`` serves as JupyterLab's root directory.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The name plotly.js gives the base map it needs: ``<scope>_<resolution>m``.
TOPOJSON_NAME = "world_110m"

PathLike = str | os.PathLike


def topojson_path() -> Path:
    """The shipped base map, ``course_lib/assets/world_110m.json``.

    >>> topojson_path().is_file()
    True
    """
    return ASSETS_DIR / f"{TOPOJSON_NAME}.json"


def _url_under(root: PathLike, prefix: str, what: str) -> str:
    """The URL folder of the assets below ``root``, served under ``prefix``."""
    root_path = Path(root).expanduser().resolve()
    try:
        rel = ASSETS_DIR.relative_to(root_path)
    except ValueError:
        raise ValueError(
            f"the base map ({ASSETS_DIR}) is not inside {what} {str(root_path)!r}, so that server "
            "cannot serve it; start the server in the project folder or a folder above it"
        ) from None
    path = "/".join(quote(part) for part in rel.parts)
    base = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    return base + (path + "/" if path else "")


def _join(base_url: str, tail: str) -> str:
    return "/" + "/".join(p for p in (base_url.strip("/"), tail.strip("/")) if p)


def lab_config(server_root: PathLike = PROJECT_ROOT, base_url: str = "/") -> dict[str, str]:
    """The plotly config that makes maps use the shipped base map in JupyterLab.

    Parameters
    ----------
    server_root
        JupyterLab's root directory (``ServerApp.root_dir``); ``make lab`` uses the project
        folder, the default.
    base_url
        The server's base URL (``/`` for ``jupyter lab``, ``/user/<name>/`` on JupyterHub).

    Raises ``ValueError`` when the base map is not below ``server_root``.

    >>> lab_config(PROJECT_ROOT, base_url="/user/ada/")
    {'topojsonURL': '/user/ada/files/course_lib/assets/'}
    >>> lab_config(ASSETS_DIR)
    {'topojsonURL': '/files/'}
    """
    return {"topojsonURL": _url_under(server_root, _join(base_url, "files"), "the server root")}


def voila_config(notebook_dir: PathLike, base_url: str = "/") -> dict[str, str]:
    """The plotly config that makes maps use the shipped base map in Voila.

    Parameters
    ----------
    notebook_dir
        The folder Voila serves ``/voila/files/`` from: the notebook's folder when Voila is
        given a notebook, the folder it is given, or ``--Voila.root_dir``. Voila must also
        allow JSON files (see the module's notes).
    base_url
        Voila's base URL (``/`` unless configured).

    >>> voila_config(PROJECT_ROOT / "course_lib")
    {'topojsonURL': '/voila/files/assets/'}
    """
    return {"topojsonURL": _url_under(notebook_dir, _join(base_url, "voila/files"), "Voila's root folder")}


@cache
def _topojson_text() -> str:
    # Re-serialised compactly; "</" is escaped so the text can sit inside a <script> element.
    data = json.loads(topojson_path().read_text(encoding="utf-8"))
    return json.dumps(data, separators=(",", ":"), ensure_ascii=True).replace("</", "<\\/")


def html_head_snippet() -> str:
    """A ``<script>`` for an HTML page's head that hands plotly.js the base map directly.

    plotly.js looks in ``window.PlotlyGeoAssets.topojson`` before it fetches anything, so
    a page with this snippet draws its maps offline, even opened from ``file://``.

    >>> snippet = html_head_snippet()
    >>> snippet.startswith("<script>") and '"world_110m":{"type":"Topology"' in snippet
    True
    """
    return (
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};"
        "window.PlotlyGeoAssets.topojson = Object.assign(window.PlotlyGeoAssets.topojson || {}, "
        f'{{"{TOPOJSON_NAME}":{_topojson_text()}}});</script>'
    )


def to_html(fig: Any, **kwargs: Any) -> str:
    """A full HTML page of ``fig`` whose maps draw offline (plotly's ``to_html`` + the snippet).

    Keyword arguments go to ``fig.to_html`` (``include_plotlyjs=True`` by default, so the
    page needs nothing else).

    >>> import plotly.graph_objects as go
    >>> page = to_html(go.Figure(go.Scattergeo(lon=[0], lat=[0])), include_plotlyjs=False)
    >>> page.index("PlotlyGeoAssets") < page.index("</head>")
    True
    """
    kwargs["full_html"] = True
    page = fig.to_html(**kwargs)
    head_end = page.find("</head>")
    if head_end < 0:  # pragma: no cover - plotly always writes a head
        return html_head_snippet() + page
    return page[:head_end] + html_head_snippet() + page[head_end:]


def _jupyter_server(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """Root directory and base URL of the Jupyter server that started this kernel, if any.

    A kernel started by a Jupyter server has ``JPY_PARENT_PID`` set to the server's process
    id, and the server describes itself in ``<runtime dir>/jpserver-<pid>.json``; only its
    ``root_dir`` and ``base_url`` are read.
    """
    pid = environ.get("JPY_PARENT_PID", "")
    if not pid.isdigit():
        return None
    runtime = environ.get("JUPYTER_RUNTIME_DIR")
    if not runtime:
        try:
            from jupyter_core.paths import jupyter_runtime_dir
        except ImportError:  # pragma: no cover - jupyter_core comes with ipykernel
            return None
        runtime = jupyter_runtime_dir()
    try:
        info = json.loads((Path(runtime) / f"jpserver-{pid}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    root = info.get("root_dir")
    if not isinstance(root, str) or str(info.get("pid")) != pid:
        return None
    return root, str(info.get("base_url") or "/")


def _voila(environ: Mapping[str, str], cwd: Path) -> tuple[Path, str] | None:
    """Voila's root folder and base URL, when this kernel runs a Voila page."""
    if not environ.get("SERVER_SOFTWARE", "").startswith("voila/"):
        return None
    base_url = environ.get("VOILA_BASE_URL") or "/"
    script = unquote(environ.get("SCRIPT_NAME", ""))
    marker = "voila/render/"
    if marker in script:  # Voila serving a folder (or as a server extension): root/<rel>.ipynb
        depth = len(PurePosixPath(script.split(marker, 1)[1]).parent.parts)
        root = cwd.parents[depth - 1] if 0 < depth <= len(cwd.parents) else cwd
    else:  # Voila given one notebook: its folder is the root (unless root_dir says otherwise)
        root = cwd
    return root, base_url


def config_for_context(
    environ: Mapping[str, str] | None = None, cwd: PathLike | None = None
) -> dict[str, str]:
    """The plotly config for maps in the kernel this runs in (JupyterLab, Voila or none).

    - ``$COURSE_TOPOJSON_URL`` set: that folder URL (for setups the rules below miss);
    - Voila: :func:`voila_config` for its root folder, read from the page's address when
      Voila serves a folder; when it serves one notebook, the notebook's folder if the
      base map is below it, else the project folder (``--Voila.root_dir=<project>``);
    - a kernel of a Jupyter server: :func:`lab_config` with the server's root and base URL
      (``{}``, plotly's CDN, when the base map is outside the server's root);
    - anything else (nbclient, nbval, a script): :func:`lab_config` for the project folder,
      the root ``make lab`` uses, so that saved notebooks draw their maps when opened there.

    ``environ`` and ``cwd`` default to the process's own (arguments for tests).

    >>> config_for_context(environ={})
    {'topojsonURL': '/files/course_lib/assets/'}
    >>> config_for_context(environ={"COURSE_TOPOJSON_URL": "/static/maps/"})
    {'topojsonURL': '/static/maps/'}
    """
    env = os.environ if environ is None else environ
    here = Path.cwd() if cwd is None else Path(cwd)
    if env.get("COURSE_TOPOJSON_URL"):
        return {"topojsonURL": env["COURSE_TOPOJSON_URL"]}
    voila = _voila(env, here)
    if voila is not None:
        root, base_url = voila
        for candidate in (root, PROJECT_ROOT):
            try:
                return voila_config(candidate, base_url)
            except ValueError:
                continue
        return {}  # pragma: no cover - the project folder always holds the assets
    server = _jupyter_server(env)
    if server is not None:
        try:
            return lab_config(*server)
        except ValueError:
            return {}
    return lab_config()


def show(fig: Any, config: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
    """Show ``fig`` with the base-map config of this context (plus any ``config`` given).

    Use it instead of ``fig.show()`` for figures with maps; keyword arguments go to
    ``fig.show`` (``renderer=...``, ``width=...``).
    """
    fig.show(config={**config_for_context(), **(config or {})}, **kwargs)


def configure_widget(widget: Any, config: Mapping[str, Any] | None = None) -> Any:
    """Give a ``go.FigureWidget`` the base-map config; returns the widget.

    A ``FigureWidget`` keeps its plotly config in the synced trait ``_config``, which the
    browser passes to ``Plotly.newPlot`` when it draws the widget: set it before the widget
    is displayed. ``config`` defaults to :func:`config_for_context`.

    >>> import plotly.graph_objects as go
    >>> fw = configure_widget(go.FigureWidget(), {"topojsonURL": "/files/x/"})
    >>> fw._config["topojsonURL"]
    '/files/x/'
    """
    extra = config_for_context() if config is None else dict(config)
    widget._config = {**(widget._config or {}), **extra}
    return widget
