"""Statistics for the API and the workers: compute periods, read snapshots, find the gap."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from service.common.jobs import enqueue_after_commit
from service.stats.compute import (
    clear_mark,
    compute_period,
    dirty_months,
    periods_of_marks,
)
from service.stats.periods import Period, containing, month_of, previous_month

#: the Celery task computing one period (service/stats/tasks.py)
COMPUTE_PERIOD_JOB = "service.stats.tasks.compute_period"


def compute_periods(db: Session, *, periods: list[Period], targets: dict[str, float],
                    now: datetime) -> list[str]:
    """Recompute each period's snapshot; the keys computed."""
    for period in periods:
        compute_period(db, period=period, targets=targets, now=now)
    return [period.key for period in periods]


def refresh_current(db: Session, *, today: date, targets: dict[str, float],
                    now: datetime) -> list[str]:
    """Recompute the month, quarter and year holding `today` (China time)."""
    return compute_periods(db, periods=containing(month_of(today)), targets=targets, now=now)


def compute_previous_month(db: Session, *, today: date, targets: dict[str, float],
                           now: datetime) -> list[str]:
    """On the 1st: the month just ended, with its quarter and year."""
    return compute_periods(db, periods=containing(previous_month(today)), targets=targets,
                           now=now)


def recompute_dirty(db: Session, *, targets: dict[str, float], now: datetime) -> list[str]:
    """Recompute every month marked dirty (with its quarter and year), then clear the marks
    that no newer change has renewed meanwhile."""
    marks = [(mark.month, mark.marked_at, mark) for mark in dirty_months(db)]
    keys = compute_periods(db, periods=periods_of_marks([mark for _m, _t, mark in marks]),
                           targets=targets, now=now)
    for month, marked_at, _mark in marks:
        clear_mark(db, month=month, marked_at=marked_at)
    return keys


def request_recompute(db: Session, *, period: Period) -> dict:
    """Ask a worker to recompute a period after this request commits."""
    enqueue_after_commit(db, COMPUTE_PERIOD_JOB, period.key)
    return {"period": period.key, "status": "queued"}
