"""The arsenal matrix: which holder has which category of equipment, on what evidence.

:func:`arsenal_matrix` reduces the arsenals table to holders × categories: the *strongest*
evidence level in each cell and the number of items there; :func:`cell_items` lists the
items behind a cell with their sources. ``min_evidence`` keeps the rows at that level or
stronger (``"suspected"`` keeps everything, ``"verified"`` only first-hand documentation).

Examples
--------
>>> arsenals = pd.DataFrame({
...     "group_id": ["aqim", "aqim", "aqim", "mali"],
...     "category": ["small_arms", "small_arms", "air_defence", "artillery"],
...     "item": ["AK-47 assault rifles", "F2000 assault rifles", "SA-7", "howitzers"],
...     "evidence_level": ["verified", "suspected", "suspected", "reported"],
...     "source_id": ["rand2013", "rand2013", "rand2013", "ap2025"],
...     "locator": ["table", "table", "table", "para. 5"]})
>>> m = arsenal_matrix(arsenals)
>>> m.level.loc["aqim", "small_arms"], int(m.count.loc["aqim", "small_arms"])
('verified', 2)
>>> int(arsenal_matrix(arsenals, min_evidence="reported").count.loc["aqim", "small_arms"])
1
>>> cell_items(arsenals, "aqim", "small_arms")["item"].tolist()
['AK-47 assault rifles', 'F2000 assault rifles']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .vocab import EVIDENCE_LEVELS, codes_of, evidence_codes, evidence_rank, vocabulary

__all__ = ["ITEM_COLUMNS", "ArsenalMatrix", "arsenal_matrix", "cell_items"]

#: The columns :func:`cell_items` returns (those the table has), in this order.
ITEM_COLUMNS = (
    "arsenal_id",
    "group_id",
    "category",
    "item",
    "evidence_level",
    "country",
    "period_start",
    "period_end",
    "origin",
    "acquisition",
    "quantity",
    "source_id",
    "locator",
    "excerpt",
)


@dataclass(frozen=True)
class ArsenalMatrix:
    """Holders × categories: ``level`` (the strongest evidence, an ordered Categorical per
    column, missing where no item reaches the threshold) and ``count`` (items per cell)."""

    level: pd.DataFrame
    count: pd.DataFrame
    min_evidence: str

    @property
    def holders(self) -> list[str]:
        return list(self.level.index)

    @property
    def categories(self) -> list[str]:
        return list(self.level.columns)

    @property
    def codes(self) -> np.ndarray:
        """The strongest level of each cell as integers (0…2, -1 where empty)."""
        if self.level.empty:
            return np.full(self.level.shape, -1, dtype=np.int8)
        return np.column_stack([self.level[c].cat.codes.to_numpy() for c in self.level.columns])

    def to_long(self) -> pd.DataFrame:
        """One row per non-empty cell: ``holder``, ``category``, ``strongest``, ``items``.

        >>> t = pd.DataFrame({"group_id": ["a", "a", "b"], "category": ["explosives", "explosives", "other"],
        ...                   "evidence_level": ["suspected", "reported", "verified"]})
        >>> arsenal_matrix(t).to_long()
          holder    category strongest  items
        0      a  explosives  reported      2
        1      b       other  verified      1
        """
        codes = self.codes
        rows, cols = np.nonzero(codes >= 0)
        return pd.DataFrame(
            {
                "holder": [self.holders[i] for i in rows],
                "category": [self.categories[j] for j in cols],
                "strongest": pd.Categorical.from_codes(
                    codes[rows, cols], categories=EVIDENCE_LEVELS, ordered=True
                ),
                "items": self.count.to_numpy()[rows, cols],
            }
        )


def arsenal_matrix(
    arsenals: pd.DataFrame, min_evidence: str = "suspected", holders: Sequence[str] | None = None
) -> ArsenalMatrix:
    """The strongest evidence level and item count per holder and category.

    Rows (holders, sorted, or ``holders`` in that order) and columns (the categories the
    table uses, in the codebook's order) come from the whole table whatever the threshold,
    so the axes stay put as the threshold rises: cells empty out instead.
    """
    if not isinstance(arsenals, pd.DataFrame):
        raise TypeError(
            f"arsenals must be a DataFrame (see load_arsenals()), but {type(arsenals).__name__} was passed"
        )
    rank = evidence_rank(min_evidence)
    present = set(arsenals["category"].dropna().astype(str))
    categories = [c for c in vocabulary(arsenals["category"], "arsenals", "category") if c in present]
    holder_list = (
        sorted(set(arsenals["group_id"].dropna())) if holders is None else list(dict.fromkeys(holders))
    )
    h, c = codes_of(arsenals["group_id"], holder_list), codes_of(arsenals["category"], categories)
    lv = evidence_codes(arsenals)
    keep = (h >= 0) & (c >= 0) & (lv >= rank)
    strongest = np.full((len(holder_list), len(categories)), -1, dtype=np.int8)
    count = np.zeros(strongest.shape, dtype=np.int64)
    np.maximum.at(strongest, (h[keep], c[keep]), lv[keep].astype(np.int8))
    np.add.at(count, (h[keep], c[keep]), 1)
    index, columns = pd.Index(holder_list, name="holder"), pd.Index(categories, name="category")
    level = pd.DataFrame(
        {
            cat: pd.Categorical.from_codes(strongest[:, j], categories=EVIDENCE_LEVELS, ordered=True)
            for j, cat in enumerate(categories)
        },
        index=index,
        columns=columns,
    )
    return ArsenalMatrix(level, pd.DataFrame(count, index=index.copy(), columns=columns), min_evidence)


def cell_items(
    arsenals: pd.DataFrame,
    holder: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    min_evidence: str = "suspected",
) -> pd.DataFrame:
    """The items behind a cell (or a row, column or several), strongest evidence first, with sources.

    >>> t = pd.DataFrame({"group_id": ["a", "a"], "category": ["explosives", "explosives"],
    ...                   "item": ["x", "y"], "evidence_level": ["suspected", "verified"],
    ...                   "source_id": ["s1", "s2"], "locator": ["p. 1", "p. 2"]})
    >>> cell_items(t, "a", "explosives")[["item", "evidence_level", "source_id"]].values.tolist()
    [['y', 'verified', 's2'], ['x', 'suspected', 's1']]
    """
    lv = evidence_codes(arsenals)
    keep = lv >= evidence_rank(min_evidence)
    for column, wanted in (("group_id", holder), ("category", category)):
        if wanted is not None:
            keep &= (
                arsenals[column]
                .astype("object")
                .isin([wanted] if isinstance(wanted, str) else list(wanted))
                .to_numpy()
            )
    rows = arsenals.loc[keep, [c for c in ITEM_COLUMNS if c in arsenals.columns]].assign(_rank=lv[keep])
    order = ["_rank"] + [c for c in ("group_id", "category", "item") if c in rows.columns]
    rows = rows.sort_values(order, ascending=[False] + [True] * (len(order) - 1), kind="stable")
    return rows.drop(columns="_rank").reset_index(drop=True)
