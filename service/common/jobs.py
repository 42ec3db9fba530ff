"""Background jobs sent only after the transaction that asked for them has committed.

A route (through its logic function) calls `enqueue_after_commit(session, name, *ids)` with
the task's registered name, so logic imports neither Celery nor a tasks module. The job
waits in `session.info` and goes to Celery (`task.delay`) once the session commits, so a
worker never looks for rows that were rolled back or are not yet visible. A rollback drops
the job; the rollback of a savepoint (`begin_nested`) drops only the jobs asked for inside it.
Without a broker (the embedded default) Celery runs the task in-process at that moment.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)
_KEY = "jobs_after_commit"


@dataclass(frozen=True)
class _Job:
    task: Any
    args: tuple
    #: the savepoint the job was asked for in (None: the outermost transaction)
    savepoint: SessionTransaction | None


def enqueue_after_commit(session: Session, task, *args) -> None:
    """Send `task.delay(*args)` after `session` commits; forget it if the session rolls back.

    `task` is a Celery task or its registered name. The name and the arguments (JSON: ids as
    strings, plain values) are checked now, where the bug is.
    """
    json.dumps(args)
    if isinstance(task, str):
        from workers.context import task_named  # the worker layer; logic never imports it

        task = task_named(task)
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still drops the job
    job = _Job(task, args, session.get_nested_transaction())
    session.info.setdefault(_KEY, []).append(job)


def pending_jobs(session: Session) -> int:
    """How many jobs wait for this session's commit."""
    return len(session.info.get(_KEY, ()))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction may still roll back
    for job in session.info.pop(_KEY, ()):
        _send(job)


def _send(job: _Job) -> None:
    # The data is committed whatever happens here: a failing send is logged, not raised
    # into the request that already succeeded, and the other jobs still go.
    try:
        job.task.delay(*job.args)
    except Exception:
        log.exception("could not send job %s%r after commit", job.task.name, job.args)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous: SessionTransaction) -> None:
    jobs = session.info.get(_KEY)
    if not jobs:
        return
    # `previous` may be an inner transaction of the session's own (a flush's, which a
    # failing INSERT rolls back): what the database rolled back is its nearest savepoint,
    # or the whole transaction when there is none.
    rolled_back = previous
    while not rolled_back.nested and rolled_back.parent is not None:
        rolled_back = rolled_back.parent
    if not rolled_back.nested:
        session.info.pop(_KEY, None)
        return
    session.info[_KEY] = [job for job in jobs if not _inside(job.savepoint, rolled_back)]


@event.listens_for(Session, "after_transaction_end")
def _drop_when_closed(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without a commit (e.g. session.close()): drop.
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_KEY, None)


def _inside(savepoint: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while savepoint is not None:
        if savepoint is outer:
            return True
        savepoint = savepoint.parent
    return False
