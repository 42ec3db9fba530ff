"""Periodic enforcement work, listed in workers/schedule.py: suspensions start and end in
the registry on their dates; finished re-inspections settle their rectification orders.

Thin Celery wrappers over `service.enforcement.suspensions` and `.rectification`.
"""

from __future__ import annotations

from functools import cache

from flask import current_app, has_app_context
from sqlalchemy.orm import sessionmaker

import service.models  # noqa: F401  (every mapper known on a worker)
from service.common.chinatime import china_today
from service.config import Settings
from service.db import make_engine, session_scope
from service.enforcement.rectification import settle_reinspections
from service.enforcement.suspensions import apply_suspensions
from workers.celery_app import celery


@cache
def _worker_factory() -> sessionmaker:
    return sessionmaker(bind=make_engine(Settings().database_url), expire_on_commit=False)


def _factory() -> sessionmaker:
    if has_app_context():
        return current_app.extensions["db"]["sessionmaker"]
    return _worker_factory()


@celery.task(name="service.enforcement.tasks.apply_suspensions_today")
def apply_suspensions_today() -> int:
    """Suspend sites whose served suspension starts today, reopen those that ended."""
    with session_scope(_factory()) as db:
        return apply_suspensions(db, today=china_today())


@celery.task(name="service.enforcement.tasks.settle_reinspections")
def settle_reinspections_now() -> int:
    """Complete or escalate the open orders whose re-inspection is done."""
    with session_scope(_factory()) as db:
        return settle_reinspections(db)
