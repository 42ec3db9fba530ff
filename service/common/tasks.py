"""What a background task works with: the session factory, the object store, the settings.

Sent eagerly from a request (the embedded default, tests) a task uses the app's own; on a
worker, ones built once from the environment (`Settings`).
"""

from __future__ import annotations

from functools import cache

from flask import current_app, has_app_context
from sqlalchemy.orm import sessionmaker

from service.config import Settings
from service.db import make_engine
from service.storage import ObjectStore


@cache
def _worker_resources() -> tuple[sessionmaker, ObjectStore, Settings]:
    settings = Settings()
    factory = sessionmaker(bind=make_engine(settings.database_url), expire_on_commit=False)
    return factory, ObjectStore.from_settings(settings), settings


def resources() -> tuple[sessionmaker, ObjectStore, Settings]:
    """(session factory, object store, settings) for the task running now."""
    if has_app_context():
        app = current_app
        return (app.extensions["db"]["sessionmaker"], app.extensions["object_store"],
                app.config["SETTINGS"])
    return _worker_resources()
