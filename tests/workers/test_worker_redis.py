"""A real Celery worker, fed through a real Redis, runs a task end to end."""

from __future__ import annotations

import queue
import uuid

from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from service.common.jobs import enqueue_after_commit
from tests.workers.redis_worker import REDIS_MARKS
from workers.celery_app import celery
from workers.diagnostics import echo

pytestmark = REDIS_MARKS
#: what `remember` received; the test worker runs in a thread of this process
RECEIVED: queue.Queue = queue.Queue()


@celery.task(name="tests.workers.remember")
def remember(value):
    RECEIVED.put(value)


def test_a_worker_runs_a_task_sent_over_redis(redis_celery):
    result = echo.delay({"site": "宝山区友谊路邮政支局", "n": 1})
    assert result.get(timeout=30) == {"site": "宝山区友谊路邮政支局", "n": 1}


def test_a_job_sent_after_commit_reaches_the_worker(redis_celery, jobs_engine):
    marker = uuid.uuid4().hex
    session = sessionmaker(bind=jobs_engine)()
    try:
        session.execute(text("SELECT 1"))
        enqueue_after_commit(session, remember, marker)
        assert RECEIVED.empty()
        session.commit()
    finally:
        session.close()
    assert RECEIVED.get(timeout=30) == marker
