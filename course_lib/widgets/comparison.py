"""Explorers that compare: groups side by side, before and after a date, evidence thresholds.

- :class:`ComparisonExplorer`: two or three groups → strength, ties, attack mix, arsenal, and a
  table of their origins and bases.
- :class:`BeforeAfterExplorer`: a group or a lineage (GSPC → AQIM) and a date (a milestone, or
  a year on the slider) → its attacks either side of the date.
- :class:`SensitivityExplorer`: a table and a split column → what each evidence threshold
  keeps; or the alliance network in a year.

Each takes the tables (default: the bundled ones); an imported attacks table can replace
``tables["attacks"]`` (or be passed as ``attacks=``).

Examples
--------
>>> t = pd.DataFrame({"relation": ["ally", "rival"], "evidence_level": ["verified", "suspected"], "source_id": ["s1", "s2"]})
>>> explorer = SensitivityExplorer({"alliances": t})
>>> explorer.split_dropdown.value = "relation"
>>> explorer.counts.values.tolist()
[[1, 1], [1, 0], [1, 0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import ipywidgets as w
import numpy as np
import pandas as pd

from ..comparison import compare_groups
from ..groups import group_names
from ..periods import SIDES, before_after, lineages
from ..plots.comparison import before_after_figure, comparison_figure, killed_text, sensitivity_figure
from ..sensitivity import SensitivityModel, network_sensitivity
from ..vocab import EVIDENCE_LEVELS, country_label, format_range, label
from .base import Explorer, evidence_control, html_table

__all__ = ["BeforeAfterExplorer", "ComparisonExplorer", "SensitivityExplorer"]

GROUP_COLUMNS = ("group_id", "group_a", "group_b", "group_ids")


def _tables(
    tables: Mapping[str, pd.DataFrame] | None, attacks: pd.DataFrame | None
) -> dict[str, pd.DataFrame]:
    if tables is None:
        from ..data import load_course

        tables = load_course()
    return {**tables, **({"attacks": attacks} if attacks is not None else {})}


def _short(text: object, limit: int = 50) -> str:
    s = text if isinstance(text, str) else ""
    return s if len(s) <= limit else s[: limit - 1] + "…"


class ComparisonExplorer(Explorer):
    """Two or three groups side by side: strength over time, ties, attack mix, arsenal.

    Controls: ``group_a_dropdown``, ``group_b_dropdown``, ``group_c_dropdown`` (may be
    "(none)") and ``evidence``. ``comparison`` holds the model's result
    (:class:`~course_lib.comparison.Comparison`).
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame] | None = None,
        group_ids: Iterable[str] | None = None,
        min_evidence: str = "suspected",
        *,
        attacks: pd.DataFrame | None = None,
    ):
        self.tables = _tables(tables, attacks)
        groups = self.tables["groups"]
        self.names = group_names(groups)
        sizes: dict[str, int] = {}
        for name, keys in (
            ("attacks", ["group_id"]),
            ("arsenals", ["group_id"]),
            ("indicators", ["group_id"]),
            ("alliances", ["group_a", "group_b"]),
        ):
            frame = self.tables.get(name)
            for key in keys if frame is not None else ():
                for gid, n in frame[key].value_counts().items():
                    sizes[gid] = sizes.get(gid, 0) + int(n)
        present = [g for g in groups["group_id"] if g in sizes and g != "unknown"]
        options = sorted(((self.names.get(g, g), g) for g in present), key=lambda o: o[0].casefold())
        start = (
            list(dict.fromkeys(group_ids))[:3]
            if group_ids is not None
            else sorted(present, key=lambda g: (-sizes[g], g))[:2]
        )
        start = [*start, None, None, None][:3]
        self.group_a_dropdown = w.Dropdown(options=options, value=start[0], description="Group 1")
        self.group_b_dropdown = w.Dropdown(options=options, value=start[1], description="Group 2")
        self.group_c_dropdown = w.Dropdown(
            options=[("(none)", None), *options], value=start[2], description="Group 3"
        )
        self.evidence = evidence_control(min_evidence)
        self.comparison = self._compare()
        super().__init__(
            [self.group_a_dropdown, self.group_b_dropdown, self.group_c_dropdown, self.evidence],
            comparison_figure(self.comparison),
        )
        for control in (self.group_a_dropdown, self.group_b_dropdown, self.group_c_dropdown, self.evidence):
            control.observe(self._changed, names="value")
        self._update_table()

    @property
    def selected(self) -> tuple[str, ...]:
        """The distinct groups chosen, in order."""
        return tuple(
            dict.fromkeys(
                d.value
                for d in (self.group_a_dropdown, self.group_b_dropdown, self.group_c_dropdown)
                if d.value is not None
            )
        )

    def _compare(self):
        return compare_groups(self.selected, self.tables, self.evidence.value)

    def _changed(self, _change=None) -> None:
        self.comparison = self._compare()
        self.show_figure(comparison_figure(self.comparison))
        self._update_table()

    def _update_table(self) -> None:
        columns = ["Group", "Kind", "Founded", "Ended", "Branch of", "Base countries", "Ideology", "Source"]
        rows = [
            {
                "Group": r["name"],
                "Kind": label(r["kind"]),
                "Founded": r["founded"],
                "Ended": r["ended"],
                "Branch of": r["parent"],
                "Base countries": r["base_countries"],
                "Ideology": r["ideology"],
                "Source": ", ".join(x for x in (r["source_id"], r["locator"]) if isinstance(x, str)),
            }
            for _, r in self.comparison.profiles.iterrows()
        ]
        self.table.value = html_table(rows, columns)


WINDOWS = [
    ("All years", None),
    ("±1 year", 1),
    ("±2 years", 2),
    ("±3 years", 3),
    ("±5 years", 5),
    ("±10 years", 10),
]
SLIDER = "Year on the slider (1 January)"


class BeforeAfterExplorer(Explorer):
    """A group's attacks either side of a date: by type, by country, killed as ranges.

    Choose a group or a lineage (a group and its former names, from the ``rebrand`` and
    ``merger`` rows of the alliances), then the date: one of its renamings or milestones, or
    any year on the slider (split at 1 January). Controls: ``group_dropdown``,
    ``date_dropdown``, ``year_slider``, ``window_dropdown``, ``evidence``; ``split`` holds the
    model's result (:class:`~course_lib.before_after.BeforeAfterSplit`).
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame] | None = None,
        group_ids: str | tuple[str, ...] | None = None,
        min_evidence: str = "suspected",
        *,
        attacks: pd.DataFrame | None = None,
    ):
        t = _tables(tables, attacks)
        self.attacks, self.milestones = t["attacks"], t.get("milestones")
        self.names = group_names(t.get("groups"))
        alliances = t.get("alliances")
        self.lineages = lineages(alliances) if alliances is not None and len(alliances) else []
        sizes = self.attacks["group_id"].value_counts().to_dict()
        lineage_options = [
            (f"{lin.label(self.names)} (lineage)", lin.group_ids)
            for lin in self.lineages
            if any(g in sizes for g in lin.group_ids)
        ]
        single = sorted(
            ((self.names.get(g, g), (g,)) for g in sizes if g != "unknown"), key=lambda o: o[0].casefold()
        )
        options = lineage_options + single or [("(no attacks in the data)", ("unknown",))]
        if group_ids is not None:
            start = (group_ids,) if isinstance(group_ids, str) else tuple(group_ids)
            if start not in [v for _, v in options]:
                options = [(" → ".join(self.names.get(g, g) for g in start), start), *options]
        else:
            dated = {lin.group_ids for lin in self.lineages if any(s.date for s in lin.transitions)}
            start = max(options, key=lambda o: (o[1] in dated, sum(sizes.get(g, 0) for g in o[1])))[1]
        self.group_dropdown = w.Dropdown(options=options, value=start, description="Group")
        years = [int(y) for y in self.attacks["date_start"].dropna().dt.year] or [2000, 2025]
        self.year_slider = w.IntSlider(
            min=min(years),
            max=max(years),
            value=min(years),
            description="Split year",
            continuous_update=False,
        )
        self.date_dropdown = w.Dropdown(options=[(SLIDER, None)], value=None, description="Date")
        self.window_dropdown = w.Dropdown(options=WINDOWS, value=None, description="Window")
        self.evidence = evidence_control(min_evidence)
        self._busy = False
        self._set_dates()
        self.split = self._compute()
        super().__init__(
            [self.group_dropdown, self.date_dropdown, self.year_slider, self.window_dropdown, self.evidence],
            before_after_figure(self.split, self.names),
        )
        self.group_dropdown.observe(self._group_changed, names="value")
        self.date_dropdown.observe(self._date_changed, names="value")
        self.year_slider.observe(self._year_changed, names="value")
        self.window_dropdown.observe(self._changed, names="value")
        self.evidence.observe(self._changed, names="value")
        self._update_table()

    def date_options(self, ids: tuple[str, ...]) -> list[tuple[str, str | None]]:
        """The dates offered for ``ids``: renamings of the lineage, then milestones, by date."""
        found: dict[str, list[str]] = {}
        for lin in self.lineages:
            if lin.group_ids == ids:
                for s in lin.transitions:
                    if s.date:
                        found.setdefault(s.date, []).append(
                            f"{self.names.get(s.old, s.old)} → {self.names.get(s.new, s.new)} ({s.relation})"
                        )
        m = self.milestones
        if m is not None and len(m):
            for rec in m[m["group_ids"].map(lambda v: bool(set(ids) & set(v or ())))].itertuples(index=False):
                found.setdefault(rec.date, []).append(f"{label(rec.kind)}: {_short(rec.description)}")
        options = [
            (f"{d} · {texts[0]}" + (f" (+{len(texts) - 1} more)" if len(texts) > 1 else ""), d)
            for d, texts in sorted(found.items(), key=lambda kv: (kv[0][:4], kv[0]))
        ]
        return [*options, (SLIDER, None)]

    def _set_dates(self) -> None:
        ids = self.group_dropdown.value
        options = self.date_options(ids)
        renamings = [
            s.date for lin in self.lineages if lin.group_ids == ids for s in lin.transitions if s.date
        ]
        value = renamings[-1] if renamings else (options[0][1] if len(options) > 1 else None)
        self._busy = True
        try:
            self.date_dropdown.options, self.date_dropdown.value = options, value
            if value is not None:
                self.year_slider.value = min(max(int(value[:4]), self.year_slider.min), self.year_slider.max)
        finally:
            self._busy = False

    @property
    def date(self) -> str:
        """The split date in use: the dropdown's, or 1 January of the slider's year."""
        value = self.date_dropdown.value
        return value if value is not None else f"{self.year_slider.value:04d}-01-01"

    def _group_changed(self, _change=None) -> None:
        self._set_dates()
        self._changed()

    def _date_changed(self, change) -> None:
        if self._busy:
            return
        if change["new"] is not None:
            self._busy = True
            try:
                self.year_slider.value = min(
                    max(int(change["new"][:4]), self.year_slider.min), self.year_slider.max
                )
            finally:
                self._busy = False
        self._changed()

    def _year_changed(self, _change) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            self.date_dropdown.value = None
        finally:
            self._busy = False
        self._changed()

    def _compute(self):
        return before_after(
            self.attacks,
            self.group_dropdown.value,
            self.date,
            self.window_dropdown.value,
            self.evidence.value,
        )

    def _changed(self, _change=None) -> None:
        if not self._busy:
            self.split = self._compute()
            self.show_figure(before_after_figure(self.split, self.names))
            self._update_table()

    def _update_table(self) -> None:
        s = self.split
        sides = [
            {
                "Side": side,
                "Attacks": int(s.killed.loc[side, "attacks"]),
                "Killed": killed_text(s.killed.loc[side]),
                "Attacks without a figure": int(s.killed.loc[side, "not_stated"]),
            }
            for side in SIDES
        ]
        listed = [
            {
                "Date": r.get("date"),
                "Side": r.get("side"),
                "Group": self.names.get(r.get("group_id"), r.get("group_id")),
                "Type": label(r.get("attack_type")),
                "Country": country_label(r.get("country")),
                "Killed": format_range(r.get("killed_low"), r.get("killed_high")),
                "Evidence": r.get("evidence_level"),
                "Source": ", ".join(x for x in (r.get("source_id"), r.get("locator")) if isinstance(x, str)),
            }
            for r in s.rows.head(50).to_dict("records")
        ]
        more = f"<p><em>First 50 of {len(s.rows)} attacks, by date.</em></p>" if len(s.rows) > 50 else ""
        self.table.value = (
            html_table(sides, ["Side", "Attacks", "Killed", "Attacks without a figure"])
            + html_table(listed, ["Date", "Side", "Group", "Type", "Country", "Killed", "Evidence", "Source"])
            + more
        )


TABLES = [
    ("Attacks", "attacks", "attacks"),
    ("Arsenals", "arsenals", "items"),
    ("Alliances", "alliances", "ties"),
    ("Alliance network in a year", "network", "count"),
    ("Indicators", "indicators", "figures"),
    ("Milestones", "milestones", "milestones"),
]


class SensitivityExplorer(Explorer):
    """How a count, or the alliance network, changes as the evidence threshold rises.

    Controls: ``table_dropdown`` (a table, or the alliance network in a year),
    ``split_dropdown`` (a column to split by; off for the network) and ``year_dropdown``
    (the network's year; off for the tables). ``counts`` holds the numbers shown.
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame] | None = None,
        table: str | None = None,
        *,
        attacks: pd.DataFrame | None = None,
    ):
        self.tables = _tables(tables, attacks)
        self.names = group_names(self.tables.get("groups"))
        self.models = {
            n: SensitivityModel(self.tables[n], n)
            for _, n, _ in TABLES
            if n != "network" and n in self.tables
        }
        options = [
            (text, n)
            for text, n, _ in TABLES
            if n in self.models or (n == "network" and "alliances" in self.tables)
        ]
        if not options:
            raise ValueError(
                "SensitivityExplorer needs at least one of: " + ", ".join(n for _, n, _ in TABLES)
            )
        self.table_dropdown = w.Dropdown(
            options=options,
            value=table if table in dict(options).values() else options[0][1],
            description="Table",
        )
        self.split_dropdown = w.Dropdown(options=[("No split", None)], value=None, description="Split by")
        alliances = self.tables.get("alliances")
        years = sorted(
            {
                int(y)
                for c in ("start_start", "end_end", "observed_end")
                if alliances is not None and c in alliances
                for y in alliances[c].dropna().dt.year
            }
        )
        years = list(range(years[0], years[-1] + 1)) if years else []
        self.year_dropdown = w.Dropdown(
            options=[("All years", None), *((str(y), y) for y in years)], value=None, description="Year"
        )
        self._busy = False
        self._set_splits()
        super().__init__([self.table_dropdown, self.split_dropdown, self.year_dropdown], self._build())
        self.table_dropdown.observe(self._table_changed, names="value")
        self.split_dropdown.observe(self._changed, names="value")
        self.year_dropdown.observe(self._changed, names="value")
        self._update_table()

    def _set_splits(self) -> None:
        network = self.table_dropdown.value == "network"
        columns = [] if network else self.models[self.table_dropdown.value].split_columns()
        self._busy = True
        try:
            self.split_dropdown.options = [("No split", None), *((label(c).capitalize(), c) for c in columns)]
            self.split_dropdown.value = None
        finally:
            self._busy = False
        self.split_dropdown.disabled, self.year_dropdown.disabled = network, not network

    def _build(self):
        name = self.table_dropdown.value
        if name == "network":
            year = self.year_dropdown.value
            self.counts = network_sensitivity(self.tables["alliances"], year)
            when = f"in {year}" if year is not None else "over all years"
            empty = f"No tie holds at any time in {year}." if year is not None else "The table has no ties."
            return sensitivity_figure(
                self.counts,
                what="count",
                title=f"Evidence sensitivity: the alliance network {when}",
                empty=empty,
            )
        by = self.split_dropdown.value
        model = self.models[name]
        self.counts = model.counts(by)
        what = next(w_ for _, n, w_ in TABLES if n == name)
        return sensitivity_figure(
            self.counts,
            by=by,
            what=what,
            sources=model.sources(by),
            labels=self.names if by in GROUP_COLUMNS else None,
            title=f"Evidence sensitivity: {name}" + (f" by {label(by)}" if by else ""),
        )

    def _table_changed(self, _change=None) -> None:
        self._set_splits()
        self._changed()

    def _changed(self, _change=None) -> None:
        if not self._busy:
            self.show_figure(self._build())
            self._update_table()

    def _update_table(self) -> None:
        network = self.table_dropdown.value == "network"
        by = None if network else self.split_dropdown.value
        columns = ["Value", *(f"≥ {lv}" for lv in EVIDENCE_LEVELS), "Share kept at ≥ verified"]

        def row(name: str, values: np.ndarray) -> dict:
            return {
                "Value": name,
                **{f"≥ {lv}": f"{int(v):,}" for lv, v in zip(EVIDENCE_LEVELS, values)},
                "Share kept at ≥ verified": f"{values[-1] / values[0]:.0%}" if values[0] else "–",
            }

        rows = (
            [row("All rows", self.models[self.table_dropdown.value].counts(None)["rows"].to_numpy())]
            if by
            else []
        )
        labels = self.names if by in GROUP_COLUMNS else {}
        rows += [
            row(labels.get(c, label(c) if by else str(c)), self.counts[c].to_numpy())
            for c in self.counts.columns
        ]
        self.table.value = html_table(rows, columns, empty="Nothing to count.")
