"""A real Celery worker fed through a real Redis (REDIS_URL), for the worker tests."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker

from workers.celery_app import celery

REDIS_URL = os.environ.get("REDIS_URL")
REDIS_MARKS = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="set REDIS_URL to run a worker over Redis"),
    # celery's Redis result backend still calls redis-py's deprecated setex
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


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
