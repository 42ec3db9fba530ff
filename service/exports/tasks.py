"""Export work on Celery: thin wrappers over `service.exports.runner` and `.logic`."""

from __future__ import annotations

from service.common.tasks import resources
from service.db import session_scope, utcnow
from service.exports import logic, runner
from workers.celery_app import celery


@celery.task(name="service.exports.tasks.run_export")
def run_export(job_id: str) -> None:
    """Build an export job's file; quiet when the job is gone or already finished."""
    factory, store, _settings = resources()
    runner.run_export(factory, store, job_id=job_id)


@celery.task(name="service.exports.tasks.expire_exports")
def expire_exports() -> int:
    """Delete the files of jobs past their keeping time; the jobs say expired."""
    factory, store, _settings = resources()
    with session_scope(factory) as db:
        return logic.expire_jobs(db, store, now=utcnow())
