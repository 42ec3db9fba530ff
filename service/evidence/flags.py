"""The photo half of an inspection's "flagged" (see `service.inspections.flags`): a photo
taken at another time or place than the inspection (`Photo.has_anomaly`)."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from service.evidence.models import Photo
from service.inspections.flags import PhotoFlags, register_photo_flags
from service.inspections.models import Inspection


def has_flagged_photo() -> ColumnElement[bool]:
    """SQL over inspections: at least one of its photos is flagged."""
    return exists(select(Photo.id).where(Photo.inspection_id == Inspection.id,
                                         Photo.has_anomaly.is_(True)))


def with_flagged_photos(db: Session, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these inspections have a flagged photo."""
    return set(db.scalars(select(Photo.inspection_id).where(
        Photo.inspection_id.in_(ids), Photo.has_anomaly.is_(True)).distinct()))


register_photo_flags(PhotoFlags(condition=has_flagged_photo, flagged_ids=with_flagged_photos))
