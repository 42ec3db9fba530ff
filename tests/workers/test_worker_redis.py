"""A real Celery worker, fed through a real Redis, runs a task end to end."""

from __future__ import annotations

import os
import queue
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from service.common.jobs import enqueue_after_commit
from workers.celery_app import celery
from workers.diagnostics import echo

REDIS_URL = os.environ.get("REDIS_URL")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="set REDIS_URL to run a worker over Redis"),
    # celery's Redis result backend still calls redis-py's deprecated setex
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]
#: what `remember` received; the test worker runs in a thread of this process
RECEIVED: queue.Queue = queue.Queue()


@celery.task(name="tests.workers.remember")
def remember(value):
    RECEIVED.put(value)


@pytest.fixture(scope="module")
def redis_celery():
    """The app's Celery pointed at Redis (as with CELERY_BROKER_URL), on a queue of its own
    so that other users of this Redis neither take nor leave messages here."""
    settings = {"broker_url": REDIS_URL, "result_backend": REDIS_URL,
                "task_always_eager": False, "task_eager_propagates": False,
                "task_default_queue": f"postal-test-{uuid.uuid4().hex[:12]}"}
    saved = {key: celery.conf[key] for key in settings}
    celery.conf.update(settings)
    _forget_connections()
    try:
        with start_worker(celery, pool="solo", perform_ping_check=False,
                          shutdown_timeout=30):
            yield celery
    finally:
        celery.conf.update(saved)
        _forget_connections()
        _delete_queue(settings["task_default_queue"])


def _forget_connections() -> None:
    """Drop cached pools, queues and result backend, so the next use reads the settings."""
    celery.close()
    for cached in ("amqp", "backend"):
        celery.__dict__.pop(cached, None)
    celery._local.__dict__.pop("backend", None)


def _delete_queue(name: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")
    client.close()


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
