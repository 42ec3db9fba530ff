"""Reporting periods: calendar months, quarters and years in China time.

A period is named by its key: "2026-11" (month), "2026-Q4" (quarter), "2026" (year). Its
bounds are China-time dates; `utc_bounds` turns them into the [start, end) UTC interval that
finish times are compared with, so 00:30 on the 1st in China belongs to the new month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from service.common.chinatime import china_date, days_utc

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = (MONTH, QUARTER, YEAR)
_PATTERNS = {
    MONTH: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    QUARTER: re.compile(r"^(\d{4})-Q([1-4])$"),
    YEAR: re.compile(r"^(\d{4})$"),
}


@dataclass(frozen=True)
class Period:
    kind: str
    key: str
    first: date
    last: date

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC of the period's China-time days."""
        return days_utc(self.first, self.last)

    def months(self) -> list[Period]:
        """The calendar months the period is made of."""
        out, day = [], self.first
        while day <= self.last:
            out.append(month_of(day))
            day = out[-1].last + timedelta(days=1)
        return out


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_of(day: date) -> Period:
    return Period(MONTH, f"{day.year}-{day.month:02d}", day.replace(day=1),
                  _month_end(day.year, day.month))


def quarter_of(day: date) -> Period:
    quarter = (day.month - 1) // 3 + 1
    first = date(day.year, 3 * quarter - 2, 1)
    return Period(QUARTER, f"{day.year}-Q{quarter}", first, _month_end(day.year, 3 * quarter))


def year_of(day: date) -> Period:
    return Period(YEAR, str(day.year), date(day.year, 1, 1), date(day.year, 12, 31))


def parse(key: str) -> Period | None:
    """The period a key names, or None when it names none."""
    for kind, pattern in _PATTERNS.items():
        match = pattern.match(key or "")
        if not match:
            continue
        year = int(match.group(1))
        if kind == MONTH:
            return month_of(date(year, int(match.group(2)), 1))
        if kind == QUARTER:
            return quarter_of(date(year, 3 * int(match.group(2)), 1))
        return year_of(date(year, 1, 1))
    return None


def containing(month: Period) -> list[Period]:
    """The month itself, and the quarter and year it lies in."""
    return [month, quarter_of(month.first), year_of(month.first)]


def month_of_moment(moment: datetime) -> Period:
    """The China-time month an aware moment falls in."""
    return month_of(china_date(moment))


def previous_month(today: date) -> Period:
    return month_of(today.replace(day=1) - timedelta(days=1))


def trailing_months(last: Period, count: int) -> list[Period]:
    """`count` months ending with `last`, oldest first."""
    months = [last]
    while len(months) < count:
        months.append(month_of(months[-1].first - timedelta(days=1)))
    return list(reversed(months))
