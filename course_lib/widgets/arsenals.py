"""The arsenal matrix explorer: holders × categories with an evidence threshold.

Choose the minimum evidence level; pick a holder and a category (from the dropdowns, or by
clicking a cell of the heatmap) to list the items of that cell and their sources below.

Examples
--------
>>> import pandas as pd
>>> arsenals = pd.DataFrame({
...     "arsenal_id": ["r1", "r2"], "group_id": ["aqim", "mali"], "category": ["small_arms", "artillery"],
...     "item": ["AK-47 assault rifles", "howitzers"], "evidence_level": ["verified", "reported"],
...     "source_id": ["rand2013", "ap2025"], "locator": ["table", "para. 5"]})
>>> explorer = ArsenalMatrix(arsenals)
>>> explorer.evidence.value = "verified"
>>> explorer.figure.data[0].text.tolist()
[['V 1', ''], ['', '']]
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from ..arsenal import cell_items, present_categories
from ..plots.arsenals import arsenal_heatmap, group_names, label, n_of, selection_shapes
from ..plots.base import escape
from .base import Explorer, evidence_control, html_table

__all__ = ["ArsenalMatrix"]

#: The table's columns.
TABLE_COLUMNS = [
    "Holder",
    "Category",
    "Item",
    "Evidence",
    "Theatre",
    "Period",
    "Acquisition",
    "Source",
    "Where",
]


def _key(option: tuple[str, str]) -> str:
    return option[0].casefold()


class ArsenalMatrix(Explorer):
    """Holders × categories of equipment, shaded by the strongest evidence in each cell.

    Parameters
    ----------
    arsenals : DataFrame, optional
        The arsenals table (default: the bundled one, and then the bundled groups too).
    groups : DataFrame, optional
        The registry, for the holders' names (without it, ``group_id`` is shown).
    min_evidence : str
        The threshold to start with.

    Attributes
    ----------
    evidence : ipywidgets.Dropdown
        Minimum evidence level.
    holder_dropdown, category_dropdown : ipywidgets.Dropdown
        The selected cell (``None``: all holders / all categories); the table lists its items.
    """

    def __init__(
        self,
        arsenals: pd.DataFrame | None = None,
        groups: pd.DataFrame | None = None,
        min_evidence: str = "suspected",
    ):
        if arsenals is None:
            from ..data import load_arsenals, load_groups

            arsenals = load_arsenals()
            groups = load_groups() if groups is None else groups
        self.arsenals = arsenals
        self.names = group_names(groups)
        holders = sorted(set(arsenals["group_id"].dropna()))
        categories = present_categories(arsenals)
        self.evidence = evidence_control(min_evidence)
        self.holder_dropdown = w.Dropdown(
            options=[("All holders", None), *sorted(((self.names.get(h, h), h) for h in holders), key=_key)],
            value=None,
            description="Holder",
        )
        self.category_dropdown = w.Dropdown(
            options=[("All categories", None)] + [(label(c), c) for c in categories],
            value=None,
            description="Category",
        )
        self._busy = False
        super().__init__([self.evidence, self.holder_dropdown, self.category_dropdown], self._build())
        self.evidence.observe(self._changed, names="value")
        self.holder_dropdown.observe(self._selected, names="value")
        self.category_dropdown.observe(self._selected, names="value")
        self._wire_click()
        self._update_table()

    # -- model → view -------------------------------------------------------------------
    def _build(self):
        return arsenal_heatmap(
            self.arsenals,
            self.evidence.value,
            groups=self.names,
            selected=(self.holder_dropdown.value, self.category_dropdown.value),
        )

    def _changed(self, _change=None) -> None:
        if self._busy:
            return
        self.show_figure(self._build())
        self._wire_click()
        self._update_table()

    def _selected(self, _change=None) -> None:
        """A new cell: move the outline (no need to redraw the heatmap) and list its items."""
        if self._busy:
            return
        if self.figure.data and self.figure.data[0].type == "heatmap":
            heat = self.figure.data[0]
            shapes = selection_shapes(
                heat.y, heat.x, self.holder_dropdown.value, self.category_dropdown.value
            )
            self.figure.layout.shapes = shapes
        self._update_table()

    def _wire_click(self) -> None:
        if self.figure.data and self.figure.data[0].type == "heatmap":
            self.figure.data[0].on_click(self._on_click)

    def _on_click(self, _trace, points, _state) -> None:
        if points.xs and points.ys:
            self.select(points.ys[0], points.xs[0])

    def select(self, holder: str | None, category: str | None) -> None:
        """Select a cell (as a click on it does): update both dropdowns, then the view once."""
        holders = {v for _, v in self.holder_dropdown.options}
        categories = {v for _, v in self.category_dropdown.options}
        self._busy = True
        try:
            self.holder_dropdown.value = holder if holder in holders else None
            self.category_dropdown.value = category if category in categories else None
        finally:
            self._busy = False
        self._selected()

    def _update_table(self) -> None:
        items = cell_items(
            self.arsenals, self.holder_dropdown.value, self.category_dropdown.value, self.evidence.value
        )
        rows = []
        for rec in items.to_dict("records"):
            start, end = rec.get("period_start"), rec.get("period_end")
            period = "–".join(str(x) if isinstance(x, str) else "…" for x in (start, end))
            rows.append(
                {
                    "Holder": self.names.get(rec["group_id"], rec["group_id"]),
                    "Category": label(rec["category"]),
                    "Item": rec.get("item"),
                    "Evidence": rec.get("evidence_level"),
                    "Theatre": rec.get("country"),
                    "Period": "" if period == "…–…" else period,
                    "Acquisition": rec.get("acquisition"),
                    "Source": rec.get("source_id"),
                    "Where": rec.get("locator"),
                }
            )
        holder = self.holder_dropdown.value
        category = self.category_dropdown.value
        where = " · ".join(
            [
                escape(self.names.get(holder, holder)) if holder else "all holders",
                escape(label(category)) if category else "all categories",
            ]
        )
        level = escape(self.evidence.value)
        caption = f"<p><strong>{n_of(len(rows), 'item')}</strong> ({where}, evidence ≥ {level})</p>"
        empty = "No item of this holder and category reaches the threshold."
        self.table.value = caption + html_table(rows, TABLE_COLUMNS, empty=empty)
