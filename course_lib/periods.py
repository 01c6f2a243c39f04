"""A group's attacks either side of a date, and the chains of names groups went through.

Dates are ranges (``"2007"`` is any day of 2007). :func:`before_after` splits at a date ``D``
whose first and last possible days are ``D.start`` and ``D.end``:

- an attack is **before** when its last possible day is earlier than ``D.start``;
- it is **after** when its first possible day is ``D.end`` or later (an attack on the day
  of the event counts as after: the new name applies from that day);
- otherwise its date range straddles the split: it is **uncertain**, counted on neither side.

:func:`lineages` chains the ``rebrand`` and ``merger`` rows of the alliances table into the
names a group went through (a ``split`` starts a new group, not a new name).

Examples
--------
>>> attacks = pd.DataFrame({
...     "group_id": ["gspc", "gspc", "aqim", "aqim"],
...     "date": ["2006-05-02", "2007", "2007-04-11", "2008-06"],
...     "attack_type": ["bombing", "armed_assault", "bombing", "bombing"],
...     "country": ["DZA", "DZA", "DZA", "MLI"],
...     "killed_low": [2, None, 33, 1], "killed_high": [2, None, 33, None],
...     "evidence_level": ["reported"] * 4})
>>> split = before_after(attacks, ("gspc", "aqim"), "2007-01-24")
>>> split.counts()
{'before': 1, 'uncertain': 1, 'after': 2}
>>> split.by_type.loc["bombing"].tolist()
[1, 0, 2]
>>> split.killed.loc["after", ["killed_low", "killed_high"]].tolist()
[34.0, nan]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from .dates import DateLike, date_bounds, date_columns, parse_partial_date
from .vocab import codes_of, evidence_mask, vocabulary

__all__ = ["SIDES", "BeforeAfterSplit", "Lineage", "Transition", "before_after", "lineages"]

#: The sides of a before/after split, in the order they are shown.
SIDES = ("before", "uncertain", "after")
NOT_STATED = "(not stated)"


@dataclass(frozen=True)
class BeforeAfterSplit:
    """A group's attacks either side of a date (see :func:`before_after`).

    ``rows``: the attacks kept, ordered by date, with a ``side`` column; ``by_type`` and
    ``by_country``: attack counts (type or country × side); ``killed``: per side,
    ``attacks``, ``killed_low`` (sum of the stated lower bounds), ``killed_high`` (sum of the
    upper bounds; NaN, open, when any attack of that side states none) and ``not_stated``
    (attacks with no figure); ``undated``: the group's attacks with no date (left out).
    """

    group_ids: tuple[str, ...]
    date: str
    start: pd.Timestamp
    end: pd.Timestamp
    window_years: int | None
    min_evidence: str
    rows: pd.DataFrame
    by_type: pd.DataFrame
    by_country: pd.DataFrame
    killed: pd.DataFrame
    undated: int = 0

    def counts(self) -> dict[str, int]:
        """Attacks per side."""
        return {side: int(self.killed.loc[side, "attacks"]) for side in SIDES}


def _by_side(rows: pd.DataFrame, side: np.ndarray, column: str, categories: list[str]) -> pd.DataFrame:
    """Counts of ``column``'s values (the vocabulary's order, then others, then "not stated") × side."""
    values = rows[column].astype("object").where(rows[column].notna(), NOT_STATED)
    present = set(values)
    order = [c for c in categories if c in present] + sorted(present - set(categories) - {NOT_STATED})
    order += [NOT_STATED] if NOT_STATED in present else []
    n = np.zeros((len(order), len(SIDES)), dtype=np.int64)
    np.add.at(n, (codes_of(values, order), side), 1)
    return pd.DataFrame(n, index=pd.Index(order, name=column), columns=pd.Index(SIDES, name="side"))


def _numbers(rows: pd.DataFrame, column: str) -> np.ndarray:
    if column not in rows:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _killed(rows: pd.DataFrame, side: np.ndarray) -> pd.DataFrame:
    low, high = _numbers(rows, "killed_low"), _numbers(rows, "killed_high")
    out = []
    for k, name in enumerate(SIDES):
        lo, hi = low[side == k], high[side == k]
        out.append(
            {
                "side": name,
                "attacks": len(lo),
                "killed_low": float(np.nansum(lo)),
                "killed_high": float(hi.sum()) if not np.isnan(hi).any() else np.nan,
                "not_stated": int((np.isnan(lo) & np.isnan(hi)).sum()),
            }
        )
    return pd.DataFrame(out).set_index("side")


def before_after(
    attacks: pd.DataFrame,
    group_id: str | Iterable[str],
    date: DateLike,
    window_years: int | None = None,
    min_evidence: str = "suspected",
) -> BeforeAfterSplit:
    """Count a group's attacks before and after a date, by type and by country.

    Parameters
    ----------
    attacks
        An attacks table (curated, imported or both); it needs ``group_id``, ``attack_type``,
        ``country``, ``evidence_level`` and ``date`` (its ``date_start``/``date_end`` are
        used when present).
    group_id
        One group, or a lineage whose attacks are pooled, e.g. ``("gspc", "aqim")``.
    date
        Where to split (see the module docstring for partial dates).
    window_years
        Keep only attacks whose whole date range lies within this many years of the date.
    min_evidence
        Keep attacks at this level or stronger.

    >>> t = pd.DataFrame({"group_id": ["g"] * 3, "date": ["2006-12-31", "2007-01-24", "2010"],
    ...     "attack_type": ["bombing"] * 3, "country": ["DZA"] * 3, "evidence_level": ["reported"] * 3})
    >>> before_after(t, "g", "2007-01-24", window_years=1).counts()
    {'before': 1, 'uncertain': 0, 'after': 1}
    >>> before_after(t, "g", "2007").counts()
    {'before': 1, 'uncertain': 1, 'after': 1}
    """
    ids = (group_id,) if isinstance(group_id, str) else tuple(dict.fromkeys(group_id))
    if not ids:
        raise ValueError("give at least one group_id")
    start, end, text = date_bounds(date)
    if window_years is not None and (not isinstance(window_years, (int, np.integer)) or window_years < 0):
        raise ValueError(
            f"window_years must be a whole number of years ≥ 0 or None, but {window_years!r} was passed"
        )
    rows = attacks[attacks["group_id"].isin(ids).to_numpy() & evidence_mask(attacks, min_evidence)]
    if "date_start" not in rows:
        cols = date_columns("date", [d if isinstance(d, str) and d else None for d in rows["date"]])
        rows = rows.assign(date_start=cols["date_start"].to_numpy(), date_end=cols["date_end"].to_numpy())
    ds = rows["date_start"].to_numpy(dtype="datetime64[s]")
    de = rows["date_end"].to_numpy(dtype="datetime64[s]")
    keep = ~(np.isnat(ds) | np.isnat(de))
    undated = int((~keep).sum())
    if window_years is not None:
        lo = (start - pd.DateOffset(years=int(window_years))).to_datetime64()
        hi = (end + pd.DateOffset(years=int(window_years))).to_datetime64()
        keep &= (ds >= lo) & (de <= hi)
    order = np.flatnonzero(keep)
    order = order[np.argsort(ds[order], kind="stable")]
    ds, de = ds[order], de[order]
    side = np.where(de < start.to_datetime64(), 0, np.where(ds >= end.to_datetime64(), 2, 1)).astype(np.int64)
    rows = rows.iloc[order].assign(side=pd.Categorical.from_codes(side, categories=SIDES, ordered=True))
    return BeforeAfterSplit(
        group_ids=ids,
        date=text,
        start=start,
        end=end,
        window_years=None if window_years is None else int(window_years),
        min_evidence=min_evidence,
        rows=rows,
        by_type=_by_side(
            rows, side, "attack_type", vocabulary(attacks["attack_type"], "attacks", "attack_type")
        ),
        by_country=_by_side(rows, side, "country", sorted(rows["country"].dropna().astype(str).unique())),
        killed=_killed(rows, side),
        undated=undated,
    )


class Transition(NamedTuple):
    """One step of a lineage: ``old`` became (``rebrand``) or merged into (``merger``) ``new``."""

    old: str
    new: str
    relation: str
    date: str | None
    source_id: str | None = None


class Lineage(NamedTuple):
    """A chain of group ids linked by renamings or mergers, oldest first."""

    group_ids: tuple[str, ...]
    transitions: tuple[Transition, ...]

    def label(self, names: Mapping[str, str] | None = None) -> str:
        """``"GSPC → AQIM"`` (names where given, else ids)."""
        names = names or {}
        return " → ".join(names.get(g, g) for g in self.group_ids)


def _sooner_or_sharper(new: str, old: str) -> bool:
    """Whether the date ``new`` should replace ``old`` for one transition: the sharper of two dates
    that agree (``2007-01-24`` within ``2007``), else the earlier.

    >>> _sooner_or_sharper("2007-01-24", "2007"), _sooner_or_sharper("2006", "2007-01-24")
    (True, True)
    >>> _sooner_or_sharper("2007", "2007-01-24"), _sooner_or_sharper("2008-03", "2007")
    (False, False)
    """
    a, b = parse_partial_date(new), parse_partial_date(old)
    if b.start <= a.start and a.end <= b.end and (a.start, a.end) != (b.start, b.end):
        return True  # new lies within old: the same event, dated more sharply
    if a.start <= b.start and b.end <= a.end:
        return False  # old lies within new (or they are equal)
    return a.start < b.start


def lineages(alliances: pd.DataFrame, relations: Sequence[str] = ("rebrand", "merger")) -> list[Lineage]:
    """The chains of names groups went through, from ``rebrand`` (and ``merger``) rows.

    Each lineage is a longest path of such rows, oldest name first. A transition's date is
    the row's ``start`` (when several rows record it: the sharpest of those that agree, as
    ``2007-01-24`` within ``2007``, else the earliest), or None when no row dates it.

    >>> t = pd.DataFrame({"group_a": ["gspc", "aqi"], "group_b": ["aqim", "isi"],
    ...     "relation": ["rebrand"] * 2, "start": ["2007-01", None], "source_id": ["rand2013"] * 2})
    >>> [(lin.group_ids, lin.transitions[0].date) for lin in lineages(t)]
    [(('aqi', 'isi'), None), (('gspc', 'aqim'), '2007-01')]
    """
    edges: dict[tuple[str, str], Transition] = {}
    chosen = alliances[alliances["relation"].astype("object").isin(relations)]
    for row in chosen.itertuples(index=False):
        a, b = row.group_a, row.group_b
        if not (isinstance(a, str) and isinstance(b, str)) or a == b:
            continue
        start = getattr(row, "start", None)
        start = start if isinstance(start, str) and start else None
        source = getattr(row, "source_id", None)
        step = Transition(a, b, str(row.relation), start, source if isinstance(source, str) else None)
        old = edges.get((a, b))
        if old is None or (start and (old.date is None or _sooner_or_sharper(start, old.date))):
            edges[(a, b)] = step
    out: dict[str, list[Transition]] = {}
    for (a, _), step in sorted(edges.items()):
        out.setdefault(a, []).append(step)
    incoming = {b for _, b in edges}
    found: list[Lineage] = []

    def walk(node: str, path: tuple[str, ...], steps: tuple[Transition, ...]) -> None:
        nexts = [t for t in out.get(node, []) if t.new not in path]
        if not nexts and steps:
            found.append(Lineage(path, steps))
        for t in nexts:
            walk(t.new, (*path, t.new), (*steps, t))

    for root in sorted(n for n in out if n not in incoming) or sorted(out)[:1]:
        walk(root, (root,), ())
    return sorted(found, key=lambda lin: lin.group_ids)
