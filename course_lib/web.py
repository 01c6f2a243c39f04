"""The course's browser assets, served offline: plotly.js and the base map, once per page.

The figures of the course (:class:`~course_lib.widgets.FigureView`) load ``plotly.min.js``
and draw maps from ``world_110m.json`` (the base map), both from one folder URL, never from a
CDN. ``plotly.min.js`` is the course's own build of plotly.js with only the trace types the
course draws (:data:`BUNDLE_TRACES`): 1.8 MB instead of 4.8 MB, and about 0.35 s of script
evaluation in Chromium instead of 1.05 s, on every page that shows a figure. It is used only
when it is the plotly.js version the installed ``plotly`` package expects; otherwise the
package's complete ``plotly.min.js`` is served. ``assets/README.md`` says how both files are
made.

==================  =====================================  ==========================================
Setting             Folder                                 Served by
==================  =====================================  ==========================================
JupyterLab          ``<base_url>course-lib/``              this module's Jupyter server extension
Voila dashboard     ``<base_url>voila/static/``            the dashboard template's static folder
Static pages        (none: plotly.js and the map inline)   :func:`page_head`
==================  =====================================  ==========================================

The server extension is enabled by the file ``jupyter_server_config.d/course_lib.json`` that
the package installs (``make lab`` writes it into the project's Jupyter config too); by hand:
``jupyter server extension enable course_lib``.

Examples
--------
>>> sorted(asset_files())
['plotly.min.js', 'world_110m.json']
>>> BUNDLE_TRACES
('scatter', 'bar', 'heatmap', 'scattergeo', 'scattergl')
>>> page_head().count("<script") == 2
True
"""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path

__all__ = ["ASSETS", "BUNDLE_TRACES", "asset_files", "copy_assets", "page_head", "plotly_js"]

ASSETS = Path(__file__).resolve().parent / "assets"
_BUNDLE = ASSETS / "plotly.min.js"
#: The first comment of a plotly.js file: its version and, in the course's build, its traces.
_BANNER = re.compile(r"plotly\.js v(?P<version>[\w.-]+)(?: \| course bundle: (?P<traces>[a-z0-9, ]+))?")


def _banner(path: Path) -> re.Match:
    with path.open(encoding="utf-8") as file:
        found = _BANNER.search(file.read(400))
    if found is None:
        raise ValueError(f"{path}: no 'plotly.js vX.Y.Z' comment in its first 400 characters")
    return found


#: The trace types the course's plotly.js draws (``scripts/plotly_bundle/build.js`` chooses them).
BUNDLE_TRACES = tuple(name.strip() for name in _banner(_BUNDLE)["traces"].split(","))


@cache
def plotly_js() -> Path:
    """The plotly.js to serve: the course's build if its version is the installed plotly's, else plotly's own."""
    import plotly

    complete = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    same = _banner(_BUNDLE)["version"] == _banner(complete)["version"]
    return _BUNDLE if same else complete


def asset_files() -> dict[str, Path]:
    """The files the browser needs, by the name it asks for them."""
    return {"plotly.min.js": plotly_js(), "world_110m.json": ASSETS / "world_110m.json"}


def copy_assets(folder: str | Path) -> Path:
    """Copy the assets into ``folder`` (the Voila template's static folder, a static site)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for name, path in asset_files().items():
        shutil.copyfile(path, target / name)
    return target


@cache
def _map_script() -> str:
    data = json.loads((ASSETS / "world_110m.json").read_text(encoding="utf-8"))
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=True).replace("</", "<\\/")
    return (
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {}; window.PlotlyGeoAssets.topojson = "
        f'Object.assign(window.PlotlyGeoAssets.topojson || {{}}, {{"world_110m":{text}}});</script>'
    )


def page_head(plotly_src: str = "static/plotly.min.js") -> str:
    """The ``<head>`` scripts of a static page: plotly.js from ``plotly_src``, and the base map inline.

    plotly.js looks in ``window.PlotlyGeoAssets`` before fetching anything, so the page's maps
    draw offline, even opened from ``file://`` (where a map URL would be blocked).
    """
    return f'<script src="{plotly_src}"></script>\n{_map_script()}'


# ----------------------------------------------------------------------------- the server extension
def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "course_lib.web"}]


def _load_jupyter_server_extension(server_app) -> None:
    from jupyter_server.utils import url_path_join
    from tornado.web import HTTPError, StaticFileHandler

    files = asset_files()

    class AssetHandler(StaticFileHandler):
        """Serves the two files of :func:`asset_files`, by name, and nothing else."""

        @classmethod
        def get_absolute_path(cls, root: str, path: str) -> str:
            if path not in files:
                raise HTTPError(404)
            return str(files[path])

        def validate_absolute_path(self, root: str, absolute_path: str) -> str:
            return absolute_path

    web_app = server_app.web_app
    route = url_path_join(web_app.settings["base_url"], "course-lib/(.*)")
    web_app.add_handlers(".*$", [(route, AssetHandler, {"path": str(ASSETS)})])
    server_app.log.info("course_lib: serving plotly.js and the base map at %s", route)
