"""What makes an inspection "flagged" for a supervisor's review.

Two reasons: its location (`Inspection.location_anomaly`, decided here at submission), and
its photos (`service.evidence.models.Photo.has_anomaly`, decided by the evidence feature).
The photo half is read from the evidence model when it exists, so this module is the one
place both reasons meet. The evidence feature calls `flag_for_review()` when it flags a
photo of an inspection, so a decided review is reopened by new evidence.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, exists, false, or_, select
from sqlalchemy.orm import Session

from service.inspections.models import Inspection


def _photo_model():
    try:
        from service.evidence.models import Photo
    except ImportError:  # the evidence feature has no Photo model yet
        return None
    return Photo


def photo_anomaly_condition() -> ColumnElement[bool]:
    """SQL: the inspection has at least one photo flagged as anomalous."""
    photo = _photo_model()
    if photo is None:
        return false()
    return exists(select(photo.id).where(photo.inspection_id == Inspection.id,
                                         photo.has_anomaly.is_(True)))


def flagged_condition() -> ColumnElement[bool]:
    """SQL: flagged for location or for a photo."""
    return or_(Inspection.location_anomaly.is_(True), photo_anomaly_condition())


def inspections_with_photo_anomaly(db: Session, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these inspections have an anomalous photo."""
    photo = _photo_model()
    if photo is None or not ids:
        return set()
    return set(db.scalars(select(photo.inspection_id).where(
        photo.inspection_id.in_(ids), photo.has_anomaly.is_(True)).distinct()))
