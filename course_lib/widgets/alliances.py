"""The alliance explorer: the network on a date or over a period, with its table of ties.

Examples
--------
>>> from benchmarks.synthetic import synthetic_alliances, synthetic_groups
>>> explorer = AllianceExplorer(synthetic_alliances(n_groups=15, n_ties=40), synthetic_groups(15))
>>> explorer.date_slider.value = "2005"
>>> explorer.figure.layout.title.text
'Alliance network, 2005'
>>> explorer.relation_toggles["ally"].value = False
>>> "ally" in set(explorer.ties["relation"])
False
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as w
import numpy as np
import pandas as pd

from ..network import AllianceModel, DateLike
from ..palette import RELATION_STYLE
from ..plots.alliances import LEVEL_LABELS, holding_text, network_figure, relation_label, tie_hover_texts
from ..plots.base import escape
from .base import Explorer, evidence_control, html_table

__all__ = ["TABLE_COLUMNS", "AllianceExplorer", "tie_table_rows"]

#: Columns of the explorer's table of ties.
TABLE_COLUMNS = [
    "Group A",
    "Relation",
    "Group B",
    "Level",
    "Start",
    "End",
    "Evidence",
    "Source",
    "Description",
]

_LEVEL_OPTIONS = [("All levels", "all"), ("Strategic", "strategic"), ("Tactical", "tactical")]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _step_for(date: DateLike, steps: list[str]) -> str:
    """The slider step that holds ``date`` (a year, partial ISO date or date)."""
    if isinstance(date, (int, np.integer)) and not isinstance(date, bool):
        text = f"{int(date):04d}"
    elif isinstance(date, str):
        text = date.strip()
    else:
        text = pd.Timestamp(date).strftime("%Y-%m-%d")
    key = text[: len(steps[0])]
    match = [s for s in steps if s == key or s.startswith(key + "-")]
    if not match:
        raise ValueError(f"date {date!r} is outside the data ({steps[0]} to {steps[-1]})")
    return match[0]


def tie_table_rows(ties: pd.DataFrame, names: dict[str, str] | None = None) -> list[dict]:
    """One dict per tie, keyed by :data:`TABLE_COLUMNS`, for :func:`~course_lib.widgets.base.html_table`.

    ``Source`` is the source id and locator; ``Start`` and ``End`` say when a date is not
    stated and from when such a tie is shown (see :func:`~course_lib.plots.alliances.holding_text`).

    >>> from benchmarks.synthetic import synthetic_alliances
    >>> row = tie_table_rows(synthetic_alliances(n_groups=3, n_ties=1))[0]
    >>> row["Source"]
    'synthetic, row'
    """
    names = names or {}
    out = []
    cols = ["group_a", "relation", "group_b", "level", "start", "end", "observed", "evidence_level"]
    cols += ["source_id", "locator", "description" if "description" in ties else "alliance_id"]
    for a, rel, b, level, start, end, observed, evidence, source, locator, desc in zip(
        *(ties[c].tolist() for c in cols)
    ):
        first, last = holding_text(start, end, observed)
        out.append(
            {
                "Group A": names.get(a, a),
                "Relation": relation_label(rel),
                "Group B": names.get(b, b),
                "Level": LEVEL_LABELS.get(_text(level), "level not stated"),
                "Start": first,
                "End": last,
                "Evidence": _text(evidence) or "not stated",
                "Source": ", ".join(t for t in (_text(source), _text(locator)) if t),
                "Description": _text(desc) if "description" in ties else "",
            }
        )
    return out


class AllianceExplorer(Explorer):
    """The relationship network on a date (slider) or over a period, with filters and a table.

    Controls (attributes, each a standard ipywidget usable from the keyboard):
    ``mode`` (on a date / over a period), ``date_slider``, ``period_slider``,
    ``relation_toggles`` (a dict: relation → ``ToggleButton``), ``level_control``
    (all / strategic / tactical), ``evidence`` (minimum evidence level) and
    ``focus_dropdown`` (one group and its ties, or all). The figure (``figure``, a
    ``FigureWidget``) updates in place; ``table`` lists the same ties with their sources and
    ``ties`` holds them as a DataFrame.

    Parameters
    ----------
    alliances, groups
        The tables (default: the bundled ones); ``groups`` may be a list of ids.
    date
        The date shown first (default: the last step of the slider).
    resolution
        ``"year"`` (default) or ``"month"``: the step of the sliders.
    seed
        Seed of the layout (the same seed always gives the same picture).
    max_table_rows
        The table lists at most this many ties (the figure shows them all).
    """

    def __init__(
        self,
        alliances: pd.DataFrame | None = None,
        groups: pd.DataFrame | Iterable[str] | None = None,
        *,
        date: DateLike | None = None,
        resolution: str = "year",
        seed: int = 0,
        max_table_rows: int = 200,
        **kwargs,
    ):
        if resolution not in ("year", "month"):
            raise ValueError(f"resolution must be 'year' or 'month', but {resolution!r} was passed")
        self.model = AllianceModel(alliances, groups, seed=seed)
        self.max_table_rows = max_table_rows
        self._names = dict(zip(self.model.group_ids, self.model.names))
        self._hover = np.array(tie_hover_texts(self.model.alliances, self._names), dtype=object)
        # The table's rows and order, computed once: a redraw only picks the rows shown.
        self._rows = tie_table_rows(self.model.alliances, self._names)
        names_a = np.array([str(r["Group A"]).casefold() for r in self._rows], dtype=str)
        self._table_order = np.lexsort((names_a, self.model.arrays.rel)) if self._rows else np.zeros(0, int)
        self._keep = np.zeros(len(self._rows), bool)
        years = self.model.years
        if resolution == "year":
            steps = [f"{y:04d}" for y in years]
        else:
            steps = [f"{y:04d}-{m:02d}" for y in years for m in range(1, 13)]
        if not steps:  # nothing dated: keep the controls working on an empty network
            steps = ["2000"]
        first = steps[-1] if date is None else _step_for(date, steps)

        self.mode = w.ToggleButtons(
            options=[("On a date", "date"), ("Over a period", "period")], value="date", description="Show"
        )
        self.date_slider = w.SelectionSlider(options=steps, value=first, description="Date")
        self.period_slider = w.SelectionRangeSlider(
            options=steps, index=(0, len(steps) - 1), description="Period", disabled=True
        )
        self.relation_toggles = {
            r: w.ToggleButton(
                value=True,
                description=relation_label(r),
                tooltip=f"Show or hide {relation_label(r)} ties",
                layout=w.Layout(width="auto"),
            )
            for r in RELATION_STYLE
        }
        self.level_control = w.ToggleButtons(options=_LEVEL_OPTIONS, value="all", description="Level")
        self.evidence = evidence_control()
        order = np.argsort([str(n).casefold() for n in self.model.names], kind="stable")
        self.focus_dropdown = w.Dropdown(
            options=[("All groups", "all")]
            + [(str(self.model.names[i]), str(self.model.group_ids[i])) for i in order],
            value="all",
            description="Focus",
        )
        relations = w.HBox(
            [w.Label("Relations:"), *self.relation_toggles.values()], layout=w.Layout(flex_flow="row wrap")
        )
        rows = w.VBox(
            [
                w.HBox(
                    [self.mode, self.date_slider, self.period_slider], layout=w.Layout(flex_flow="row wrap")
                ),
                w.HBox(
                    [self.level_control, self.evidence, self.focus_dropdown],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                relations,
            ]
        )
        self.ties = self.model.alliances.iloc[:0]
        super().__init__([rows], self._figure(), **kwargs)
        self.table.value = self._table_html()
        for control in (
            self.mode,
            self.date_slider,
            self.period_slider,
            self.level_control,
            self.evidence,
            self.focus_dropdown,
            *self.relation_toggles.values(),
        ):
            control.observe(self.update, names="value")

    # ------------------------------------------------------------------ state

    def filters(self) -> dict:
        """The current filters, as keyword arguments of :func:`course_lib.network.ties_on`."""
        focus = self.focus_dropdown.value
        return dict(
            relations=[r for r, t in self.relation_toggles.items() if t.value],
            level=self.level_control.value,
            min_evidence=self.evidence.value,
            focus=None if focus == "all" else focus,
        )

    def when(self) -> str:
        """The date or period shown, as the title says it."""
        if self.mode.value == "date":
            return self.date_slider.value
        lo, hi = self.period_slider.value
        return lo if lo == hi else f"{lo}–{hi}"

    def _figure(self):
        filters = self.filters()
        if self.mode.value == "date":
            keep = self.model.mask(self.date_slider.value, **filters)
        else:
            lo, hi = self.period_slider.value
            keep = self.model.mask(None, lo, hi, **filters)
        self._keep = keep
        self.ties = self.model.alliances.loc[keep]
        return network_figure(
            self.ties,
            self.model.groups,
            self.model.positions,
            when=self.when(),
            focus=filters["focus"],
            hovertext=self._hover[keep],
        )

    def _table_html(self) -> str:
        order = self._table_order[self._keep[self._table_order]]
        shown = [self._rows[i] for i in order[: self.max_table_rows]]
        html = html_table(shown, TABLE_COLUMNS, empty="No ties match the current selection.")
        notes = []
        if len(order) > len(shown):
            notes.append(
                f"Showing the first {len(shown):,} of {len(order):,} ties; "
                "narrow the filters to list the rest."
            )
        if self.model.undated:
            notes.append(f"{self.model.undated:,} tie(s) with no date at all are never shown.")
        return html + "".join(f"<p><em>{escape(n)}</em></p>" for n in notes)

    # ------------------------------------------------------------------ events

    def update(self, change: dict | None = None) -> None:
        """Redraw the figure (in place) and the table from the controls' current values."""
        period = self.mode.value == "period"
        self.date_slider.disabled = period
        self.period_slider.disabled = not period
        self.show_figure(self._figure())
        self.table.value = self._table_html()
