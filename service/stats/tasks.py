"""Background statistics: thin Celery wrappers over `service.stats.logic`.

Beat (workers/schedule.py) runs `refresh_current` nightly, `compute_previous_month` on the
1st and `recompute_dirty` every hour, all in China time. Each task commits once.
"""

from __future__ import annotations

from service.common.chinatime import china_today
from service.db import utcnow
from service.stats import logic
from service.stats.compute import targets_from
from service.stats.periods import parse
from workers.celery_app import celery
from workers.context import task_scope


@celery.task(name="service.stats.tasks.refresh_current")
def refresh_current() -> list[str]:
    """Recompute this month, quarter and year."""
    with task_scope() as (db, found):
        return logic.refresh_current(db, today=china_today(),
                                     targets=targets_from(found.settings), now=utcnow())


@celery.task(name="service.stats.tasks.compute_previous_month")
def compute_previous_month() -> list[str]:
    """The month just ended (run on the 1st), with its quarter and year."""
    with task_scope() as (db, found):
        return logic.compute_previous_month(db, today=china_today(),
                                            targets=targets_from(found.settings), now=utcnow())


@celery.task(name="service.stats.tasks.recompute_dirty")
def recompute_dirty() -> list[str]:
    """Months marked by late inspections or voids, with their quarters and years."""
    with task_scope() as (db, found):
        return logic.recompute_dirty(db, targets=targets_from(found.settings), now=utcnow())


@celery.task(name=logic.COMPUTE_PERIOD_JOB)
def compute_period_task(period_key: str) -> None:
    """One period, on request; quiet when the key names no period."""
    period = parse(period_key)
    if period is None:
        return
    with task_scope() as (db, found):
        logic.compute_periods(db, periods=[period], targets=targets_from(found.settings),
                              now=utcnow())
