"""Partial ISO dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

A partial date stands for the range of days it may mean, as UCDP codes uncertain dates:
``"2013-02"`` is any day from 1 to 28 February 2013.

Examples
--------
>>> parse_partial_date("2013-02")
PartialDate(start=datetime.date(2013, 2, 1), end=datetime.date(2013, 2, 28), precision='month')
>>> parse_partial_date("2013-13")
Traceback (most recent call last):
...
ValueError: '2013-13' has month 13; months run from 01 to 12
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

__all__ = ["PRECISIONS", "PartialDate", "parse_partial_date"]

#: Precisions from coarsest to finest.
PRECISIONS = ("year", "month", "day")

_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class PartialDate(NamedTuple):
    """The first and last day a partial date may mean, and how precise it is."""

    start: dt.date
    end: dt.date
    precision: str


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into its first and last possible day.

    Raises ``ValueError`` with a plain-English reason for anything else, including
    impossible dates such as ``2013-02-30``.

    Examples
    --------
    >>> parse_partial_date("2007")
    PartialDate(start=datetime.date(2007, 1, 1), end=datetime.date(2007, 12, 31), precision='year')
    >>> parse_partial_date("2007-01-24").precision
    'day'
    >>> parse_partial_date("2013-02-30")
    Traceback (most recent call last):
    ...
    ValueError: '2013-02-30' is not a day of the calendar (February 2013 has 28 days)
    """
    match = _PATTERN.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
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
