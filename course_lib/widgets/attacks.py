"""The attack explorer: a map, a timeline and the mix of attack types, under five filters.

Filters: groups, countries, years, attack types and the minimum evidence level (a list with
nothing picked means "all"). Every change redraws the three figures in place and lists the
first matching attacks with their sources. Casualties are ranges throughout. It takes the
curated attacks, an imported event dataset (:func:`course_lib.import_events`) or both.

Examples
--------
>>> explorer = AttackExplorer()
>>> explorer.set_filters(groups=["aqim"], min_evidence="reported")
>>> explorer.summary_text.startswith("Showing groups: Al-Qaeda in the Islamic Maghreb; evidence ≥ reported.")
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd

from ..attacks import AttackSelection, Filters
from ..plots.attacks import attack_map, attack_overview, attack_timeline, attack_type_mix
from ..plots.base import escape, summary_of
from ..vocab import label
from .base import Explorer, evidence_control, html_table
from .figure import FigureView

__all__ = ["TABLE_COLUMNS", "AttackExplorer"]

TABLE_COLUMNS = ["Date", "Group", "Place", "Country", "Type", "Killed", "Evidence", "Source"]
_STYLE = {"description_width": "initial"}
KEEP = object()  # set_filters: leave that filter as it is


class AttackExplorer(Explorer):
    """Filter the attacks and see where, when and how they took place.

    Parameters
    ----------
    attacks, groups
        The tables (default: the bundled ones); ``attacks`` may be an imported dataset.
    table_rows
        How many matching attacks the table lists (the first by date).

    Controls: ``group_select``, ``country_select``, ``type_select`` (none picked: all),
    ``year_slider`` (at its full span, undated attacks are kept too), ``evidence_control``
    and ``reset_button``. Figures: ``view`` (the map), ``timeline``, ``type_mix``.
    ``selection`` is the model (:class:`~course_lib.attacks.AttackSelection`).
    """

    STATIC_NOTE = (
        "Works without Python: the legend hides or shows a group and the slider picks a year. "
        "Countries, attack types and evidence need Python (make lab)."
    )

    def __init__(
        self, attacks: pd.DataFrame | None = None, groups: pd.DataFrame | None = None, table_rows: int = 50
    ):
        if attacks is None or groups is None:
            from ..data import load_attacks, load_groups

            attacks = load_attacks() if attacks is None else attacks
            groups = load_groups() if groups is None else groups
        self.selection = sel = AttackSelection(attacks, groups)
        self.table_rows = table_rows
        first, last = sel.year_range or (0, 0)
        self.group_select = w.SelectMultiple(
            options=sel.group_options(), value=(), rows=6, description="Groups", style=_STYLE
        )
        self.country_select = w.SelectMultiple(
            options=sel.country_options(), value=(), rows=6, description="Countries", style=_STYLE
        )
        self.type_select = w.SelectMultiple(
            options=[(label(t), t) for t in sel.attack_type_options()],
            value=(),
            rows=6,
            description="Attack types",
            style=_STYLE,
        )
        self.year_slider = w.IntRangeSlider(
            value=(first, last),
            min=first,
            max=last,
            step=1,
            description="Years",
            continuous_update=False,
            disabled=sel.year_range is None,
            style=_STYLE,
            layout=w.Layout(width="420px"),
        )
        self.evidence_control = evidence_control()
        self.reset_button = w.Button(description="Show all", tooltip="Clear every filter", icon="undo")
        hint = w.HTML(
            "<small>Pick several with Ctrl/Shift + click or Shift + arrow keys; a list with nothing picked "
            "means all.</small>"
        )
        figures = self._figures(sel.mask())
        self.timeline, self.type_mix = FigureView(figures[1]), FigureView(figures[2])
        controls = [
            self.group_select,
            self.country_select,
            self.type_select,
            w.VBox([self.year_slider, self.evidence_control, self.reset_button, hint]),
        ]
        super().__init__(controls, figures[0], extra=[self.timeline, self.type_mix])
        self._paused = False
        for control in (
            self.group_select,
            self.country_select,
            self.type_select,
            self.year_slider,
            self.evidence_control,
        ):
            control.observe(self._changed, names="value")
        self.reset_button.on_click(lambda _button: self.reset())
        self._describe(self.filters(), sel.mask(), figures)

    def _span(self) -> tuple[int, int] | None:
        return tuple(self.year_slider.value) if self.selection.year_range is not None else None

    def filters(self) -> Filters:
        """The filters the controls show now."""
        years = self._span()
        full = years is None or years == self.selection.year_range
        return self.selection.filters(
            groups=self.group_select.value or None,
            countries=self.country_select.value or None,
            years=None if full else years,
            attack_types=self.type_select.value or None,
            min_evidence=self.evidence_control.value,
        )

    @contextlib.contextmanager
    def _hold(self) -> Iterator[None]:
        self._paused = True
        try:
            yield
        finally:
            self._paused = False

    def set_filters(
        self,
        groups: Any = KEEP,
        countries: Any = KEEP,
        years: Any = KEEP,
        attack_types: Any = KEEP,
        min_evidence: Any = KEEP,
    ) -> None:
        """Set several filters at once, with one redraw; filters not named keep their value.

        Groups by id, name or alias; countries by code, name or label (``"MLI"``, ``"Mali"``);
        ``None`` (or an empty list) clears a list and puts the years back to the full span;
        ``min_evidence=None`` is the weakest level.
        """
        sel = self.selection
        checked = sel.filters(
            groups=None if groups is KEEP else groups,
            attack_types=None if attack_types is KEEP else attack_types,
            min_evidence=None if min_evidence is KEEP else min_evidence,
            years=None if years is KEEP else years,
        )
        with self._hold():
            for control, value in (
                (self.group_select, groups),
                (self.country_select, countries),
                (self.type_select, attack_types),
            ):
                if value is KEEP:
                    continue
                wanted = (value,) if isinstance(value, str) else tuple(value or ())
                if control is self.group_select:
                    wanted = tuple(checked.groups or ())
                known = {v for _, v in control.options}
                # a country by its code, its label ("Mali (MLI)") or its name ("Mali"), in any case
                names = {text.casefold(): v for text, v in control.options}
                names.update({text.rsplit(" (", 1)[0].casefold(): v for text, v in control.options})
                wanted = tuple(v if v in known else names.get(str(v).casefold(), v) for v in wanted)
                missing = [v for v in wanted if v not in known]
                if missing:
                    raise ValueError(
                        f"{control.description}: no attacks with {', '.join(map(repr, missing))}"
                    )
                control.value = wanted
            if years is not KEEP and sel.year_range is not None:
                first, last = sel.year_range
                lo, hi = checked.years if checked.years is not None else (None, None)
                lo = first if lo is None else min(max(lo, first), last)
                hi = last if hi is None else min(max(hi, first), last)
                self.year_slider.value = (lo, max(lo, hi))
            if min_evidence is not KEEP:
                self.evidence_control.value = min_evidence or self.evidence_control.options[0]
        self.update()

    def reset(self) -> None:
        """Clear every filter (one redraw)."""
        self.set_filters(groups=None, countries=None, years=None, attack_types=None, min_evidence=None)

    def _changed(self, _change: object = None) -> None:
        if not self._paused:
            self.update()

    def _figures(self, mask: np.ndarray) -> tuple:
        sel = self.selection
        return attack_map(sel, mask), attack_timeline(sel, mask, self._span()), attack_type_mix(sel, mask)

    def update(self) -> None:
        """Redraw the figures, summary and table for the current filters."""
        filters = self.filters()
        mask = self.selection.mask(filters)
        figures = self._figures(mask)
        for view, fig in zip((self.view, self.timeline, self.type_mix), figures):
            view.update(fig)
        self._describe(filters, mask, figures)

    def _describe(self, filters: Filters, mask: np.ndarray, figures: tuple) -> None:
        lines = [f"<p><b>Showing {escape(filters.describe(self.selection.names))}.</b></p>"]
        lines += [f"<p>{escape(summary_of(f))}</p>" for f in figures]
        self.summary.value = "".join(lines)
        rows = self.selection.first_rows(mask, self.table_rows)
        total = rows.attrs["total"]
        records = [
            dict(zip(TABLE_COLUMNS, values))
            for values in zip(
                rows["date"],
                rows["group"],
                rows["place"],
                rows["country"],
                rows["attack_type"].map(label),
                rows["killed"],
                rows["evidence_level"],
                rows["source"],
            )
        ]
        head = (
            f"<p>Showing the first {len(rows):,} of {total:,} matching attacks, by date.</p>"
            if total > len(rows)
            else f"<p>{total:,} matching attack{'' if total == 1 else 's'}, by date.</p>"
        )
        self.table.value = head + html_table(
            records, TABLE_COLUMNS, empty="No attacks match the current selection."
        )

    def overview(self):
        return attack_overview(self.selection)
