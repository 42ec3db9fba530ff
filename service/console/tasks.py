"""The console's periodic work on Celery: thin wrappers over `service.console.sessions`."""

from __future__ import annotations

from service.console import sessions
from service.db import utcnow
from workers.celery_app import celery
from workers.context import task_scope


@celery.task(name="service.console.tasks.prune_sessions")
def prune_sessions() -> int:
    """Delete the console sessions that ended or expired over a day ago; how many."""
    with task_scope() as (db, _found):
        return sessions.prune(db, now=utcnow())
