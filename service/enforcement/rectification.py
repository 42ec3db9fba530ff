"""Rectification orders (责令整改): items from findings, a due date, a re-inspection task.

Issuing an order creates a task (source `re_inspection`, kind `re_inspection`) for the
site. The re-inspection that completes the task decides the order in the same transaction
(`settle_orders_of`, handed to `service.assignments.completion` by `hooks.py`): the order's
items all passed -> completed; any failed -> escalated to a case citing the re-inspection's
findings (which must then meet the rule of two; when they do not, the order stays open for
an officer). An officer can also record it through the API, and the periodic job
(`settle_reinspections`) is the safety net for any order whose task is done.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.assignments.models import RE_INSPECTION, TASK_DONE, TASK_OPEN, Task
from service.auth.logic import require_officers
from service.auth.models import User
from service.common.access import INSPECTOR, SUPERVISOR
from service.common.chinatime import china_date, china_today
from service.common.errors import DomainError, NotFound, field_error
from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.common.transitions import Lifecycle, Move
from service.enforcement import hooks, queues
from service.enforcement.cases import get_case, open_case
from service.enforcement.models import (
    RECT_COMPLETED,
    RECT_ESCALATED,
    RECT_OPEN,
    RECTIFICATION_STATUSES,
    Rectification,
)
from service.enforcement.numbering import issue_document
from service.inspections.models import COMPLETED, Finding, Inspection
from service.inspections.queries import get_inspection
from service.registry.sites import get_site

log = logging.getLogger(__name__)

#: the inspection kind of a re-inspection (复查)
REINSPECTION = hooks.REINSPECTION

ORDER = Lifecycle("rectification order", [
    Move("complete", RECT_OPEN, RECT_COMPLETED, roles=(INSPECTOR, SUPERVISOR)),
    Move("escalate", RECT_OPEN, RECT_ESCALATED, roles=(INSPECTOR, SUPERVISOR)),
], states=RECTIFICATION_STATUSES)


def get_rectification(db: Session, *, scope: str, rectification_id: uuid.UUID) -> Rectification:
    """One order of the jurisdiction (else 404)."""
    order = db.scalar(select(Rectification).where(
        Rectification.id == rectification_id, in_subtree(Rectification.region_code, scope)))
    if order is None:
        raise NotFound(f"No rectification order {rectification_id} in your jurisdiction.")
    return order


def list_rectifications(db: Session, *, scope: str, status: str | None,
                        site_id: uuid.UUID | None, limit: int, cursor: str | None,
                        campaign_id: uuid.UUID | None = None) -> Page:
    """Orders of the jurisdiction by due date."""
    stmt = select(Rectification).where(in_subtree(Rectification.region_code, scope))
    for column, value in ((Rectification.status, status), (Rectification.site_id, site_id),
                          (Rectification.campaign_id, campaign_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    return paginate(db, stmt, [Rectification.due_on, Rectification.id], limit=limit,
                    cursor=cursor)


def _findings(db: Session, *, scope: str, site_id: uuid.UUID,
              finding_ids: list[uuid.UUID]) -> list[Finding]:
    findings = list(db.scalars(select(Finding).where(
        Finding.id.in_(finding_ids), in_subtree(Finding.region_code, scope))))
    if len(findings) != len(set(finding_ids)):
        raise field_error("finding_ids", "Some findings are not of your jurisdiction.")
    if any(finding.site_id != site_id for finding in findings):
        raise field_error("finding_ids", "The findings belong to another site.")
    return sorted(findings, key=lambda f: f.item_code)


def _items(findings: list[Finding]) -> list[dict]:
    return [{"finding_id": str(f.id), "item_code": f.item_code, "description": f.description}
            for f in findings]


def _campaign_of(db: Session, *, case, findings: list[Finding]) -> uuid.UUID | None:
    """The campaign an order serves: its case's, else its findings' inspection's (the first
    by id when they served several), as a case takes its inspection's."""
    if case is not None and case.campaign_id is not None:
        return case.campaign_id
    if not findings:
        return None
    served = db.scalars(select(Inspection.campaign_id).where(
        Inspection.id.in_({f.inspection_id for f in findings}),
        Inspection.campaign_id.is_not(None)))
    return min(served, key=str, default=None)


def issue_rectification(db: Session, *, scope: str, user: User, data: dict,
                        today: date | None = None) -> Rectification:
    """Order a site to rectify findings by a date, and schedule its re-inspection."""
    today = today or china_today()
    site = get_site(db, scope=scope, site_id=data["site_id"], field="site_id")
    if data["due_on"] <= today:
        raise field_error("due_on", "The due date lies after today (China time).")
    case = get_case(db, scope=scope, case_id=data["case_id"]) if data.get("case_id") else None
    findings = _findings(db, scope=scope, site_id=site.id, finding_ids=data["finding_ids"])
    campaign_id = _campaign_of(db, case=case, findings=findings)
    task = Task(site_id=site.id, kind=REINSPECTION, source=RE_INSPECTION,
                due_on=data["due_on"], status=TASK_OPEN, created_by_id=user.id,
                note="复查：责令整改", campaign_id=campaign_id,
                assignees=require_officers(db, scope=scope, ids=data["inspector_ids"],
                                           field="inspector_ids"))
    db.add(task)
    document = issue_document(db, bureau_code=user.region_code, kind="rectification",
                              issued_on=today)
    order = Rectification(site_id=site.id, region_code=site.region_code,
                          bureau_code=user.region_code, case_id=case.id if case else None,
                          items=_items(findings), issued_on=today, due_on=data["due_on"],
                          number=document.number, status=RECT_OPEN, task_id=task.id,
                          issued_by_id=user.id, campaign_id=campaign_id)
    db.add(order)
    db.flush()
    document.subject_id = order.id
    queues.enqueue(db, queue="rectification", item_id=order.id, region_code=site.region_code,
                   item_type=site.site_type, title=f"责令整改 {document.number}",
                   due_on=order.due_on, campaign_id=campaign_id)
    return order


def record_reinspection(db: Session, *, scope: str, user: User,
                        rectification_id: uuid.UUID, inspection_id: uuid.UUID) -> Rectification:
    """The re-inspection's outcome: the order is completed, or escalated to a case."""
    order = get_rectification(db, scope=scope, rectification_id=rectification_id)
    return _settle(db, scope=scope, user=user, order=order, inspection_id=inspection_id)


def _settle(db: Session, *, scope: str, user: User, order: Rectification,
            inspection_id: uuid.UUID) -> Rectification:
    """Decide an order from its re-inspection (a retry with the same one is a no-op)."""
    if order.status != RECT_OPEN and order.reinspection_id == inspection_id:
        return order  # a retry
    inspection = get_inspection(db, scope=scope, inspection_id=inspection_id)
    if inspection.site_id != order.site_id:
        raise field_error("inspection_id", "Not an inspection of the order's site in your "
                                           "jurisdiction.")
    if inspection.status != COMPLETED or inspection.kind != REINSPECTION:
        raise field_error("inspection_id", "The re-inspection must be a completed inspection "
                                           "of kind re_inspection.")
    codes = {item["item_code"] for item in order.items}
    failed = [f for f in inspection.findings if f.item_code in codes]
    move = ORDER.require(order.status, "escalate" if failed else "complete", role=user.role)
    order.status, order.reinspection_id = move.target, inspection.id
    if not failed:
        order.completed_on = china_date(inspection.finished_at)
    else:
        order.escalated_case_id = _escalate(db, scope=scope, user=user, order=order,
                                            findings=failed).id
    db.flush()
    queues.dequeue(db, item_id=order.id)
    return order


def _settle_quietly(db: Session, *, order: Rectification, inspection_id: uuid.UUID) -> bool:
    """Settle an order in the name of its issuer, inside a savepoint: when it cannot be
    settled (a failed re-inspection without the rule of two cannot open a case), nothing of
    it is kept, the order stays open, and the caller goes on."""
    issuer = db.get(User, order.issued_by_id)
    try:
        with db.begin_nested():
            _settle(db, scope=order.region_code, user=issuer, order=order,
                    inspection_id=inspection_id)
    except DomainError as exc:
        log.warning("Rectification order %s stays open after re-inspection %s: %s",
                    order.id, inspection_id, exc)
        db.expire(order)
        return False
    return True


def settle_orders_of(db: Session, *, inspection) -> int:
    """A completed re-inspection settles the open orders whose task it did, at once (the
    inspector's submission); returns how many."""
    orders = db.scalars(select(Rectification).join(Task, Task.id == Rectification.task_id)
                        .where(Task.completed_by_inspection_id == inspection.id,
                               Rectification.status == RECT_OPEN)).all()
    return sum(_settle_quietly(db, order=order, inspection_id=inspection.id)
               for order in orders)


def settle_reinspections(db: Session) -> int:
    """Record the outcome of every open order whose re-inspection task is done; returns
    how many were settled (the periodic safety net: submissions settle their own)."""
    settled = 0
    for order, inspection_id in db.execute(
            select(Rectification, Task.completed_by_inspection_id)
            .join(Task, Task.id == Rectification.task_id)
            .where(Rectification.status == RECT_OPEN, Task.status == TASK_DONE)).all():
        settled += _settle_quietly(db, order=order, inspection_id=inspection_id)
    return settled


def _escalate(db: Session, *, scope: str, user: User, order: Rectification, findings):
    """Open a case (ordinary procedure) from the findings the re-inspection repeated; it
    serves the order's campaign, if any."""
    data = {"source": "inspection", "procedure": "ordinary",
            "finding_ids": [f.id for f in findings], "title": f"逾期未整改（{order.number}）",
            "party_kind": "organisation", "rectification_id": order.id,
            "reason": f"Re-inspection {order.reinspection_id} found the ordered items not "
                      "rectified."}
    case, _ = open_case(db, scope=scope, user=user, inherited_campaign_id=order.campaign_id,
                        data=data)
    return case
