"""Export jobs: asked for in a request (answered 202), built by a worker, expired later.

The lifecycle is one transition table. A job is re-runnable: a worker that dies mid-job
leaves it `running`; the message comes back (acks late) and the next worker starts it again
from the first row, overwriting the same object key, so a retry never makes a second file.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import User
from service.common.errors import Conflict, NotFound
from service.common.idempotency import insert_or_existing
from service.common.jobs import enqueue_after_commit
from service.common.pagination import Page, paginate
from service.common.regions import contains, in_subtree
from service.common.transitions import Lifecycle, Move
from service.exports.models import DONE, EXPIRED, FAILED, QUEUED, RUNNING, STATUSES, ExportJob
from service.exports.sources import SOURCES

LIFECYCLE = Lifecycle("export job", [
    Move("start", (QUEUED, RUNNING), RUNNING),   # RUNNING: again, after a worker was lost
    Move("finish", RUNNING, DONE),
    Move("fail", RUNNING, FAILED),
    Move("expire", (QUEUED, DONE, FAILED), EXPIRED),
], states=STATUSES)
#: the Celery task building a job's file (service/exports/tasks.py)
RUN_EXPORT_JOB = "service.exports.tasks.run_export"
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}


def request_export(db: Session, *, scope: str, user: User, data: dict, keep_hours: int,
                   now: datetime) -> ExportJob:
    """Create a queued export job and send it to a worker after the commit; the same `id`
    and body again answer the same job."""
    params = SOURCES[data["kind"]].params(db, scope, data)
    job = ExportJob(id=data.get("id") or uuid.uuid4(), kind=data["kind"],
                    format=data["format"], params=params, region_code=params["region_code"],
                    requested_by_id=user.id, status=QUEUED, rows_written=0, attempts=0,
                    expires_at=now + timedelta(hours=keep_hours))
    stored, created = insert_or_existing(db, job)
    if not created:
        if (stored.kind, stored.format, stored.params) != (job.kind, job.format, params) or \
                not contains(scope, stored.region_code):
            raise Conflict("This export id is already taken by another export; make a new id.")
        return stored
    enqueue_after_commit(db, RUN_EXPORT_JOB, str(job.id))
    return job


def get_job(db: Session, *, scope: str, job_id: uuid.UUID) -> ExportJob:
    """An export job of the caller's jurisdiction (else 404)."""
    job = db.get(ExportJob, job_id)
    if job is None or not contains(scope, job.region_code):
        raise NotFound(f"No export job {job_id} in your jurisdiction.")
    return job


def list_jobs(db: Session, *, scope: str, limit: int, cursor: str | None) -> Page:
    """Export jobs of the caller's jurisdiction, newest last."""
    stmt = select(ExportJob).where(in_subtree(ExportJob.region_code, scope))
    return paginate(db, stmt, [ExportJob.created_at, ExportJob.id], limit=limit, cursor=cursor)


def percent(job: ExportJob) -> float | None:
    if job.status == DONE:
        return 100.0
    if not job.rows_total:
        return None if job.rows_total is None else 0.0
    return round(100.0 * job.rows_written / job.rows_total, 1)


def download_url(job: ExportJob, store, *, expires_in: int) -> str | None:
    """A short-lived link to the file of a finished job; None before (or after expiry)."""
    if job.status != DONE or job.object_key is None:
        return None
    return store.presigned_download(job.object_key, filename=job.filename,
                                    content_type=CONTENT_TYPES[job.format],
                                    expires_in=expires_in)


def job_view(job: ExportJob, store, *, link_seconds: int) -> dict:
    """The job as the API shows it: its fields, percent and, when done, a download link."""
    fields = {column.key: getattr(job, column.key) for column in ExportJob.__table__.columns}
    return {**fields, "percent": percent(job),
            "download_url": download_url(job, store, expires_in=link_seconds)}


def expire_jobs(db: Session, store, *, now: datetime) -> int:
    """Delete the files of jobs past their time and mark the jobs expired."""
    jobs = db.scalars(select(ExportJob).where(ExportJob.status.in_((QUEUED, DONE, FAILED)),
                                              ExportJob.expires_at <= now)).all()
    for job in jobs:
        if job.object_key:
            store.delete(job.object_key)
        LIFECYCLE.require(job.status, "expire")
        job.status = EXPIRED
    db.flush()
    return len(jobs)
