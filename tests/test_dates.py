import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib.dates import parse_partial_date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2007", dt.date(2007, 1, 1), dt.date(2007, 12, 31), "year"),
        ("2012-02", dt.date(2012, 2, 1), dt.date(2012, 2, 29), "month"),
        ("2013-01-16", dt.date(2013, 1, 16), dt.date(2013, 1, 16), "day"),
    ],
)
def test_parses_each_precision(text, start, end, precision):
    assert parse_partial_date(text) == (start, end, precision)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2013-13", "month 13"),
        ("2013-00", "month 0"),
        ("2013-02-30", "February 2013 has 28 days"),
        ("2013-04-31", "April 2013 has 30 days"),
        ("13-01-2013", "not a partial ISO date"),
        ("2013/01", "not a partial ISO date"),
        ("2013-1", "not a partial ISO date"),
        (" 2013", "not a partial ISO date"),
        ("", "not a partial ISO date"),
    ],
)
def test_rejects_malformed_and_impossible_dates(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_partial_date(text)


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_day_round_trip(day):
    text = day.isoformat()
    parsed = parse_partial_date(text)
    assert parsed.start == parsed.end == day
    assert parsed.precision == "day"


@given(st.integers(1, 9999), st.integers(1, 12))
def test_month_covers_the_whole_month(year, month):
    parsed = parse_partial_date(f"{year:04d}-{month:02d}")
    assert parsed.start == dt.date(year, month, 1)
    assert parsed.end == dt.date(year, month, calendar.monthrange(year, month)[1])
    assert parsed.precision == "month"


@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_coarser_dates_contain_finer_ones(day):
    for text in (day.isoformat()[:4], day.isoformat()[:7]):
        parsed = parse_partial_date(text)
        assert parsed.start <= day <= parsed.end


@given(st.integers(1, 9999), st.integers(13, 99))
def test_months_past_twelve_are_rejected(year, month):
    with pytest.raises(ValueError, match=f"month {month}"):
        parse_partial_date(f"{year:04d}-{month:02d}")
