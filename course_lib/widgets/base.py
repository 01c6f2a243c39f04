"""What every explorer shares: a figure updated in place, a summary, a table, a threshold.

An explorer is a thin ``ipywidgets.VBox`` over pure model functions. Its constructor never
displays anything: the notebook shows the returned widget. Controls are standard
ipywidgets, which work from the keyboard.
"""

from __future__ import annotations

import html
import re

import ipywidgets as w
import plotly.graph_objects as go

from ..plots.base import escape, summary_of
from ..schema import EVIDENCE_LEVELS

__all__ = ["Explorer", "evidence_control", "html_table", "replace_figure"]


def evidence_control(value: str = "suspected", description: str = "Evidence ≥") -> w.Dropdown:
    """A dropdown for the minimum evidence level (weakest first)."""
    return w.Dropdown(options=list(EVIDENCE_LEVELS), value=value, description=description)


def replace_figure(target: go.FigureWidget, new: go.Figure) -> None:
    """Make ``target`` show ``new`` in place, in one message to the browser.

    Traces are updated where the count and types match, and replaced otherwise; the
    layout (title, axes, annotations, summary) follows ``new``.
    """
    same = len(target.data) == len(new.data) and all(a.type == b.type for a, b in zip(target.data, new.data))
    with target.batch_update():
        if same:
            for old, fresh in zip(target.data, new.data):
                old.update(fresh.to_plotly_json(), overwrite=True)
        else:
            target.data = ()
            target.add_traces(list(new.data))
        fresh = new.layout.to_plotly_json()
        if fresh.get("template") is not None and target.layout.template == new.layout.template:
            # Re-validating an unchanged template costs about 6 ms per update: keep the old one.
            fresh.pop("template")
            stale = {k: None for k in target.layout.to_plotly_json() if k not in fresh and k != "template"}
            target.update_layout({**stale, **fresh}, overwrite=True)
        else:
            target.layout = new.layout


def html_table(
    rows: list[dict], columns: list[str], empty: str = "No rows match the current selection."
) -> str:
    """An HTML table of ``rows`` (dicts), every cell escaped."""
    if not rows:
        return f"<p><em>{escape(empty)}</em></p>"
    head = "".join(f"<th scope='col'>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(r.get(c))}</td>" for c in columns) + "</tr>" for r in rows)
    return f"<table class='course-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Explorer(w.VBox):
    """Base of the explorers: ``controls``, then ``figure``, its ``summary``, and a ``table``."""

    def __init__(self, controls: list[w.Widget], figure: go.Figure, **kwargs):
        self.figure = go.FigureWidget(figure)
        self.summary = w.HTML(f"<p>{escape(summary_of(figure))}</p>")
        self.table = w.HTML()
        self.controls = w.HBox(controls, layout=w.Layout(flex_flow="row wrap"))
        super().__init__([self.controls, self.figure, self.summary, self.table], **kwargs)

    @property
    def summary_text(self) -> str:
        """The summary beside the figure, as plain text (what a screen reader reads)."""
        return html.unescape(re.sub(r"<[^>]+>", "", self.summary.value)).strip()

    def __repr__(self) -> str:
        # Short and deterministic: the default repr dumps every child, figure data and random ids.
        return f"{type(self).__name__}: {summary_of(self.figure)}"

    def _repr_mimebundle_(self, **kwargs):
        # ipywidgets cuts the text repr at 110 characters; the summary is worth reading whole.
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle

    def show_figure(self, figure: go.Figure) -> None:
        """Update the figure in place and the summary beside it."""
        replace_figure(self.figure, figure)
        self.summary.value = f"<p>{escape(summary_of(figure))}</p>"
