"""The arsenal explorer: holders × categories of equipment, with an evidence threshold.

Choose the minimum evidence level; pick a holder and a category (from the dropdowns, or by
clicking a cell) to list that cell's items and their sources below.

Examples
--------
>>> arsenals = pd.DataFrame({
...     "arsenal_id": ["r1", "r2"], "group_id": ["aqim", "mali"], "category": ["small_arms", "artillery"],
...     "item": ["AK-47 assault rifles", "howitzers"], "evidence_level": ["verified", "reported"],
...     "source_id": ["rand2013", "ap2025"], "locator": ["table", "para. 5"]})
>>> explorer = ArsenalExplorer(arsenals, groups={})
>>> explorer.evidence.value = "verified"
>>> explorer.figure["data"][0]["text"]
[['V 1', ''], ['', '']]
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w
import pandas as pd

from ..arsenal import cell_items
from ..groups import group_names
from ..plots.arsenal import arsenal_heatmap, arsenal_overview
from ..plots.base import escape
from ..vocab import country_label, label, plural, vocabulary
from .base import Explorer, evidence_control, html_table

__all__ = ["ArsenalExplorer"]

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


class ArsenalExplorer(Explorer):
    """Holders × categories of equipment, shaded by the strongest evidence in each cell.

    Controls: ``evidence`` (minimum level), ``holder_dropdown`` and ``category_dropdown`` (the
    selected cell; ``None``: all), also set by clicking a cell or with :meth:`select`.
    """

    STATIC_NOTE = (
        "Works without Python: the buttons raise the evidence threshold. "
        "Selecting a cell to list its items needs Python (make lab)."
    )

    def __init__(
        self,
        arsenals: pd.DataFrame | None = None,
        groups: pd.DataFrame | Mapping[str, str] | None = None,
        min_evidence: str = "suspected",
    ):
        if arsenals is None or groups is None:
            from ..data import load_arsenals, load_groups

            arsenals = load_arsenals() if arsenals is None else arsenals
            groups = load_groups() if groups is None else groups
        self.arsenals = arsenals
        self.names = group_names(groups)
        holders = sorted(set(arsenals["group_id"].dropna()), key=lambda h: self.names.get(h, h).casefold())
        present = set(arsenals["category"].dropna().astype(str))
        categories = [c for c in vocabulary(arsenals["category"], "arsenals", "category") if c in present]
        self.evidence = evidence_control(min_evidence)
        self.holder_dropdown = w.Dropdown(
            options=[("All holders", None), *((self.names.get(h, h), h) for h in holders)],
            value=None,
            description="Holder",
        )
        self.category_dropdown = w.Dropdown(
            options=[("All categories", None), *((label(c), c) for c in categories)],
            value=None,
            description="Category",
        )
        self._busy = False
        super().__init__([self.evidence, self.holder_dropdown, self.category_dropdown], self._build())
        for control in (self.evidence, self.holder_dropdown, self.category_dropdown):
            control.observe(self._changed, names="value")
        self.view.on_click(lambda points: points and self.select(points[0]["y"], points[0]["x"]))
        self._update_table()

    def _build(self):
        return arsenal_heatmap(
            self.arsenals,
            self.evidence.value,
            groups=self.names,
            selected=(self.holder_dropdown.value, self.category_dropdown.value),
        )

    def _changed(self, _change=None) -> None:
        if not self._busy:
            self.show_figure(self._build())
            self._update_table()

    def select(self, holder: str | None, category: str | None) -> None:
        """Select a cell (as a click on it does): both dropdowns, then one redraw."""
        with self.hold_trait_notifications():
            self._busy = True
            try:
                self.holder_dropdown.value = (
                    holder if holder in {v for _, v in self.holder_dropdown.options} else None
                )
                self.category_dropdown.value = (
                    category if category in {v for _, v in self.category_dropdown.options} else None
                )
            finally:
                self._busy = False
        self._changed()

    def _update_table(self) -> None:
        holder, category = self.holder_dropdown.value, self.category_dropdown.value
        items = cell_items(self.arsenals, holder, category, self.evidence.value)
        rows = []
        for rec in items.to_dict("records"):
            period = "–".join(
                x if isinstance(x, str) else "…" for x in (rec.get("period_start"), rec.get("period_end"))
            )
            rows.append(
                {
                    "Holder": self.names.get(rec["group_id"], rec["group_id"]),
                    "Category": label(rec["category"]),
                    "Item": rec.get("item"),
                    "Evidence": rec.get("evidence_level"),
                    "Theatre": country_label(rec.get("country")),
                    "Period": "" if period == "…–…" else period,
                    "Acquisition": label(rec.get("acquisition")),
                    "Source": rec.get("source_id"),
                    "Where": rec.get("locator"),
                }
            )
        where = " · ".join(
            [
                escape(self.names.get(holder, holder)) if holder else "all holders",
                escape(label(category)) if category else "all categories",
            ]
        )
        caption = f"<p><strong>{plural(len(rows), 'item')}</strong> ({where}, evidence ≥ {escape(self.evidence.value)})</p>"
        self.table.value = caption + html_table(
            rows, TABLE_COLUMNS, empty="No item of this holder and category reaches the threshold."
        )

    def overview(self):
        return arsenal_overview(self.arsenals, self.names)
