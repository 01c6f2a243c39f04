"""The arsenal matrix: which holder has which category of equipment, on what evidence.

A pure model (pandas and numpy only, no plotting): :func:`arsenal_matrix` reduces the
arsenals table to a holders × categories table of the *strongest* evidence level in each
cell and the number of items there; :func:`cell_items` lists the items behind one cell with
their sources. The evidence threshold ``min_evidence`` keeps the rows at that level or
stronger (``"suspected"`` keeps everything, ``"verified"`` only first-hand documentation).

The helpers :func:`evidence_rank` and :func:`evidence_codes` are shared with
:mod:`course_lib.compare`.

Examples
--------
>>> import pandas as pd
>>> arsenals = pd.DataFrame({
...     "group_id": ["aqim", "aqim", "aqim", "mali"],
...     "category": ["small_arms", "small_arms", "air_defence", "artillery"],
...     "item": ["AK-47 assault rifles", "F2000 assault rifles", "SA-7", "howitzers"],
...     "evidence_level": ["verified", "suspected", "suspected", "reported"],
...     "source_id": ["rand2013", "rand2013", "rand2013", "ap2025"],
...     "locator": ["table", "table", "table", "para. 5"],
... })
>>> m = arsenal_matrix(arsenals)
>>> m.level.loc["aqim", "small_arms"], int(m.count.loc["aqim", "small_arms"])
('verified', 2)
>>> m = arsenal_matrix(arsenals, min_evidence="reported")
>>> m.level.loc["aqim", "air_defence"] is np.nan, int(m.count.loc["aqim", "small_arms"])
(True, 1)
>>> cell_items(arsenals, "aqim", "small_arms")["item"].tolist()
['AK-47 assault rifles', 'F2000 assault rifles']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import EVIDENCE_LEVELS, load_schema

__all__ = [
    "EVIDENCE_LEVELS",
    "ITEM_COLUMNS",
    "ArsenalMatrix",
    "arsenal_matrix",
    "cell_items",
    "codes_of",
    "evidence_codes",
    "evidence_rank",
    "present_categories",
    "vocabulary",
]


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


def evidence_rank(level: str) -> int:
    """The position of ``level`` on the evidence scale (0 = suspected … 2 = verified).

    >>> evidence_rank("reported")
    1
    >>> evidence_rank("certain")
    Traceback (most recent call last):
    ...
    ValueError: min_evidence must be one of suspected, reported, verified, but 'certain' was passed
    """
    try:
        return EVIDENCE_LEVELS.index(level)
    except ValueError:
        raise ValueError(
            f"min_evidence must be one of {', '.join(EVIDENCE_LEVELS)}, but {level!r} was passed"
        ) from None


def evidence_codes(frame: pd.DataFrame) -> np.ndarray:
    """The evidence level of each row as 0, 1, 2 (weakest to strongest), -1 where missing.

    >>> evidence_codes(pd.DataFrame({"evidence_level": ["verified", None, "suspected"]})).tolist()
    [2, -1, 0]
    """
    levels = frame["evidence_level"]
    if isinstance(levels.dtype, pd.CategoricalDtype) and tuple(levels.cat.categories) == EVIDENCE_LEVELS:
        return levels.cat.codes.to_numpy()
    return codes_of(levels, EVIDENCE_LEVELS)


def codes_of(values: Iterable, categories: Iterable) -> np.ndarray:
    """The position of each value in ``categories``: -1 where it is missing or not there.

    >>> codes_of(pd.Series(["b", None, "z"]), ["a", "b"]).tolist()
    [1, -1, -1]
    """
    index = pd.Index(list(categories), dtype=object)
    target = pd.Index(values.astype(object) if isinstance(values, pd.Series) else list(values), dtype=object)
    return index.get_indexer(target).astype(np.int64)


def vocabulary(values: pd.Series, table: str | None = None, column: str | None = None) -> list[str]:
    """The whole vocabulary of a column, in the schema's order (a Categorical's own categories).

    Plain text columns get the schema's enum for ``table.column`` where it has one, with any
    values outside it appended in sorted order; without an enum, the sorted values.

    >>> vocabulary(pd.Series(["artillery", "small_arms"]), "arsenals", "category")[:3]
    ['small_arms', 'light_weapons', 'ammunition']
    >>> vocabulary(pd.Series(["MLI", "DZA", None]))
    ['DZA', 'MLI']
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return [str(c) for c in values.cat.categories]
    present = sorted({str(v) for v in values.dropna()})
    enum: tuple[str, ...] = ()
    if table and column:
        try:
            enum = load_schema().table(table).field(column).enum or ()
        except (KeyError, FileNotFoundError):
            enum = ()
    return list(enum) + [v for v in present if v not in enum]


@dataclass(frozen=True)
class ArsenalMatrix:
    """Holders × categories: the strongest evidence level and the item count of each cell.

    Attributes
    ----------
    level : DataFrame
        Holders (index, ``group_id``) × categories (columns); each column an ordered
        Categorical of the evidence scale, missing where no item reaches the threshold.
    count : DataFrame
        Same shape: the number of items at or above the threshold in each cell.
    min_evidence : str
        The threshold the matrix was built with.
    """

    level: pd.DataFrame
    count: pd.DataFrame
    min_evidence: str

    @property
    def holders(self) -> list[str]:
        """The holders (rows), in order."""
        return list(self.level.index)

    @property
    def categories(self) -> list[str]:
        """The categories (columns), in the schema's order."""
        return list(self.level.columns)

    @property
    def codes(self) -> np.ndarray:
        """The strongest level of each cell as an integer array (0…2, -1 where empty)."""
        if self.level.empty:
            return np.zeros(self.level.shape, dtype=np.int8)
        return np.column_stack([self.level[c].cat.codes.to_numpy() for c in self.level.columns])

    def to_long(self) -> pd.DataFrame:
        """One row per non-empty cell: ``holder``, ``category``, ``strongest``, ``items``."""
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


def _load_arsenals(arsenals: pd.DataFrame | None) -> pd.DataFrame:
    if arsenals is None:
        from .data import load_arsenals

        return load_arsenals()
    if not isinstance(arsenals, pd.DataFrame):
        raise TypeError(
            f"arsenals must be a DataFrame (see load_arsenals()), but {type(arsenals).__name__} was passed"
        )
    return arsenals


def present_categories(arsenals: pd.DataFrame) -> list[str]:
    """The categories that occur in the table, in the schema's order.

    >>> present_categories(pd.DataFrame({"category": ["other", "explosives", "other"]}))
    ['explosives', 'other']
    """
    present = set(arsenals["category"].dropna().astype(str))
    return [c for c in vocabulary(arsenals["category"], "arsenals", "category") if c in present]


def arsenal_matrix(
    arsenals: pd.DataFrame | None = None,
    min_evidence: str = "suspected",
    holders: Sequence[str] | None = None,
) -> ArsenalMatrix:
    """The strongest evidence level and item count per holder and category.

    Parameters
    ----------
    arsenals : DataFrame, optional
        The arsenals table (default: the bundled one).
    min_evidence : {"suspected", "reported", "verified"}
        Keep items at this level or stronger.
    holders : sequence of str, optional
        The holders (``group_id``) to show, in this order. Default: every holder of the
        table, sorted. Rows and columns come from the whole table, whatever the threshold,
        so that the axes stay put as the threshold rises (cells empty out instead).

    Returns
    -------
    ArsenalMatrix
        ``level`` and ``count`` frames (holders × categories).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"group_id": ["a", "a", "b"], "category": ["explosives", "explosives", "other"],
    ...                   "evidence_level": ["suspected", "reported", "verified"]})
    >>> arsenal_matrix(t).to_long()
      holder    category strongest  items
    0      a  explosives  reported      2
    1      b       other  verified      1
    """
    rank = evidence_rank(min_evidence)
    table = _load_arsenals(arsenals)
    categories = present_categories(table)
    holder_list = sorted(set(table["group_id"].dropna())) if holders is None else list(dict.fromkeys(holders))

    h = codes_of(table["group_id"], holder_list)
    c = codes_of(table["category"], categories)
    lv = evidence_codes(table)
    keep = (h >= 0) & (c >= 0) & (lv >= rank)

    shape = (len(holder_list), len(categories))
    strongest = np.full(shape, -1, dtype=np.int8)
    count = np.zeros(shape, dtype=np.int64)
    np.maximum.at(strongest, (h[keep], c[keep]), lv[keep].astype(np.int8))
    np.add.at(count, (h[keep], c[keep]), 1)

    index = pd.Index(holder_list, name="holder")
    level = pd.DataFrame(
        {
            cat: pd.Categorical.from_codes(strongest[:, j], categories=EVIDENCE_LEVELS, ordered=True)
            for j, cat in enumerate(categories)
        },
        index=index,
        columns=pd.Index(categories, name="category"),
    )
    counts = pd.DataFrame(count, index=index.copy(), columns=pd.Index(categories, name="category"))
    return ArsenalMatrix(level=level, count=counts, min_evidence=min_evidence)


def cell_items(
    arsenals: pd.DataFrame | None = None,
    holder: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    min_evidence: str = "suspected",
) -> pd.DataFrame:
    """The items behind one cell of the matrix, strongest evidence first, with their sources.

    ``holder`` and ``category`` may each be one value, several, or ``None`` (any).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"group_id": ["a", "a"], "category": ["explosives", "explosives"],
    ...                   "item": ["x", "y"], "evidence_level": ["suspected", "verified"],
    ...                   "source_id": ["s1", "s2"], "locator": ["p. 1", "p. 2"]})
    >>> cell_items(t, "a", "explosives")[["item", "evidence_level", "source_id"]].values.tolist()
    [['y', 'verified', 's2'], ['x', 'suspected', 's1']]
    >>> len(cell_items(t, "a", "explosives", min_evidence="verified"))
    1
    """
    rank = evidence_rank(min_evidence)
    table = _load_arsenals(arsenals)
    lv = evidence_codes(table)
    keep = lv >= rank
    for column, wanted in (("group_id", holder), ("category", category)):
        if wanted is not None:
            values = [wanted] if isinstance(wanted, str) else list(wanted)
            keep &= table[column].astype("object").isin(values).to_numpy()
    rows = table.loc[keep, [c for c in ITEM_COLUMNS if c in table.columns]].copy()
    rows["_rank"] = lv[keep]
    sort = ["_rank"] + [c for c in ("group_id", "category", "item") if c in rows.columns]
    rows = rows.sort_values(sort, ascending=[False] + [True] * (len(sort) - 1), kind="stable")
    return rows.drop(columns="_rank").reset_index(drop=True)
