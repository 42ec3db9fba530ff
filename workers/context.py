"""What a task runs with: a session (one unit of work), the object store and the settings.

Sent eagerly from a request (the embedded default, tests), a task uses the app's session
factory, store and settings; on a worker, ones built once from the environment
(`Settings`). Feature logic never sees this: a feature's `tasks.py` opens `task_scope()` and
calls one logic function with what it yields.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from flask import current_app, has_app_context
from sqlalchemy.orm import Session, sessionmaker

from service.config import Settings
from service.db import make_engine, session_scope
from service.storage import ObjectStore


@dataclass(frozen=True)
class TaskResources:
    sessions: sessionmaker
    store: ObjectStore
    settings: Settings


@cache
def _from_environment() -> TaskResources:
    settings = Settings()
    sessions = sessionmaker(bind=make_engine(settings.database_url), expire_on_commit=False)
    return TaskResources(sessions, ObjectStore.from_settings(settings), settings)


def resources() -> TaskResources:
    """The app's resources inside an app context, else the worker's own."""
    if has_app_context():
        app = current_app
        return TaskResources(app.extensions["db"]["sessionmaker"],
                             app.extensions["object_store"], app.config["SETTINGS"])
    return _from_environment()


@contextmanager
def task_scope() -> Iterator[tuple[Session, TaskResources]]:
    """A session that commits once when the task returns (rolls back if it raises)."""
    found = resources()
    with session_scope(found.sessions) as db:
        yield db, found


def task_named(name: str):
    """The registered Celery task called `name` (e.g. "service.evidence.tasks.make_thumbnail"),
    so logic asks for background work by name without importing Celery or the tasks module."""
    from workers.celery_app import celery  # here: importing the app imports every feature

    celery.loader.import_default_modules()
    try:
        return celery.tasks[name]
    except KeyError:
        raise LookupError(f"No Celery task named {name!r}; is its module in "
                          "workers.celery_app.TASK_MODULES?") from None
