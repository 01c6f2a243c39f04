"""Explorers that compare: groups side by side, before/after a date, evidence thresholds.

- :class:`GroupComparison`: two or three groups (dropdowns) → strength, ties, attack mix,
  arsenal, and a table of their origins and bases.
- :class:`BeforeAfter`: a group or a lineage (GSPC → AQIM) and a date (a milestone, or a
  year on the slider) → its attacks either side of the date.
- :class:`EvidenceSensitivity`: a table and a split column → what each evidence threshold
  keeps; or the alliance network in a year.

Each constructor takes the tables (default: the bundled ones) and never displays anything.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"relation": ["ally", "rival"], "evidence_level": ["verified", "suspected"],
...                   "source_id": ["s1", "s2"]})
>>> explorer = EvidenceSensitivity({"alliances": t})
>>> explorer.split_dropdown.value = "relation"
>>> [list(trace.x) for trace in explorer.figure.data]
[[1, 1], [1, 0], [1, 0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import ipywidgets as w
import numpy as np
import pandas as pd

from ..arsenal import EVIDENCE_LEVELS
from ..compare import (
    SIDES,
    SensitivityModel,
    before_after,
    compare_groups,
    lineages,
    network_sensitivity,
)
from ..plots.arsenals import group_names, label
from ..plots.compare import _killed_text, before_after_figure, comparison_figure, sensitivity_figure
from .base import Explorer, evidence_control, html_table

__all__ = ["BeforeAfter", "EvidenceSensitivity", "GroupComparison"]

GROUP_COLUMNS = ("group_id", "group_a", "group_b", "group_ids")


def _key(option: tuple) -> str:
    return str(option[0]).casefold()


def _index_by(frame: pd.DataFrame | None, column: str) -> dict[str, np.ndarray]:
    """Row positions of ``frame`` for each value of ``column`` (computed once)."""
    if frame is None or not len(frame) or column not in frame:
        return {}
    return {str(k): v for k, v in frame.groupby(frame[column].astype("object"), sort=False).indices.items()}


def _rows(
    frame: pd.DataFrame | None, index: Mapping[str, np.ndarray], ids: Iterable[str]
) -> pd.DataFrame | None:
    if frame is None:
        return None
    parts = [index[g] for g in ids if g in index]
    positions = np.unique(np.concatenate(parts)) if parts else np.array([], dtype=np.int64)
    return frame.iloc[positions]


# --------------------------------------------------------------------------------------
# groups side by side
# --------------------------------------------------------------------------------------
class GroupComparison(Explorer):
    """Two or three groups side by side: strength over time, ties, attack mix, arsenal.

    Parameters
    ----------
    tables : dict of DataFrame, optional
        As :func:`~course_lib.data.load_course` returns (default: the bundled tables).
    group_ids : sequence of str, optional
        The groups to start with (two or three); default: the two with the most rows.
    min_evidence : str
        The threshold to start with.

    Attributes
    ----------
    group_dropdowns : list of ipywidgets.Dropdown
        Groups 1, 2 and 3 (the third may be "(none)"); also ``group_a_dropdown`` … .
    evidence : ipywidgets.Dropdown
        Minimum evidence level of the rows counted.
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame] | None = None,
        group_ids: Iterable[str] | None = None,
        min_evidence: str = "suspected",
    ):
        if tables is None:
            from ..data import load_course

            tables = load_course()
        self.tables = tables
        groups = tables["groups"]
        self.names = group_names(groups)
        self._index = {
            "attacks": _index_by(tables.get("attacks"), "group_id"),
            "arsenals": _index_by(tables.get("arsenals"), "group_id"),
            "indicators": _index_by(tables.get("indicators"), "group_id"),
            "alliances_a": _index_by(tables.get("alliances"), "group_a"),
            "alliances_b": _index_by(tables.get("alliances"), "group_b"),
        }
        sizes: dict[str, int] = {}
        for index in self._index.values():
            for gid, rows in index.items():
                sizes[gid] = sizes.get(gid, 0) + len(rows)
        present = [g for g in groups["group_id"] if g in sizes and g != "unknown"]
        options = sorted(((self.names.get(g, g), g) for g in present), key=_key)
        if group_ids is None:
            start = sorted(present, key=lambda g: (-sizes[g], g))[:2]
        else:
            start = [g for g in dict.fromkeys(group_ids)][:3]
        start = [*start, None, None, None][:3]
        self.group_a_dropdown = w.Dropdown(options=options, value=start[0], description="Group 1")
        self.group_b_dropdown = w.Dropdown(options=options, value=start[1], description="Group 2")
        self.group_c_dropdown = w.Dropdown(
            options=[("(none)", None), *options], value=start[2], description="Group 3"
        )
        self.group_dropdowns = [self.group_a_dropdown, self.group_b_dropdown, self.group_c_dropdown]
        self.evidence = evidence_control(min_evidence)
        self.comparison = self._compare()
        super().__init__([*self.group_dropdowns, self.evidence], comparison_figure(self.comparison))
        for control in (*self.group_dropdowns, self.evidence):
            control.observe(self._changed, names="value")
        self._update_table()

    @property
    def selected(self) -> tuple[str, ...]:
        """The distinct groups chosen, in order."""
        return tuple(dict.fromkeys(d.value for d in self.group_dropdowns if d.value is not None))

    def _compare(self):
        ids = self.selected
        t = self.tables
        a = self._rows("alliances", "alliances_a", ids)
        b = self._rows("alliances", "alliances_b", ids)
        sub = {"groups": t["groups"]}
        for name in ("attacks", "arsenals", "indicators"):
            if name in t:
                sub[name] = _rows(t[name], self._index[name], ids)
        if "alliances" in t:
            sub["alliances"] = t["alliances"].iloc[np.union1d(a, b)]
        return compare_groups(ids, sub, self.evidence.value)

    def _rows(self, table: str, index: str, ids) -> np.ndarray:
        parts = [self._index[index][g] for g in ids if g in self._index[index]]
        return np.concatenate(parts) if parts else np.array([], dtype=np.int64)

    def _changed(self, _change=None) -> None:
        self.comparison = self._compare()
        self.show_figure(comparison_figure(self.comparison))
        self._update_table()

    def _update_table(self) -> None:
        p = self.comparison.profiles
        rows = [
            {
                "Group": rec["name"],
                "Kind": label(rec["kind"]) if isinstance(rec["kind"], str) else None,
                "Founded": rec["founded"],
                "Ended": rec["ended"],
                "Branch of": rec["parent"],
                "Base countries": rec["base_countries"],
                "Ideology": rec["ideology"],
                "Source": ", ".join(x for x in (rec["source_id"], rec["locator"]) if isinstance(x, str)),
            }
            for _, rec in p.iterrows()
        ]
        columns = ["Group", "Kind", "Founded", "Ended", "Branch of", "Base countries", "Ideology", "Source"]
        self.table.value = html_table(rows, columns)


# --------------------------------------------------------------------------------------
# before / after
# --------------------------------------------------------------------------------------
WINDOWS = [
    ("All years", None),
    ("±1 year", 1),
    ("±2 years", 2),
    ("±3 years", 3),
    ("±5 years", 5),
    ("±10 years", 10),
]
SLIDER = "Year on the slider (1 January)"


def _short(text: object, limit: int = 60) -> str:
    s = str(text) if isinstance(text, str) else ""
    return s if len(s) <= limit else s[: limit - 1] + "…"


class BeforeAfter(Explorer):
    """A group's attacks either side of a date: by type, by country, killed as ranges.

    Choose a group, or a lineage (a group and its former names, e.g. GSPC → AQIM, from the
    ``rebrand`` and ``merger`` rows of the alliances), then the date: one of its milestones
    or renamings, or any year on the slider (split at 1 January of that year). See
    :mod:`course_lib.compare` for how partial dates fall either side.

    Parameters
    ----------
    attacks, groups, milestones, alliances : DataFrame, optional
        The tables. When ``attacks`` is None, all four are the bundled ones (unless given);
        otherwise a missing table means no names, no milestones or no lineages.
    group_ids : str or tuple of str, optional
        The group or lineage to start with.

    Attributes
    ----------
    group_dropdown : ipywidgets.Dropdown
        Lineages first, then single groups (values: tuples of ``group_id``).
    date_dropdown : ipywidgets.Dropdown
        The lineage's renamings and the groups' milestones, or the slider's year (None).
    year_slider : ipywidgets.IntSlider
        A year to split at (choosing it switches ``date_dropdown`` to the slider).
    window_dropdown : ipywidgets.Dropdown
        Keep only attacks within so many years of the date.
    evidence : ipywidgets.Dropdown
        Minimum evidence level.
    """

    def __init__(
        self,
        attacks: pd.DataFrame | None = None,
        groups: pd.DataFrame | None = None,
        milestones: pd.DataFrame | None = None,
        alliances: pd.DataFrame | None = None,
        group_ids: str | tuple[str, ...] | None = None,
        min_evidence: str = "suspected",
    ):
        if attacks is None:
            from ..data import load_alliances, load_attacks, load_groups, load_milestones

            attacks = load_attacks()
            groups = load_groups() if groups is None else groups
            milestones = load_milestones() if milestones is None else milestones
            alliances = load_alliances() if alliances is None else alliances
        self.attacks = attacks
        self.milestones = milestones
        self.names = group_names(groups)
        self._by_group = _index_by(attacks, "group_id")
        self.lineages = lineages(alliances) if alliances is not None and len(alliances) else []

        sizes = {g: len(v) for g, v in self._by_group.items()}
        lineage_options = [
            (f"{lin.label(self.names)} (lineage)", lin.group_ids)
            for lin in self.lineages
            if any(g in sizes for g in lin.group_ids)
        ]
        single = sorted(((self.names.get(g, g), (g,)) for g in sizes if g != "unknown"), key=_key)
        options = lineage_options + single
        if not options:
            options = [("(no attacks in the data)", ())]
        if group_ids is not None:
            start = (group_ids,) if isinstance(group_ids, str) else tuple(group_ids)
            if start not in [v for _, v in options]:
                options = [(" → ".join(self.names.get(g, g) for g in start), start), *options]
        elif lineage_options:
            # Prefer a dated renaming (GSPC → AQIM, 2007), then the most attacks.
            dated = {lin.group_ids for lin in self.lineages if any(t.date for t in lin.transitions)}
            start = max(lineage_options, key=lambda o: (o[1] in dated, sum(sizes.get(g, 0) for g in o[1])))[1]
        else:
            start = max(options, key=lambda o: sum(sizes.get(g, 0) for g in o[1]))[1]
        self.group_dropdown = w.Dropdown(options=options, value=start, description="Group")

        years = self._years()
        self.year_slider = w.IntSlider(
            min=years[0], max=years[1], value=years[0], description="Split year", continuous_update=False
        )
        self.date_dropdown = w.Dropdown(options=[(SLIDER, None)], value=None, description="Date")
        self.window_dropdown = w.Dropdown(options=WINDOWS, value=None, description="Window")
        self.evidence = evidence_control(min_evidence)
        self._busy = False
        self._set_dates()
        self.split = self._compute()
        controls = [
            self.group_dropdown,
            self.date_dropdown,
            self.year_slider,
            self.window_dropdown,
            self.evidence,
        ]
        super().__init__(controls, before_after_figure(self.split, self.names))
        self.group_dropdown.observe(self._group_changed, names="value")
        self.date_dropdown.observe(self._date_changed, names="value")
        self.year_slider.observe(self._year_changed, names="value")
        self.window_dropdown.observe(self._changed, names="value")
        self.evidence.observe(self._changed, names="value")
        self._update_table()

    # -- dates --------------------------------------------------------------------------
    def _years(self) -> tuple[int, int]:
        years = []
        for frame, start, end in (
            (self.attacks, "date_start", "date_end"),
            (self.milestones, "date_start", None),
        ):
            if frame is not None and len(frame) and start in frame:
                s = frame[start].dropna()
                if len(s):
                    years += [int(s.min().year), int(frame[end or start].dropna().max().year)]
        return (min(years), max(years)) if years else (2000, 2025)

    def date_options(self, ids: tuple[str, ...]) -> list[tuple[str, str | None]]:
        """The dates offered for ``ids``: renamings of the lineage, then milestones, by date."""
        found: dict[str, list[str]] = {}
        for lin in self.lineages:
            if lin.group_ids == ids:
                for t in lin.transitions:
                    if t.date:
                        text = (
                            f"{self.names.get(t.old, t.old)} → {self.names.get(t.new, t.new)} ({t.relation})"
                        )
                        found.setdefault(t.date, []).append(text)
        m = self.milestones
        if m is not None and len(m):
            wanted = set(ids)
            hit = m["group_ids"].map(lambda v: bool(wanted.intersection(v or ())))
            for rec in m[hit].itertuples(index=False):
                if isinstance(rec.date, str) and rec.date:
                    found.setdefault(rec.date, []).append(f"{label(rec.kind)}: {_short(rec.description, 50)}")
        order = sorted(found, key=lambda d: (d[:4], d))
        options = []
        for d in order:
            texts = found[d]
            more = f" (+{len(texts) - 1} more)" if len(texts) > 1 else ""
            options.append((f"{d} · {texts[0]}{more}", d))
        return [*options, (SLIDER, None)]

    def _set_dates(self) -> None:
        ids = self.group_dropdown.value
        options = self.date_options(ids)
        renamings = [
            t.date for lin in self.lineages if lin.group_ids == ids for t in lin.transitions if t.date
        ]
        value = renamings[-1] if renamings else (options[0][1] if len(options) > 1 else None)
        self._busy = True
        try:
            self.date_dropdown.options = options
            self.date_dropdown.value = value
            if value is not None:
                self.year_slider.value = min(max(int(value[:4]), self.year_slider.min), self.year_slider.max)
        finally:
            self._busy = False

    @property
    def date(self) -> str:
        """The split date in use: the dropdown's, or 1 January of the slider's year."""
        value = self.date_dropdown.value
        return value if value is not None else f"{self.year_slider.value:04d}-01-01"

    # -- events -------------------------------------------------------------------------
    def _group_changed(self, _change=None) -> None:
        self._set_dates()
        self._changed()

    def _date_changed(self, change) -> None:
        if self._busy:
            return
        if change["new"] is not None:
            self._busy = True
            try:
                year = int(change["new"][:4])
                self.year_slider.value = min(max(year, self.year_slider.min), self.year_slider.max)
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
        ids = self.group_dropdown.value or ("unknown",)
        rows = _rows(self.attacks, self._by_group, ids)
        return before_after(rows, ids, self.date, self.window_dropdown.value, self.evidence.value)

    def _changed(self, _change=None) -> None:
        if self._busy:
            return
        self.split = self._compute()
        self.show_figure(before_after_figure(self.split, self.names))
        self._update_table()

    def _update_table(self) -> None:
        s = self.split
        sides = [
            {
                "Side": side,
                "Attacks": int(s.killed.loc[side, "attacks"]),
                "Killed": _killed_text(s.killed.loc[side]),
                "Attacks without a figure": int(s.killed.loc[side, "not_stated"]),
            }
            for side in SIDES
        ]
        head = html_table(sides, ["Side", "Attacks", "Killed", "Attacks without a figure"])
        limit = 50
        listed = []
        for rec in s.rows.head(limit).to_dict("records"):
            low, high = rec.get("killed_low"), rec.get("killed_high")
            killed = ""
            if pd.notna(low) or pd.notna(high):
                lo = "" if pd.isna(low) else f"{int(low)}"
                hi = "" if pd.isna(high) else f"{int(high)}"
                killed = (
                    lo if lo == hi else (f"≥ {lo}" if not hi else (f"≤ {hi}" if not lo else f"{lo}–{hi}"))
                )
            listed.append(
                {
                    "Date": rec.get("date"),
                    "Side": rec.get("side"),
                    "Group": self.names.get(rec.get("group_id"), rec.get("group_id")),
                    "Type": label(rec.get("attack_type")),
                    "Country": rec.get("country"),
                    "Killed": killed,
                    "Evidence": rec.get("evidence_level"),
                    "Source": ", ".join(
                        x for x in (rec.get("source_id"), rec.get("locator")) if isinstance(x, str)
                    ),
                }
            )
        more = (
            f"<p><em>First {limit} of {len(s.rows)} attacks, by date.</em></p>" if len(s.rows) > limit else ""
        )
        columns = ["Date", "Side", "Group", "Type", "Country", "Killed", "Evidence", "Source"]
        self.table.value = head + html_table(listed, columns) + more


# --------------------------------------------------------------------------------------
# evidence sensitivity
# --------------------------------------------------------------------------------------
TABLES = [
    ("Attacks", "attacks", "attacks"),
    ("Arsenals", "arsenals", "items"),
    ("Alliances", "alliances", "ties"),
    ("Alliance network in a year", "network", "count"),
    ("Indicators", "indicators", "figures"),
    ("Milestones", "milestones", "milestones"),
]


class EvidenceSensitivity(Explorer):
    """How a count, or the alliance network, changes as the evidence threshold rises.

    Parameters
    ----------
    tables : dict of DataFrame, optional
        As :func:`~course_lib.data.load_course` returns (default: the bundled tables).

    Attributes
    ----------
    table_dropdown : ipywidgets.Dropdown
        The table to count (or the alliance network in a year).
    split_dropdown : ipywidgets.Dropdown
        The column to split the count by (None: no split); off for the network.
    year_dropdown : ipywidgets.Dropdown
        For the network: the year (None: every tie of the table); off for the tables.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame] | None = None, table: str | None = None):
        if tables is None:
            from ..data import load_course

            tables = load_course()
        self.tables = tables
        self.names = group_names(tables.get("groups"))
        self.models = {
            name: SensitivityModel(tables[name], name)
            for _, name, _ in TABLES
            if name != "network" and name in tables
        }
        options = [
            (text, name)
            for text, name, _ in TABLES
            if name in self.models or (name == "network" and "alliances" in tables)
        ]
        if not options:
            raise ValueError(
                "EvidenceSensitivity needs at least one of: " + ", ".join(n for _, n, _ in TABLES)
            )
        self.table_dropdown = w.Dropdown(
            options=options,
            value=table if table in dict(map(reversed, options)) else options[0][1],
            description="Table",
        )
        self.split_dropdown = w.Dropdown(options=[("No split", None)], value=None, description="Split by")
        self.year_dropdown = w.Dropdown(options=self._year_options(), value=None, description="Year")
        self._busy = False
        self._set_splits()
        super().__init__([self.table_dropdown, self.split_dropdown, self.year_dropdown], self._build())
        self.table_dropdown.observe(self._table_changed, names="value")
        self.split_dropdown.observe(self._changed, names="value")
        self.year_dropdown.observe(self._changed, names="value")
        self._update_table()

    def _year_options(self) -> list[tuple[str, int | None]]:
        t = self.tables.get("alliances")
        years: list[int] = []
        if t is not None and len(t) and "start_start" in t:
            starts = pd.concat([t["start_start"], t["end_end"], t["observed_end"]]).dropna()
            if len(starts):
                years = list(range(int(starts.min().year), int(starts.max().year) + 1))
        return [("All years", None), *((str(y), y) for y in years)]

    def _set_splits(self) -> None:
        name = self.table_dropdown.value
        network = name == "network"
        columns = [] if network else self.models[name].split_columns()
        self._busy = True
        try:
            self.split_dropdown.options = [("No split", None), *((label(c).capitalize(), c) for c in columns)]
            self.split_dropdown.value = None
        finally:
            self._busy = False
        self.split_dropdown.disabled = network
        self.year_dropdown.disabled = not network

    def _what(self) -> str:
        return next(what for _, name, what in TABLES if name == self.table_dropdown.value)

    def _build(self):
        name = self.table_dropdown.value
        if name == "network":
            year = self.year_dropdown.value
            self.counts = network_sensitivity(self.tables["alliances"], year)
            self.sources = None
            when = f"in {year}" if year is not None else "over all years"
            title = f"Evidence sensitivity: the alliance network {when}"
            empty = f"No tie holds at any time in {year}." if year is not None else "The table has no ties."
            return sensitivity_figure(self.counts, what="count", title=title, empty=empty)
        by = self.split_dropdown.value
        model = self.models[name]
        self.counts = model.counts(by)
        self.sources = model.sources(by)
        labels = self.names if by in GROUP_COLUMNS else None
        what = self._what()
        title = f"Evidence sensitivity: {name}" + (f" by {label(by)}" if by else "")
        return sensitivity_figure(
            self.counts, by=by, what=what, sources=self.sources, labels=labels, title=title
        )

    def _table_changed(self, _change=None) -> None:
        self._set_splits()
        self._changed()

    def _changed(self, _change=None) -> None:
        if self._busy:
            return
        self.show_figure(self._build())
        self._update_table()

    def _update_table(self) -> None:
        counts = self.counts
        by = None if self.table_dropdown.value == "network" else self.split_dropdown.value
        columns = ["Value", *(f"≥ {lv}" for lv in EVIDENCE_LEVELS), "Share kept at ≥ verified"]

        def row(name: str, values: np.ndarray) -> dict:
            out = {"Value": name}
            out.update({f"≥ {lv}": f"{int(v):,}" for lv, v in zip(EVIDENCE_LEVELS, values)})
            out["Share kept at ≥ verified"] = f"{values[-1] / values[0]:.0%}" if values[0] else "–"
            return out

        rows = []
        if by is not None:
            total = self.models[self.table_dropdown.value].counts(None)["rows"].to_numpy()
            rows.append(row("All rows", total))
        labels = self.names if by in GROUP_COLUMNS else {}
        for c in counts.columns:
            shown = labels.get(c, label(c) if by else str(c))
            rows.append(row(shown, counts[c].to_numpy()))
        self.table.value = html_table(rows, columns, empty="Nothing to count.")
