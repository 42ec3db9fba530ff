"""China time (Asia/Shanghai): reporting periods, dates of decisions and due dates.

Times are stored in UTC; whatever a bureau counts by day, month, quarter or year is counted
in China time, so an inspection at 00:30 on the 1st (16:30 the day before in UTC) belongs to
the new month.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def china_date(moment: datetime) -> date:
    """The calendar date in China time of an aware moment."""
    return moment.astimezone(CHINA).date()


def china_today() -> date:
    """Today's date in China time."""
    return datetime.now(CHINA).date()


def day_start_utc(day: date) -> datetime:
    """The UTC moment China-time `day` begins."""
    return datetime.combine(day, time.min, tzinfo=CHINA).astimezone(UTC)


def days_utc(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC covering the China-time dates first..last inclusive."""
    return day_start_utc(first), day_start_utc(last + timedelta(days=1))
