"""Background work on photos: thumbnails, and the clean-up of uploads never completed.

Thin Celery wrappers over `service.evidence.logic`. Sent eagerly (in-process) from a
request they use the app's session factory and object store; on a worker, ones built from
the environment (`Settings`).
"""

from __future__ import annotations

from service.common.tasks import resources as _resources
from service.db import session_scope, utcnow
from service.evidence import logic
from workers.celery_app import celery


@celery.task(name="service.evidence.tasks.make_thumbnail")
def make_thumbnail(photo_id: str) -> None:
    """Make a completed photo's JPEG thumbnail (thumbs/…); quiet when the photo is gone."""
    factory, store, _settings = _resources()
    with session_scope(factory) as db:
        logic.make_thumbnail(db, store, photo_id)


@celery.task(name="service.evidence.tasks.clean_up_abandoned_photos")
def clean_up_abandoned_photos() -> int:
    """Delete the objects of photos never completed within the grace period; rows stay."""
    factory, store, settings = _resources()
    with session_scope(factory) as db:
        return logic.clean_up_abandoned(db, store, now=utcnow(),
                                        grace_hours=settings.photo_cleanup_grace_hours)
