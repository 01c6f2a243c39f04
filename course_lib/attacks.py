"""The attack explorer's model: filter an attacks table and aggregate what matches.

:class:`AttackSelection` turns the table into numpy arrays once (category codes for group,
country, attack type and evidence level; the year of ``date_start``; casualty bounds; one
code per place), so that each filter is a handful of vectorised comparisons and each
aggregation a ``numpy.bincount``: fast enough to follow a slider over the 200,000 events of
an imported GTD (``make bench`` holds it to that). It takes the curated table, an imported
one (:func:`course_lib.import_events`) or both concatenated.

Casualty ranges stay ranges. An aggregate's ``killed_low`` is the sum of the rows' lower
bounds (a bound not stated counts as 0); its ``killed_high`` is the sum of their upper
bounds when every row states one, and missing (open: "at least ...") otherwise.

Examples
--------
>>> from course_lib import load_attacks, load_groups
>>> sel = AttackSelection(load_attacks(), load_groups())
>>> mask = sel.mask(groups=["aqim"], years=(2007, 2013), min_evidence="reported")
>>> attacks = load_attacks()
>>> int(mask.sum()) == len(attacks.query(
...     "group_id == 'aqim' and 2007 <= date_start.dt.year <= 2013 and evidence_level >= 'reported'"))
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .groups import group_names, resolve_group
from .vocab import EVIDENCE_LEVELS, country_label, format_range, label, vocabulary

__all__ = ["AttackSelection", "Filters"]


@dataclass(frozen=True)
class Filters:
    """One choice of filters; ``None`` for any of them means "all".

    >>> Filters(groups=("aqim",), years=(2007, 2013)).describe()
    'groups: aqim; years 2007–2013'
    """

    groups: tuple[str, ...] | None = None
    countries: tuple[str, ...] | None = None
    years: tuple[int | None, int | None] | None = None
    attack_types: tuple[str, ...] | None = None
    min_evidence: str | None = None

    def describe(self, names: dict[str, str] | None = None) -> str:
        """The filters in words (``"all attacks"`` when there are none)."""
        names = names or {}
        parts = []
        if self.groups:
            parts.append("groups: " + ", ".join(names.get(g, g) for g in self.groups))
        if self.countries:
            parts.append("countries: " + ", ".join(country_label(c) for c in self.countries))
        if self.years and any(y is not None for y in self.years):
            a, b = self.years
            parts.append(f"years {a if a is not None else '…'}–{b if b is not None else '…'}")
        if self.attack_types:
            parts.append("types: " + ", ".join(label(t) for t in self.attack_types))
        if self.min_evidence and self.min_evidence != EVIDENCE_LEVELS[0]:
            parts.append(f"evidence ≥ {self.min_evidence}")
        return "; ".join(parts) if parts else "all attacks"


def _as_tuple(values: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return (values,) if isinstance(values, str) else (tuple(values) or None)


def _codes(series: pd.Series, categories: list[str] | None = None) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes (-1 where missing) and the categories they index."""
    values = series.astype("object").where(series.notna(), None)
    cat = pd.Categorical(values) if categories is None else pd.Categorical(values, categories=categories)
    return np.asarray(cat.codes, dtype=np.int32), tuple(str(c) for c in cat.categories)


def _bounds(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Values (missing as 0) and a mask of the stated ones."""
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    stated = ~np.isnan(values)
    return np.where(stated, values, 0.0), stated


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), None, dtype=object)
    col = frame[column]
    return col.astype("object").where(col.notna(), None).to_numpy(dtype=object)


def _lookup(categories: tuple[str, ...], wanted: tuple[str, ...]) -> np.ndarray:
    """A boolean per category plus a last, False slot that code -1 (missing) lands on."""
    table = np.zeros(len(categories) + 1, dtype=bool)
    index = {c: i for i, c in enumerate(categories)}
    for w in wanted:
        if w in index:
            table[index[w]] = True
    return table


class AttackSelection:
    """Filters and aggregations over one attacks table, with arrays precomputed once.

    Parameters
    ----------
    attacks
        An attacks table as :func:`~course_lib.load_attacks` or
        :func:`~course_lib.import_events` returns it.
    groups
        The registry (``group_id`` and ``name``), for names in labels; ``None``: ids only.
    """

    def __init__(self, attacks: pd.DataFrame, groups: pd.DataFrame | None = None):
        frame = attacks
        self.frame = frame
        self.n = len(frame)
        self.names = group_names(groups)
        self._registry = groups if isinstance(groups, pd.DataFrame) and "name" in groups else None
        self.attack_types = tuple(vocabulary(frame["attack_type"], "attacks", "attack_type"))
        self.group_code, self.group_ids = _codes(frame["group_id"])
        self._country_code, self.countries = _codes(frame["country"])
        type_code, _ = _codes(frame["attack_type"], list(self.attack_types))
        self._type_code = np.where(type_code < 0, self.attack_types.index("unknown"), type_code).astype(
            np.int32
        )
        self._evidence_code, _ = _codes(frame["evidence_level"], list(EVIDENCE_LEVELS))

        year = frame["date_start"].dt.year.to_numpy(dtype="float64", na_value=np.nan)
        #: Per attack: its group's position in ``group_ids`` (-1: none), whether it is dated, its year.
        self.has_year = ~np.isnan(year)
        self.year = np.where(self.has_year, year, 0).astype(np.int32)
        dated = self.year[self.has_year]
        self.year_range = (int(dated.min()), int(dated.max())) if len(dated) else None

        self._low, self._low_stated = _bounds(frame["killed_low"])
        self._high, self._high_stated = _bounds(frame["killed_high"])
        self._stated = self._low_stated | self._high_stated
        self._open = (~self._high_stated).astype(np.float64)

        # Places: distinct coordinate pairs (to 1e-4 degree); rows without both have code -1.
        lat = frame["latitude"].to_numpy(dtype="float64", na_value=np.nan)
        lon = frame["longitude"].to_numpy(dtype="float64", na_value=np.nan)
        located = ~(np.isnan(lat) | np.isnan(lon))
        key = (np.round(np.nan_to_num(lat) * 1e4).astype(np.int64) + 1_000_000) * 4_000_000 + (
            np.round(np.nan_to_num(lon) * 1e4).astype(np.int64) + 2_000_000
        )
        codes, uniques = pd.factorize(key[located], sort=False)
        self._place_code = np.full(self.n, -1, dtype=np.int32)
        self._place_code[located] = codes
        self._place_first = (
            np.flatnonzero(located)[np.unique(codes, return_index=True)[1]] if len(codes) else codes
        )
        self.n_places = len(uniques)
        self._text = {
            c: _text(frame, c)
            for c in (
                "attack_id",
                "date",
                "group_id",
                "place",
                "place_name",
                "admin1",
                "country",
                "source_id",
                "locator",
            )
        }
        starts = frame["date_start"].to_numpy(dtype="datetime64[s]")
        self._by_date = np.argsort(
            np.where(np.isnat(starts), np.datetime64("9999-12-31", "s"), starts), kind="stable"
        )

    # ----------------------------------------------------------------- choices
    def group_name(self, group_id: str) -> str:
        """The registry's name of ``group_id`` (the id itself when it has none)."""
        return self.names.get(group_id, group_id)

    def group_options(self) -> list[tuple[str, str]]:
        """``(name, group_id)`` of every group in the table, sorted by name."""
        return sorted(((self.group_name(g), g) for g in self.group_ids), key=lambda o: o[0].casefold())

    def country_options(self) -> list[tuple[str, str]]:
        """``("Mali (MLI)", "MLI")`` for every country in the table, sorted by name."""
        return sorted(((country_label(c), c) for c in self.countries), key=lambda o: o[0].casefold())

    def attack_type_options(self) -> list[str]:
        """The attack types present in the table, in the codebook's order."""
        present = set(np.unique(self._type_code).tolist())
        return [t for i, t in enumerate(self.attack_types) if i in present]

    # ----------------------------------------------------------------- filters
    def _group_id(self, name: str, known: set[str]) -> str:
        """The id of the group called ``name`` (a name or alias of the registry), or a clear error."""
        if self._registry is not None:
            try:
                return resolve_group(name, self._registry)
            except LookupError as error:
                if "did you mean" in str(error):  # the registry knows a near name: say it
                    raise
        near = difflib.get_close_matches(name, sorted(known), n=3)
        hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
        raise ValueError(f"no group with id {name!r} in the registry or the attacks{hint}")

    def filters(
        self,
        groups: str | Iterable[str] | None = None,
        countries: str | Iterable[str] | None = None,
        years: tuple[int | None, int | None] | None = None,
        attack_types: str | Iterable[str] | None = None,
        min_evidence: str | None = None,
    ) -> Filters:
        """Check a choice of filters and return it as :class:`Filters` (clear errors on typos);
        a group may be given by its id, name or alias."""
        groups, countries, types = _as_tuple(groups), _as_tuple(countries), _as_tuple(attack_types)
        known = set(self.group_ids) | set(self.names)
        if groups:
            groups = tuple(g if g in known else self._group_id(g, known) for g in groups)
        for t in types or ():
            if t not in self.attack_types:
                raise ValueError(
                    f"attack type must be one of {', '.join(self.attack_types)}, but {t!r} was passed"
                )
        if min_evidence is not None and min_evidence not in EVIDENCE_LEVELS:
            choices = ", ".join(EVIDENCE_LEVELS)
            raise ValueError(f"min_evidence must be one of {choices}, but {min_evidence!r} was passed")
        if years is not None:
            years = tuple(None if y is None else int(y) for y in years)
            if None not in years and years[0] > years[1]:
                raise ValueError(f"years must run from earlier to later, but {years!r} was passed")
        return Filters(groups, countries, years, types, min_evidence)

    def mask(self, filters: Filters | None = None, /, **choices) -> np.ndarray:
        """A boolean per attack: does it pass every filter?

        Pass a :class:`Filters` or the filters as keywords (``groups``, ``countries``,
        ``years`` as ``(first, last)`` inclusive, ``attack_types``, ``min_evidence``). Ids
        absent from the table match nothing; names that exist nowhere raise ``ValueError``.
        Attacks with no date pass only when no years are asked for.
        """
        f = filters if filters is not None else self.filters(**choices)
        keep = np.ones(self.n, dtype=bool)
        if f.groups:
            keep &= _lookup(self.group_ids, f.groups)[self.group_code]
        if f.countries:
            keep &= _lookup(self.countries, f.countries)[self._country_code]
        if f.attack_types:
            keep &= _lookup(self.attack_types, f.attack_types)[self._type_code]
        if f.min_evidence is not None:
            keep &= self._evidence_code >= EVIDENCE_LEVELS.index(f.min_evidence)
        if f.years is not None and any(y is not None for y in f.years):
            keep &= self.has_year
            if f.years[0] is not None:
                keep &= self.year >= f.years[0]
            if f.years[1] is not None:
                keep &= self.year <= f.years[1]
        return keep

    def select(self, **choices) -> pd.DataFrame:
        """The matching rows of the table itself (a copy), for further work in pandas."""
        return self.frame.iloc[np.flatnonzero(self.mask(**choices))].copy()

    # ------------------------------------------------------------ aggregations
    def _sums(self, codes: np.ndarray, rows: np.ndarray, size: int) -> dict[str, np.ndarray]:
        count = np.bincount(codes, minlength=size)
        high = np.bincount(codes, weights=self._high[rows], minlength=size)
        open_ = np.bincount(codes, weights=self._open[rows], minlength=size) > 0
        return {
            "count": count.astype(np.int64),
            "killed_low": np.bincount(codes, weights=self._low[rows], minlength=size).astype(np.int64),
            "killed_high": np.where(open_, np.nan, high),
            "killed_stated": np.bincount(codes, weights=self._stated[rows], minlength=size).astype(np.int64),
        }

    def by_place(self, mask: np.ndarray) -> pd.DataFrame:
        """One row per place with matching attacks: where, how many, killed, which type.

        Columns: ``latitude``, ``longitude``, ``place`` (for a place with one matching attack,
        that attack's own words; with several, the gazetteer's name, ``place_name``),
        ``admin1``, ``country`` (of the place's first row), ``count``, ``killed_low``, ``killed_high`` (``NaN``: open),
        ``killed_stated``, ``attack_type`` (when all attacks there share one, else ``None``),
        ``n_types``, ``year_first``, ``year_last`` (0 when none is dated) and ``row`` (the
        attack's position when there is exactly one, else -1). ``attrs["unlocated"]``
        counts matching attacks without coordinates.
        """
        rows = np.flatnonzero(mask)
        pc = self._place_code[rows]
        located = pc >= 0
        pc, rows = pc[located], rows[located]
        size = self.n_places
        sums = self._sums(pc, rows, size)
        k = len(self.attack_types)
        by_type = np.bincount(pc * k + self._type_code[rows], minlength=size * k).reshape(size, k)
        n_types = (by_type > 0).sum(axis=1)
        never = np.iinfo(np.int32).max
        first_year = np.full(size, never, dtype=np.int32)
        np.minimum.at(first_year, pc, np.where(self.has_year[rows], self.year[rows], never))
        last_year = np.zeros(size, dtype=np.int32)
        np.maximum.at(last_year, pc, np.where(self.has_year[rows], self.year[rows], 0))
        one = sums["count"][pc] == 1
        row = np.full(size, -1, dtype=np.int64)
        row[pc[one]] = rows[one]
        present = np.flatnonzero(sums["count"] > 0)
        first = self._place_first[present]
        only, gazetteer = row[present], self._text["place_name"][first]
        single = np.array(self.attack_types, dtype=object)[by_type.argmax(axis=1)[present]]
        out = pd.DataFrame(
            {
                "latitude": self.frame["latitude"].to_numpy(dtype="float64", na_value=np.nan)[first],
                "longitude": self.frame["longitude"].to_numpy(dtype="float64", na_value=np.nan)[first],
                # one attack: its own words for the place; several: the gazetteer's name
                "place": pd.Series(
                    np.where(
                        only >= 0,
                        self._text["place"][np.where(only >= 0, only, first)],
                        np.where(gazetteer != None, gazetteer, self._text["place"][first]),  # noqa: E711
                    ),
                    dtype=object,
                ),
                **{c: pd.Series(self._text[c][first], dtype=object) for c in ("admin1", "country")},
                **{k: v[present] for k, v in sums.items()},
                "attack_type": pd.Series(np.where(n_types[present] == 1, single, None), dtype=object),
                "n_types": n_types[present],
                "year_first": np.where(first_year[present] == never, 0, first_year[present]),
                "year_last": last_year[present],
                "row": row[present],
            }
        )
        out.attrs["unlocated"] = int((~located).sum())
        return out

    def by_year(self, mask: np.ndarray, years: tuple[int, int] | None = None) -> pd.DataFrame:
        """One row per year from ``years[0]`` to ``years[1]`` (default: the table's span).

        Columns: ``year``, ``count``, ``killed_low``, ``killed_high`` (``NaN``: open),
        ``killed_stated``. Years without attacks are there with zeros, so the axis stays put
        as filters change. ``attrs["undated"]`` counts matching attacks with no date.
        """
        span = years if years is not None else self.year_range
        first, last = (int(span[0]), int(span[1])) if span is not None else (0, -1)
        rows = np.flatnonzero(mask & self.has_year)
        y = self.year[rows]
        inside = (y >= first) & (y <= last)
        out = pd.DataFrame(
            {
                "year": np.arange(first, last + 1),
                **self._sums(y[inside] - first, rows[inside], last - first + 1),
            }
        )
        out.attrs["undated"] = int((mask & ~self.has_year).sum())
        return out

    def by_type(self, mask: np.ndarray) -> pd.DataFrame:
        """One row per attack type, in the codebook's order (zeros included)."""
        rows = np.flatnonzero(mask)
        sums = self._sums(self._type_code[rows], rows, len(self.attack_types))
        return pd.DataFrame({"attack_type": list(self.attack_types), **sums})

    # ------------------------------------------------------------------- rows
    def row_details(self, rows: np.ndarray) -> pd.DataFrame:
        """What a table or a hover shows of the attacks at positions ``rows``.

        Columns: ``attack_id``, ``date`` (as written), ``group`` (name), ``place``, ``country``
        (name and code), ``attack_type``, ``killed`` (a range as text), ``evidence_level``,
        ``source`` (``source_id, locator``).
        """
        rows = np.asarray(rows, dtype=np.int64)
        t = self._text
        killed = [
            format_range(lo if ls else None, hi if hs else None)
            for lo, ls, hi, hs in zip(
                self._low[rows], self._low_stated[rows], self._high[rows], self._high_stated[rows]
            )
        ]
        return pd.DataFrame(
            {
                "attack_id": pd.Series(t["attack_id"][rows], dtype=object),
                "date": pd.Series(t["date"][rows], dtype=object),
                "group": [self.group_name(g) if g else "" for g in t["group_id"][rows]],
                "place": [p or a or "" for p, a in zip(t["place"][rows], t["admin1"][rows])],
                "country": [country_label(c) for c in t["country"][rows]],
                "attack_type": np.array(self.attack_types, dtype=object)[self._type_code[rows]],
                "killed": killed,
                "evidence_level": np.array((*EVIDENCE_LEVELS, ""), dtype=object)[self._evidence_code[rows]],
                "source": [
                    ", ".join(x for x in (s, loc) if x)
                    for s, loc in zip(t["source_id"][rows], t["locator"][rows])
                ],
            }
        )

    def first_rows(self, mask: np.ndarray, limit: int = 50) -> pd.DataFrame:
        """The first ``limit`` matching attacks by date (undated last); ``attrs["total"]``: all matching."""
        ordered = self._by_date[mask[self._by_date]]
        out = self.row_details(ordered[:limit])
        out.attrs["total"] = len(ordered)
        return out
