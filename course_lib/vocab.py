"""The course's shared words: the evidence scale, vocabularies, labels, ranges and country names.

Every module that filters by evidence, names a category, writes a casualty range or shows a
country does it through these functions, so that they read the same everywhere.

Examples
--------
>>> at_least(pd.DataFrame({"evidence_level": ["verified", "suspected"]}), "reported").index.tolist()
[0]
>>> label("armed_conflict"), plural(1, "attack"), plural(3, "category", "categories")
('armed conflict', '1 attack', '3 categories')
>>> format_range(12, 15), format_range(12, None), format_range(33, 33), format_range(None, None)
('12–15', 'at least 12', '33', 'not stated')
>>> country_label("MLI")
'Mali (MLI)'
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .schema import EVIDENCE_LEVELS

__all__ = [
    "EVIDENCE_LEVELS",
    "at_least",
    "codes_of",
    "country_label",
    "country_names",
    "evidence_codes",
    "evidence_mask",
    "evidence_rank",
    "format_range",
    "label",
    "plural",
    "vocabulary",
]

ASSETS = Path(__file__).resolve().parent / "assets"


def evidence_rank(level: str) -> int:
    """The position of ``level`` on the evidence scale (0 = suspected … 2 = verified).

    >>> evidence_rank("certain")
    Traceback (most recent call last):
    ...
    ValueError: min_evidence must be one of suspected, reported, verified, but 'certain' was passed
    """
    if level not in EVIDENCE_LEVELS:
        raise ValueError(
            f"min_evidence must be one of {', '.join(EVIDENCE_LEVELS)}, but {level!r} was passed"
        )
    return EVIDENCE_LEVELS.index(level)


def codes_of(values: Iterable, categories: Iterable) -> np.ndarray:
    """The position of each value in ``categories``: -1 where it is missing or not there.

    >>> codes_of(pd.Series(["b", None, "z"]), ["a", "b"]).tolist()
    [1, -1, -1]
    """
    index = pd.Index(list(categories), dtype=object)
    target = pd.Index(values.astype(object) if isinstance(values, pd.Series) else list(values), dtype=object)
    return index.get_indexer(target).astype(np.int64)


def evidence_codes(frame: pd.DataFrame) -> np.ndarray:
    """The evidence level of each row as 0, 1, 2 (weakest to strongest), -1 where missing.

    >>> evidence_codes(pd.DataFrame({"evidence_level": ["verified", None, "suspected"]})).tolist()
    [2, -1, 0]
    """
    levels = frame["evidence_level"]
    if isinstance(levels.dtype, pd.CategoricalDtype) and tuple(levels.cat.categories) == EVIDENCE_LEVELS:
        return levels.cat.codes.to_numpy().astype(np.int64)
    return codes_of(levels, EVIDENCE_LEVELS)


def evidence_mask(frame: pd.DataFrame, min_evidence: str = "suspected") -> np.ndarray:
    """Which rows of ``frame`` are at ``min_evidence`` or stronger (rows with no level never pass).

    >>> evidence_mask(pd.DataFrame({"evidence_level": ["verified", None, "suspected"]}), "reported").tolist()
    [True, False, False]
    """
    return evidence_codes(frame) >= evidence_rank(min_evidence)


def at_least(frame: pd.DataFrame, min_evidence: str = "suspected") -> pd.DataFrame:
    """The rows of ``frame`` at ``min_evidence`` or stronger (rows with no level never pass)."""
    return frame[evidence_mask(frame, min_evidence)]


def vocabulary(values: pd.Series, table: str | None = None, column: str | None = None) -> list[str]:
    """The whole vocabulary of a column, in the contract's order.

    A Categorical's own categories; otherwise the bundled schema's enum for
    ``table.column`` with any other values appended, sorted; without an enum, the sorted values.

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
        from .data import bundled_data_dir, schema_of

        enum = schema_of(bundled_data_dir()).table(table).field(column).enum or ()
    return list(enum) + [v for v in present if v not in enum]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def label(value: object) -> str:
    """A code as a reader says it: ``"armed_conflict"`` → ``"armed conflict"`` (``""`` when missing)."""
    return "" if _missing(value) else str(value).replace("_", " ")


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 attack"``, ``"2 attacks"``, with thousands separators."""
    return f"{n:,} {singular if n == 1 else (plural_form or singular + 's')}"


def format_range(low: object, high: object, stated: bool = True) -> str:
    """A range as text: ``"12–15"``, ``"33"``, ``"at least 12"``, ``"up to 10"``, ``"not stated"``.

    ``low`` or ``high`` may be missing (``None``, ``NaN``, ``pd.NA``); ``stated=False`` (no
    figure at all) gives ``"not stated"``.

    >>> format_range(1200, 1350), format_range(None, 10), format_range(0, None, stated=False)
    ('1,200–1,350', 'up to 10', 'not stated')
    """
    if not stated or (_missing(low) and _missing(high)):
        return "not stated"
    if _missing(high):
        return f"at least {int(low):,}"
    if _missing(low):
        return f"up to {int(high):,}"
    low, high = int(low), int(high)
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code → the country's short English name (``assets/iso3166.csv``)."""
    with open(ASSETS / "iso3166.csv", encoding="utf-8", newline="") as fh:
        return {row["alpha_3"]: row["common_name"] or row["name"] for row in csv.DictReader(fh)}


def country_label(code: object) -> str:
    """``"Mali (MLI)"``: the name beside the code (the code alone when unknown; ``""`` when missing)."""
    if _missing(code) or not code:
        return ""
    name = country_names().get(str(code))
    return f"{name} ({code})" if name else str(code)
