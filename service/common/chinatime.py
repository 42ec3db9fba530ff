"""China time (Asia/Shanghai): reporting periods, dates of decisions and due dates.

Times are stored in UTC; whatever a bureau counts by day, month, quarter or year is counted
in China time, so an inspection at 00:30 on the 1st (16:30 the day before in UTC) belongs to
the new month.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

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


class china_wall_clock(FunctionElement):
    """SQL: a stored UTC time as China wall-clock time (naive). China has kept UTC+8 without
    daylight saving since 1991, so the database adds eight hours (to whole seconds); exports
    then write times without converting each row in Python."""

    type = DateTime()
    inherit_cache = True


@compiles(china_wall_clock)
def _china_wall_clock(element, compiler, **kw):
    return f"date_trunc('second', {compiler.process(element.clauses, **kw)} + INTERVAL '8 hours')"


@compiles(china_wall_clock, "sqlite")
def _china_wall_clock_sqlite(element, compiler, **kw):
    return f"datetime({compiler.process(element.clauses, **kw)}, '+8 hours')"
