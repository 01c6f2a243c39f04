"""Export every notebook as a static HTML page that works offline, with an index page.

``make html`` runs this. For each notebook it:

1. executes a copy in a fresh kernel (nbclient, widget state kept), from the notebook's
   folder, and saves it to ``build/executed/``;
2. asks the kernel, before it stops, for the current figure of every ``go.FigureWidget``:
   a ``FigureWidget`` syncs its traces and layout to the browser only when it is built
   (later changes travel as messages), so the saved widget state alone would show each
   explorer's *first* figure, not its last;
3. writes ``build/html/<name>.html`` with nbconvert's ``lab`` template, where

   - plotly.js comes from the installed ``plotly`` package, copied once to
     ``build/html/static/`` and loaded by a relative ``<script src>``;
   - the base map is seeded in each page's head (``course_lib.basemap.html_head_snippet``),
     so maps draw from ``file://`` with no request;
   - plotly outputs (``application/vnd.plotly.v1+json``) become a ``<div>`` drawn by that
     plotly.js;
   - widgets render from the embedded widget state with the ipywidgets HTML manager
     (``@jupyter-widgets/html-manager``'s ``embed-amd.js``), fetched once with ``npm pack``
     at a pinned version and integrity into ``build/vendor/`` and copied to
     ``build/html/static/`` (never a CDN), with require.js from the ``requirejs`` package;
   - a ``FigureWidget`` is an anywidget whose view code (``_esm``, 5 MB: plotly.js again)
     the manager would run from the state: that code is dropped and a 20-line view of our
     own (``anywidget`` as an AMD module, in each page's head) draws the widget's last
     figure with the page's plotly.js;
   - solution cells (folded away in JupyterLab) sit in a closed ``<details>``;
   - MathJax and mermaid, which nbconvert loads from a CDN, are left out (the notebooks
     use neither).

The controls of an exported explorer show their last values but do nothing: there is no
kernel. Each page says so and points to ``make lab`` and ``make dashboard``.

The export is skipped when ``build/html`` is up to date: ``build/html/.inputs`` holds a
hash of everything it was made from (notebooks, library, data, this script, pinned
versions); ``--force`` exports anyway.

Usage: python scripts/export_html.py [--out build/html] [--force] [notebooks/*.ipynb ...]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import copy
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "html"
EXECUTED = ROOT / "build" / "executed"
VENDOR = ROOT / "build" / "vendor"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"

#: npm packages fetched with ``npm pack`` (tarball only, no dependencies), checked against
#: the registry's sha512 integrity. The HTML manager is the one of ipywidgets 8.1.
NPM = {
    "html-manager": (
        "@jupyter-widgets/html-manager@1.0.15",
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
    ),
    "requirejs": (
        "requirejs@2.3.8",
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
    ),
}

#: Run in each kernel after the notebook's last cell: the current figure of every FigureWidget.
PROBE = """
import json as _json
import plotly.io as _pio
from ipywidgets.widgets.widget import _instances as _widgets
from plotly.basewidget import BaseFigureWidget as _FigureWidget
with open({path!r}, "w", encoding="utf-8") as _fh:
    _json.dump({{_id: _json.loads(_pio.to_json(_w, validate=False)) for _id, _w in list(_widgets.items())
                if isinstance(_w, _FigureWidget)}}, _fh)
"""

#: The view of a FigureWidget in a static page: its last figure, drawn by the page's plotly.js.
ANYWIDGET_SHIM = """
// The HTML manager's style sheets name their icon fonts relative to its AMD module ids.
require.config({paths: {"@jupyter-widgets": "static/jupyter-widgets"}});
define("anywidget", ["@jupyter-widgets/base"], function (base) {
  class AnyModel extends base.DOMWidgetModel {}
  class AnyView extends base.DOMWidgetView {
    render() {
      const data = this.model.get("_widget_data");
      const layout = this.model.get("_widget_layout") || {};
      if (!Array.isArray(data) || !window.Plotly) {
        this.el.textContent = "(This widget needs a running kernel.)";
        return;
      }
      this.el.classList.add("course-static-figure");
      const config = Object.assign({responsive: true}, this.model.get("_config") || {});
      const div = document.createElement("div");
      this.el.appendChild(div);
      window.Plotly.newPlot(div, data, layout, config);
    }
  }
  return {AnyModel: AnyModel, AnyView: AnyView};
});
"""

#: ipywidgets draws a slider's handles (noUiSlider) with no accessible name, and a selection
#: slider's with its index as value text: name each handle after the slider's description
#: (axe-core: aria-input-field-name) and give it the readout as value text.
SLIDER_NAMES = r"""
(function () {
  function name(root) {
    root.querySelectorAll(".widget-slider .noUi-handle:not([aria-label])").forEach(function (handle) {
      var slider = handle.closest(".widget-slider");
      var label = slider.querySelector(".widget-label");
      var text = (label && label.textContent.trim()) || "Slider";
      var range = slider.querySelectorAll(".noUi-handle").length > 1;
      var upper = handle.classList.contains("noUi-handle-upper");
      handle.setAttribute("aria-label", range ? text + (upper ? ", end" : ", start") : text);
      var readout = slider.querySelector(".widget-readout");
      if (readout && readout.textContent.trim()) {
        var parts = readout.textContent.split(/\s+[\u2013-]\s+/);
        var value = range && parts.length === 2 ? parts[upper ? 1 : 0] : readout.textContent.trim();
        handle.setAttribute("aria-valuetext", value);
      }
    });
  }
  new MutationObserver(function () { name(document); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
"""

EXTRA_CSS = """
.course-nav { max-width: 1100px; margin: 0 auto; padding: 12px 24px; font-family: var(--jp-ui-font-family);
  border-bottom: 1px solid #ccc; }
.course-nav a { color: #0b57a4; }
.course-static-note { background: #fff8e1; border: 1px solid #c9a227; padding: 8px 12px; margin: 8px 0 0;
  color: #222; }
.jupyter-widgets .widget-html-content, .jupyter-widgets .widget-label {
  font-family: var(--jp-ui-font-family); }
details.course-solution > summary { cursor: pointer; color: #0b57a4; padding: 4px 0; }
/* Darker prompts and code colours than JupyterLab's light theme: WCAG AA contrast (4.5:1) on
   the code cells' #f5f5f5, as axe-core checks (tests/browser/test_html.py). */
:root {
  --jp-cell-prompt-not-active-opacity: 1;
  --jp-cell-prompt-not-active-font-color: #616161;
  --jp-cell-inprompt-font-color: #2a6aa3;
  --jp-cell-outprompt-font-color: #9a4a31;
  --jp-mirror-editor-keyword-color: #007000;
  --jp-mirror-editor-atom-color: #3b3bd6;
  --jp-mirror-editor-number-color: #007000;
  --jp-mirror-editor-variable-3-color: #006b43;
  --jp-mirror-editor-operator-color: #7a1fd1;
  --jp-mirror-editor-comment-color: #356b6b;
  --jp-mirror-editor-meta-color: #7a1fd1;
  --jp-mirror-editor-builtin-color: #007000;
  --jp-mirror-editor-bracket-color: #6b6b4f;
  --jp-mirror-editor-quote-color: #006e00;
}
"""

TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}
<script src="static/plotly.min.js"></script>
{{ resources.course.geo_snippet }}
<script src="static/require.js"></script>
<script>{{ resources.course.anywidget_shim }}</script>
<script>{{ resources.course.slider_names }}</script>
{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">{{ resources.course.css }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<nav class="course-nav" aria-label="Course">
<a href="index.html">All notebooks</a>
<p class="course-static-note">A static copy of an executed notebook: figures and explorers show the
state the notebook left them in, and their controls need a running kernel
(<code>make lab</code> or <code>make dashboard</code>).</p>
</nav>
<main>
{%- endblock body_header -%}
{% block input_group -%}
{%- if cell.metadata.get('jupyter', {}).get('source_hidden', False) -%}
<details class="course-solution"><summary>Show the solution</summary>
{{ super() }}
</details>
{%- else -%}
{{ super() }}
{%- endif -%}
{% endblock input_group %}
"""


# ----------------------------------------------------------------------------- inputs
def _inputs(notebooks: list[Path]) -> list[Path]:
    files = list(notebooks)
    for folder, pattern in (("course_lib", "**/*"), ("data", "*")):
        files += [
            p for p in sorted((ROOT / folder).glob(pattern)) if p.is_file() and "__pycache__" not in p.parts
        ]
    files.append(Path(__file__).resolve())
    return files


def inputs_hash(notebooks: list[Path]) -> str:
    """A hash of everything the export is made from (file names and contents, pinned versions).

    >>> len(inputs_hash([]))
    64
    """
    h = hashlib.sha256(json.dumps(sorted(NPM.values())).encode())
    for path in _inputs(notebooks):
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


# ----------------------------------------------------------------------------- vendored files
def npm_pack(name: str) -> Path:
    """The tarball of pinned package ``name`` in ``build/vendor/``, fetched with ``npm pack`` once."""
    spec, integrity = NPM[name]
    VENDOR.mkdir(parents=True, exist_ok=True)
    algo, _, digest = integrity.partition("-")
    for tgz in VENDOR.glob("*.tgz"):
        if base64.b64encode(hashlib.new(algo, tgz.read_bytes()).digest()).decode() == digest:
            return tgz
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            f"npm is needed once to fetch {spec} (the ipywidgets HTML manager) into {VENDOR}: "
            "install Node.js (apt-get install nodejs npm) and run make html again"
        )
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [npm, "pack", spec, "--json", "--pack-destination", tmp],
            check=True,
            capture_output=True,
            text=True,
        )
        info = json.loads(out.stdout)[0]
        if info.get("integrity") != integrity:
            raise SystemExit(f"{spec}: integrity {info.get('integrity')} is not the pinned {integrity}")
        tgz = Path(tmp) / info["filename"]
        if base64.b64encode(hashlib.new(algo, tgz.read_bytes()).digest()).decode() != digest:
            raise SystemExit(f"{spec}: the tarball does not match the pinned integrity")
        target = VENDOR / info["filename"]
        shutil.move(tgz, target)
    return target


def _extract(tgz: Path, prefix: str, dest: Path, keep) -> list[str]:
    """Extract the files of ``tgz`` directly below ``prefix`` whose names ``keep`` accepts."""
    names = []
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            rel = member.name[len(prefix) :]
            if member.isfile() and member.name.startswith(prefix) and "/" not in rel and keep(rel):
                (dest / rel).write_bytes(tar.extractfile(member).read())
                names.append(rel)
    return names


def vendor_static(static: Path) -> None:
    """plotly.js (from the plotly package), require.js and the HTML manager into ``static``."""
    import plotly

    static.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", static / "plotly.min.js")
    if not _extract(npm_pack("requirejs"), "package/", static, lambda n: n == "require.js"):
        raise SystemExit("requirejs: no require.js in the package")  # pragma: no cover
    manager = npm_pack("html-manager")
    if not _extract(manager, "package/dist/", static, lambda n: n == "embed-amd.js"):
        raise SystemExit("html-manager: no dist/embed-amd.js in the package")  # pragma: no cover
    # Its icon fonts (Font Awesome), where its style sheets look for them: beside its AMD
    # modules, which the pages map to static/jupyter-widgets/ (see ANYWIDGET_SHIM).
    for sub in ("jupyter-widgets", "jupyter-widgets/html-manager/dist"):
        (static / sub).mkdir(parents=True, exist_ok=True)
        _extract(manager, "package/dist/", static / sub, lambda n: n.endswith(".woff2"))


# ----------------------------------------------------------------------------- execution
async def _execute(path: Path, timeout: int) -> tuple:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        figures_file = Path(tmp) / "figures.json"
        nb.cells.append(nbformat.v4.new_code_cell(PROBE.format(path=str(figures_file))))
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=False,
            store_widget_state=True,
        )
        await client.async_execute()
        nb.cells.pop()
        figures = json.loads(figures_file.read_text(encoding="utf-8"))
    return nb, figures


async def execute_all(paths: list[Path], jobs: int, timeout: int) -> list[tuple]:
    """Execute ``paths`` with at most ``jobs`` kernels at a time; (notebook, figures) each."""
    gate = asyncio.Semaphore(jobs)

    async def one(path: Path):
        async with gate:
            start = time.monotonic()
            out = await _execute(path, timeout)
            print(f"executed {path.name} in {time.monotonic() - start:.1f} s", flush=True)
            return out

    return await asyncio.gather(*(one(p) for p in paths))


# ----------------------------------------------------------------------------- rewriting
_DROP_FIGURE_STATE = re.compile(r"^(_esm|_css|_py2js_\w+|_js2py_\w+|_widget_data|_widget_layout)$")


def _no_topojson_url(config: dict | None) -> dict:
    """The plotly config without ``topojsonURL``: the page's head holds the base map."""
    return {k: v for k, v in (config or {}).items() if k != "topojsonURL"}


def static_widget_state(nb, figures: dict) -> dict:
    """The notebook's widget state with each FigureWidget's last figure and without its view code.

    >>> from nbformat.v4 import new_notebook
    >>> nb = new_notebook(metadata={"widgets": {WIDGET_STATE: {"version_major": 2, "version_minor": 0,
    ...     "state": {"f1": {"model_name": "AnyModel", "model_module": "anywidget",
    ...     "model_module_version": "~0.11.*", "state": {"_esm": "x" * 99, "_config": {"topojsonURL": "/f/"},
    ...     "_widget_data": [], "_py2js_restyle": None}}}}}})
    >>> st = static_widget_state(nb, {"f1": {"data": [{"type": "bar"}], "layout": {"title": {"text": "T"}}}})
    >>> sorted(st["state"]["f1"]["state"])
    ['_config', '_widget_data', '_widget_layout']
    >>> st["state"]["f1"]["state"]["_widget_layout"]["title"]["text"], st["state"]["f1"]["state"]["_config"]
    ('T', {})
    """
    state = copy.deepcopy(nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}))
    for model_id, model in state.get("state", {}).items():
        if model.get("model_module") != "anywidget":
            continue
        fresh = {k: v for k, v in model.get("state", {}).items() if not _DROP_FIGURE_STATE.match(k)}
        fresh["_config"] = _no_topojson_url(fresh.get("_config"))
        figure = figures.get(model_id)
        if figure is not None:
            fresh["_widget_data"] = figure.get("data", [])
            fresh["_widget_layout"] = figure.get("layout", {})
        model["state"] = fresh
        model.pop("buffers", None)
    return state


def plotly_html(bundle: dict, div_id: str) -> str:
    """A ``<div>`` and ``<script>`` drawing a plotly output with the page's plotly.js.

    >>> snippet = plotly_html({"data": [{"type": "bar", "y": [1]}], "layout": {},
    ...                        "config": {"topojsonURL": "/files/x/"}}, "fig-1")
    >>> 'id="fig-1"' in snippet and "topojsonURL" not in snippet
    True
    """
    import plotly.io as pio

    fig = {"data": bundle.get("data", []), "layout": bundle.get("layout", {})}
    return pio.to_html(
        fig,
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config=_no_topojson_url(bundle.get("config")),
        validate=False,
    )


def title_of(nb, fallback: str) -> str:
    """The text of the notebook's first level-1 heading.

    >>> from nbformat.v4 import new_notebook, new_markdown_cell
    >>> title_of(new_notebook(cells=[new_markdown_cell("Intro\\n# Start *here*\\ntext")]), "x")
    'Start here'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if match:
                return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


def prepare(nb, figures: dict, stem: str):
    """The executed notebook, made ready for the template (a copy)."""
    import nbformat

    nb = nbformat.from_dict(copy.deepcopy(nb))
    state = static_widget_state(nb, figures)
    if state.get("state"):
        nb.metadata["widgets"] = {WIDGET_STATE: state}
    else:
        nb.metadata.pop("widgets", None)
    count = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if PLOTLY_MIME in data:
                count += 1
                data["text/html"] = plotly_html(data[PLOTLY_MIME], f"{stem}-figure-{count}")
                del data[PLOTLY_MIME]
    nb.metadata["title"] = title_of(nb, stem)
    return nb


def exporter():
    import jinja2
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({"course.html.j2": TEMPLATE})],
        template_file="course.html.j2",
        widget_renderer_url="static/embed-amd.js",
        require_js_url="static/require.js",
        mathjax_url="",
        mermaid_js_url="",
        language_code="en",
    )


def render(nb, html_exporter) -> str:
    from course_lib.basemap import html_head_snippet

    resources = {
        "course": {
            "geo_snippet": html_head_snippet(),
            "anywidget_shim": ANYWIDGET_SHIM,
            "slider_names": SLIDER_NAMES,
            "css": EXTRA_CSS,
        },
    }
    body, _ = html_exporter.from_notebook_node(nb, resources=resources)
    return body


INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Jihadist armed groups compared: the course without a kernel</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 900px; margin: 2em auto; padding: 0 1em;
  line-height: 1.5; color: #222; }}
a {{ color: #0b57a4; }}
li {{ margin: 0.4em 0; }}
</style>
</head>
<body>
<main>
<h1>Jihadist armed groups compared: the course without a kernel</h1>
<p>Static copies of the executed notebooks: the text, tables, figures and maps, and each explorer
as the notebook left it. The controls need a running kernel: open the course with
<code>make lab</code>, or the explorers alone with <code>make dashboard</code>.</p>
<ol>
{items}
</ol>
</main>
</body>
</html>
"""


def write_index(out: Path, pages: list[tuple[str, str]]) -> None:
    items = "\n".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a></li>' for href, title in pages
    )
    (out / "index.html").write_text(INDEX.format(items=items), encoding="utf-8")


# ----------------------------------------------------------------------------- main
def export(paths: list[Path], out: Path, jobs: int, timeout: int) -> None:
    import nbformat

    vendor_static(out / "static")
    results = asyncio.run(execute_all(paths, jobs, timeout))
    EXECUTED.mkdir(parents=True, exist_ok=True)
    html_exporter = exporter()
    pages = []
    for path, (nb, figures) in zip(paths, results):
        nbformat.write(nb, EXECUTED / path.name)
        ready = prepare(nb, figures, path.stem)
        (out / f"{path.stem}.html").write_text(render(ready, html_exporter), encoding="utf-8")
        pages.append((f"{path.stem}.html", ready.metadata["title"]))
    for stale in set(out.glob("*.html")) - {out / h for h, _ in pages} - {out / "index.html"}:
        stale.unlink()
    write_index(out, pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9]*.ipynb")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--force", action="store_true", help="export even when the pages are up to date")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="kernels at a time")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOK_DIR.glob("[0-9]*.ipynb"))
    if not paths:
        print("no notebooks to export", file=sys.stderr)
        return 2
    out = args.out.resolve()
    stamp = out / ".inputs"
    digest = inputs_hash(paths)
    if not args.force and stamp.is_file() and stamp.read_text().strip() == digest:
        print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out} is up to date")
        return 0
    start = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    export(paths, out, max(1, args.jobs), args.timeout)
    stamp.write_text(digest + "\n")
    print(f"wrote {len(paths)} pages and index.html to {out} in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
