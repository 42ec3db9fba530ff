"""Background work on photos: thumbnails, and the clean-up of uploads never completed.

Thin Celery wrappers over `service.evidence.logic`; `workers.context.task_scope` gives them
a session, the object store and the settings.
"""

from __future__ import annotations

from service.db import utcnow
from service.evidence import logic
from service.evidence.completion import THUMBNAIL_JOB
from workers.celery_app import celery
from workers.context import task_scope


@celery.task(name=THUMBNAIL_JOB)
def make_thumbnail(photo_id: str) -> None:
    """Make a completed photo's JPEG thumbnail (thumbs/…); quiet when the photo is gone."""
    with task_scope() as (db, found):
        logic.make_thumbnail(db, found.store, photo_id)


@celery.task(name="service.evidence.tasks.clean_up_abandoned_photos")
def clean_up_abandoned_photos() -> int:
    """Delete the objects of photos never completed within the grace period; rows stay."""
    with task_scope() as (db, found):
        return logic.clean_up_abandoned(db, found.store, now=utcnow(),
                                        grace_hours=found.settings.photo_cleanup_grace_hours)
