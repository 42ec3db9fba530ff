"""The worker tests use their own engine and sessions: they write nothing, so they need no
migrated schema, only a real connection (PostgreSQL when DATABASE_URL says so)."""

from __future__ import annotations

import os

import pytest

from service.config import Settings
from service.db import make_engine
from tests.workers.redis_worker import redis_celery  # noqa: F401


@pytest.fixture(scope="module")
def jobs_engine(tmp_path_factory):
    url = os.environ.get("DATABASE_URL")
    url = Settings(database_url=url).database_url if url else (
        f"sqlite:///{tmp_path_factory.mktemp('jobs') / 'jobs.db'}")
    engine = make_engine(url)
    yield engine
    engine.dispose()
