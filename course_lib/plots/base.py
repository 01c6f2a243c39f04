"""What every figure builder shares: titles, the text summary, the "no rows match" state.

Every builder is a pure function (data in, ``plotly.graph_objects.Figure`` out). Each
figure has a title, labelled axes, and a short plain-text summary that screen readers can
read, stored in ``fig.layout.meta["summary"]`` and returned by :func:`summary_of`.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

__all__ = ["FONT", "empty_figure", "escape", "finish", "summary_of"]

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


def finish(fig: go.Figure, title: str, summary: str, x: str | None = None, y: str | None = None) -> go.Figure:
    """Give ``fig`` its title, axis labels, summary and the course's quiet layout."""
    fig.update_layout(
        title=dict(text=escape(title), x=0.01, xanchor="left"),
        font=FONT,
        template="plotly_white",
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
    fig = go.Figure()
    fig.add_annotation(
        text=escape(reason), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=16)
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title, reason)


def summary_of(fig: go.Figure) -> str:
    """The plain-text summary a builder attached to ``fig``."""
    meta = fig.layout.meta
    return meta.get("summary", "") if isinstance(meta, dict) else ""
