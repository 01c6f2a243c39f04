"""What every explorer shares: controls, figures updated in place, a summary in words, a table.

An explorer is a thin ``ipywidgets.VBox`` over the model functions and figure builders. Its
constructor never displays anything: the notebook shows the returned widget. Controls are
standard ipywidgets, usable from the keyboard, and attributes of the explorer, so code can
set them too. Shown in a static page (no kernel), an explorer becomes its kernel-free figure
(:meth:`Explorer.overview`), with a note saying which controls need Python.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from ..plots.base import escape, json_ready, summary_of
from ..vocab import EVIDENCE_LEVELS
from .figure import STATIC_FIGURE, FigureView

__all__ = ["Explorer", "evidence_control", "html_table", "toggle"]


def evidence_control(value: str = "suspected", description: str = "Evidence ≥") -> w.Dropdown:
    """A dropdown for the minimum evidence level (weakest first)."""
    return w.Dropdown(options=list(EVIDENCE_LEVELS), value=value, description=description)


def toggle(description: str, value: bool = True, tooltip: str = "") -> w.ToggleButton:
    """A toggle button that shows its state with a mark (✓ when on), not only with a shade."""
    button = w.ToggleButton(
        value=value,
        description=description,
        tooltip=tooltip or description,
        layout=w.Layout(width="auto"),
        icon="check" if value else "",
    )

    def mark(change: dict) -> None:
        button.icon = "check" if change["new"] else ""

    button.observe(mark, names="value")
    return button


def html_table(
    rows: list[dict], columns: Sequence[str], empty: str = "No rows match the current selection."
) -> str:
    """An HTML table of ``rows`` (dicts), every cell escaped."""
    if not rows:
        return f"<p><em>{escape(empty)}</em></p>"
    head = "".join(f"<th scope='col'>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(r.get(c))}</td>" for c in columns) + "</tr>" for r in rows)
    return f"<table class='course-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Explorer(w.VBox):
    """Base of the explorers: ``controls``, then ``view`` (the figure), its ``summary``, and a ``table``."""

    #: What the kernel-free copy of this explorer lets a reader do, and what needs Python.
    STATIC_NOTE = "A copy of the figure as the notebook left it: its controls need Python (make lab)."

    def __init__(
        self, controls: Sequence[w.Widget], figure: go.Figure, *, extra: Sequence[w.Widget] = (), **kwargs
    ):
        self.view = FigureView(figure)
        self.summary = w.HTML(f"<p>{escape(summary_of(figure))}</p>")
        self.table = w.HTML()
        self.controls = w.HBox(list(controls), layout=w.Layout(flex_flow="row wrap"))
        super().__init__([self.controls, self.view, *extra, self.summary, self.table], **kwargs)

    @property
    def figure(self) -> dict:
        """The figure shown now, as a plotly dict (``figure["layout"]["title"]["text"]`` ...)."""
        return self.view.current

    @property
    def summary_text(self) -> str:
        """The summary beside the figure, as plain text (what a screen reader reads)."""
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", self.summary.value)).split())

    def show_figure(self, figure: go.Figure) -> None:
        """Update the figure in place and the summary beside it."""
        self.view.update(figure)
        self.summary.value = f"<p>{escape(summary_of(figure))}</p>"

    def overview(self) -> go.Figure:
        """The kernel-free version of this explorer (default: the figure as it is now)."""
        return go.Figure(self.view.current, _validate=False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}: {self.summary_text}"

    def _repr_mimebundle_(self, **kwargs: Any):
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = repr(self)
        # The kernel-free figure, for static pages; a Voila dashboard, always live, does not need it.
        if not os.environ.get("SERVER_SOFTWARE", "").startswith("voila"):
            fig = self.overview().to_plotly_json()
            meta = dict(fig["layout"].get("meta") or {}, static_note=self.STATIC_NOTE)
            data[STATIC_FIGURE] = json_ready({"data": fig["data"], "layout": {**fig["layout"], "meta": meta}})
        return bundle
