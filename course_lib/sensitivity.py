"""How a count, or the alliance network on a date, shrinks as the evidence threshold rises.

Examples
--------
>>> t = pd.DataFrame({"relation": ["ally", "ally", "rival"],
...     "evidence_level": ["suspected", "verified", "reported"], "source_id": ["a", "b", "a"]})
>>> evidence_sensitivity(t, by="relation")
relation   ally  rival
threshold
suspected     2      1
reported      1      1
verified      1      0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .dates import DateLike
from .network import AllianceModel
from .vocab import EVIDENCE_LEVELS, evidence_codes

__all__ = ["SPLIT_COLUMNS", "SensitivityModel", "evidence_sensitivity", "network_sensitivity"]

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


def _thresholds() -> pd.CategoricalIndex:
    return pd.CategoricalIndex(EVIDENCE_LEVELS, categories=EVIDENCE_LEVELS, ordered=True, name="threshold")


def _kept(levels: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """Rows kept at each threshold (columns) per code (rows): counts at that level or stronger."""
    k = len(EVIDENCE_LEVELS)
    ok = levels >= 0
    counts = np.bincount(codes[ok] * k + levels[ok], minlength=n * k).reshape(n, k)
    return np.cumsum(counts[:, ::-1], axis=1)[:, ::-1]


@dataclass
class SensitivityModel:
    """One table's rows kept at each evidence threshold, with each split column factorised once."""

    table: pd.DataFrame
    name: str | None = None
    _levels: np.ndarray = field(init=False, repr=False)
    _cache: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._levels = evidence_codes(self.table)
        self.name = self.name or self.table.attrs.get("table")

    def split_columns(self) -> list[str]:
        """The columns this table can be split by (those of :data:`SPLIT_COLUMNS` present)."""
        return [c for c in SPLIT_COLUMNS.get(self.name or "", ()) if c in self.table.columns]

    def _factor(self, by: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(row positions, codes, labels) for ``by``; a list cell counts once per item."""
        if by not in self._cache:
            if by not in self.table.columns:
                raise KeyError(
                    f"no column {by!r} to split by; the columns are {', '.join(map(str, self.table.columns))}"
                )
            col = self.table[by]
            positions = np.arange(len(col))
            values = col
            if col.dtype == object and col.map(lambda v: isinstance(v, tuple)).any():
                items = [list(v) if isinstance(v, tuple) and v else [None] for v in col]
                positions = np.repeat(positions, [len(i) for i in items])
                values = pd.Series([x for i in items for x in i], dtype=object)
            if isinstance(values.dtype, pd.CategoricalDtype):
                codes, labels = (
                    values.cat.codes.to_numpy().astype(np.int64),
                    [str(c) for c in values.cat.categories],
                )
            else:
                codes, uniques = pd.factorize(values.astype("object"), sort=True)
                labels = [str(u) for u in uniques]
            if (codes < 0).any():
                codes, labels = np.where(codes < 0, len(labels), codes), [*labels, NOT_STATED]
            self._cache[by] = (positions, codes.astype(np.int64), labels)
        return self._cache[by]

    def counts(self, by: str | None = None) -> pd.DataFrame:
        """Rows kept at each threshold (index, weakest first) × ``by``'s values (columns).

        Without ``by``, one column ``"rows"``. Values with no row are left out; categorical
        columns keep their order, others are sorted by count, largest first.
        """
        if by is None:
            return pd.DataFrame(
                {"rows": _kept(self._levels, np.zeros(len(self._levels), np.int64), 1)[0]},
                index=_thresholds(),
            )
        positions, codes, labels = self._factor(by)
        kept = _kept(self._levels[positions], codes, len(labels))
        used = kept[:, 0] > 0
        frame = pd.DataFrame(
            kept[used].T, index=_thresholds(), columns=pd.Index(np.array(labels, dtype=object)[used], name=by)
        )
        if not isinstance(self.table[by].dtype, pd.CategoricalDtype):
            frame = frame[
                sorted(frame.columns, key=lambda c: (c == NOT_STATED, -frame.loc["suspected", c], c))
            ]
        return frame

    def sources(self, by: str | None = None, limit: int = 3) -> pd.DataFrame:
        """Same shape as :meth:`counts`: the distinct ``source_id`` of the rows kept, as text."""
        counts = self.counts(by)
        positions, codes, labels = (
            (np.arange(len(self.table)), np.zeros(len(self.table), np.int64), ["rows"])
            if by is None
            else self._factor(by)
        )
        src = (
            self.table["source_id"].astype(object).to_numpy()[positions]
            if "source_id" in self.table
            else None
        )
        out = pd.DataFrame("", index=counts.index, columns=counts.columns, dtype=object)
        if src is None:
            return out
        s_codes, s_labels = pd.factorize(pd.Series(src, dtype=object), sort=True)
        k, n_src = len(EVIDENCE_LEVELS), max(len(s_labels), 1)
        levels = self._levels[positions]
        ok = (levels >= 0) & (s_codes >= 0)
        found: dict[tuple[str, int], set[str]] = {}
        for value in np.unique((codes[ok] * k + levels[ok]) * n_src + s_codes[ok]).tolist():
            rest, sid = divmod(value, n_src)
            code, level = divmod(rest, k)
            for t in range(level + 1):
                found.setdefault((labels[code], t), set()).add(str(s_labels[sid]))
        for column in counts.columns:
            for t, threshold in enumerate(EVIDENCE_LEVELS):
                names = sorted(found.get((str(column), t), ()))
                more = f" (+{len(names) - limit} more)" if len(names) > limit else ""
                out.loc[threshold, column] = ", ".join(names[:limit]) + more
        return out


def evidence_sensitivity(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """How many rows each evidence threshold keeps, optionally split by a column.

    Index: the thresholds ``suspected``, ``reported``, ``verified`` (weakest first); columns:
    ``by``'s values, or ``"rows"``; each cell the rows at that level or stronger. A list
    column (``group_ids`` of milestones) counts a row once under each of its items.

    >>> evidence_sensitivity(pd.DataFrame({"evidence_level": ["suspected", "reported", "verified", "verified"]}))["rows"].tolist()
    [4, 3, 2]
    """
    return SensitivityModel(table).counts(by)


def network_sensitivity(alliances: pd.DataFrame, date: DateLike | None = None) -> pd.DataFrame:
    """The alliance network at each evidence threshold: ``ties`` (rows), ``pairs`` and ``nodes``.

    ``date``: keep the ties holding at some time within it, read as the alliance explorer
    reads them (see :mod:`course_lib.network`); None: every row.

    >>> t = pd.DataFrame({"group_a": ["a", "a", "c"], "group_b": ["b", "b", "d"],
    ...     "evidence_level": ["verified", "suspected", "reported"]})
    >>> network_sensitivity(t).values.tolist()
    [[3, 2, 4], [2, 2, 4], [1, 1, 2]]
    """
    ties = alliances if date is None else alliances[AllianceModel(alliances, positions={}).mask(date)]
    lv = evidence_codes(ties)
    a = ties["group_a"].astype(str).to_numpy()
    b = ties["group_b"].astype(str).to_numpy()
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    out = []
    for rank in range(len(EVIDENCE_LEVELS)):
        keep = lv >= rank
        out.append(
            {
                "ties": int(keep.sum()),
                "pairs": len(set(zip(lo[keep], hi[keep]))),
                "nodes": len(set(a[keep]) | set(b[keep])),
            }
        )
    return pd.DataFrame(out, index=_thresholds())
