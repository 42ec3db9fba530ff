"""Sealing on the workers: beat runs `seal` every few seconds (workers/schedule.py).

A thin wrapper over `service.audit.logic.seal_pending`. When another sealer holds the lock
the round returns at once (the next one picks up where it stopped).
"""

from __future__ import annotations

from functools import cache

from flask import current_app, has_app_context
from sqlalchemy.orm import sessionmaker

from service.audit import logic
from service.config import Settings
from service.db import make_engine, session_scope
from workers.celery_app import celery


@cache
def _worker_sessions() -> sessionmaker:
    return sessionmaker(bind=make_engine(Settings().database_url), expire_on_commit=False)


@celery.task(name="service.audit.tasks.seal")
def seal() -> int:
    """Seal the audit entries committed since the last round; returns how many."""
    factory = (current_app.extensions["db"]["sessionmaker"] if has_app_context()
               else _worker_sessions())
    with session_scope(factory) as db:
        return logic.seal_pending(db, wait=False)
