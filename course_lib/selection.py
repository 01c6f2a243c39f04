"""The attack explorer's model: filter the attacks table and aggregate what matches.

:class:`AttackSelection` turns the table into numpy arrays once (category codes for group,
country, attack type and evidence level; the year of ``date_start``; casualty bounds), so
that each filter is a handful of vectorised comparisons and each aggregation a
``numpy.bincount``: fast enough to follow a slider over 200,000 attacks.

Casualty ranges stay ranges. An aggregate's ``killed_low`` is the sum of the rows' lower
bounds (a bound not stated counts as 0); its ``killed_high`` is the sum of their upper
bounds when every row states one, and missing (open: "at least ...") otherwise.
:func:`format_range` writes either as text.

No plotting or widget library is imported here.

Examples
--------
>>> import pandas as pd
>>> from benchmarks.synthetic import synthetic_attacks
>>> attacks = synthetic_attacks(1_000)
>>> sel = AttackSelection(attacks, groups=pd.DataFrame({"group_id": ["g0001"], "name": ["Group one"]}))
>>> mask = sel.mask(groups=["g0001"], years=(2000, 2010), min_evidence="reported")
>>> int(mask.sum()) == len(attacks.query(
...     "group_id == 'g0001' and 2000 <= date_start.dt.year <= 2010 and evidence_level >= 'reported'"))
True
>>> format_range(12, 15), format_range(12, None), format_range(33, 33)
('12–15', 'at least 12', '33')
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import load_attacks, load_groups
from .schema import load_schema

__all__ = ["AttackSelection", "Filters", "format_range"]


def _enum(column: str) -> tuple[str, ...]:
    return tuple(load_schema().table("attacks").field(column).enum or ())


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def format_range(low: object, high: object, stated: bool = True) -> str:
    """A casualty range as text: ``"12–15"``, ``"33"``, ``"at least 12"``, ``"up to 10"``.

    ``low`` or ``high`` may be missing (``None``, ``NaN``, ``pd.NA``); ``stated=False`` (no
    row states a figure) gives ``"not stated"``.

    >>> format_range(1200, 1350), format_range(None, 10), format_range(None, None)
    ('1,200–1,350', 'up to 10', 'not stated')
    >>> format_range(0, None, stated=False)
    'not stated'
    """
    if not stated or (_missing(low) and _missing(high)):
        return "not stated"
    if _missing(high):
        return f"at least {int(low):,}"
    if _missing(low):
        return f"up to {int(high):,}"
    low, high = int(low), int(high)
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


@dataclass(frozen=True)
class Filters:
    """One choice of filters; ``None`` (or an empty list) for any of them means "all".

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
            parts.append("countries: " + ", ".join(self.countries))
        if self.years and any(y is not None for y in self.years):
            a, b = self.years
            parts.append(f"years {a if a is not None else '…'}–{b if b is not None else '…'}")
        if self.attack_types:
            parts.append("types: " + ", ".join(t.replace("_", " ") for t in self.attack_types))
        if self.min_evidence and self.min_evidence != "suspected":
            parts.append(f"evidence ≥ {self.min_evidence}")
        return "; ".join(parts) if parts else "all attacks"


def _as_tuple(values: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return (values,)
    return tuple(values) or None


def _codes(
    series: pd.Series, categories: tuple[str, ...] | None = None
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes (-1 where missing) and the categories they index."""
    if categories is None:
        cat = pd.Categorical(series.astype("object").where(series.notna(), None))
    else:
        cat = pd.Categorical(series.astype("object").where(series.notna(), None), categories=list(categories))
    return np.asarray(cat.codes, dtype=np.int32), tuple(str(c) for c in cat.categories)


def _bounds(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Values (missing as 0) and a mask of the stated ones."""
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    stated = ~np.isnan(values)
    return np.where(stated, values, 0.0), stated


def _obj(values: np.ndarray) -> pd.Series:
    """Text that keeps ``None`` for "not stated" (pandas would infer ``str`` with ``NaN``)."""
    return pd.Series(values, dtype=object)


def _strings(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), None, dtype=object)
    col = frame[column]
    return col.astype("object").where(col.notna(), None).to_numpy(dtype=object)


class AttackSelection:
    """Filters and aggregations over one attacks table, with arrays precomputed once.

    Parameters
    ----------
    attacks
        The attacks table as :func:`~course_lib.load_attacks` returns it (default: that).
    groups
        A table with ``group_id`` and ``name``, for names in labels (default: the registry).

    Examples
    --------
    >>> from benchmarks.synthetic import synthetic_attacks
    >>> sel = AttackSelection(synthetic_attacks(500), groups=pd.DataFrame(columns=["group_id", "name"]))
    >>> everything = sel.mask()
    >>> int(everything.sum()) == sel.n
    True
    >>> years = sel.by_year(everything)
    >>> int(years["count"].sum()) == sel.n
    True
    """

    def __init__(self, attacks: pd.DataFrame | None = None, groups: pd.DataFrame | None = None):
        frame = load_attacks() if attacks is None else attacks
        registry = load_groups() if groups is None else groups
        self.frame = frame
        self.n = len(frame)
        self.names: dict[str, str] = (
            dict(zip(registry["group_id"].astype(str), registry["name"].astype(str))) if len(registry) else {}
        )

        self.attack_types = _enum("attack_type")
        self.evidence_levels = _enum("evidence_level")
        self._group_code, self.group_ids = _codes(frame["group_id"])
        self._country_code, self.countries = _codes(frame["country"])
        type_code, _ = _codes(frame["attack_type"], self.attack_types)
        unknown = self.attack_types.index("unknown") if "unknown" in self.attack_types else 0
        self._type_code = np.where(type_code < 0, unknown, type_code).astype(np.int32)
        self._evidence_code, _ = _codes(frame["evidence_level"], self.evidence_levels)

        year = frame["date_start"].dt.year.to_numpy(dtype="float64", na_value=np.nan)
        self._has_year = ~np.isnan(year)
        self._year = np.where(self._has_year, year, 0).astype(np.int32)
        self.year_range: tuple[int, int] | None = (
            (int(self._year[self._has_year].min()), int(self._year[self._has_year].max()))
            if self._has_year.any()
            else None
        )

        self._low, self._low_stated = _bounds(frame["killed_low"])
        self._high, self._high_stated = _bounds(frame["killed_high"])
        self._stated = self._low_stated | self._high_stated
        self._open = (~self._high_stated).astype(np.float64)

        # Places: distinct coordinate pairs (to 1e-4 degree); rows without both have -1.
        lat = frame["latitude"].to_numpy(dtype="float64", na_value=np.nan)
        lon = frame["longitude"].to_numpy(dtype="float64", na_value=np.nan)
        located = ~(np.isnan(lat) | np.isnan(lon))
        key = np.where(
            located,
            (np.round(np.nan_to_num(lat) * 1e4).astype(np.int64) + 1_000_000) * 4_000_000
            + (np.round(np.nan_to_num(lon) * 1e4).astype(np.int64) + 2_000_000),
            -1,
        )
        codes, uniques = pd.factorize(key[located], sort=False)
        self._place_code = np.full(self.n, -1, dtype=np.int32)
        self._place_code[located] = codes
        first = (
            np.flatnonzero(located)[np.unique(codes, return_index=True)[1]]
            if len(codes)
            else np.array([], int)
        )
        self.n_places = len(uniques)
        self._place_first = first
        self._place_lat = lat[first]
        self._place_lon = lon[first]

        self._text = {
            c: _strings(frame, c)
            for c in (
                "attack_id",
                "date",
                "group_id",
                "place",
                "admin1",
                "country",
                "geo_precision",
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

    def country_options(self) -> list[str]:
        """The countries (ISO-3 codes) in the table, sorted."""
        return list(self.countries)

    def attack_type_options(self) -> list[str]:
        """The attack types present in the table, in the codebook's order."""
        present = np.unique(self._type_code)
        return [t for i, t in enumerate(self.attack_types) if i in set(present.tolist())]

    # ----------------------------------------------------------------- filters
    def filters(
        self,
        groups: str | Iterable[str] | None = None,
        countries: str | Iterable[str] | None = None,
        years: tuple[int | None, int | None] | None = None,
        attack_types: str | Iterable[str] | None = None,
        min_evidence: str | None = None,
    ) -> Filters:
        """Check a choice of filters and return it as :class:`Filters` (clear errors on typos)."""
        groups, countries, types = _as_tuple(groups), _as_tuple(countries), _as_tuple(attack_types)
        if groups:
            known = set(self.group_ids) | set(self.names)
            for g in groups:
                if g not in known:
                    near = difflib.get_close_matches(g, sorted(known), n=3)
                    hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
                    raise ValueError(f"no group with id {g!r} in the registry or the attacks{hint}")
        for t in types or ():
            if t not in self.attack_types:
                raise ValueError(
                    f"attack type must be one of {', '.join(self.attack_types)}, but {t!r} was passed"
                )
        if min_evidence is not None and min_evidence not in self.evidence_levels:
            raise ValueError(
                f"min_evidence must be one of {', '.join(self.evidence_levels)}, "
                f"but {min_evidence!r} was passed"
            )
        if years is not None:
            years = (None if years[0] is None else int(years[0]), None if years[1] is None else int(years[1]))
            if None not in years and years[0] > years[1]:
                raise ValueError(f"years must run from earlier to later, but {years!r} was passed")
        return Filters(groups, countries, years, types, min_evidence)

    def mask(self, filters: Filters | None = None, /, **choices) -> np.ndarray:
        """A boolean array, one entry per attack: does it pass every filter?

        Pass a :class:`Filters` or the filters as keywords: ``groups``, ``countries``
        (lists of ids; one string is one id), ``years`` (``(first, last)``, inclusive; either
        may be ``None``), ``attack_types`` (list), ``min_evidence`` (``"suspected"``,
        ``"reported"`` or ``"verified"``). Ids absent from the table match nothing; names
        that exist nowhere raise ``ValueError``. Attacks with no date pass only when no
        years are asked for.
        """
        f = filters if filters is not None else self.filters(**choices)
        keep = np.ones(self.n, dtype=bool)
        if f.groups:
            keep &= self._lookup(self.group_ids, f.groups)[self._group_code]
        if f.countries:
            keep &= self._lookup(self.countries, f.countries)[self._country_code]
        if f.attack_types:
            keep &= self._lookup(self.attack_types, f.attack_types)[self._type_code]
        if f.min_evidence is not None:
            keep &= self._evidence_code >= self.evidence_levels.index(f.min_evidence)
        if f.years is not None and any(y is not None for y in f.years):
            keep &= self._has_year
            if f.years[0] is not None:
                keep &= self._year >= f.years[0]
            if f.years[1] is not None:
                keep &= self._year <= f.years[1]
        return keep

    @staticmethod
    def _lookup(categories: tuple[str, ...], wanted: tuple[str, ...]) -> np.ndarray:
        # One slot per category plus a last, False one that code -1 (missing) lands on.
        table = np.zeros(len(categories) + 1, dtype=bool)
        index = {c: i for i, c in enumerate(categories)}
        for w in wanted:
            if w in index:
                table[index[w]] = True
        return table

    def select(self, **choices) -> pd.DataFrame:
        """The matching rows of the table itself (a copy), for further work in pandas."""
        return self.frame.iloc[np.flatnonzero(self.mask(**choices))].copy()

    # ------------------------------------------------------------ aggregations
    def _sums(self, codes: np.ndarray, rows: np.ndarray, size: int) -> dict[str, np.ndarray]:
        count = np.bincount(codes, minlength=size)
        low = np.bincount(codes, weights=self._low[rows], minlength=size)
        high = np.bincount(codes, weights=self._high[rows], minlength=size)
        open_ = np.bincount(codes, weights=self._open[rows], minlength=size) > 0
        stated = np.bincount(codes, weights=self._stated[rows], minlength=size)
        return {
            "count": count.astype(np.int64),
            "killed_low": low.astype(np.int64),
            "killed_high": np.where(open_, np.nan, high),
            "killed_stated": stated.astype(np.int64),
        }

    def by_place(self, mask: np.ndarray) -> pd.DataFrame:
        """One row per place with matching attacks: where, how many, killed, which type.

        Columns: ``latitude``, ``longitude``, ``place``, ``admin1``, ``country``,
        ``geo_precision`` (of the place's first row), ``count``, ``killed_low``,
        ``killed_high`` (``NaN``: open), ``killed_stated`` (rows stating a figure),
        ``attack_type`` (the type when all attacks there share one, else ``None``),
        ``n_types``, ``year_first``, ``year_last`` (0 when no row is dated) and ``row`` (the
        position of the attack when there is exactly one, else -1). ``attrs["unlocated"]``
        counts matching attacks without coordinates (not in the result).
        """
        pc_all = self._place_code[mask]
        rows = np.flatnonzero(mask)
        located = pc_all >= 0
        pc, rows = pc_all[located], rows[located]
        size = self.n_places
        sums = self._sums(pc, rows, size)
        n_type = len(self.attack_types)
        by_type = np.bincount(pc * n_type + self._type_code[rows], minlength=size * n_type).reshape(
            size, n_type
        )
        n_types = (by_type > 0).sum(axis=1)
        single_type = by_type.argmax(axis=1)
        year = np.where(self._has_year[rows], self._year[rows], np.iinfo(np.int32).max)
        first_year = np.full(size, np.iinfo(np.int32).max, dtype=np.int32)
        np.minimum.at(first_year, pc, year)
        year = np.where(self._has_year[rows], self._year[rows], 0)
        last_year = np.zeros(size, dtype=np.int32)
        np.maximum.at(last_year, pc, year)
        one = sums["count"][pc] == 1
        row = np.full(size, -1, dtype=np.int64)
        row[pc[one]] = rows[one]

        present = np.flatnonzero(sums["count"] > 0)
        first_row = self._place_first[present]
        types = np.array(self.attack_types, dtype=object)[single_type[present]]
        out = pd.DataFrame(
            {
                "latitude": self._place_lat[present],
                "longitude": self._place_lon[present],
                "place": _obj(self._text["place"][first_row]),
                "admin1": _obj(self._text["admin1"][first_row]),
                "country": _obj(self._text["country"][first_row]),
                "geo_precision": _obj(self._text["geo_precision"][first_row]),
                **{k: v[present] for k, v in sums.items()},
                "attack_type": _obj(np.where(n_types[present] == 1, types, None)),
                "n_types": n_types[present],
                "year_first": np.where(first_year[present] == np.iinfo(np.int32).max, 0, first_year[present]),
                "year_last": last_year[present],
                "row": row[present],
            }
        )
        out.attrs["unlocated"] = int((~located).sum())
        return out

    def by_year(self, mask: np.ndarray, years: tuple[int, int] | None = None) -> pd.DataFrame:
        """One row per year from ``years[0]`` to ``years[1]`` (default: the table's span).

        Columns: ``year``, ``count``, ``killed_low``, ``killed_high`` (``NaN``: open),
        ``killed_stated``. Years without attacks are there with zeros, so the axis stays
        put as filters change. ``attrs["undated"]`` counts matching attacks with no date.
        """
        span = years if years is not None else self.year_range
        dated = mask & self._has_year
        if span is None:
            out = pd.DataFrame(
                {k: np.array([], dtype=np.int64) for k in ("year", "count", "killed_low", "killed_stated")}
            )
            out.insert(3, "killed_high", np.array([], dtype=float))
            out.attrs["undated"] = int(mask.sum())
            return out
        first, last = int(span[0]), int(span[1])
        rows = np.flatnonzero(dated)
        y = self._year[rows]
        inside = (y >= first) & (y <= last)
        rows = rows[inside]
        sums = self._sums(y[inside] - first, rows, last - first + 1)
        out = pd.DataFrame({"year": np.arange(first, last + 1), **sums})
        out.attrs["undated"] = int((mask & ~self._has_year).sum())
        return out

    def by_type(self, mask: np.ndarray) -> pd.DataFrame:
        """One row per attack type, in the codebook's order (zeros included).

        Columns: ``attack_type``, ``count``, ``killed_low``, ``killed_high`` (``NaN``:
        open), ``killed_stated``.
        """
        rows = np.flatnonzero(mask)
        sums = self._sums(self._type_code[rows], rows, len(self.attack_types))
        return pd.DataFrame({"attack_type": list(self.attack_types), **sums})

    # ------------------------------------------------------------------- rows
    def row_details(self, rows: np.ndarray) -> pd.DataFrame:
        """What a table or a hover shows of the attacks at positions ``rows``.

        Columns: ``attack_id``, ``date`` (as written, partial dates kept), ``group``
        (name), ``place``, ``country``, ``attack_type``, ``killed`` (a range as text),
        ``evidence_level``, ``source`` (``source_id, locator``).
        """
        rows = np.asarray(rows, dtype=np.int64)
        t = self._text
        place = [p or a or "" for p, a in zip(t["place"][rows], t["admin1"][rows])]
        killed = [
            format_range(lo if ls else None, hi if hs else None)
            for lo, ls, hi, hs in zip(
                self._low[rows], self._low_stated[rows], self._high[rows], self._high_stated[rows]
            )
        ]
        source = [
            f"{s}, {loc}" if s and loc else (s or "")
            for s, loc in zip(t["source_id"][rows], t["locator"][rows])
        ]
        return pd.DataFrame(
            {
                "attack_id": _obj(t["attack_id"][rows]),
                "date": _obj(t["date"][rows]),
                "group": [self.group_name(g) if g else "" for g in t["group_id"][rows]],
                "place": place,
                "country": _obj(t["country"][rows]),
                "attack_type": np.array(self.attack_types, dtype=object)[self._type_code[rows]],
                "killed": killed,
                "evidence_level": np.array((*self.evidence_levels, ""), dtype=object)[
                    self._evidence_code[rows]
                ],
                "source": source,
            }
        )

    def first_rows(self, mask: np.ndarray, limit: int = 50) -> pd.DataFrame:
        """The first ``limit`` matching attacks by date (undated last), as :meth:`row_details`.

        ``attrs["total"]`` is the number of matching attacks.
        """
        ordered = self._by_date[mask[self._by_date]]
        out = self.row_details(ordered[:limit])
        out.attrs["total"] = len(ordered)
        return out
