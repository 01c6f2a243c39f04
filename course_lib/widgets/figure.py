"""A plotly figure in a widget, drawn with one shared copy of plotly.js and updated by differences.

plotly's own ``FigureWidget`` ships the whole of plotly.js (5 MB) with every widget over the
kernel's websocket, and echoes every redraw back to the kernel. :class:`FigureView` is a small
anywidget instead: its view loads plotly.js once per page, over HTTP, from the folder the
course's server extension (JupyterLab) or the dashboard's template (Voila) serves (see
:mod:`course_lib.web`), and draws with ``Plotly.react``. :meth:`FigureView.update` sends only
the traces and layout keys that changed; nothing comes back.

Shown in a static page (an exported notebook), a ``FigureView`` falls back to its current
figure as a plain plotly output, drawn by the page's own plotly.js.

Examples
--------
>>> from course_lib.plots import empty_figure
>>> view = FigureView(empty_figure("A title", "Nothing yet."))
>>> view.update(empty_figure("A title", "Still nothing."))
>>> view.summary
'Still nothing.'
>>> figure_patch({"data": [{"type": "bar", "x": [1]}], "layout": {"height": 1}},
...              {"data": [{"type": "bar", "x": [2]}], "layout": {"height": 1}})
{'type': 'patch', 'length': 1, 'data': {'0': {'x': [2]}}, 'removed': {}, 'layout': {}, 'layout_removed': []}
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from ..plots.base import json_ready, summary_of

__all__ = ["ASSET_FOLDERS", "STATIC_FIGURE", "FigureView", "figure_patch", "show"]

#: The output type of a figure's copy for pages with no kernel (plotly's JSON under the course's
#: own name): ``make html`` draws it with the page's plotly.js. Plotly's own type would make
#: JupyterLab's plotly renderer draw it too, with map outlines fetched from a CDN.
STATIC_FIGURE = "application/vnd.course-lib.figure+json"

#: Where the view looks for ``plotly.min.js`` and the base map, relative to the server's base URL:
#: the course's Jupyter server extension, then the Voila dashboard's template folder.
ASSET_FOLDERS = ["course-lib/", "voila/static/"]

_ESM = r"""
function pageConfig() {
  const el = document.getElementById("jupyter-config-data");
  try { return (el && JSON.parse(el.textContent)) || {}; } catch (e) { return {}; }
}
function loadScript(url) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = url;
    s.onload = resolve;
    s.onerror = () => { s.remove(); reject(new Error(url)); };
    document.head.appendChild(s);
  });
}
async function load(folders) {
  // Always the course's own copy, whose folder also serves the base map (another plotly.js
  // on the page, such as plotly's JupyterLab renderer, would fetch maps from the internet).
  const config = pageConfig();
  const base = new URL(config.baseUrl || "/", document.baseURI);
  if (String(config.appUrl || "").startsWith("voila")) folders = [...folders].reverse();  // try Voila's folder first
  const amd = globalThis.define;
  globalThis.define = undefined;  // plotly.js is UMD: with an AMD loader on the page it would not set window.Plotly
  try {
    for (const folder of folders) {
      const assets = new URL(folder, base).href;
      try { await loadScript(assets + "plotly.min.js"); } catch (e) { continue; }
      if (globalThis.Plotly) return { Plotly: globalThis.Plotly, assets };
    }
  } finally { globalThis.define = amd; }
  if (globalThis.Plotly) return { Plotly: globalThis.Plotly, assets: null };  // a page with its own
  throw new Error("The figure cannot be drawn: plotly.js was not found in " + folders.join(" or ") +
    " (enable the course's server extension: jupyter server extension enable course_lib).");
}
// One copy per page, loaded by the first figure that needs it.
function library(folders) {
  return (globalThis.__courseLibPlotly ||= load(folders));
}
function patched(fig, msg) {
  const data = fig.data.slice(0, msg.length);
  for (const i of new Set([...Object.keys(msg.data), ...Object.keys(msg.removed)])) {
    const k = Number(i);
    const change = msg.data[i] || {};  // a trace may only have lost keys
    if (change.__replace__) { const { __replace__, ...trace } = change; data[k] = trace; continue; }
    const trace = Object.assign({}, data[k], change);
    for (const key of msg.removed[i] || []) delete trace[key];
    data[k] = trace;
  }
  const layout = Object.assign({}, fig.layout, msg.layout);
  for (const key of msg.layout_removed) delete layout[key];
  return { data, layout };
}
export default {
  async render({ model, el }) {
    performance.mark("course-figure:render");
    el.classList.add("course-figure");
    const div = document.createElement("div");
    el.appendChild(div);
    let lib;
    try { lib = await library(model.get("_asset_folders")); performance.mark("course-figure:plotly"); }
    catch (err) { div.className = "course-figure-error"; div.textContent = err.message; return; }
    const { Plotly, assets } = lib;
    let fig = model.get("figure");
    let queue = Promise.resolve();
    let shown = false;  // drawn from the first time the figure is on screen (not in a closed tab)
    const clicks = () => div.on("plotly_click", (event) => model.send({ type: "click", points: event.points.map((p) =>
      ({ trace: p.curveNumber, index: p.pointNumber, x: p.x, y: p.y })) }));
    // plotly edits the layout it is given (a resize drops its height): it gets copies, and the
    // container keeps the figure's height, before the first draw too (the page does not jump).
    const height = () => { div.style.height = `${(fig.layout && fig.layout.height) || 450}px`; };
    height();
    const draw = () => {
      if (!shown) return queue;
      const data = fig.data.map((trace) => Object.assign({}, trace));
      const layout = Object.assign({}, fig.layout);
      height();
      const config = Object.assign({ responsive: true, displaylogo: false }, assets ? { topojsonURL: assets } : {},
                                   model.get("config"));
      const first = !div.classList.contains("js-plotly-plot");
      queue = queue.then(() => Plotly.react(div, data, layout, config))
                   .then(() => {
                     if (first) clicks();
                     el.dataset.revision = String(Number(el.dataset.revision || 0) + 1);
                     performance.mark("course-figure:drawn");
                   });
      return queue;
    };
    model.on("msg:custom", (msg) => {
      if (msg.type === "figure") fig = msg.figure;
      else if (msg.type === "patch") fig = patched(fig, msg);
      else return;
      draw();
    });
    model.on("change:figure", () => { fig = model.get("figure"); draw(); });
    // Draw when first on screen (a figure in a closed tab waits: the open tab's figures come
    // first), then redraw at the new size when the page or the panel is resized.
    const resize = new ResizeObserver(() => {
      if (!el.offsetWidth) return;
      if (!shown) { shown = true; draw(); } else if (div.classList.contains("js-plotly-plot")) Plotly.Plots.resize(div);
    });
    resize.observe(el);
    model.send({ type: "sync" });
    return () => { resize.disconnect(); Plotly.purge(div); };
  },
};
"""

_CSS = """
.course-figure { width: 100%; min-width: 0; }
.course-figure-error { padding: 1em; border: 1px solid #c9a227; background: #fff8e1; color: #222; }
"""


def _as_dict(figure: Any) -> dict:
    """``figure`` (a ``go.Figure``, a dict or ``None``) as plain JSON values, a new copy.

    A ``go.Figure`` keeps its current properties as dicts and arrays in ``_data`` and
    ``_layout``; :func:`json_ready` copies them from there. ``to_plotly_json`` would copy them
    twice and turn every array into base64 first, about 3.5 ms of the alliance network's 9.5
    ms a redraw. ``tests/test_figures.py`` checks that both give the same figure.
    """
    if figure is None:
        return {"data": [], "layout": {}}
    if isinstance(getattr(figure, "_data", None), list) and isinstance(
        getattr(figure, "_layout", None), dict
    ):
        plain = {"data": figure._data, "layout": figure._layout}
    else:
        plain = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure)
    plain = {"data": list(plain.get("data", [])), "layout": dict(plain.get("layout", {}))}
    return json_ready(plain)


def figure_patch(old: dict, new: dict) -> dict | None:
    """The message that turns figure ``old`` into ``new`` (plain dicts), or ``None`` when they are equal.

    Per trace, the keys whose value changed (or the whole trace when its type changed or it
    is new) and the keys it lost; for the layout, the top-level keys that changed or went.
    """
    data: dict[str, dict] = {}
    removed: dict[str, list[str]] = {}
    for i, trace in enumerate(new["data"]):
        before = old["data"][i] if i < len(old["data"]) else None
        if before is None or before.get("type") != trace.get("type"):
            data[str(i)] = {"__replace__": True, **trace}
            continue
        changed = {k: v for k, v in trace.items() if before.get(k) != v}
        gone = [k for k in before if k not in trace]
        if changed:
            data[str(i)] = changed
        if gone:
            removed[str(i)] = gone
    layout = {k: v for k, v in new["layout"].items() if old["layout"].get(k) != v}
    layout_removed = [k for k in old["layout"] if k not in new["layout"]]
    if not (data or removed or layout or layout_removed) and len(old["data"]) == len(new["data"]):
        return None
    return {
        "type": "patch",
        "length": len(new["data"]),
        "data": data,
        "removed": removed,
        "layout": layout,
        "layout_removed": layout_removed,
    }


class FigureView(anywidget.AnyWidget):
    """A plotly figure (a ``go.Figure`` or its dict) shown in a widget; :meth:`update` redraws it in place."""

    _esm = _ESM
    _css = _CSS
    figure = traitlets.Dict().tag(sync=True)
    config = traitlets.Dict().tag(sync=True)
    _asset_folders = traitlets.List(ASSET_FOLDERS).tag(sync=True)

    def __init__(self, figure: Any = None, config: dict | None = None, **kwargs: Any):
        plain = _as_dict(figure)
        super().__init__(figure=plain, config=config or {}, **kwargs)
        self.current = plain
        self._updated = False
        self._click_handlers: list = []
        self.on_msg(self._on_msg)

    def update(self, figure: Any) -> None:
        """Show ``figure`` instead, sending the browser only what differs from the figure shown."""
        new = _as_dict(figure)
        patch = figure_patch(self.current, new)
        if patch is not None:
            self.send(patch)
            self._updated = True
        self.current = new

    @property
    def summary(self) -> str:
        """The plain-text summary of the figure shown (see :func:`course_lib.plots.summary_of`)."""
        return summary_of(self.current)

    def on_click(self, callback) -> None:
        """Call ``callback(points)`` when a reader clicks the figure: a list of ``{trace, index, x, y}``."""
        self._click_handlers.append(callback)

    def _on_msg(self, _widget: Any, content: dict, _buffers: Any) -> None:
        if content.get("type") == "click":
            for callback in self._click_handlers:
                callback(content.get("points", []))
        # A view drawn after updates started from the first figure: give it the current one.
        elif content.get("type") == "sync" and self._updated:
            self.send({"type": "figure", "figure": self.current})

    def __repr__(self) -> str:
        return f"FigureView: {self.summary}"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        bundle = super()._repr_mimebundle_(**kwargs)
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, {})
        data["text/plain"] = repr(self)
        data[STATIC_FIGURE] = {**self.current, "config": dict(self.config)}
        return data if not meta else (data, meta)


def show(figure: Any, config: dict | None = None) -> FigureView:
    """Show a plotly figure (one of the course's builders', or any) with the course's offline plotly.js.

    Use it as the last line of a cell instead of ``fig.show()``: maps draw their base map with
    no internet connection, and a static export of the notebook still shows the figure.
    """
    return FigureView(figure, config)
