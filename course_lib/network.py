"""The alliance network on a date or over a period, and a layout that stays put as the date moves.

A row of the alliances table is a tie (read "``group_a`` … ``group_b``") that *holds* over an
interval of days. How partial and missing dates are read:

- a partial ``start`` holds from its first possible day (``"2014-11"``: from 1 November 2014);
- a partial ``end`` holds until its last possible day (``"2014"``: until 31 December 2014);
- an empty ``end`` means the tie was still holding when the source last saw it: it holds on
  every later date (the ``observed`` date is shown beside it, so a reader can judge);
- an empty ``start`` is never guessed: the tie holds from the earliest date the row itself
  gives, its ``observed`` date or the first day of its ``end``, whichever comes first. A tie is
  not extended back before the evidence for it; curators add a ``start`` where a source gives one;
- ``split``, ``merger`` and ``rebrand`` are events, not lasting ties: with an empty ``end``
  they hold only over their ``start`` (``"2007"``: the year 2007), so a renaming does not
  link the old and new names on every later date;
- a row with no date at all holds on no date (it is *undated*) and is left out of every dated
  view; :attr:`AllianceModel.undated` counts them.

A query date may itself be partial: ``ties_on(alliances, "2014")`` gives the ties that hold at
some time in 2014, ``ties_on(alliances, "2014-11-03")`` those holding on that day.

Everything here works on plain DataFrames and numpy arrays, without plotly or ipywidgets.

Examples
--------
>>> import pandas as pd
>>> from benchmarks.synthetic import synthetic_alliances
>>> ties = synthetic_alliances(n_groups=20, n_ties=60)
>>> on_2000 = ties_on(ties, "2000", relations=["ally", "truce"])
>>> set(on_2000["relation"]) <= {"ally", "truce"}
True
>>> model = AllianceModel(ties, seed=0)
>>> bool((model.ties_on("2000", relations=["ally", "truce"]).index == on_2000.index).all())
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from .data import load_alliances, load_groups
from .dates import parse_partial_date
from .groups import resolve_group
from .schema import EVIDENCE_LEVELS

__all__ = [
    "EVENT_RELATIONS",
    "EVIDENCE_LEVELS",
    "LEVEL_CHOICES",
    "SYMMETRIC_RELATIONS",
    "AllianceModel",
    "alliance_graph",
    "date_range",
    "holding_intervals",
    "stable_layout",
    "ties_between",
    "ties_on",
]

#: Relations that are events at their start, not ties that last until an end.
EVENT_RELATIONS = ("split", "merger", "rebrand")


#: Choices of the ``level`` filter. "strategic" and "tactical" both include ties coded
#: ``both``; "unspecified" is the ties whose level the source does not state.
LEVEL_CHOICES = ("all", "strategic", "tactical", "unspecified")

#: Relations that read the same both ways ("a and b ..."); the others have a direction.
SYMMETRIC_RELATIONS = frozenset({"ally", "truce", "rival", "armed_conflict"})

_LEVEL_SETS = {
    "strategic": ("strategic", "both"),
    "tactical": ("tactical", "both"),
    "unspecified": ("unspecified", None),
}

#: Day numbers (days since 1970-01-01) standing for "no bound".
_NEVER = np.iinfo(np.int64).max
_ALWAYS = np.iinfo(np.int64).min

DateLike = str | int | dt.date | pd.Timestamp | np.datetime64


# --------------------------------------------------------------------------- dates


def _days(column: pd.Series) -> np.ndarray:
    """Day numbers of a datetime column; missing values become ``_NEVER``."""
    values = column.to_numpy(dtype="datetime64[D]", na_value=np.datetime64("NaT"))
    out = values.astype(np.int64)
    out[np.isnat(values)] = _NEVER
    return out


def date_range(when: DateLike) -> tuple[int, int]:
    """The first and last day (as day numbers since 1970-01-01) that ``when`` may mean.

    A year (``2014`` or ``"2014"``) or a month (``"2014-11"``) is the whole of it; a full
    date, ``datetime.date``, ``Timestamp`` or ``datetime64`` is that one day.

    >>> date_range("1970-02")
    (31, 58)
    >>> date_range(1970) == date_range("1970")
    True
    """
    if isinstance(when, bool):
        raise TypeError("a date must be a year, a partial ISO date or a date, not a bool")
    if isinstance(when, (int, np.integer)):
        when = f"{int(when):04d}"
    if isinstance(when, str):
        p = parse_partial_date(when.strip())
        first, last = p.start, p.end
    elif isinstance(when, (dt.date, pd.Timestamp, np.datetime64)):
        day = pd.Timestamp(when)
        if pd.isna(day):
            raise ValueError("the date is missing (NaT)")
        first = last = day.date()
    else:
        raise TypeError(
            f"a date must be a year, a partial ISO date ('2014', '2014-11', '2014-11-03') or a date, "
            f"but {type(when).__name__} was passed"
        )
    epoch = dt.date(1970, 1, 1)
    return (first - epoch).days, (last - epoch).days


def _year_of(day: int) -> int:
    return int(np.datetime64(day, "D").astype("datetime64[Y]").astype(int)) + 1970


def _bounds(start: DateLike | None, end: DateLike | None) -> tuple[int, int]:
    lo = _ALWAYS if start is None else date_range(start)[0]
    hi = _NEVER if end is None else date_range(end)[1]
    if lo > hi:
        raise ValueError(f"the period starts ({start!r}) after it ends ({end!r})")
    return lo, hi


def _intervals(alliances: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: first day, last day it holds, and what dates its first day (code, see below)."""
    start = _days(alliances["start_start"])
    observed = _days(alliances["observed_start"])
    end_first = _days(alliances["end_start"])
    end_last = _days(alliances["end_end"])
    fallback = np.minimum(observed, end_first)
    lo = np.where(start != _NEVER, start, fallback)
    # _NEVER when the end is open; events (split, merger, rebrand) end with their start
    event = alliances["relation"].astype(str).isin(EVENT_RELATIONS).to_numpy()
    event_last = np.where(start != _NEVER, _days(alliances["start_end"]), _days(alliances["observed_end"]))
    hi = np.where(event & (end_last == _NEVER), event_last, end_last)
    # 0 = the start; 1 = the observed date; 2 = the end; 3 = undated
    basis = np.where(
        start != _NEVER, 0, np.where(fallback == _NEVER, 3, np.where(observed <= end_first, 1, 2))
    )
    return lo, hi, basis.astype(np.int8)


_BASIS = np.array(["start", "observed", "end", "undated"], dtype=object)


def holding_intervals(alliances: pd.DataFrame | None = None) -> pd.DataFrame:
    """When each tie holds, by the rules in the module docstring.

    Returns a frame with the index of ``alliances`` and columns ``holds_from`` and
    ``holds_until`` (``NaT`` when open or undated) and ``dated_by`` (``start``,
    ``observed``, ``end`` or ``undated``: what the first day comes from).

    >>> from benchmarks.synthetic import synthetic_alliances
    >>> ties = synthetic_alliances(n_groups=5, n_ties=20)
    >>> iv = holding_intervals(ties)
    >>> bool((iv["holds_from"] == ties["start_start"]).all()), set(iv["dated_by"])
    (True, {'start'})
    >>> lasting = ~ties["relation"].isin(EVENT_RELATIONS)
    >>> bool((iv["holds_until"].isna() == ties["end"].isna())[lasting].all())
    True
    """
    table = load_alliances() if alliances is None else alliances
    lo, hi, basis = _intervals(table)

    def to_time(days: np.ndarray) -> np.ndarray:
        out = days.astype("datetime64[D]")
        out[(days == _NEVER) | (days == _ALWAYS)] = np.datetime64("NaT")
        return out.astype("datetime64[s]")

    return pd.DataFrame(
        {"holds_from": to_time(lo), "holds_until": to_time(hi), "dated_by": _BASIS[basis]},
        index=table.index,
    )


# --------------------------------------------------------------------------- filters


def _codes(values: pd.Series, categories: Sequence[str]) -> np.ndarray:
    """Integer codes of ``values`` in ``categories`` (-1 when missing or unknown)."""
    if isinstance(values.dtype, pd.CategoricalDtype) and list(values.cat.categories) == list(categories):
        return values.cat.codes.to_numpy(dtype=np.int16)
    return pd.Categorical(values, categories=list(categories)).codes.astype(np.int16)


def _choices(values: Iterable[str], allowed: Sequence[str], what: str) -> list[str]:
    if isinstance(values, str):
        values = [values]
    chosen = list(values)
    bad = [v for v in chosen if v not in allowed]
    if bad:
        raise ValueError(f"{what} must be among {', '.join(allowed)}, but {bad[0]!r} was passed")
    return chosen


def _relations_of(alliances: pd.DataFrame) -> tuple[str, ...]:
    rel = alliances["relation"]
    if isinstance(rel.dtype, pd.CategoricalDtype):
        return tuple(rel.cat.categories)
    from .schema import load_schema

    return tuple(load_schema().table("alliances").field("relation").enum)


def _levels_of(alliances: pd.DataFrame) -> tuple[str, ...]:
    lev = alliances["level"]
    if isinstance(lev.dtype, pd.CategoricalDtype):
        return tuple(lev.cat.categories)
    return ("unspecified", "tactical", "strategic", "both")


class _Arrays:
    """The columns a filter needs, as numpy arrays computed once."""

    def __init__(self, alliances: pd.DataFrame):
        self.relations = _relations_of(alliances)
        self.levels = _levels_of(alliances)
        self.a_ids = alliances["group_a"].to_numpy(dtype=object)
        self.b_ids = alliances["group_b"].to_numpy(dtype=object)
        self.lo, self.hi, self.basis = _intervals(alliances)
        self.rel = _codes(alliances["relation"], self.relations)
        self.level = _codes(alliances["level"], self.levels)
        self.evidence = _codes(alliances["evidence_level"], EVIDENCE_LEVELS)
        self.ids = np.unique(np.concatenate([self.a_ids, self.b_ids]).astype(str))

    def mask(
        self,
        lo: int,
        hi: int,
        relations: Iterable[str] | None = None,
        level: str | None = None,
        min_evidence: str | None = None,
        focus: str | None = None,
    ) -> np.ndarray:
        keep = (self.lo <= hi) & (self.hi >= lo) & (self.basis != 3)
        if relations is not None:
            chosen = _choices(relations, self.relations, "relations")
            codes = [self.relations.index(r) for r in chosen]
            keep &= np.isin(self.rel, codes)
        if level is not None and level != "all":
            (level,) = _choices(level, LEVEL_CHOICES, "level")
            wanted = _LEVEL_SETS[level]
            codes = [
                self.levels.index(v) if v is not None else -1 for v in wanted if v in self.levels or v is None
            ]
            keep &= np.isin(self.level, codes)
        if min_evidence is not None:
            (min_evidence,) = _choices(min_evidence, EVIDENCE_LEVELS, "min_evidence")
            keep &= self.evidence >= EVIDENCE_LEVELS.index(min_evidence)
        if focus is not None and focus != "all":
            gid = self.focus_id(focus)
            keep &= (self.a_ids == gid) | (self.b_ids == gid)
        return keep

    def focus_id(self, focus: str) -> str:
        """``focus`` as a group id: an id with ties, else any name or alias of the registry."""
        if focus in self.ids:
            return focus
        return resolve_group(focus)


def ties_on(
    alliances: pd.DataFrame | None = None,
    date: DateLike | None = None,
    *,
    relations: Iterable[str] | None = None,
    level: str | None = None,
    min_evidence: str | None = None,
    focus: str | None = None,
) -> pd.DataFrame:
    """The ties holding on ``date`` (a day, or any time in a partial date), filtered.

    Parameters
    ----------
    alliances
        The alliances table (default: the bundled one).
    date
        A year, a partial ISO date (``"2014"``, ``"2014-11"``, ``"2014-11-03"``) or a date. A
        year or month means "at any time in it".
    relations
        Relation types to keep (default: all).
    level
        ``"all"`` (default), ``"strategic"``, ``"tactical"`` (both include ties coded
        ``both``) or ``"unspecified"`` (level not stated).
    min_evidence
        Keep rows at this evidence level or stronger (``"suspected"`` < ``"reported"`` <
        ``"verified"``).
    focus
        A group (id, name or alias): keep only its own ties.

    Returns
    -------
    DataFrame
        The matching rows of ``alliances``, in table order, with their index.

    Examples
    --------
    >>> from benchmarks.synthetic import synthetic_alliances
    >>> ties = synthetic_alliances(n_groups=10, n_ties=40)
    >>> hold = ties_on(ties, "2005-06-01")
    >>> bool(((hold["start_start"] <= "2005-06-01") & ~(hold["end_end"] < "2005-06-01")).all())
    True
    """
    if date is None:
        raise TypeError(
            "ties_on needs a date, e.g. ties_on(alliances, '2014'); use ties_between for a period"
        )
    table = load_alliances() if alliances is None else alliances
    lo, hi = date_range(date)
    keep = _Arrays(table).mask(lo, hi, relations, level, min_evidence, focus)
    return table.loc[keep]


def ties_between(
    alliances: pd.DataFrame | None = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
    *,
    relations: Iterable[str] | None = None,
    level: str | None = None,
    min_evidence: str | None = None,
    focus: str | None = None,
) -> pd.DataFrame:
    """The ties holding at some time between ``start`` and ``end`` (inclusive), filtered.

    ``start`` counts from its first possible day, ``end`` to its last; either may be
    ``None`` for an open period. The filters are those of :func:`ties_on`.

    >>> from benchmarks.synthetic import synthetic_alliances
    >>> ties = synthetic_alliances(n_groups=10, n_ties=40)
    >>> len(ties_between(ties, "2000", "2004")) >= len(ties_on(ties, "2002"))
    True
    """
    table = load_alliances() if alliances is None else alliances
    lo, hi = _bounds(start, end)
    keep = _Arrays(table).mask(lo, hi, relations, level, min_evidence, focus)
    return table.loc[keep]


# --------------------------------------------------------------------------- graph and layout


def _group_table(groups: pd.DataFrame | Iterable[str] | None) -> pd.DataFrame:
    """``group_id``, ``name``, ``kind`` of ``groups`` (a registry frame or a list of ids)."""
    if groups is None:
        groups = load_groups()
    if isinstance(groups, pd.DataFrame):
        out = pd.DataFrame({"group_id": groups["group_id"].astype(str)})
        out["name"] = groups["name"].astype(str).to_numpy() if "name" in groups else out["group_id"]
        kind = groups["kind"] if "kind" in groups else pd.Series(["other"] * len(groups))
        out["kind"] = [k if isinstance(k, str) else "other" for k in kind]
        return out.drop_duplicates("group_id").reset_index(drop=True)
    ids = [str(g) for g in groups]
    return pd.DataFrame({"group_id": ids, "name": ids, "kind": ["other"] * len(ids)})


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def alliance_graph(
    ties: pd.DataFrame, groups: pd.DataFrame | Iterable[str] | None = None, directed: bool = True
) -> nx.MultiDiGraph | nx.MultiGraph:
    """The ties as a networkx multigraph: one edge per row, keyed by ``alliance_id``.

    Edges run ``group_a`` → ``group_b`` (``directed=False`` gives a ``MultiGraph``) and
    carry ``relation``, ``level``, ``evidence_level``, ``start``, ``end``, ``observed``,
    ``source_id``, ``locator`` and ``description``. Nodes are the groups with a tie, with
    ``name`` and ``kind`` from ``groups`` (the registry frame, default the bundled one;
    a group missing from it is named by its id).

    >>> from benchmarks.synthetic import synthetic_alliances, synthetic_groups
    >>> ties = synthetic_alliances(n_groups=5, n_ties=8)
    >>> g = alliance_graph(ties, synthetic_groups(5))
    >>> g.number_of_edges(), type(g).__name__
    (8, 'MultiDiGraph')
    """
    registry = _group_table(groups).set_index("group_id")
    graph: nx.MultiDiGraph | nx.MultiGraph = nx.MultiDiGraph() if directed else nx.MultiGraph()
    for gid in sorted(set(ties["group_a"]) | set(ties["group_b"])):
        known = gid in registry.index
        graph.add_node(
            gid,
            name=registry.at[gid, "name"] if known else gid,
            kind=registry.at[gid, "kind"] if known else "other",
        )
    columns = ["relation", "level", "evidence_level", "start", "end", "observed", "source_id", "locator"]
    columns += ["description"] if "description" in ties else []
    for row in ties[["alliance_id", "group_a", "group_b", *columns]].itertuples(index=False):
        attrs = {c: _text(getattr(row, c)) for c in columns}
        graph.add_edge(row.group_a, row.group_b, key=row.alliance_id, **attrs)
    return graph


def stable_layout(
    alliances: pd.DataFrame | None = None,
    groups: pd.DataFrame | Iterable[str] | None = None,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]² for every group that has a tie at any time, computed once.

    The layout uses every row whatever its date, relation or evidence, so a group keeps its
    place as the date or the filters change. It is deterministic: the same table (in any
    row order) and ``seed`` give the same positions. ``groups`` (ids or a registry frame)
    adds groups to place even without a tie; by default only groups with a tie are placed.
    The force-directed ForceAtlas2 layout of networkx is used (pairs with more rows pull
    closer); it needs numpy only.

    >>> from benchmarks.synthetic import synthetic_alliances
    >>> ties = synthetic_alliances(n_groups=8, n_ties=12)
    >>> pos = stable_layout(ties, seed=1)
    >>> pos == stable_layout(ties.iloc[::-1], seed=1)
    True
    >>> all(-1 <= v <= 1 for xy in pos.values() for v in xy)
    True
    """
    table = load_alliances() if alliances is None else alliances
    extra = [] if groups is None else list(_group_table(groups)["group_id"])
    a = table["group_a"].astype(str).to_numpy()
    b = table["group_b"].astype(str).to_numpy()
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pairs = pd.Series(1, index=pd.MultiIndex.from_arrays([lo, hi])).groupby(level=[0, 1]).sum()
    graph = nx.Graph()
    graph.add_nodes_from(sorted(set(a) | set(b) | set(extra)))
    graph.add_weighted_edges_from((u, v, float(w)) for (u, v), w in pairs.items() if u != v)
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    raw = nx.forceatlas2_layout(graph, seed=seed, max_iter=150, weight="weight", strong_gravity=True)
    nodes = list(graph)
    xy = np.array([raw[v] for v in nodes], dtype=float)
    xy = nx.rescale_layout(xy - xy.mean(axis=0), scale=1.0)
    xy = np.clip(np.round(xy, 6), -1.0, 1.0)
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, xy)}


# --------------------------------------------------------------------------- the model


class AllianceModel:
    """The alliances table, precomputed once, so that a date change is a few array operations.

    Holds numpy arrays of each tie's first and last day (day numbers), relation, level and
    evidence codes and the endpoints' node numbers, and the :func:`stable_layout` positions
    of every group that ever has a tie.

    Parameters
    ----------
    alliances, groups
        The tables (default: the bundled ones). ``groups`` may also be a list of ids.
    seed
        Seed of the layout.
    positions
        Ready positions (``{group_id: (x, y)}``) to use instead of computing the layout.

    Examples
    --------
    >>> from benchmarks.synthetic import synthetic_alliances, synthetic_groups
    >>> model = AllianceModel(synthetic_alliances(n_groups=12, n_ties=30), synthetic_groups(12))
    >>> keep = model.mask(date="2010", relations=["ally"])
    >>> set(model.alliances.loc[keep, "relation"]) <= {"ally"}
    True
    >>> model.years[0] <= 2010 <= model.years[-1]
    True
    """

    def __init__(
        self,
        alliances: pd.DataFrame | None = None,
        groups: pd.DataFrame | Iterable[str] | None = None,
        seed: int = 0,
        positions: Mapping[str, tuple[float, float]] | None = None,
    ):
        table = load_alliances() if alliances is None else alliances
        self.alliances = table.reset_index(drop=True)
        self.groups = _group_table(groups)
        self.arrays = _Arrays(self.alliances)
        self.relations = self.arrays.relations
        self.positions = (
            dict(positions) if positions is not None else stable_layout(self.alliances, seed=seed)
        )
        missing = [g for g in self.arrays.ids if g not in self.positions]
        if missing:
            raise ValueError(f"positions has no place for {missing[0]!r} (and {len(missing) - 1} more)")
        #: Ids of every group with a tie at any time, sorted; node numbers index into it.
        self.group_ids = self.arrays.ids
        self.xy = np.array([self.positions[g] for g in self.group_ids], dtype=float).reshape(-1, 2)
        node = pd.Index(self.group_ids)
        self.a = node.get_indexer(self.arrays.a_ids)
        self.b = node.get_indexer(self.arrays.b_ids)
        registry = self.groups.set_index("group_id")
        known = node.isin(registry.index)
        names = registry["name"].reindex(node).to_numpy(dtype=object)
        kinds = registry["kind"].reindex(node).to_numpy(dtype=object)
        self.names = np.where(known, names, self.group_ids.astype(object))
        self.kinds = np.where(known, kinds, "other")

    @property
    def undated(self) -> int:
        """How many rows have no date at all, and so appear on no date."""
        return int((self.arrays.basis == 3).sum())

    @property
    def years(self) -> list[int]:
        """Every year from the first a tie holds to the last date any row gives (for sliders)."""
        arr = self.arrays
        dated = arr.basis != 3
        if not dated.any():
            return []
        first = int(arr.lo[dated].min())
        last_days = [arr.lo[dated].max()]
        closed = dated & (arr.hi != _NEVER)
        if closed.any():
            last_days.append(arr.hi[closed].max())
        observed = _days(self.alliances["observed_end"])
        if (observed != _NEVER).any():
            last_days.append(observed[observed != _NEVER].max())
        return list(range(_year_of(first), _year_of(int(max(last_days))) + 1))

    def name_of(self, group_id: str) -> str:
        """The registry name of ``group_id`` (its id when it has none)."""
        i = np.searchsorted(self.group_ids, group_id)
        if i < len(self.group_ids) and self.group_ids[i] == group_id:
            return str(self.names[i])
        return group_id

    def mask(
        self,
        date: DateLike | None = None,
        start: DateLike | None = None,
        end: DateLike | None = None,
        *,
        relations: Iterable[str] | None = None,
        level: str | None = None,
        min_evidence: str | None = None,
        focus: str | None = None,
    ) -> np.ndarray:
        """A boolean array over :attr:`alliances`: the ties holding on ``date`` (or between
        ``start`` and ``end`` when no date is given) that pass the filters of :func:`ties_on`."""
        lo, hi = date_range(date) if date is not None else _bounds(start, end)
        return self.arrays.mask(lo, hi, relations, level, min_evidence, focus)

    def ties_on(self, date: DateLike, **filters) -> pd.DataFrame:
        """:func:`ties_on` over the precomputed arrays."""
        return self.alliances.loc[self.mask(date, **filters)]

    def ties_between(
        self, start: DateLike | None = None, end: DateLike | None = None, **filters
    ) -> pd.DataFrame:
        """:func:`ties_between` over the precomputed arrays."""
        return self.alliances.loc[self.mask(None, start, end, **filters)]

    def focus_id(self, focus: str) -> str:
        """``focus`` (id, name or alias) as a group id."""
        return self.arrays.focus_id(focus)
