"""The alliance network on a date or over a period, and a layout that stays put as the date moves.

A row of the alliances table is a tie (read "``group_a`` … ``group_b``") that *holds* over an
interval of days. How partial and missing dates are read:

- a partial ``start`` holds from its first possible day (``"2014-11"``: from 1 November 2014);
- a partial ``end`` holds until its last possible day (``"2014"``: until 31 December 2014);
- an empty ``end`` means the tie was still holding when the source last saw it: it is carried
  forward to every later date, and :func:`holding_intervals` says since when it is only
  carried (``last_seen``: the ``observed`` date, else the date its source was published,
  ``source_published``), so that a view can tell "holds until further notice" from "seen
  holding now";
- unless later reporting closes it: a row of the same pair and relation that gives an
  ``end`` (on or after the day the open tie begins) and either records only that end or
  starts when the open tie starts (the same episode) ends it there too (``closed_by`` names
  that row), as when one source saw an alliance begin and another saw it end; a row about
  another episode of the pair closes nothing;
- and no tie outlives its groups: an open tie ends when the first of its two groups ends
  (``groups.ended``; ``closed_by`` then reads ``group:<group_id>``);
- an empty ``start`` is never guessed: the tie holds from the earliest date the row itself
  gives (its ``observed`` date or the first day of its ``end``);
- ``split``, ``merger`` and ``rebrand`` are events, not lasting ties: with an empty ``end``
  they hold only over their ``start``;
- a row with no date at all holds on no date (it is *undated*).

A query date may itself be partial: ``ties_on(alliances, "2014")`` gives the ties that hold
at some time in 2014. Everything here works on DataFrames and numpy arrays.

Examples
--------
>>> from course_lib import load_alliances
>>> alliances = load_alliances()
>>> in_2010 = ties_on(alliances, "2010", relations=["ally"], focus="al_qaeda")
>>> set(in_2010["relation"]) == {"ally"}, bool(in_2010[["group_a", "group_b"]].eq("al_qaeda").any(axis=1).all())
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from .dates import DateLike, date_bounds, date_columns
from .groups import group_names, resolve_group
from .vocab import EVIDENCE_LEVELS, codes_of, vocabulary

__all__ = [
    "EVENT_RELATIONS",
    "LEVEL_CHOICES",
    "SYMMETRIC_RELATIONS",
    "AllianceModel",
    "alliance_graph",
    "holding_intervals",
    "stable_layout",
    "ties_between",
    "ties_on",
]

#: Relations that are events at their start, not ties that last until an end.
EVENT_RELATIONS = ("split", "merger", "rebrand")

#: Relations that read the same both ways ("a and b ..."); the others have a direction.
SYMMETRIC_RELATIONS = frozenset({"ally", "truce", "rival", "divergence", "armed_conflict"})

#: Choices of the ``level`` filter: "strategic" and "tactical" both include ties coded ``both``.
LEVEL_CHOICES = ("all", "strategic", "tactical", "unspecified")
_LEVEL_SETS = {
    "strategic": ("strategic", "both"),
    "tactical": ("tactical", "both"),
    "unspecified": ("unspecified",),
}

_NEVER = np.iinfo(np.int64).max  # day number standing for "no bound"


def _days(column: pd.Series) -> np.ndarray:
    """Day numbers (days since 1970-01-01) of a datetime column; missing values are ``_NEVER``."""
    values = column.to_numpy(dtype="datetime64[D]", na_value=np.datetime64("NaT"))
    out = values.astype(np.int64)
    out[np.isnat(values)] = _NEVER
    return out


def _day(ts: pd.Timestamp) -> int:
    return int(ts.to_datetime64().astype("datetime64[D]").astype(np.int64))


def _period(start: DateLike | None, end: DateLike | None) -> tuple[int, int]:
    lo = np.iinfo(np.int64).min if start is None else _day(date_bounds(start)[0])
    hi = _NEVER if end is None else _day(date_bounds(end)[1])
    if lo > hi:
        raise ValueError(f"the period starts ({start!r}) after it ends ({end!r})")
    return lo, hi


def _closers(
    t: pd.DataFrame, first: np.ndarray, end_last: np.ndarray, event: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each open tie (no ``end``, not an event): the row that closes it, and the day it ends.

    A closer is a row of the same pair and relation (either way round for a symmetric relation)
    that gives an ``end`` on or after the open tie's first day, and that either records only an
    end (no ``start``: it reports the tie ending) or starts when the open tie starts (the same
    episode, seen ending). The earliest such end wins.
    """
    symmetric = t["relation"].astype(str).isin(SYMMETRIC_RELATIONS).to_numpy()
    a, b = t["group_a"].astype(str).to_numpy(), t["group_b"].astype(str).to_numpy()
    lo, hi = np.where(symmetric & (a > b), b, a), np.where(symmetric & (a > b), a, b)
    key = pd.Series(t["relation"].astype(str).to_numpy() + "|" + lo + "|" + hi)
    rows = pd.DataFrame(
        {
            "key": key,
            "row": np.arange(len(t)),
            "first": first,
            "end": end_last,
            "s0": _days(t["start_start"]),
            "s1": _days(t["start_end"]),
        }
    )
    is_open = (end_last == _NEVER) & ~event & (first != _NEVER)
    pairs = rows[is_open].merge(rows[end_last != _NEVER], on="key", suffixes=("", "_closer"))
    only_an_end = pairs["s0_closer"] == _NEVER
    same_start = (
        (pairs["s0"] != _NEVER) & (pairs["s0_closer"] <= pairs["s1"]) & (pairs["s0"] <= pairs["s1_closer"])
    )
    later = (pairs["end_closer"] >= pairs["first"]) & (pairs["row"] != pairs["row_closer"])
    best = pairs[later & (only_an_end | same_start)].sort_values(["row", "end_closer"]).drop_duplicates("row")
    closed_by = np.full(len(t), None, dtype=object)
    closing = np.full(len(t), _NEVER, dtype=np.int64)
    ids = t["alliance_id"].to_numpy(dtype=object) if "alliance_id" in t else np.arange(len(t)).astype(object)
    closed_by[best["row"].to_numpy()] = ids[best["row_closer"].to_numpy()]
    closing[best["row"].to_numpy()] = best["end_closer"].to_numpy()
    return closed_by, closing


class AllianceModel:
    """The alliances table as arrays, so that a date or filter change is a few array operations.

    Per tie: the first and last day it holds (:func:`holding_intervals`), the last day a
    source saw it, its relation, level and evidence codes, and its ends. ``positions``
    places every group that ever has a tie (:func:`stable_layout`, computed once).

    >>> from course_lib import load_alliances
    >>> model = AllianceModel(load_alliances())
    >>> keep = model.mask("2014", relations=["armed_conflict"])
    >>> set(model.alliances.loc[keep, "relation"])
    {'armed_conflict'}
    """

    def __init__(self, alliances: pd.DataFrame, seed: int = 0, positions: Mapping | None = None):
        t = self.alliances = alliances.reset_index(drop=True)
        self.relations = tuple(vocabulary(t["relation"], "alliances", "relation"))
        self.levels = tuple(vocabulary(t["level"], "alliances", "level"))
        start, observed = _days(t["start_start"]), _days(t["observed_start"])
        end_first, end_last = _days(t["end_start"]), _days(t["end_end"])
        fallback = np.minimum(observed, end_first)
        self.first = np.where(start != _NEVER, start, fallback)
        event = t["relation"].astype(str).isin(EVENT_RELATIONS).to_numpy()
        event_last = np.where(start != _NEVER, _days(t["start_end"]), _days(t["observed_end"]))
        #: Per tie: the row whose ``end`` closes this open tie (None: not closed by another row).
        self.closed_by, closing = _closers(t, self.first, end_last, event)
        ends = dict(zip(t["alliance_id"], t["end"])) if "alliance_id" in t else {}
        #: Per tie: the end that closes it, as written (the closing row's, or its group's).
        self.closed_on = np.array(
            [ends.get(c) if c is not None else None for c in self.closed_by], dtype=object
        )
        self._close_with_groups(t, end_last, closing, event)
        end_last = np.where(closing != _NEVER, closing, end_last)
        self.last = np.where(event & (end_last == _NEVER), event_last, end_last)
        self.dated = self.first != _NEVER
        #: Last day a source saw the tie hold: its end, else its observed date, else (an open tie
        #: is holding as far as its source knows) the day its source was published; _NEVER if unknown.
        seen = np.where(end_last != _NEVER, end_last, _days(t["observed_end"]))
        if "source_published" in t:
            published = date_columns(
                "source_published", [v if isinstance(v, str) else None for v in t["source_published"]]
            )["source_published_end"]
            seen = np.where(seen != _NEVER, seen, _days(published))
        self.seen = seen
        self.rel = codes_of(t["relation"], self.relations)
        self.level = codes_of(t["level"].astype(object).fillna("unspecified"), self.levels)
        self.evidence = codes_of(t["evidence_level"], EVIDENCE_LEVELS)
        self.a_ids = t["group_a"].to_numpy(dtype=object)
        self.b_ids = t["group_b"].to_numpy(dtype=object)
        self.group_ids = np.unique(np.concatenate([self.a_ids, self.b_ids]).astype(str))
        self.positions = dict(positions) if positions is not None else stable_layout(t, seed=seed)

    @property
    def undated(self) -> int:
        """How many rows have no date at all, and so appear on no date."""
        return int((~self.dated).sum())

    @property
    def years(self) -> list[int]:
        """Every year from the first a tie holds to the last date any row gives (for sliders)."""
        if not self.dated.any():
            return []
        days = [self.first[self.dated]]
        days += [d[d != _NEVER] for d in (self.last, self.seen)]
        every = np.concatenate(days).astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
        return list(range(int(every.min()), int(every.max()) + 1))

    def focus_id(self, focus: str) -> str:
        """``focus`` as a group id: an id with ties, else any name or alias of the registry."""
        return focus if focus in self.group_ids else resolve_group(focus)

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
        """The ties holding on ``date`` (or at some time from ``start`` to ``end``) that pass the filters.

        See :func:`ties_on` for the filters. Returns a boolean per row of :attr:`alliances`.
        """
        if date is not None:
            lo, hi = (_day(d) for d in date_bounds(date)[:2])
        else:
            lo, hi = _period(start, end)
        keep = self.dated & (self.first <= hi) & (self.last >= lo)
        if relations is not None:
            relations = [relations] if isinstance(relations, str) else list(relations)
            bad = [r for r in relations if r not in self.relations]
            if bad:
                raise ValueError(
                    f"relations must be among {', '.join(self.relations)}, but {bad[0]!r} was passed"
                )
            keep &= np.isin(self.rel, [self.relations.index(r) for r in relations])
        if level not in (None, "all"):
            if level not in LEVEL_CHOICES:
                raise ValueError(f"level must be one of {', '.join(LEVEL_CHOICES)}, but {level!r} was passed")
            keep &= np.isin(
                self.level, [self.levels.index(v) for v in _LEVEL_SETS[level] if v in self.levels]
            )
        if min_evidence is not None:
            if min_evidence not in EVIDENCE_LEVELS:
                raise ValueError(
                    f"min_evidence must be one of {', '.join(EVIDENCE_LEVELS)}, but {min_evidence!r} was passed"
                )
            keep &= self.evidence >= EVIDENCE_LEVELS.index(min_evidence)
        if focus not in (None, "all"):
            gid = self.focus_id(focus)
            keep &= (self.a_ids == gid) | (self.b_ids == gid)
        return keep

    def _close_with_groups(
        self, t: pd.DataFrame, end_last: np.ndarray, closing: np.ndarray, event: np.ndarray
    ) -> None:
        """No tie outlives its groups: an open tie not closed by a row ends when the first of its
        groups ends (``group_a_ended``, ``group_b_ended``, joined from ``groups`` by the loader)."""
        open_ = (end_last == _NEVER) & (closing == _NEVER) & ~event & (self.first != _NEVER)
        for side in ("group_a", "group_b"):
            if f"{side}_ended" not in t:
                continue
            text = [v if isinstance(v, str) else None for v in t[f"{side}_ended"]]
            day = _days(date_columns("ended", text)["ended_end"])
            hit = open_ & (day != _NEVER) & (day >= self.first) & (day < closing)
            closing[hit] = day[hit]
            self.closed_by[hit] = [f"group:{g}" for g in t[side].to_numpy(dtype=object)[hit]]
            self.closed_on[hit] = np.array(text, dtype=object)[hit]

    def holding(self) -> pd.DataFrame:
        """When each tie holds, indexed as :attr:`alliances`: see :func:`holding_intervals`."""

        def time(days: np.ndarray) -> np.ndarray:
            out = np.where(days == _NEVER, np.int64(0), days).astype("datetime64[D]").astype("datetime64[s]")
            out[days == _NEVER] = np.datetime64("NaT")
            return out

        t = self.alliances
        start = _days(t["start_start"]) != _NEVER
        by_end = _days(t["end_start"]) < _days(t["observed_start"])
        dated_by = np.where(
            start, "start", np.where(~self.dated, "undated", np.where(by_end, "end", "observed"))
        )
        return pd.DataFrame(
            {
                "holds_from": time(self.first),
                "holds_until": time(self.last),
                "last_seen": time(self.seen),
                "dated_by": dated_by,
                "closed_by": self.closed_by,
                "closed_on": self.closed_on,
            },
            index=t.index,
        )

    def unseen_for(self, date: DateLike) -> np.ndarray:
        """Per tie: whole years between the last day a source saw it and ``date`` (0: seen then or later)."""
        day = _day(date_bounds(date)[0])
        gap = np.where(self.seen == _NEVER, 0, day - np.minimum(self.seen, day))
        return (gap // 365.25).astype(np.int64)


def holding_intervals(alliances: pd.DataFrame) -> pd.DataFrame:
    """When each tie holds, by the rules of the module docstring.

    Columns (index of ``alliances``): ``holds_from`` and ``holds_until`` (``NaT`` when open or
    undated), ``last_seen`` (the last day a source saw it hold), ``dated_by`` (``start``,
    ``observed``, ``end`` or ``undated``: what its first day comes from), ``closed_by`` (the
    row whose ``end`` closes this open tie, else ``None``) and ``closed_on`` (that end, as written).

    >>> from course_lib import load_alliances
    >>> iv = holding_intervals(load_alliances())
    >>> set(iv["dated_by"]) <= {"start", "observed", "end", "undated"}
    True
    """
    return AllianceModel(alliances, positions={}).holding().set_axis(alliances.index)


def ties_on(
    alliances: pd.DataFrame,
    date: DateLike,
    *,
    relations: Iterable[str] | None = None,
    level: str | None = None,
    min_evidence: str | None = None,
    focus: str | None = None,
) -> pd.DataFrame:
    """The ties holding on ``date`` (a day, or at any time in a partial date), filtered.

    Parameters
    ----------
    alliances
        The alliances table (rows with the loader's derived date columns).
    date
        A year, a partial ISO date (``"2014"``, ``"2014-11"``, ``"2014-11-03"``) or a date.
    relations
        Relation types to keep (default: all).
    level
        ``"all"`` (default), ``"strategic"``, ``"tactical"`` (both include ``both``) or
        ``"unspecified"``.
    min_evidence
        Keep rows at this evidence level or stronger.
    focus
        A group (id, name or alias): keep only its own ties.
    """
    keep = AllianceModel(alliances, positions={}).mask(
        date, relations=relations, level=level, min_evidence=min_evidence, focus=focus
    )
    return alliances.loc[keep]


def ties_between(
    alliances: pd.DataFrame, start: DateLike | None = None, end: DateLike | None = None, **filters
) -> pd.DataFrame:
    """The ties holding at some time from ``start`` to ``end`` (inclusive; either may be ``None``).

    The filters are those of :func:`ties_on`.

    >>> from course_lib import load_alliances
    >>> alliances = load_alliances()
    >>> len(ties_between(alliances, "2010", "2014")) >= len(ties_on(alliances, "2012"))
    True
    """
    keep = AllianceModel(alliances, positions={}).mask(None, start, end, **filters)
    return alliances.loc[keep]


def alliance_graph(ties: pd.DataFrame, groups: pd.DataFrame | None = None) -> nx.MultiDiGraph:
    """The ties as a networkx multigraph: one edge per row, ``group_a`` → ``group_b``, keyed by ``alliance_id``.

    Edges carry ``relation``, ``level``, ``evidence_level``, ``start``, ``end``, ``observed``,
    ``source_id``, ``locator``; nodes carry ``name`` (from ``groups``, else the id).

    >>> from course_lib import load_alliances, load_groups
    >>> g = alliance_graph(ties_on(load_alliances(), "2014"), load_groups())
    >>> g.number_of_edges() == len(ties_on(load_alliances(), "2014"))
    True
    """
    names = group_names(groups)
    graph = nx.MultiDiGraph()
    for gid in sorted(set(ties["group_a"]) | set(ties["group_b"])):
        graph.add_node(gid, name=names.get(gid, gid))
    columns = ["relation", "level", "evidence_level", "start", "end", "observed", "source_id", "locator"]
    for row in ties[["alliance_id", "group_a", "group_b", *columns]].itertuples(index=False):
        attrs = {c: (v if isinstance(v, str) else None) for c, v in zip(columns, row[3:])}
        graph.add_edge(row.group_a, row.group_b, key=row.alliance_id, **attrs)
    return graph


def stable_layout(alliances: pd.DataFrame, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]² for every group with a tie at any time, computed once for all dates.

    Deterministic: the same rows (in any order) and ``seed`` give the same positions. Uses
    networkx's ForceAtlas2 layout, with strong gravity (pairs with more rows pull closer).

    >>> from course_lib import load_alliances
    >>> t = load_alliances()
    >>> pos = stable_layout(t, seed=1)
    >>> pos == stable_layout(t.iloc[::-1], seed=1), all(-1 <= v <= 1 for xy in pos.values() for v in xy)
    (True, True)
    """
    a = alliances["group_a"].astype(str).to_numpy()
    b = alliances["group_b"].astype(str).to_numpy()
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pairs = pd.Series(1, index=pd.MultiIndex.from_arrays([lo, hi])).groupby(level=[0, 1]).sum()
    graph = nx.Graph()
    graph.add_nodes_from(sorted(set(a) | set(b)))
    graph.add_weighted_edges_from((u, v, float(w)) for (u, v), w in pairs.items() if u != v)
    if graph.number_of_nodes() <= 1:
        return {v: (0.0, 0.0) for v in graph}
    raw = nx.forceatlas2_layout(graph, seed=seed, max_iter=200, weight="weight", strong_gravity=True)
    nodes = list(graph)
    xy = np.array([raw[v] for v in nodes], dtype=float)
    xy = np.clip(np.round(nx.rescale_layout(xy - xy.mean(axis=0), scale=1.0), 6), -1.0, 1.0)
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, xy)}
