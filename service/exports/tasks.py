"""Export work on Celery: thin wrappers over `service.exports.runner` and `.logic`."""

from __future__ import annotations

from service.db import utcnow
from service.exports import logic, runner
from workers.celery_app import celery
from workers.context import resources, task_scope


@celery.task(name=logic.RUN_EXPORT_JOB)
def run_export(job_id: str) -> None:
    """Build an export job's file; quiet when the job is gone or already finished.

    The runner commits the job's state and progress itself (see its docstring), so it gets
    the session factory rather than one unit of work."""
    found = resources()
    runner.run_export(found.sessions, found.store, job_id=job_id)


@celery.task(name="service.exports.tasks.expire_exports")
def expire_exports() -> int:
    """Delete the files of jobs past their keeping time; the jobs say expired."""
    with task_scope() as (db, found):
        return logic.expire_jobs(db, found.store, now=utcnow())
