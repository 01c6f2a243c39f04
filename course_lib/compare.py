"""Models for comparing groups, periods and evidence thresholds (pandas and numpy only).

- :func:`compare_groups`: two or three groups side by side: origins, base, strength over
  time (from ``indicators``), ties by relation, attack mix, arsenal by category.
- :func:`before_after`: a group's (or a lineage's) attacks either side of a date, by type
  and by country, with the killed as ranges; :func:`lineages` finds the chains of names a
  group went through (``rebrand`` and ``merger`` rows of the alliances table).
- :func:`evidence_sensitivity` and :func:`network_sensitivity`: how a count, or the
  alliance network on a date, shrinks as the evidence threshold rises.

Partial dates
-------------
Dates are ranges (``"2007"`` is any day of 2007). :func:`before_after` splits at a date
``D`` whose first and last possible days are ``D.start`` and ``D.end``:

- an attack is **before** when its last possible day is earlier than ``D.start``;
- it is **after** when its first possible day is ``D.end`` or later (so an attack on the
  day of the event counts as after: the new name applies from that day);
- otherwise its date range straddles the split and it is **uncertain**: it is counted, but
  on neither side. Splitting at ``"2007"`` leaves every attack of 2007 uncertain; splitting
  at ``"2007-01-01"`` puts them all after.

Examples
--------
>>> import pandas as pd
>>> attacks = pd.DataFrame({
...     "group_id": ["gspc", "gspc", "aqim", "aqim"],
...     "date": ["2006-05-02", "2007", "2007-04-11", "2008-06"],
...     "attack_type": ["bombing", "armed_assault", "bombing", "bombing"],
...     "country": ["DZA", "DZA", "DZA", "MLI"],
...     "killed_low": [2, None, 33, 1], "killed_high": [2, None, 33, None],
...     "evidence_level": ["reported"] * 4, "source_id": ["rand2013"] * 4})
>>> split = before_after(attacks, ("gspc", "aqim"), "2007-01-24")
>>> split.counts()
{'before': 1, 'uncertain': 1, 'after': 2}
>>> split.by_type.loc["bombing"].tolist()
[1, 0, 2]
>>> split.killed.loc["after", ["killed_low", "killed_high"]].tolist()
[34.0, nan]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from .arsenal import EVIDENCE_LEVELS, codes_of, evidence_codes, evidence_rank, vocabulary
from .dates import parse_partial_date

__all__ = [
    "SIDES",
    "SPLIT_COLUMNS",
    "STRENGTH_MEASURES",
    "BeforeAfterSplit",
    "Comparison",
    "Lineage",
    "SensitivityModel",
    "Transition",
    "before_after",
    "compare_groups",
    "evidence_sensitivity",
    "holding_on",
    "lineages",
    "network_sensitivity",
    "split_date",
]

#: The sides of a before/after split, in the order they are shown.
SIDES = ("before", "uncertain", "after")

#: The indicator measures read as a group's strength.
STRENGTH_MEASURES = ("fighters", "members")

#: Columns a count can usefully be split by, per table (those present are offered).
SPLIT_COLUMNS = {
    "attacks": ("attack_type", "group_id", "country", "attribution", "target_type", "outcome"),
    "arsenals": ("category", "group_id", "country", "acquisition"),
    "alliances": ("relation", "level", "group_a", "group_b"),
    "indicators": ("measure", "group_id", "country"),
    "milestones": ("kind", "group_ids", "country"),
    "groups": ("kind", "base_countries"),
}

NOT_STATED = "(not stated)"

Tables = Mapping[str, pd.DataFrame]


# --------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------
def _tables(tables: Tables | None) -> Mapping[str, pd.DataFrame]:
    if tables is None:
        from .data import load_course

        return load_course()
    if not isinstance(tables, Mapping):
        raise TypeError(
            f"tables must be a dict of DataFrames keyed by table name (see load_course()), "
            f"but {type(tables).__name__} was passed"
        )
    return tables


def _keep(frame: pd.DataFrame, min_evidence: str) -> pd.DataFrame:
    rank = evidence_rank(min_evidence)
    if rank == 0:
        return frame[evidence_codes(frame) >= 0] if len(frame) else frame
    return frame[evidence_codes(frame) >= rank]


def _ids(group_ids: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(group_ids, str):
        return (group_ids,)
    ids = tuple(dict.fromkeys(group_ids))
    if not ids:
        raise ValueError("give at least one group_id")
    return ids


def _counts(
    frame: pd.DataFrame, key: str, column: str, ids: Sequence[str], categories: list[str]
) -> pd.DataFrame:
    """``ids`` × ``categories`` counts of the rows of ``frame`` (zeros included)."""
    out = pd.DataFrame(
        0, index=pd.Index(list(ids), name="group_id"), columns=pd.Index(categories, name=column)
    )
    if len(frame):
        g = codes_of(frame[key], ids)
        c = codes_of(frame[column], categories)
        ok = (g >= 0) & (c >= 0)
        n = np.zeros((len(ids), len(categories)), dtype=np.int64)
        np.add.at(n, (g[ok], c[ok]), 1)
        out.loc[:, :] = n
    return out


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


# --------------------------------------------------------------------------------------
# group comparison
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """Groups side by side (see :func:`compare_groups`).

    Attributes
    ----------
    group_ids : tuple of str
        The groups, in the order given.
    profiles : DataFrame
        One row per group (index ``group_id``): name, kind, ideology, founded, ended,
        parent, base_countries (text), aliases, source_id, locator.
    strength : DataFrame
        One row per strength figure (measures ``fighters`` and ``members``): group_id,
        measure, value_low, value_high, unit, period_start, period_end, ``start`` and
        ``end`` (the period's first and last possible days), description, source_id,
        locator, evidence_level.
    ties, attack_mix, arsenal : DataFrame
        Groups × relation, attack type and category of equipment: counts of rows
        (every value of the vocabulary is a column, zeros included).
    tie_rows, attack_rows, arsenal_rows : DataFrame
        The rows behind those counts (``tie_rows`` has ``group_id`` and ``partner``).
    min_evidence : str
        The threshold the rows passed.
    """

    group_ids: tuple[str, ...]
    profiles: pd.DataFrame
    strength: pd.DataFrame
    ties: pd.DataFrame
    attack_mix: pd.DataFrame
    arsenal: pd.DataFrame
    tie_rows: pd.DataFrame
    attack_rows: pd.DataFrame
    arsenal_rows: pd.DataFrame
    min_evidence: str = "suspected"

    def name(self, group_id: str) -> str:
        """The group's name (its id when the registry has no name)."""
        name = self.profiles.loc[group_id, "name"] if group_id in self.profiles.index else None
        return name if isinstance(name, str) else group_id


def _resolve(ids: tuple[str, ...], groups: pd.DataFrame) -> tuple[str, ...]:
    known = set(groups["group_id"])
    out = []
    for gid in ids:
        if gid in known:
            out.append(gid)
        else:
            from .groups import resolve_group

            named = groups if "aliases" in groups else groups.assign(aliases=[()] * len(groups))
            out.append(resolve_group(gid, groups=named))
    return tuple(dict.fromkeys(out))


def _profiles(ids: tuple[str, ...], groups: pd.DataFrame) -> pd.DataFrame:
    by_id = groups.set_index("group_id")
    names = {k: v for k, v in zip(groups["group_id"], groups["name"]) if isinstance(v, str)}
    rows = []
    for gid in ids:
        g = by_id.loc[gid]
        parent = _text(g.get("parent_id"))
        rows.append(
            {
                "group_id": gid,
                "name": _text(g.get("name")) or gid,
                "kind": _text(str(g["kind"])) if pd.notna(g.get("kind")) else None,
                "ideology": _text(g.get("ideology")),
                "founded": _text(g.get("founded")),
                "ended": _text(g.get("ended")),
                "parent": names.get(parent, parent) if parent else None,
                "base_countries": ", ".join(g.get("base_countries") or ()),
                "aliases": ", ".join(g.get("aliases") or ()),
                "source_id": _text(g.get("source_id")),
                "locator": _text(g.get("locator")),
            }
        )
    return pd.DataFrame(rows).set_index("group_id")


def _strength(indicators: pd.DataFrame | None, ids: tuple[str, ...], min_evidence: str) -> pd.DataFrame:
    columns = [
        "indicator_id",
        "group_id",
        "measure",
        "value_low",
        "value_high",
        "unit",
        "period_start",
        "period_end",
        "start",
        "end",
        "description",
        "source_id",
        "locator",
        "evidence_level",
    ]
    if indicators is None or not len(indicators):
        return pd.DataFrame(columns=columns)
    rows = _keep(indicators, min_evidence)
    rows = rows[rows["group_id"].isin(ids) & rows["measure"].astype("object").isin(STRENGTH_MEASURES)].copy()
    nat = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[s]")
    ps = rows["period_start_start"] if "period_start_start" in rows else nat
    pe = rows["period_end_end"] if "period_end_end" in rows else nat
    rows["start"] = ps.fillna(rows["period_end_start"] if "period_end_start" in rows else nat)
    rows["end"] = pe.fillna(rows["period_start_end"] if "period_start_end" in rows else nat)
    for c in columns:
        if c not in rows:
            rows[c] = None
    order = codes_of(rows["group_id"], ids)
    return rows.assign(_o=order).sort_values(["_o", "start"], kind="stable")[columns].reset_index(drop=True)


def compare_groups(
    group_ids: str | Iterable[str],
    tables: Tables | None = None,
    min_evidence: str = "suspected",
) -> Comparison:
    """Groups side by side (any number; the explorer shows two or three): origins, base, strength, ties,
    attack mix, arsenal.

    Parameters
    ----------
    group_ids : str or iterable of str
        The groups, by ``group_id`` or any name or alias (see
        :func:`~course_lib.groups.resolve_group`); duplicates are dropped.
    tables : dict of DataFrame, optional
        Tables keyed by name as :func:`~course_lib.data.load_course` returns them
        (default: the bundled ones). ``groups`` is required; a missing
        ``indicators``, ``alliances``, ``attacks`` or ``arsenals`` counts as empty.
    min_evidence : {"suspected", "reported", "verified"}
        Count only rows at this level or stronger (the profiles are always shown).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> import pandas as pd
    >>> groups = pd.DataFrame({"group_id": ["aqim", "isk"], "name": ["AQIM", "ISK"],
    ...     "kind": ["jihadist_group"] * 2, "base_countries": [("DZA", "MLI"), ("AFG",)]})
    >>> attacks = pd.DataFrame({"group_id": ["aqim", "isk", "isk"],
    ...     "attack_type": ["bombing", "bombing", "armed_assault"], "evidence_level": ["reported"] * 3})
    >>> c = compare_groups(["AQIM", "isk"], {"groups": groups, "attacks": attacks})
    >>> c.group_ids, c.profiles.loc["aqim", "base_countries"]
    (('aqim', 'isk'), 'DZA, MLI')
    >>> c.attack_mix.loc[:, ["armed_assault", "bombing"]].values.tolist()
    [[0, 1], [1, 1]]
    """
    evidence_rank(min_evidence)
    tables = _tables(tables)
    if "groups" not in tables:
        raise KeyError("compare_groups needs the 'groups' table in tables")
    groups = tables["groups"]
    ids = _resolve(_ids(group_ids), groups)

    attacks = tables.get("attacks")
    if attacks is not None and len(attacks):
        attack_rows = _keep(attacks, min_evidence)
        attack_rows = attack_rows[attack_rows["group_id"].isin(ids)]
        types = vocabulary(attacks["attack_type"], "attacks", "attack_type")
    else:
        attack_rows, types = (
            pd.DataFrame(columns=["group_id", "attack_type"]),
            vocabulary(pd.Series([], dtype="object"), "attacks", "attack_type"),
        )

    arsenals = tables.get("arsenals")
    if arsenals is not None and len(arsenals):
        arsenal_rows = _keep(arsenals, min_evidence)
        arsenal_rows = arsenal_rows[arsenal_rows["group_id"].isin(ids)]
        categories = vocabulary(arsenals["category"], "arsenals", "category")
    else:
        arsenal_rows = pd.DataFrame(columns=["group_id", "category"])
        categories = vocabulary(pd.Series([], dtype="object"), "arsenals", "category")

    alliances = tables.get("alliances")
    if alliances is not None and len(alliances):
        kept = _keep(alliances, min_evidence)
        parts = []
        for own, other in (("group_a", "group_b"), ("group_b", "group_a")):
            part = kept[kept[own].isin(ids)]
            parts.append(part.assign(group_id=part[own], partner=part[other]))
        tie_rows = pd.concat(parts).sort_index(kind="stable")
        relations = vocabulary(alliances["relation"], "alliances", "relation")
    else:
        tie_rows = pd.DataFrame(columns=["group_id", "partner", "relation"])
        relations = vocabulary(pd.Series([], dtype="object"), "alliances", "relation")

    return Comparison(
        group_ids=ids,
        profiles=_profiles(ids, groups),
        strength=_strength(tables.get("indicators"), ids, min_evidence),
        ties=_counts(tie_rows, "group_id", "relation", ids, relations),
        attack_mix=_counts(attack_rows, "group_id", "attack_type", ids, types),
        arsenal=_counts(arsenal_rows, "group_id", "category", ids, categories),
        tie_rows=tie_rows,
        attack_rows=attack_rows,
        arsenal_rows=arsenal_rows,
        min_evidence=min_evidence,
    )


# --------------------------------------------------------------------------------------
# before / after
# --------------------------------------------------------------------------------------
def split_date(date: str | int | dt.date | pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """The first and last possible day of ``date``, and its text.

    A partial ISO date (``"2007"``, ``"2007-01"``, ``"2007-01-24"``) or a year (``2007``,
    the same as ``"2007"``) is a range; a ``datetime.date`` or ``Timestamp`` is one day.

    >>> split_date("2007-01")
    (Timestamp('2007-01-01 00:00:00'), Timestamp('2007-01-31 00:00:00'), '2007-01')
    >>> split_date(dt.date(2007, 1, 24))[0] == split_date("2007-01-24")[1]
    True
    """
    if isinstance(date, bool):
        raise TypeError("date must be a partial ISO date, a year, or a date, not a bool")
    if isinstance(date, (int, np.integer)):
        date = f"{int(date):04d}"
    if isinstance(date, str):
        p = parse_partial_date(date)
        return pd.Timestamp(p.start), pd.Timestamp(p.end), date
    if isinstance(date, (dt.date, pd.Timestamp, np.datetime64)):
        day = pd.Timestamp(date).normalize()
        return day, day, day.strftime("%Y-%m-%d")
    raise TypeError(
        f"date must be a partial ISO date, a year, or a date, but {type(date).__name__} was passed"
    )


@dataclass(frozen=True)
class BeforeAfterSplit:
    """A group's attacks either side of a date (see :func:`before_after`).

    Attributes
    ----------
    group_ids : tuple of str
        The group, or the lineage (several ids whose attacks are pooled).
    date : str
        The split date as given (a partial ISO date).
    start, end : Timestamp
        The first and last possible day of ``date``.
    window_years : int or None
        Only attacks within this many years of the date were kept (None: all).
    rows : DataFrame
        The attacks kept, with a ``side`` column (ordered: before, uncertain, after).
    by_type, by_country : DataFrame
        Attack counts: attack type (or country) × side.
    killed : DataFrame
        Per side: ``attacks``, ``killed_low`` (sum of the stated lower bounds),
        ``killed_high`` (sum of the upper bounds; NaN, open-ended, when any attack of that
        side has no stated upper bound) and ``not_stated`` (attacks with no figure at all).
    undated : int
        Attacks of the group with no date (left out).
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
    values = rows[column].astype("object")
    codes, uniques = pd.factorize(values)
    present = {str(u) for u in uniques}
    cats = [c for c in categories if c in present] + sorted(present - set(categories))
    where = {c: i for i, c in enumerate(cats)}
    if (codes < 0).any():
        where[NOT_STATED] = len(cats)
        cats.append(NOT_STATED)
    remap = np.array([where[str(u)] for u in uniques] + [where.get(NOT_STATED, 0)], dtype=np.int64)
    n = np.zeros((len(cats), len(SIDES)), dtype=np.int64)
    np.add.at(n, (remap[codes], side), 1)
    return pd.DataFrame(n, index=pd.Index(cats, name=column), columns=pd.Index(SIDES, name="side"))


def _numbers(rows: pd.DataFrame, column: str) -> np.ndarray:
    if column not in rows:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _killed(rows: pd.DataFrame, side: np.ndarray) -> pd.DataFrame:
    low, high = _numbers(rows, "killed_low"), _numbers(rows, "killed_high")
    out = []
    for k, name in enumerate(SIDES):
        on = side == k
        lo, hi = low[on], high[on]
        out.append(
            {
                "side": name,
                "attacks": int(on.sum()),
                "killed_low": float(np.nansum(lo)),
                "killed_high": float(hi.sum()) if not np.isnan(hi).any() else np.nan,
                "not_stated": int((np.isnan(lo) & np.isnan(hi)).sum()),
            }
        )
    return pd.DataFrame(out).set_index("side")


def before_after(
    attacks: pd.DataFrame | None,
    group_id: str | Iterable[str],
    date: str | int | dt.date | pd.Timestamp,
    window_years: int | None = None,
    min_evidence: str = "suspected",
) -> BeforeAfterSplit:
    """Count a group's attacks before and after a date, by type and by country.

    Parameters
    ----------
    attacks : DataFrame or None
        The attacks table (None: the bundled one). It needs ``group_id``, ``attack_type``,
        ``country``, ``evidence_level`` and the date: either ``date_start``/``date_end``
        (as the loader gives) or a ``date`` column of partial ISO dates.
    group_id : str or iterable of str
        One group, or a lineage whose attacks are pooled, e.g. ``("gspc", "aqim")`` for the
        GSPC renamed AQIM in 2007 (see :func:`lineages`).
    date : str, int, date or Timestamp
        Where to split; see the module docstring for partial dates.
    window_years : int, optional
        Keep only attacks whose whole date range lies within this many years before the
        date's first possible day and after its last possible day.
    min_evidence : {"suspected", "reported", "verified"}
        Keep attacks at this level or stronger.

    Returns
    -------
    BeforeAfterSplit

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"group_id": ["g"] * 3, "date": ["2006-12-31", "2007-01-24", "2010"],
    ...     "attack_type": ["bombing"] * 3, "country": ["DZA"] * 3, "evidence_level": ["reported"] * 3})
    >>> before_after(t, "g", "2007-01-24").counts()
    {'before': 1, 'uncertain': 0, 'after': 2}
    >>> before_after(t, "g", "2007-01-24", window_years=1).counts()
    {'before': 1, 'uncertain': 0, 'after': 1}
    >>> before_after(t, "g", "2007").counts()
    {'before': 1, 'uncertain': 1, 'after': 1}
    """
    ids = _ids(group_id)
    start, end, text = split_date(date)
    if window_years is not None and (not isinstance(window_years, (int, np.integer)) or window_years < 0):
        raise ValueError(
            f"window_years must be a whole number of years ≥ 0 or None, but {window_years!r} was passed"
        )
    if attacks is None:
        from .data import load_attacks

        attacks = load_attacks()
    mine = attacks["group_id"].isin(ids).to_numpy() & (evidence_codes(attacks) >= evidence_rank(min_evidence))
    rows = attacks[mine]
    if "date_start" in rows and "date_end" in rows:
        ds = rows["date_start"].to_numpy(dtype="datetime64[s]")
        de = rows["date_end"].to_numpy(dtype="datetime64[s]")
    else:
        parsed = [parse_partial_date(d) if isinstance(d, str) and d else None for d in rows["date"]]
        ds = np.array([p.start if p else None for p in parsed], dtype="datetime64[s]")
        de = np.array([p.end if p else None for p in parsed], dtype="datetime64[s]")
        rows = rows.assign(date_start=ds, date_end=de)
    dated = ~(np.isnat(ds) | np.isnat(de))
    undated = int((~dated).sum())
    keep = dated
    if window_years is not None:
        lo = (start - pd.DateOffset(years=int(window_years))).to_datetime64()
        hi = (end + pd.DateOffset(years=int(window_years))).to_datetime64()
        keep = keep & (ds >= lo) & (de <= hi)
    order = np.flatnonzero(keep)
    order = order[np.argsort(ds[order], kind="stable")]
    ds, de = ds[order], de[order]
    side = np.where(de < start.to_datetime64(), 0, np.where(ds >= end.to_datetime64(), 2, 1)).astype(np.int64)
    rows = rows.iloc[order].assign(side=pd.Categorical.from_codes(side, categories=SIDES, ordered=True))
    types = vocabulary(attacks["attack_type"], "attacks", "attack_type") if "attack_type" in attacks else []
    countries = sorted(rows["country"].dropna().unique().tolist()) if "country" in rows else []
    return BeforeAfterSplit(
        group_ids=ids,
        date=text,
        start=start,
        end=end,
        window_years=None if window_years is None else int(window_years),
        min_evidence=min_evidence,
        rows=rows,
        by_type=_by_side(rows, side, "attack_type", types),
        by_country=_by_side(rows, side, "country", countries),
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
        """``"GIA → GSPC → AQIM"`` (names where given, else ids)."""
        names = names or {}
        return " → ".join(names.get(g, g) for g in self.group_ids)


def lineages(
    alliances: pd.DataFrame | None = None, relations: Sequence[str] = ("rebrand", "merger")
) -> list[Lineage]:
    """The chains of names groups went through, from ``rebrand`` (and ``merger``) rows.

    Each lineage is a longest path of such rows, oldest name first; a group renamed twice
    gives one lineage of three ids. A transition's date is the row's ``start`` (the
    earliest, and of those the most precise, when several rows record it), or None when
    no row dates it.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"group_a": ["gia", "gspc", "aqi"], "group_b": ["gspc", "aqim", "islamic_state"],
    ...     "relation": ["rebrand"] * 3, "start": ["1998", "2007", None], "source_id": ["rand2013"] * 3})
    >>> [lin.group_ids for lin in lineages(t)]
    [('aqi', 'islamic_state'), ('gia', 'gspc', 'aqim')]
    >>> lineages(t)[1].transitions[1].date
    '2007'
    """
    if alliances is None:
        from .data import load_alliances

        alliances = load_alliances()
    edges: dict[tuple[str, str], Transition] = {}
    rel = alliances["relation"].astype("object")
    for row in alliances[rel.isin(relations)].itertuples(index=False):
        a, b = row.group_a, row.group_b
        if not (isinstance(a, str) and isinstance(b, str)) or a == b:
            continue
        start = _text(getattr(row, "start", None))
        t = Transition(a, b, str(row.relation), start, _text(getattr(row, "source_id", None)))
        old = edges.get((a, b))
        if old is None or (start and (old.date is None or _date_key(start) < _date_key(old.date))):
            edges[(a, b)] = t
    out_edges: dict[str, list[Transition]] = {}
    incoming: set[str] = set()
    for (a, b), t in sorted(edges.items()):
        out_edges.setdefault(a, []).append(t)
        incoming.add(b)
    found: list[Lineage] = []

    def walk(node: str, path: tuple[str, ...], steps: tuple[Transition, ...]) -> None:
        nexts = [t for t in out_edges.get(node, []) if t.new not in path]
        if not nexts:
            if steps:
                found.append(Lineage(path, steps))
            return
        for t in nexts:
            walk(t.new, (*path, t.new), (*steps, t))

    roots = [n for n in out_edges if n not in incoming] or sorted(out_edges)[:1]
    for root in sorted(roots):
        walk(root, (root,), ())
    return sorted(found, key=lambda lin: lin.group_ids)


def _date_key(text: str) -> tuple[pd.Timestamp, int]:
    """Earliest first; on the same first day, the more precise date first."""
    return pd.Timestamp(parse_partial_date(text).start), -len(text)


# --------------------------------------------------------------------------------------
# evidence sensitivity
# --------------------------------------------------------------------------------------
def _threshold_index() -> pd.CategoricalIndex:
    return pd.CategoricalIndex(EVIDENCE_LEVELS, categories=EVIDENCE_LEVELS, ordered=True, name="threshold")


@dataclass
class SensitivityModel:
    """One table's rows kept at each evidence threshold, precomputed for quick splits.

    The evidence codes and source ids are computed once; each split column is factorised
    once and cached, so a change of split costs a ``bincount``.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"relation": ["ally", "ally", "rival"],
    ...     "evidence_level": ["suspected", "verified", "reported"], "source_id": ["a", "b", "a"]})
    >>> SensitivityModel(t).counts("relation")
    relation   ally  rival
    threshold
    suspected     2      1
    reported      1      1
    verified      1      0
    """

    table: pd.DataFrame
    name: str | None = None
    _levels: np.ndarray = field(init=False, repr=False)
    _cache: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._levels = evidence_codes(self.table).astype(np.int64)
        if self.name is None:
            self.name = self.table.attrs.get("table")

    def split_columns(self) -> list[str]:
        """The columns this table can be split by (those of :data:`SPLIT_COLUMNS` present)."""
        wanted = SPLIT_COLUMNS.get(self.name or "", ())
        return [c for c in wanted if c in self.table.columns]

    def _factor(self, by: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(row positions, codes, labels) for ``by``; list cells count once per item."""
        if by in self._cache:
            return self._cache[by]
        if by not in self.table.columns:
            raise KeyError(
                f"no column {by!r} to split by; the columns are {', '.join(map(str, self.table.columns))}"
            )
        col = self.table[by]
        positions = np.arange(len(col))
        if col.dtype == object and col.map(lambda v: isinstance(v, (tuple, list))).any():
            lengths = col.map(lambda v: len(v) if isinstance(v, (tuple, list)) and v else 1).to_numpy()
            positions = np.repeat(positions, lengths)
            values = pd.Series(
                [x for v in col for x in (v if isinstance(v, (tuple, list)) and v else [None])],
                dtype="object",
            )
        else:
            values = col
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy().astype(np.int64)
            labels = [str(c) for c in values.cat.categories]
        else:
            codes, uniques = pd.factorize(values.astype("object"), sort=True)
            codes = codes.astype(np.int64)
            labels = [str(u) for u in uniques]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(labels), codes)
            labels = [*labels, NOT_STATED]
        self._cache[by] = (positions, codes, labels)
        return self._cache[by]

    def counts(self, by: str | None = None) -> pd.DataFrame:
        """Rows kept at each threshold (index, weakest first) × ``by``'s values (columns).

        Without ``by``, one column ``"rows"``. Values with no row at all are left out;
        categorical columns keep their order, others are sorted by count, largest first.
        """
        lv = self._levels
        if by is None:
            n = np.bincount(lv[lv >= 0], minlength=len(EVIDENCE_LEVELS))
            kept = np.cumsum(n[::-1])[::-1]
            return pd.DataFrame({"rows": kept}, index=_threshold_index())
        positions, codes, labels = self._factor(by)
        lv = lv[positions]
        ok = lv >= 0
        k = len(EVIDENCE_LEVELS)
        n = np.bincount(codes[ok] * k + lv[ok], minlength=len(labels) * k).reshape(len(labels), k)
        kept = np.cumsum(n[:, ::-1], axis=1)[:, ::-1]
        used = kept[:, 0] > 0
        frame = pd.DataFrame(
            kept[used].T, index=_threshold_index(), columns=pd.Index(np.array(labels)[used], name=by)
        )
        ordered = isinstance(self.table[by].dtype, pd.CategoricalDtype)
        if not ordered:
            frame = frame[
                sorted(frame.columns, key=lambda c: (c == NOT_STATED, -frame.loc["suspected", c], c))
            ]
        return frame

    def sources(self, by: str | None = None, limit: int = 3) -> pd.DataFrame:
        """Same shape as :meth:`counts`: the distinct ``source_id`` of the rows kept, as text."""
        key = ("sources", by, limit)
        if key in self._cache:
            return self._cache[key]
        counts = self.counts(by)
        if "source_ids" not in self._cache:
            src = (
                self.table["source_id"] if "source_id" in self.table else pd.Series([None] * len(self.table))
            )
            self._cache["source_ids"] = pd.factorize(src.astype("object"), sort=True)
        s_codes, s_labels = self._cache["source_ids"]
        if by is None:
            positions = np.arange(len(self.table))
            codes = np.zeros(len(self.table), dtype=np.int64)
            labels = ["rows"]
        else:
            positions, codes, labels = self._factor(by)
        k, n_src = len(EVIDENCE_LEVELS), max(len(s_labels), 1)
        lv = self._levels[positions]
        sc = s_codes[positions]
        ok = (lv >= 0) & (sc >= 0)
        combined = np.unique((codes[ok] * k + lv[ok]) * n_src + sc[ok])
        found: dict[tuple[str, int], set[str]] = {}
        for value in combined.tolist():
            rest, s = divmod(value, n_src)
            c, level = divmod(rest, k)
            for t in range(level + 1):
                found.setdefault((labels[c], t), set()).add(str(s_labels[s]))
        out = pd.DataFrame("", index=counts.index, columns=counts.columns, dtype=object)
        for column in counts.columns:
            for t, threshold in enumerate(EVIDENCE_LEVELS):
                names = sorted(found.get((str(column), t), ()))
                more = len(names) - limit
                out.loc[threshold, column] = ", ".join(names[:limit]) + (
                    f" (+{more} more)" if more > 0 else ""
                )
        self._cache[key] = out
        return out


def evidence_sensitivity(table: pd.DataFrame | str, by: str | None = None) -> pd.DataFrame:
    """How many rows each evidence threshold keeps, optionally split by a column.

    Parameters
    ----------
    table : DataFrame or str
        A curated table, or its name (``"attacks"``, ``"alliances"`` … : the bundled one).
    by : str, optional
        A column to split by (``"relation"``, ``"category"``, ``"group_id"`` …). A list
        column (``group_ids`` of milestones) counts a row once under each of its items.

    Returns
    -------
    DataFrame
        Index: the thresholds ``suspected``, ``reported``, ``verified`` (weakest first,
        ordered Categorical); columns: ``by``'s values, or ``"rows"``. Each cell: the rows
        at that level or stronger.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"evidence_level": ["suspected", "reported", "verified", "verified"]})
    >>> evidence_sensitivity(t)["rows"].tolist()
    [4, 3, 2]
    """
    if isinstance(table, str):
        from .data import load_table

        table = load_table(table)
    return SensitivityModel(table).counts(by)


def holding_on(alliances: pd.DataFrame, date: str | int | dt.date | pd.Timestamp | None) -> np.ndarray:
    """Which ties hold at some time within ``date`` (a boolean array), as the alliance explorer reads them.

    The rules are :mod:`course_lib.network`'s (see :func:`~course_lib.network.holding_intervals`):
    a partial start holds from its first day and a partial end until its last; an empty end
    means still holding; an empty start falls back to the row's ``observed`` date or end;
    ``split``, ``merger`` and ``rebrand`` rows are events that hold only over their start;
    a row with no date at all holds on no date. ``None``: every row of the table.

    >>> import pandas as pd
    >>> from course_lib.data import _date_columns
    >>> t = pd.DataFrame({"relation": ["ally", "ally", "rebrand"], "start": ["2001", "2014-11", "2007"],
    ...                   "end": ["2010", "", ""], "observed": ["", "", ""]})
    >>> for c in ("start", "end", "observed"):
    ...     t = t.assign(**_date_columns(c, list(t[c])))
    >>> holding_on(t, "2014").tolist(), holding_on(t, "2007").tolist()
    ([False, True, False], [True, False, True])
    """
    if date is None:
        return np.ones(len(alliances), dtype=bool)
    from .network import holding_intervals

    first, last, _ = split_date(date)
    iv = holding_intervals(alliances)
    since = iv["holds_from"].to_numpy(dtype="datetime64[s]")
    until = iv["holds_until"].to_numpy(dtype="datetime64[s]")
    dated = (iv["dated_by"] != "undated").to_numpy()
    return dated & (since <= last.to_datetime64()) & (np.isnat(until) | (until >= first.to_datetime64()))


def network_sensitivity(
    alliances: pd.DataFrame | None = None, date: str | int | dt.date | pd.Timestamp | None = None
) -> pd.DataFrame:
    """The alliance network on ``date`` at each evidence threshold: ties and groups.

    Parameters
    ----------
    alliances : DataFrame, optional
        The alliances table (default: the bundled one), with the loader's derived date
        columns (``start_start`` … ``observed_end``) when ``date`` is given.
    date : partial ISO date, year or date, optional
        Keep ties that hold at some time within it, read as the alliance explorer reads
        them (see :func:`holding_on`); None: every row of the table.

    Returns
    -------
    DataFrame
        Index: thresholds, weakest first; columns ``ties`` (rows kept), ``pairs`` (distinct
        unordered pairs of groups) and ``nodes`` (groups with at least one tie).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"group_a": ["a", "a", "c"], "group_b": ["b", "b", "d"],
    ...     "evidence_level": ["verified", "suspected", "reported"]})
    >>> network_sensitivity(t).values.tolist()
    [[3, 2, 4], [2, 2, 4], [1, 1, 2]]
    """
    if alliances is None:
        from .data import load_alliances

        alliances = load_alliances()
    ties = alliances[holding_on(alliances, date)]
    lv = evidence_codes(ties)
    a = ties["group_a"].astype("object").to_numpy()
    b = ties["group_b"].astype("object").to_numpy()
    lo = np.where(a <= b, a, b) if len(a) else a
    hi = np.where(a <= b, b, a) if len(a) else b
    out = []
    for rank in range(len(EVIDENCE_LEVELS)):
        keep = lv >= rank
        pairs = set(zip(lo[keep], hi[keep]))
        nodes = set(a[keep]) | set(b[keep])
        out.append({"ties": int(keep.sum()), "pairs": len(pairs), "nodes": len(nodes)})
    return pd.DataFrame(out, index=_threshold_index())
