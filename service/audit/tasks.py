"""Sealing on the workers: beat runs `seal` every few seconds (workers/schedule.py).

A thin wrapper over `service.audit.logic.seal_pending`. When another sealer holds the lock
the round returns at once (the next one picks up where it stopped).
"""

from __future__ import annotations

from service.audit import logic
from workers.celery_app import celery
from workers.context import task_scope


@celery.task(name="service.audit.tasks.seal")
def seal() -> int:
    """Seal the audit entries committed since the last round; returns how many."""
    with task_scope() as (db, _resources):
        return logic.seal_pending(db, wait=False)
