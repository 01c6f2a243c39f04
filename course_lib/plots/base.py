"""What every figure builder shares: titles, the text summary, the "no rows match" state.

Every builder is a pure function (data in, ``plotly.graph_objects.Figure`` out). Each
figure has a title, labelled axes, and a short plain-text summary that screen readers can
read, stored in ``fig.layout.meta["summary"]`` and returned by :func:`summary_of`.

Builders make their figures with :func:`new_figure`, from plain dicts and without plotly's
per-property validation: validating a figure costs four to five times building it, and the
explorers rebuild one on every change. The tests check that each builder's figure is exactly
what plotly's validation would have made of it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cache
from typing import Any

import plotly.graph_objects as go

__all__ = ["FONT", "empty_figure", "escape", "finish", "new_figure", "summary_of", "template"]

FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=13)


def escape(text: object) -> str:
    """Text from the data, made safe to show as HTML (tables can come from users' files).

    >>> escape("<b>ISIS</b> & co")
    '&lt;b&gt;ISIS&lt;/b&gt; &amp; co'
    >>> escape(None)
    ''
    """
    if text is None or text != text:  # None or NaN
        return ""
    return html.escape(str(text))


@cache
def template() -> dict[str, Any]:
    """The course's plotly template (plotly's ``plotly_white``), as plain JSON, read once."""
    import plotly.io as pio

    return pio.templates["plotly_white"].to_plotly_json()


def new_figure(data: Sequence[dict[str, Any]] = (), layout: dict[str, Any] | None = None) -> go.Figure:
    """A figure of trace and layout dicts, in the course's template, built without validation.

    Plotly then stores the values as given, so they must be what validation would give:
    the tests hold every builder to that.

    >>> fig = new_figure([dict(type="bar", x=["a"], y=[1])], dict(height=300))
    >>> fig.data[0].type, fig.layout.height, fig.layout.template.layout.plot_bgcolor
    ('bar', 300, 'white')
    """
    return go.Figure(data=list(data), layout={"template": template(), **(layout or {})}, _validate=False)


def finish(fig: go.Figure, title: str, summary: str, x: str | None = None, y: str | None = None) -> go.Figure:
    """Give ``fig`` (from :func:`new_figure`) its title, axis labels, summary and quiet layout."""
    fig.update_layout(
        title=dict(text=escape(title), x=0.01, xanchor="left"),
        font=FONT,
        margin=dict(l=60, r=20, t=60, b=50),
        meta={"summary": summary},
    )
    if x is not None:
        fig.update_xaxes(title_text=escape(x))
    if y is not None:
        fig.update_yaxes(title_text=escape(y))
    return fig


def empty_figure(title: str, reason: str = "No rows match the current selection.") -> go.Figure:
    """A figure that says plainly that nothing matches, instead of a blank or an error.

    >>> fig = empty_figure("Attacks by year")
    >>> summary_of(fig)
    'No rows match the current selection.'
    """
    note = dict(text=escape(reason), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    note["font"] = dict(size=16)
    fig = new_figure(layout=dict(annotations=[note], xaxis=dict(visible=False), yaxis=dict(visible=False)))
    return finish(fig, title, reason)


def summary_of(fig: go.Figure) -> str:
    """The plain-text summary a builder attached to ``fig``."""
    meta = fig.layout.meta
    return meta.get("summary", "") if isinstance(meta, dict) else ""
