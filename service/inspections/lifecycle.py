"""After submission: voiding (作废, kept forever) and the review of flagged inspections.

Both are safe to retry: the same decision again answers the inspection as it is; a
different one is a 409.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from service.assignments.completion import reopen_tasks_of
from service.auth.models import User
from service.common.errors import Conflict
from service.db import utcnow
from service.inspections.flags import inspections_with_photo_anomaly
from service.inspections.models import Inspection
from service.inspections.queries import get_inspection

DECISIONS = {"accept": "accepted", "reject": "rejected"}


def void_inspection(db: Session, *, scope: str, user: User, inspection_id: uuid.UUID,
                    reason: str) -> Inspection:
    """Void a draft or completed inspection with a reason; it stays stored and readable."""
    inspection = get_inspection(db, scope=scope, inspection_id=inspection_id)
    if inspection.status == "voided":
        if inspection.void_reason == reason:
            return inspection  # a retry
        raise Conflict("This inspection is already voided (with another reason).")
    inspection.status = "voided"
    inspection.voided_at = utcnow()
    inspection.voided_by_id = user.id
    inspection.void_reason = reason
    db.flush()
    reopen_tasks_of(db, inspection_id=inspection.id)
    return inspection


def review_inspection(db: Session, *, scope: str, user: User, inspection_id: uuid.UUID,
                      decision: str, note: str) -> Inspection:
    """Accept or reject a flagged, completed inspection, with a note."""
    inspection = get_inspection(db, scope=scope, inspection_id=inspection_id)
    inspection.photo_anomaly = bool(inspections_with_photo_anomaly(db, [inspection.id]))
    outcome = DECISIONS[decision]
    if inspection.review_status == outcome and inspection.review_note == note:
        return inspection  # a retry
    if inspection.status != "completed":
        raise Conflict(f"Only completed inspections are reviewed; this one is "
                       f"{inspection.status}.")
    if not (inspection.location_anomaly or inspection.photo_anomaly):
        raise Conflict("This inspection is not flagged for location or photos; "
                       "there is nothing to review.")
    if inspection.review_status in DECISIONS.values():
        raise Conflict(f"This inspection was already reviewed ({inspection.review_status}).")
    inspection.review_status = outcome
    inspection.review_note = note
    inspection.reviewed_by_id = user.id
    inspection.reviewed_at = utcnow()
    db.flush()
    return inspection
