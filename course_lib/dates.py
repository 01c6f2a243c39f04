"""Partial ISO dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, read as the range of days they may mean.

A partial date stands for every day it may mean, as UCDP codes uncertain dates: ``"2013-02"``
is any day from 1 to 28 February 2013. Every module of the course reads dates through
:func:`parse_partial_date` (one text) or :func:`date_bounds` (anything a user may pass: a
partial date, a year as a number, a ``datetime.date`` or a ``Timestamp``).

Examples
--------
>>> parse_partial_date("2013-02")
PartialDate(start=datetime.date(2013, 2, 1), end=datetime.date(2013, 2, 28), precision='month')
>>> parse_partial_date("2013-13")
Traceback (most recent call last):
...
ValueError: '2013-13' has month 13; months run from 01 to 12
>>> date_bounds(2007)
(Timestamp('2007-01-01 00:00:00'), Timestamp('2007-12-31 00:00:00'), '2007')
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = ["PRECISIONS", "DateLike", "PartialDate", "date_bounds", "date_columns", "parse_partial_date"]

#: Precisions from coarsest to finest.
PRECISIONS = ("year", "month", "day")

#: What a function of the course accepts as a date.
DateLike = str | int | dt.date | pd.Timestamp | np.datetime64

_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_HINTS = (
    (
        re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"),
        "write dates as YYYY-MM-DD (a spreadsheet may have changed it)",
    ),
    (re.compile(r"[A-Za-z]{3}-\d{2}"), "write months as YYYY-MM (a spreadsheet turned it into a month name)"),
)


class PartialDate(NamedTuple):
    """The first and last day a partial date may mean, and how precise it is."""

    start: dt.date
    end: dt.date
    precision: str


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into its first and last possible day.

    Raises ``ValueError`` with a plain-English reason for anything else, including
    impossible dates such as ``2013-02-30`` and dates a spreadsheet rewrote.

    >>> parse_partial_date("2007-01-24").precision
    'day'
    >>> parse_partial_date("2013-02-30")
    Traceback (most recent call last):
    ...
    ValueError: '2013-02-30' is not a day of the calendar (February 2013 has 28 days)
    >>> parse_partial_date("11/04/2007")
    Traceback (most recent call last):
    ...
    ValueError: '11/04/2007' is not a partial ISO date: write dates as YYYY-MM-DD (a spreadsheet may have changed it)
    """
    match = _PATTERN.fullmatch(text)
    if match is None:
        hint = next(
            (h for pattern, h in _HINTS if pattern.fullmatch(text)), "use YYYY, YYYY-MM or YYYY-MM-DD"
        )
        raise ValueError(f"{text!r} is not a partial ISO date: {hint}")
    year, month, day = match.groups()
    y = int(year)
    if y < 1:
        raise ValueError(f"{text!r} has year 0000")
    if month is None:
        return PartialDate(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
    m = int(month)
    if not 1 <= m <= 12:
        raise ValueError(f"{text!r} has month {m}; months run from 01 to 12")
    last = calendar.monthrange(y, m)[1]
    if day is None:
        return PartialDate(dt.date(y, m, 1), dt.date(y, m, last), "month")
    d = int(day)
    if not 1 <= d <= last:
        name = calendar.month_name[m]
        raise ValueError(f"{text!r} is not a day of the calendar ({name} {y} has {last} days)")
    return PartialDate(dt.date(y, m, d), dt.date(y, m, d), "day")


def date_bounds(when: DateLike) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """The first and last day ``when`` may mean, and the date as text.

    A partial ISO date or a year (``2007`` is ``"2007"``) is a range; a ``datetime.date``,
    ``Timestamp`` or ``datetime64`` is one day.

    >>> date_bounds("2007-01")[1]
    Timestamp('2007-01-31 00:00:00')
    >>> date_bounds(dt.date(2007, 1, 24))[2]
    '2007-01-24'
    >>> date_bounds(True)
    Traceback (most recent call last):
    ...
    TypeError: a date must be a year, a partial ISO date ('2014', '2014-11', '2014-11-03') or a date, but bool was passed
    """
    if isinstance(when, (int, np.integer)) and not isinstance(when, (bool, np.bool_)):
        when = f"{int(when):04d}"
    if isinstance(when, str):
        p = parse_partial_date(when.strip())
        return pd.Timestamp(p.start), pd.Timestamp(p.end), when.strip()
    if isinstance(when, (dt.date, pd.Timestamp, np.datetime64)) and not pd.isna(when):
        day = pd.Timestamp(when).normalize()
        return day, day, day.strftime("%Y-%m-%d")
    raise TypeError(
        "a date must be a year, a partial ISO date ('2014', '2014-11', '2014-11-03') or a date, "
        f"but {type(when).__name__} was passed"
    )


def date_columns(name: str, values: list[str | None]) -> dict[str, object]:
    """The columns the loaders derive from a partial-date column ``name``.

    ``<name>_start`` and ``<name>_end`` (first and last possible day, ``datetime64[s]``) and
    ``<name>_precision`` (ordered: year < month < day); missing where the text is empty.

    >>> cols = date_columns("date", ["2007", None])
    >>> cols["date_end"].tolist()[0], cols["date_precision"].tolist()
    (Timestamp('2007-12-31 00:00:00'), ['year', nan])
    """
    parsed = [parse_partial_date(v) if v else None for v in values]
    return {
        f"{name}_start": pd.Series([p.start if p else None for p in parsed], dtype="datetime64[s]"),
        f"{name}_end": pd.Series([p.end if p else None for p in parsed], dtype="datetime64[s]"),
        f"{name}_precision": pd.Categorical(
            [p.precision if p else None for p in parsed], categories=PRECISIONS, ordered=True
        ),
    }
