"""What every figure builder shares: the course's template, titles, the text summary, empty states.

Every builder is a pure function: tables or model results in, a ``plotly.graph_objects.Figure``
out; none loads data. Each figure has a title, labelled axes and a short plain-text summary
that screen readers can read, in ``fig.layout.meta["summary"]`` (:func:`summary_of`).

Builders make their figures with :func:`new_figure` from plain dicts, without plotly's
per-property validation (validating costs four to five times building, and explorers
rebuild on every change); the tests validate every builder's output with plotly. The
template is the course's own, a few lines (plotly's ``plotly_white`` would add 7 kB to
every figure sent to the browser).
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from .palette import OKABE_ITO

__all__ = [
    "TEMPLATE",
    "empty_figure",
    "escape",
    "finish",
    "json_ready",
    "legend_below",
    "new_figure",
    "note",
    "panel_note",
    "summary_of",
    "wrap",
]

_AXIS = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#D0D7E2",
    "zerolinecolor": "#EBF0F8",
    "automargin": True,
    "title": {"standoff": 12},
    # plotly's default for numeric and date axes, "hide past div", measures every tick label at
    # every redraw (about 4 ms of a 4-panel figure's 33 ms in Chromium); the margins keep
    # labels inside the figure, which the browser tests check at three widths.
    "ticklabeloverflow": "allow",
}

#: The course's template: white, grey grid, axes that make room for their labels, Okabe–Ito colours.
TEMPLATE = {
    "layout": {
        "font": {"family": "DejaVu Sans, Arial, sans-serif", "size": 13, "color": "#222222"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": [c for k, c in OKABE_ITO.items() if k not in ("black", "grey")],
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "geo": {"bgcolor": "white", "landcolor": "#F4F4F4", "showland": True, "showlakes": False},
    }
}


def escape(text: object) -> str:
    """Text from the data, made safe to show as HTML in a figure (tables can come from users' files).

    >>> escape("<b>ISIS</b> & co"), escape(None)
    ('&lt;b&gt;ISIS&lt;/b&gt; &amp; co', '')
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(str(text))


def new_figure(data: Sequence[dict[str, Any]] = (), layout: dict[str, Any] | None = None) -> go.Figure:
    """A figure of trace and layout dicts, in the course's template, built without validation.

    >>> fig = new_figure([dict(type="bar", x=["a"], y=[1])], dict(height=300))
    >>> fig.data[0].type, fig.layout.height
    ('bar', 300)
    """
    return go.Figure(data=list(data), layout={"template": TEMPLATE, **(layout or {})}, _validate=False)


def finish(
    data: Sequence[dict[str, Any]],
    layout: dict[str, Any],
    title: str,
    summary: str,
    x: str | None = None,
    y: str | None = None,
    subtitle: str | None = None,
) -> go.Figure:
    """The figure of ``data`` and ``layout`` (as :func:`new_figure`), with its title (and
    subtitle), axis labels, summary and margins.

    Title and subtitle are broken into lines that fit a figure 800 px wide (plotly does not
    wrap), and the top margin grows with them (a ``margin.t`` in ``layout`` is room added above
    the plot, for a legend there); ``margin.b`` keeps what the builder set. All is
    written into the layout before the figure is made: plotly's ``update_layout`` would validate
    it again, which costs an explorer several milliseconds a redraw.

    >>> fig = finish([], {}, "A title", "One sentence.", subtitle="word " * 30)
    >>> fig.layout.title.subtitle.text.count("<br>"), fig.layout.margin.t
    (1, 100)
    """
    title_text, subtitle_text = wrap(title, 72), wrap(subtitle, 100) if subtitle else ""
    extra = 20 * title_text.count("<br>") + 16 * subtitle_text.count("<br>")
    title_spec: dict[str, Any] = {
        "text": title_text,
        "x": 0.01,
        "xanchor": "left",
        "y": 0.98,
        "yanchor": "top",
    }
    if subtitle:
        title_spec["subtitle"] = {"text": subtitle_text, "font": {"size": 12, "color": "#444444"}}
    given = layout.get("margin", {})
    margin = {
        "l": 20,
        "r": 20,
        "t": (84 if subtitle else 64) + extra + given.get("t", 0),
        "b": given.get("b", 40),
    }
    layout = {
        **layout,
        "title": title_spec,
        "margin": margin,
        "meta": {**layout.get("meta", {}), "summary": summary},
    }
    for axis, text in (("xaxis", x), ("yaxis", y)):
        if text is not None:
            spec = dict(layout.get(axis, {}))
            spec["title"] = {**spec.get("title", {}), "text": escape(text)}
            layout[axis] = spec
    return new_figure(data, layout)


def legend_below(title: str | None = None, per_row: int = 4, y: float = -0.02, **more: Any) -> dict[str, Any]:
    """A horizontal legend under the plot, ``per_row`` entries a row at any width, its title above.

    >>> legend_below("Relation", per_row=5)["entrywidth"]
    0.2
    """
    spec = dict(
        orientation="h",
        x=0,
        y=y,
        yanchor="top",
        entrywidthmode="fraction",
        entrywidth=1 / per_row,
        itemsizing="constant",
    )
    if title:
        spec["title"] = dict(text=escape(title), side="top")
    return {**spec, **more}


def panel_note(layout: dict[str, Any], axes: tuple[str, str], text: str) -> None:
    """In a subplot with nothing to show: hide its axes and say why, in a sentence, at its centre."""
    xname, yname = (
        a.replace("x", "xaxis", 1) if a.startswith("x") else a.replace("y", "yaxis", 1) for a in axes
    )
    for name in (xname, yname):
        layout.setdefault(name, {}).update(visible=False)
    layout.setdefault("annotations", []).append(
        note(
            text,
            width=40,
            xref=f"{axes[0]} domain",
            yref=f"{axes[1]} domain",
            font=dict(size=13, color="#444444"),
        )
    )


def wrap(text: str, width: int = 60) -> str:
    """Escaped text broken into lines of at most ``width`` characters (``<br>``): plotly does not wrap.

    >>> wrap("No ties hold in 1999 with the current filters.", 20)
    'No ties hold in 1999<br>with the current<br>filters.'
    """
    return "<br>".join(escape(line) for line in textwrap.wrap(text, width)) or escape(text)


def note(text: str, width: int = 60, **where: Any) -> dict[str, Any]:
    """A sentence in the middle of the figure (or where ``where`` says), wrapped to fit a narrow page.

    >>> note("Nothing to show.", y=0.9)["y"]
    0.9
    """
    spec = dict(
        text=wrap(text, width),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font=dict(size=14),
        bgcolor="rgba(255,255,255,0.85)",
    )
    return {**spec, **where}


def empty_figure(title: str, reason: str = "No rows match the current selection.") -> go.Figure:
    """A figure that says plainly, as a sentence, that there is nothing to draw: no axes.

    >>> summary_of(empty_figure("Attacks by year"))
    'No rows match the current selection.'
    """
    layout = dict(
        annotations=[note(reason)], xaxis=dict(visible=False), yaxis=dict(visible=False), height=260
    )
    return finish([], layout, title, reason)


def summary_of(fig: go.Figure | dict) -> str:
    """The plain-text summary a builder attached to ``fig``."""
    meta = fig.get("layout", {}).get("meta") if isinstance(fig, dict) else fig.layout.meta
    return meta.get("summary", "") if isinstance(meta, dict) else ""


def json_ready(value: Any) -> Any:
    """``value`` (a figure's dict, numpy arrays and all) as plain JSON values; NaN becomes ``None``.

    >>> json_ready({"x": np.array([1.0, np.nan]), "y": (np.int64(2),)})
    {'x': [1.0, None], 'y': [2]}
    """
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            return [None if v != v else v for v in value.tolist()]
        return json_ready(value.tolist()) if value.dtype.kind == "O" else value.tolist()
    if isinstance(value, np.generic):
        return json_ready(value.item())
    if isinstance(value, float) and value != value:
        return None
    return value
