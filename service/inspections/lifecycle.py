"""An inspection's moves after it exists, as transition tables: the status (draft →
completed, draft or completed → voided) and the review of a flagged one.

Voiding (作废, kept forever) and reviewing are safe to retry: the same decision again
answers the inspection as it is; a different one is a 409 naming the moves allowed.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from service.assignments.completion import reopen_tasks_of
from service.auth.models import User
from service.common.errors import Conflict
from service.common.transitions import Lifecycle, Move
from service.db import utcnow
from service.inspections.flags import inspections_with_photo_anomaly
from service.inspections.models import (
    COMPLETED,
    DRAFT,
    REVIEW_ACCEPTED,
    REVIEW_NONE,
    REVIEW_PENDING,
    REVIEW_REJECTED,
    REVIEW_STATUSES,
    STATUSES,
    VOIDED,
    Inspection,
)
from service.inspections.queries import get_inspection

#: the pseudo-role of moves the service makes itself (new evidence), never offered to users
BY_EVIDENCE = "evidence"

INSPECTION = Lifecycle("inspection", [
    Move("revise", DRAFT, DRAFT),  # the submitting phone replaces its draft
    Move("complete", DRAFT, COMPLETED),
    Move("void", (DRAFT, COMPLETED), VOIDED),
], states=STATUSES)

#: "none" is undecided too: a photo flagged while the inspection was a draft
REVIEW = Lifecycle("review", [
    Move("accept", (REVIEW_NONE, REVIEW_PENDING), REVIEW_ACCEPTED),
    Move("reject", (REVIEW_NONE, REVIEW_PENDING), REVIEW_REJECTED),
    Move("reopen", REVIEW_STATUSES, REVIEW_PENDING, roles=(BY_EVIDENCE,)),
], states=REVIEW_STATUSES)
DECISIONS = {move.name: move.target for move in REVIEW.moves if move.name != "reopen"}


def void_inspection(db: Session, *, scope: str, user: User, inspection_id: uuid.UUID,
                    reason: str) -> Inspection:
    """Void a draft or completed inspection with a reason; it stays stored and readable."""
    inspection = get_inspection(db, scope=scope, inspection_id=inspection_id)
    if inspection.status == VOIDED and inspection.void_reason == reason:
        return inspection  # a retry
    inspection.status = INSPECTION.require(inspection.status, "void", role=user.role).target
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
    if inspection.review_status == DECISIONS[decision] and inspection.review_note == note:
        return inspection  # a retry
    if inspection.status != COMPLETED:
        raise Conflict(f"Only completed inspections are reviewed; this one is "
                       f"{inspection.status}.")
    if not (inspection.location_anomaly or inspection.photo_anomaly):
        raise Conflict("This inspection is not flagged for location or photos; "
                       "there is nothing to review.")
    move = REVIEW.require(inspection.review_status, decision, role=user.role)
    inspection.review_status = move.target
    inspection.review_note = note
    inspection.reviewed_by_id = user.id
    inspection.reviewed_at = utcnow()
    db.flush()
    return inspection


def flag_for_review(db: Session, *, inspection_id: uuid.UUID) -> None:
    """(For the evidence feature) a photo of this inspection was flagged: review it again."""
    inspection = db.get(Inspection, inspection_id)
    if inspection is not None and inspection.status == COMPLETED:
        inspection.review_status = REVIEW.require(inspection.review_status, "reopen",
                                                  role=BY_EVIDENCE).target
        db.flush()
