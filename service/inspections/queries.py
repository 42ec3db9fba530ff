"""Reading inspections and findings, always within the caller's jurisdiction."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.assignments.reach import inspection_in_reach
from service.common.errors import NotFound
from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.inspections.flags import flagged_condition, inspections_with_photo_anomaly
from service.inspections.models import (
    COMPLETED,
    REVIEW_ACCEPTED,
    REVIEW_NONE,
    REVIEW_PENDING,
    REVIEW_REJECTED,
    VOIDED,
    Finding,
    Inspection,
)


def get_inspection(db: Session, *, scope: str, inspection_id: uuid.UUID) -> Inspection:
    """One inspection of the caller's jurisdiction (or in reach through a cross-district
    task, service/assignments/reach.py), else 404. Every feature (evidence, assignments,
    later enforcement) looks inspections up through this."""
    inspection = db.get(Inspection, inspection_id)
    if inspection is None or not inspection_in_reach(db, scope=scope, inspection=inspection):
        raise NotFound(f"No inspection {inspection_id} in your jurisdiction.")
    return inspection


def list_inspections(db: Session, *, scope: str, site_id: uuid.UUID | None,
                     status: str | None, kind: str | None, campaign_id: uuid.UUID | None,
                     region_code: str | None,
                     finished_from: datetime | None, finished_to: datetime | None,
                     flagged: bool | None, limit: int, cursor: str | None) -> Page:
    """Inspections of the jurisdiction, oldest start first, with optional filters."""
    stmt = select(Inspection).where(in_subtree(Inspection.region_code, scope))
    if region_code:
        stmt = stmt.where(in_subtree(Inspection.region_code, region_code))
    for column, value in ((Inspection.site_id, site_id), (Inspection.status, status),
                          (Inspection.kind, kind), (Inspection.campaign_id, campaign_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    if finished_from is not None:
        stmt = stmt.where(Inspection.finished_at >= finished_from)
    if finished_to is not None:
        stmt = stmt.where(Inspection.finished_at < finished_to)
    if flagged is not None:
        stmt = stmt.where(flagged_condition() if flagged else ~flagged_condition())
    return paginate(db, stmt, [Inspection.started_at, Inspection.id], limit=limit,
                    cursor=cursor)


#: the review filter of the flagged list: "pending" means not yet decided
REVIEW_FILTERS = {REVIEW_PENDING: (REVIEW_NONE, REVIEW_PENDING),
                  REVIEW_ACCEPTED: (REVIEW_ACCEPTED,), REVIEW_REJECTED: (REVIEW_REJECTED,)}


def list_flagged(db: Session, *, scope: str, review_status: str, limit: int,
                 cursor: str | None) -> Page:
    """Completed inspections flagged for location or photos, for a supervisor to review."""
    stmt = select(Inspection).where(in_subtree(Inspection.region_code, scope),
                                    Inspection.status == COMPLETED, flagged_condition())
    if review_status != "all":
        stmt = stmt.where(Inspection.review_status.in_(REVIEW_FILTERS[review_status]))
    page = paginate(db, stmt, [Inspection.finished_at, Inspection.id], limit=limit,
                    cursor=cursor)
    with_photos = inspections_with_photo_anomaly(db, [item.id for item in page.items])
    for item in page.items:
        item.photo_anomaly = item.id in with_photos
    return page


def list_findings(db: Session, *, scope: str, site_id: uuid.UUID | None,
                  inspection_id: uuid.UUID | None, item_code: str | None,
                  include_voided: bool, limit: int, cursor: str | None) -> Page:
    """Failed checklist items (findings) of the jurisdiction, oldest first."""
    stmt = select(Finding).join(Finding.inspection).where(in_subtree(Finding.region_code, scope))
    for column, value in ((Finding.site_id, site_id), (Finding.inspection_id, inspection_id),
                          (Finding.item_code, item_code)):
        if value is not None:
            stmt = stmt.where(column == value)
    if not include_voided:
        stmt = stmt.where(Inspection.status != VOIDED)
    return paginate(db, stmt, [Finding.created_at, Finding.id], limit=limit, cursor=cursor)


def get_finding(db: Session, *, scope: str, finding_id: uuid.UUID) -> Finding:
    """One finding of the caller's jurisdiction (else 404)."""
    finding = db.scalar(select(Finding).where(Finding.id == finding_id,
                                              in_subtree(Finding.region_code, scope)))
    if finding is None:
        raise NotFound(f"No finding {finding_id} in your jurisdiction.")
    return finding
