"""The alliance explorer: the network on a date or over a period, with its table of ties.

Examples
--------
>>> explorer = AllianceExplorer()
>>> explorer.date_slider.value = "2014"
>>> explorer.figure["layout"]["title"]["text"]
'Alliance network, 2014'
>>> explorer.relation_toggles["ally"].value = False
>>> "ally" in set(explorer.ties["relation"])
False
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
import pandas as pd

from ..dates import DateLike, date_bounds
from ..groups import group_names
from ..network import AllianceModel
from ..plots.base import escape
from ..plots.network import (
    LEVEL_LABELS,
    Drawing,
    holding_texts,
    network_figure,
    network_overview,
    tie_hover_texts,
)
from ..plots.palette import RELATION_STYLE
from ..vocab import label
from .base import Explorer, evidence_control, html_table, toggle

__all__ = ["TABLE_COLUMNS", "AllianceExplorer"]

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
HORIZONS = [("2 years", 2), ("5 years", 5), ("10 years", 10), ("never", None)]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _table_rows(ties: pd.DataFrame, names: dict[str, str], holding: pd.DataFrame) -> list[dict]:
    cols = [
        "group_a",
        "relation",
        "group_b",
        "level",
        "evidence_level",
        "source_id",
        "locator",
        "description",
    ]
    rows = []
    for (a, rel, b, level, evidence, source, locator, desc), (first, last) in zip(
        zip(*(ties[c].tolist() for c in cols)), holding_texts(ties, holding)
    ):
        rows.append(
            {
                "Group A": names.get(a, a),
                "Relation": label(rel),
                "Group B": names.get(b, b),
                "Level": LEVEL_LABELS.get(_text(level), "level not stated"),
                "Start": first,
                "End": last,
                "Evidence": _text(evidence) or "not stated",
                "Source": ", ".join(t for t in (_text(source), _text(locator)) if t),
                "Description": _text(desc),
            }
        )
    return rows


class AllianceExplorer(Explorer):
    """The relationship network on a date (slider) or over a period, with filters and a table.

    Controls: ``mode`` (on a date / over a period), ``date_slider``, ``period_slider``,
    ``relation_toggles`` (relation → toggle button), ``level_control``, ``evidence``,
    ``focus_dropdown`` (one group and its ties), ``horizon_dropdown`` (fade the ties no source
    has seen hold for that long) and ``all_groups`` (also draw groups with no tie shown).
    ``ties`` holds the ties shown, as a DataFrame; ``table`` lists them with their sources.

    Parameters
    ----------
    alliances, groups
        The tables (default: the bundled ones).
    date
        The date shown first (default: the last year).
    resolution
        ``"year"`` (default) or ``"month"``: the step of the sliders.
    """

    STATIC_NOTE = (
        "Works without Python: the slider picks a year and the legend hides or shows a relation. "
        "Focus, level, evidence and periods need Python (make lab)."
    )

    def __init__(
        self,
        alliances: pd.DataFrame | None = None,
        groups: pd.DataFrame | None = None,
        *,
        date: DateLike | None = None,
        resolution: str = "year",
        seed: int = 0,
        max_table_rows: int = 200,
    ):
        if alliances is None or groups is None:
            from ..data import load_alliances, load_groups

            alliances = load_alliances() if alliances is None else alliances
            groups = load_groups() if groups is None else groups
        if resolution not in ("year", "month"):
            raise ValueError(f"resolution must be 'year' or 'month', but {resolution!r} was passed")
        self.model = AllianceModel(alliances, seed=seed)
        self.names = group_names(groups)
        self._drawing = Drawing(self.model, groups)
        self.max_table_rows = max_table_rows
        holding = self.model.holding()
        self._hover = np.array(tie_hover_texts(self.model.alliances, self.names, holding), dtype=object)
        self._rows = _table_rows(self.model.alliances, self.names, holding)
        steps = (
            [f"{y:04d}" for y in self.model.years]
            if resolution == "year"
            else [f"{y:04d}-{m:02d}" for y in self.model.years for m in range(1, 13)]
        )
        steps = steps or ["2000"]
        first = steps[-1] if date is None else self._step(date, steps)
        self.mode = w.ToggleButtons(
            options=[("On a date", "date"), ("Over a period", "period")], value="date", description="Show"
        )
        self.date_slider = w.SelectionSlider(options=steps, value=first, description="Date")
        self.period_slider = w.SelectionRangeSlider(
            options=steps, index=(0, len(steps) - 1), description="Period", disabled=True
        )
        self.relation_toggles = {
            r: toggle(label(r), tooltip=f"Show or hide {label(r)} ties") for r in RELATION_STYLE
        }
        self.level_control = w.ToggleButtons(
            options=[("All levels", "all"), ("Strategic", "strategic"), ("Tactical", "tactical")],
            value="all",
            description="Level",
        )
        self.evidence = evidence_control()
        order = sorted(self.model.group_ids, key=lambda g: self.names.get(g, g).casefold())
        self.focus_dropdown = w.Dropdown(
            options=[("All groups", "all")] + [(self.names.get(g, g), g) for g in order],
            value="all",
            description="Focus",
        )
        self.horizon_dropdown = w.Dropdown(
            options=HORIZONS, value=5, description="Fade if unseen", style={"description_width": "initial"}
        )
        self.all_groups = w.Checkbox(value=False, description="Groups without a tie too", indent=False)
        self.ties = self.model.alliances.iloc[:0]
        # The first figure draws its ties in SVG, which a browser shows at once; updates let
        # network_figure choose (WebGL for a large network: fast to redraw, but a second or so to
        # start without a GPU, paid at the first change rather than before the page shows).
        self._webgl: bool | None = False
        rows = [
            w.HBox([self.mode, self.date_slider, self.period_slider], layout=w.Layout(flex_flow="row wrap")),
            w.HBox(
                [self.level_control, self.evidence, self.focus_dropdown],
                layout=w.Layout(flex_flow="row wrap"),
            ),
            w.HBox([self.horizon_dropdown, self.all_groups], layout=w.Layout(flex_flow="row wrap")),
            w.HBox(
                [w.Label("Relations:"), *self.relation_toggles.values()],
                layout=w.Layout(flex_flow="row wrap"),
            ),
        ]
        super().__init__([w.VBox(rows)], self._figure())
        self._webgl = None
        self.table.value = self._table_html()
        for control in (
            self.mode,
            self.date_slider,
            self.period_slider,
            self.level_control,
            self.evidence,
            self.focus_dropdown,
            self.horizon_dropdown,
            self.all_groups,
            *self.relation_toggles.values(),
        ):
            control.observe(self.update, names="value")

    @staticmethod
    def _step(date: DateLike, steps: list[str]) -> str:
        text = date_bounds(date)[2][: len(steps[0])]
        match = [s for s in steps if s == text or s.startswith(text + "-")]
        if not match:
            raise ValueError(f"date {date!r} is outside the data ({steps[0]} to {steps[-1]})")
        return match[0]

    def filters(self) -> dict:
        """The current filters, as keyword arguments of :func:`course_lib.ties_on`."""
        focus = self.focus_dropdown.value
        return dict(
            relations=[r for r, t in self.relation_toggles.items() if t.value],
            level=self.level_control.value,
            min_evidence=self.evidence.value,
            focus=None if focus == "all" else focus,
        )

    def _figure(self):
        filters = self.filters()
        if self.mode.value == "date":
            when = as_of = self.date_slider.value
            keep = self.model.mask(when, **filters)
        else:
            lo, hi = self.period_slider.value
            when, as_of = (lo if lo == hi else f"{lo}–{hi}"), hi
            keep = self.model.mask(None, lo, hi, **filters)
        self._keep = keep
        self.ties = self.model.alliances.loc[keep]
        return network_figure(
            self.model,
            keep,
            groups=None,
            drawing=self._drawing,
            when=when,
            as_of=as_of,
            focus=filters["focus"],
            horizon=self.horizon_dropdown.value,
            show_all_groups=self.all_groups.value,
            hovertext=self._hover,
            webgl=self._webgl,
        )

    def _table_html(self) -> str:
        shown = [self._rows[i] for i in np.flatnonzero(self._keep)]
        shown.sort(key=lambda r: (r["Relation"], r["Group A"].casefold()))
        out = html_table(
            shown[: self.max_table_rows], TABLE_COLUMNS, empty="No ties match the current selection."
        )
        notes = []
        if len(shown) > self.max_table_rows:
            notes.append(
                f"Showing the first {self.max_table_rows:,} of {len(shown):,} ties; narrow the filters to list the rest."
            )
        if self.model.undated:
            notes.append(f"{self.model.undated:,} tie(s) with no date at all are never shown.")
        return out + "".join(f"<p><em>{escape(n)}</em></p>" for n in notes)

    def update(self, _change: dict | None = None) -> None:
        """Redraw the figure (in place) and the table from the controls' current values."""
        period = self.mode.value == "period"
        self.date_slider.disabled, self.period_slider.disabled = period, not period
        self.show_figure(self._figure())
        self.table.value = self._table_html()

    def overview(self):
        return network_overview(self.model, drawing=self._drawing, horizon=self.horizon_dropdown.value)
