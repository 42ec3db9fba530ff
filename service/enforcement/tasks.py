"""Periodic enforcement work, listed in workers/schedule.py: suspensions start and end in
the registry on their dates; finished re-inspections settle their rectification orders.

Thin Celery wrappers over `service.enforcement.suspensions` and `.rectification`;
`workers.context.task_scope` gives them a session.
"""

from __future__ import annotations

from service.common.chinatime import china_today
from service.enforcement.rectification import settle_reinspections
from service.enforcement.suspensions import apply_suspensions
from workers.celery_app import celery
from workers.context import task_scope


@celery.task(name="service.enforcement.tasks.apply_suspensions_today")
def apply_suspensions_today() -> int:
    """Suspend sites whose served suspension starts today, reopen those that ended."""
    with task_scope() as (db, _found):
        return apply_suspensions(db, today=china_today())


@celery.task(name="service.enforcement.tasks.settle_reinspections")
def settle_reinspections_now() -> int:
    """Complete or escalate the open orders whose re-inspection is done."""
    with task_scope() as (db, _found):
        return settle_reinspections(db)
