"""The attack explorer: a map, a timeline and the mix of attack types, under five filters.

Filters: groups, countries, years, attack types and the minimum evidence level. A list
with nothing picked means "all". Every change redraws the three figures in place and
lists the first matching attacks, with their sources, below. Casualties are shown as
ranges throughout.

The map draws its base map from the copy the course ships (``course_lib/basemap.py``),
so it works with no internet connection in JupyterLab and Voila.

Examples
--------
>>> from benchmarks.synthetic import synthetic_attacks
>>> explorer = AttackExplorer(synthetic_attacks(2_000), groups=example_groups())
>>> explorer.evidence_control.value = "verified"
>>> shown = int(explorer.timeline.data[0].y.sum())
>>> shown == int((explorer.selection.frame["evidence_level"] == "verified").sum())
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.basedatatypes import Undefined

from ..basemap import configure_widget
from ..plots.attacks import FigureParts, build, map_parts, timeline_parts, type_mix_parts
from ..plots.base import escape
from ..selection import AttackSelection, Filters
from .base import Explorer, evidence_control, html_table, replace_figure

__all__ = ["TABLE_COLUMNS", "AttackExplorer", "apply_parts", "example_groups"]

#: The columns of the table of matching attacks.
TABLE_COLUMNS = ["Date", "Group", "Place", "Country", "Type", "Killed", "Evidence", "Source"]

_STYLE = {"description_width": "initial"}

#: Default of :meth:`AttackExplorer.set_filters`: leave that filter as it is.
KEEP = object()


def _paths(spec: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A trace specification as ``plotly_restyle`` paths.

    >>> _paths({"type": "bar", "x": [1], "marker": {"line": {"width": 1}}})
    {'x': [1], 'marker.line.width': 1}
    """
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "type" and not prefix:
            continue
        if isinstance(value, dict):
            out.update(_paths(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def apply_parts(target: go.FigureWidget, parts: FigureParts) -> None:
    """Make ``target`` show ``parts`` in place, in one message to the browser.

    When ``target`` already has traces of the same number and types (the usual case, as
    filters change), the new values go in with one ``plotly_update`` (restyle every trace,
    relayout what depends on the data, and the summary), which skips plotly's validation
    of values that :func:`~course_lib.plots.attacks.build` has already produced valid.
    Otherwise (to or from the empty state), the finished figure replaces the old one
    (:func:`~course_lib.widgets.base.replace_figure`).
    """
    same = parts.empty is None and [t.type for t in target.data] == [t["type"] for t in parts.traces]
    if not same:
        replace_figure(target, build(parts))
        return
    flat = [_paths(trace) for trace in parts.traces]
    keys = dict.fromkeys(key for trace in flat for key in trace)
    restyle = {key: [trace.get(key, Undefined) for trace in flat] for key in keys}
    relayout = {**parts.relayout, "meta": {"summary": parts.summary}}
    target.plotly_update(restyle_data=restyle, relayout_data=relayout, trace_indexes=list(range(len(flat))))


def example_groups() -> pd.DataFrame:
    """A registry with no names (for synthetic data, whose group ids are ``g0000`` ...)."""
    return pd.DataFrame({"group_id": pd.Series([], dtype="str"), "name": pd.Series([], dtype="str")})


class AttackExplorer(Explorer):
    """Filter the attacks and see where, when and how they took place.

    Parameters
    ----------
    attacks : DataFrame, optional
        The attacks table (default: the bundled one).
    groups : DataFrame, optional
        The registry, for group names (default: the bundled one).
    table_rows : int
        How many matching attacks the table lists (the first by date).

    Attributes
    ----------
    group_select, country_select, type_select : ipywidgets.SelectMultiple
        Groups, countries (ISO-3 codes) and attack types; none picked means all.
    year_slider : ipywidgets.IntRangeSlider
        First and last year, inclusive; at its full span, undated attacks are kept too.
    evidence_control : ipywidgets.Dropdown
        The minimum evidence level.
    reset_button : ipywidgets.Button
        Puts every filter back to "all".
    figure, timeline, type_mix : plotly.graph_objects.FigureWidget
        The map, the per-year timeline and the type mix, updated in place.
    summary, table : ipywidgets.HTML
        The figures' summaries in words, and the first matching attacks with sources.
    selection : AttackSelection
        The model: the table's arrays, prepared once.
    """

    def __init__(
        self, attacks: pd.DataFrame | None = None, groups: pd.DataFrame | None = None, table_rows: int = 50
    ):
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
            options=[(t.replace("_", " "), t) for t in sel.attack_type_options()],
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
            "<small>Pick several with Ctrl/Shift + click or Shift + arrow keys; "
            "a list with nothing picked means all.</small>"
        )
        controls = [
            self.group_select,
            self.country_select,
            self.type_select,
            w.VBox([self.year_slider, self.evidence_control, self.reset_button, hint]),
        ]
        filters = self.filters()
        mask = sel.mask(filters)
        parts = self._parts(mask)
        super().__init__(controls, build(parts[0]))
        configure_widget(self.figure)
        self.timeline = go.FigureWidget(build(parts[1]))
        self.type_mix = go.FigureWidget(build(parts[2]))
        self.children = [self.controls, self.figure, self.timeline, self.type_mix, self.summary, self.table]
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
        self._describe(filters, mask, parts)

    # ----------------------------------------------------------------- state
    def _span(self) -> tuple[int, int] | None:
        return tuple(self.year_slider.value) if self.selection.year_range is not None else None

    def filters(self) -> Filters:
        """The filters the controls show now."""
        years = self._span()
        full = years is None or tuple(years) == self.selection.year_range
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

        ``None`` (or an empty list) clears a list and puts the years back to the full span;
        ``min_evidence=None`` is the weakest level. Ids are checked as
        :meth:`AttackSelection.filters` does, and must occur in the table.

        >>> from benchmarks.synthetic import synthetic_attacks
        >>> explorer = AttackExplorer(synthetic_attacks(500, n_groups=20), groups=example_groups())
        >>> explorer.set_filters(groups=["g0001", "g0002"], years=(2000, 2009))
        >>> explorer.group_select.value, explorer.year_slider.value
        (('g0001', 'g0002'), (2000, 2009))
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
                known = (
                    {v for _, v in control.options}
                    if control.options and isinstance(control.options[0], tuple)
                    else set(control.options)
                )
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

    # ---------------------------------------------------------------- update
    def update(self) -> None:
        """Redraw the figures, summary and table for the current filters."""
        filters = self.filters()
        mask = self.selection.mask(filters)
        parts = self._parts(mask)
        for target, new in zip((self.figure, self.timeline, self.type_mix), parts):
            apply_parts(target, new)
        self._describe(filters, mask, parts)

    def _parts(self, mask: np.ndarray) -> tuple[FigureParts, FigureParts, FigureParts]:
        sel = self.selection
        return map_parts(sel, mask), timeline_parts(sel, mask, self._span()), type_mix_parts(sel, mask)

    def _describe(self, filters: Filters, mask: np.ndarray, parts: tuple[FigureParts, ...]) -> None:
        shown = escape(filters.describe(self.selection.names))
        lines = [f"<p><b>Showing {shown}.</b></p>"]
        lines += [f"<p>{escape(p.summary)}</p>" for p in parts]
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
                rows["attack_type"].str.replace("_", " "),
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
