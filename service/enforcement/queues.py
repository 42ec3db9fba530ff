"""The supervisors' and legal reviewers' work queues, and safe claiming.

Every open piece of work is one `QueueItem` row, written when the work arises (a lead
waiting for filing approval, a decision due for publication …) and removed when it is done.
A listing is one range scan of the index (queue, region_code, due_on, id) or (queue,
due_on, id), keyset-paged in due-date order. Flagged inspections belong to the inspections
feature: that queue reads them directly and gets a row only when someone claims one.

A claim is one conditional UPDATE (`claimed_by_id IS NULL OR claim_expires_at < now`): of
two supervisors claiming at once, exactly one changes the row; the other gets 409.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, delete, not_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth.models import User
from service.common.chinatime import china_date, china_today
from service.common.errors import Conflict, NotFound, field_error
from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.db import utcnow
from service.enforcement.measures import Policy
from service.enforcement.models import QueueItem
from service.inspections.models import COMPLETED, REVIEW_PENDING, Inspection

FLAGGED = "flagged_inspection"
#: how many days after completion a flagged inspection's review is due
FLAGGED_REVIEW_DAYS = 3
#: queues listing only items due within N days (-1: only those already overdue)
OVERDUE_ONLY = -1
DUE_WINDOWS = {"payment": OVERDUE_ONLY, "rectification": OVERDUE_ONLY}


def enqueue(db: Session, *, queue: str, item_id: uuid.UUID, region_code: str,
            item_type: str, title: str, due_on: date,
            assignee_id: uuid.UUID | None = None,
            campaign_id: uuid.UUID | None = None) -> QueueItem:
    """Put a piece of work in a queue (or move its due date when it is there already)."""
    item = db.scalar(select(QueueItem).where(QueueItem.queue == queue,
                                             QueueItem.item_id == item_id))
    if item is None:
        item = QueueItem(queue=queue, item_id=item_id)
        db.add(item)
    item.region_code, item.item_type, item.title = region_code, item_type, title[:256]
    item.due_on, item.assignee_id, item.campaign_id = due_on, assignee_id, campaign_id
    db.flush()
    return item


def dequeue(db: Session, *, item_id: uuid.UUID, queues: tuple[str, ...] | None = None) -> None:
    """The work is done: remove the item from these queues (all when None)."""
    stmt = delete(QueueItem).where(QueueItem.item_id == item_id)
    if queues:
        stmt = stmt.where(QueueItem.queue.in_(queues))
    db.execute(stmt.execution_options(synchronize_session="fetch"))


def reassign(db: Session, *, item_id: uuid.UUID, assignee_id: uuid.UUID | None) -> None:
    """A case changed hands: its queue items follow."""
    db.execute(update(QueueItem).where(QueueItem.item_id == item_id)
               .values(assignee_id=assignee_id).execution_options(synchronize_session=False))


@dataclass
class Filters:
    region_code: str | None
    assignee_id: uuid.UUID | None
    item_type: str | None
    claimed: bool | None
    claimed_by_id: uuid.UUID | None = None
    campaign_id: uuid.UUID | None = None


def _window(queue: str, policy: Policy) -> int | None:
    if queue == "decision_deadline":
        return policy.deadline_warning_days
    return DUE_WINDOWS.get(queue)


ORDER = (QueueItem.due_on, QueueItem.id)


def queue_statement(*, scope: str, queue: str, filters: Filters, policy: Policy,
                    today: date | None = None):
    """The query of a queue's open items in the jurisdiction (not the flagged queue)."""
    stmt = select(QueueItem).where(QueueItem.queue == queue,
                                   in_subtree(QueueItem.region_code, scope))
    window = _window(queue, policy)
    if window is not None:
        stmt = stmt.where(QueueItem.due_on <= (today or china_today())
                          + timedelta(days=window))
    return _filtered(stmt, filters)


def list_queue(db: Session, *, scope: str, queue: str, filters: Filters, policy: Policy,
               limit: int, cursor: str | None, today: date | None = None) -> Page:
    """A queue's open items in the jurisdiction, soonest due first."""
    if queue == FLAGGED:
        return _flagged(db, scope=scope, filters=filters, limit=limit, cursor=cursor)
    stmt = queue_statement(scope=scope, queue=queue, filters=filters, policy=policy,
                           today=today)
    return paginate(db, stmt, list(ORDER), limit=limit, cursor=cursor)


def _filtered(stmt, filters: Filters):
    if filters.region_code:
        stmt = stmt.where(in_subtree(QueueItem.region_code, filters.region_code))
    if filters.item_type:
        stmt = stmt.where(QueueItem.item_type == filters.item_type)
    if filters.assignee_id:
        stmt = stmt.where(QueueItem.assignee_id == filters.assignee_id)
    if filters.claimed_by_id:
        stmt = stmt.where(QueueItem.claimed_by_id == filters.claimed_by_id)
    if filters.campaign_id:
        stmt = stmt.where(QueueItem.campaign_id == filters.campaign_id)
    if filters.claimed is not None:
        live = and_(QueueItem.claimed_by_id.is_not(None), QueueItem.claim_expires_at > utcnow())
        stmt = stmt.where(live if filters.claimed else not_(live))
    return stmt


@dataclass
class FlaggedItem:
    """A flagged inspection shown as a queue item."""

    id: uuid.UUID
    queue: str
    item_id: uuid.UUID
    region_code: str
    item_type: str
    title: str
    due_on: date
    assignee_id: uuid.UUID | None
    claimed_by_id: uuid.UUID | None
    claim_expires_at: datetime | None
    campaign_id: uuid.UUID | None


def _flagged(db: Session, *, scope: str, filters: Filters, limit: int,
             cursor: str | None) -> Page:
    """Completed inspections awaiting review of a location or photo flag."""
    stmt = select(Inspection).where(in_subtree(Inspection.region_code, scope),
                                    Inspection.status == COMPLETED,
                                    Inspection.review_status == REVIEW_PENDING)
    if filters.region_code:
        stmt = stmt.where(in_subtree(Inspection.region_code, filters.region_code))
    if filters.item_type:
        stmt = stmt.where(Inspection.kind == filters.item_type)
    if filters.campaign_id:
        stmt = stmt.where(Inspection.campaign_id == filters.campaign_id)
    page = paginate(db, stmt, [Inspection.completed_at, Inspection.id], limit=limit,
                    cursor=cursor)
    claims = {row.item_id: row for row in db.scalars(select(QueueItem).where(
        QueueItem.queue == FLAGGED, QueueItem.item_id.in_([i.id for i in page.items])))}
    page.items = [_as_flagged_item(inspection, claims.get(inspection.id))
                  for inspection in page.items]
    wanted = filters.claimed_by_id or filters.assignee_id
    if wanted:
        page.items = [i for i in page.items if i.claimed_by_id == wanted]
    return page


def _as_flagged_item(inspection: Inspection, claim: QueueItem | None) -> FlaggedItem:
    live = claim is not None and claim.claim_expires_at and claim.claim_expires_at > utcnow()
    return FlaggedItem(
        id=claim.id if claim else inspection.id, queue=FLAGGED, item_id=inspection.id,
        region_code=inspection.region_code, item_type=inspection.kind,
        title="Flagged inspection (location or photos)",
        due_on=china_date(inspection.completed_at) + timedelta(days=FLAGGED_REVIEW_DAYS),
        assignee_id=None, claimed_by_id=claim.claimed_by_id if live else None,
        claim_expires_at=claim.claim_expires_at if live else None,
        campaign_id=inspection.campaign_id)


def _flagged_row(db: Session, *, scope: str, item_id: uuid.UUID) -> None:
    """A flagged inspection gets its queue row when first claimed."""
    inspection = db.scalar(select(Inspection).where(
        Inspection.id == item_id, in_subtree(Inspection.region_code, scope),
        Inspection.review_status == REVIEW_PENDING))
    if inspection is None:
        raise NotFound(f"No flagged inspection {item_id} awaiting review in your jurisdiction.")
    try:
        with db.begin_nested():
            db.add(QueueItem(queue=FLAGGED, item_id=item_id, region_code=inspection.region_code,
                             item_type=inspection.kind, title="Flagged inspection",
                             due_on=china_date(inspection.completed_at),
                             campaign_id=inspection.campaign_id))
            db.flush()
    except IntegrityError:
        pass  # a concurrent claim made it; the conditional UPDATE below decides


def _item(db: Session, *, scope: str, queue: str, item_id: uuid.UUID) -> QueueItem:
    item = db.scalar(select(QueueItem).where(QueueItem.queue == queue,
                                             QueueItem.item_id == item_id,
                                             in_subtree(QueueItem.region_code, scope)))
    if item is None:
        raise NotFound(f"No item {item_id} in the {queue} queue of your jurisdiction.")
    return item


def claim(db: Session, *, scope: str, user: User, queue: str, item_id: uuid.UUID,
          minutes: int, now: datetime | None = None) -> QueueItem:
    """Claim an item for `minutes`; 409 when someone else holds a live claim."""
    now = now or utcnow()
    if minutes < 1:
        raise field_error("minutes", "A claim lasts at least one minute.")
    if queue == FLAGGED:
        _flagged_row(db, scope=scope, item_id=item_id)
    item = _item(db, scope=scope, queue=queue, item_id=item_id)
    won = db.execute(
        update(QueueItem)
        .where(QueueItem.id == item.id,
               or_(QueueItem.claimed_by_id.is_(None), QueueItem.claim_expires_at <= now,
                   QueueItem.claimed_by_id == user.id))
        .values(claimed_by_id=user.id, claim_expires_at=now + timedelta(minutes=minutes))
        .execution_options(synchronize_session=False)).rowcount
    db.refresh(item)
    if not won:
        raise Conflict(f"This item is claimed by someone else until "
                       f"{item.claim_expires_at.isoformat()}.",
                       errors={"claim": {"claimed_by_id": str(item.claimed_by_id),
                                         "claim_expires_at": item.claim_expires_at.isoformat()}})
    return item


def release(db: Session, *, scope: str, user: User, queue: str,
            item_id: uuid.UUID) -> QueueItem:
    """Give a claim back (only its holder may)."""
    item = _item(db, scope=scope, queue=queue, item_id=item_id)
    if item.claimed_by_id not in (None, user.id) and item.claim_expires_at > utcnow():
        raise Conflict("Only the officer holding the claim may release it.")
    item.claimed_by_id, item.claim_expires_at = None, None
    db.flush()
    return item
