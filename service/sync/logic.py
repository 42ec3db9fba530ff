"""The changes feed: sites of the jurisdiction and checklist templates, in change order.

Rows are read in (updated_at, id) order from both tables and merged. The cursor (`since`)
is an opaque position in that order.

Sites lent across districts (县区互查): a third stream reads the caller's tasks for sites
outside the jurisdiction, in (updated_at, id) order. While such a task is open, its entry
brings the site (and edits of the site come with the jurisdiction's, as the site stream
reads every site in reach); once it is done or cancelled, its entry says `removed`: the
phone deletes the site, whatever version it holds (a later task brings it back). A first
sync (no `since`) skips removals: the phone holds nothing to remove.

Late commits: `updated_at` is taken when a row is flushed, but the row becomes visible only
when its transaction commits, so a row may appear *behind* a position a phone has already
passed. While paging (`has_more`), the cursor is the exact last position. When a page
reaches the end, the cursor handed back is never later than `now - OVERLAP_SECONDS`: the
next sync re-reads the last minute, so a row committed up to a minute after its
`updated_at` is still delivered. Phones de-duplicate by (type, id, version).
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import not_, select, tuple_
from sqlalchemy.orm import Session, undefer

from service.assignments.models import TASK_OPEN, Task, task_assignees
from service.checklists.logic import mark_current
from service.checklists.models import ChecklistTemplate
from service.common.errors import field_error
from service.common.fields import moment_from_text
from service.common.regions import caller_of, in_subtree
from service.db import utcnow
from service.registry.models import Site
from service.registry.sites import lent_site_ids, sites_in_reach

#: how far back a finished sync's cursor is set, to catch rows committed late
OVERLAP_SECONDS = 60
NIL = uuid.UUID(int=0)

Position = tuple[datetime, uuid.UUID]


@dataclass
class Change:
    type: str
    id: uuid.UUID
    version: int
    updated_at: datetime
    status: str | None
    site: Site | None = None
    checklist: ChecklistTemplate | None = None
    #: the site left the caller's reach (their cross-district task ended): delete it
    removed: bool = False


@dataclass
class Changes:
    items: list[Change]
    next_since: str
    has_more: bool


def encode_since(position: Position) -> str:
    raw = json.dumps([position[0].isoformat(), position[1].hex]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_since(since: str) -> Position:
    try:
        raw = base64.urlsafe_b64decode((since + "=" * (-len(since) % 4)).encode())
        moment, ident = json.loads(raw)
        position = (moment_from_text(moment), uuid.UUID(hex=ident))
    except (ValueError, TypeError, AttributeError, binascii.Error) as exc:
        raise field_error("since", "Invalid cursor; send `next_since` of an earlier answer, "
                                   "or nothing to start over.", location="query") from exc
    if position[0].tzinfo is None:
        raise field_error("since", "Invalid cursor.", location="query")
    return position


def _after(db: Session, stmt, model, position: Position | None, limit: int) -> list:
    if position is not None:
        stmt = stmt.where(tuple_(model.updated_at, model.id) > tuple_(*position))
    return list(db.scalars(stmt.order_by(model.updated_at, model.id).limit(limit + 1)))


def _lendings(db: Session, *, scope: str, position: Position | None, limit: int) -> list[Task]:
    """The caller's tasks for sites outside the jurisdiction, after `position`; open ones
    only on a first sync."""
    user_id = caller_of(scope)
    if user_id is None:
        return []
    stmt = (select(Task).join(Site, Site.id == Task.site_id)
            .where(not_(in_subtree(Site.region_code, scope)),
                   Task.id.in_(select(task_assignees.c.task_id)
                               .where(task_assignees.c.user_id == user_id))))
    if position is None:
        stmt = stmt.where(Task.status == TASK_OPEN)
    return _after(db, stmt, Task, position, limit)


def _lent_change(db: Session, *, scope: str, task: Task) -> Change:
    site = task.site
    lent = lent_site_ids(scope)
    still = task.status == TASK_OPEN or (lent is not None and db.scalar(
        lent.where(Task.site_id == site.id).limit(1)) is not None)
    if still:
        return Change("site", site.id, site.version, task.updated_at, site.status, site=site)
    return Change("site", site.id, site.version, task.updated_at, None, removed=True)


def _change(row) -> Change:
    if isinstance(row, Site):
        return Change("site", row.id, row.version, row.updated_at, row.status, site=row)
    return Change("checklist", row.id, row.version, row.updated_at, None, checklist=row)


def list_changes(db: Session, *, scope: str, since: str | None, limit: int,
                 now: datetime | None = None, overlap_s: int = OVERLAP_SECONDS) -> Changes:
    """What changed after `since` (everything without it), oldest change first."""
    position = decode_since(since) if since else None
    sites = _after(db, select(Site).where(sites_in_reach(scope))
                   .options(undefer(Site.enterprise_licence_status)), Site, position, limit)
    templates = _after(db, select(ChecklistTemplate), ChecklistTemplate, position, limit)
    lendings = _lendings(db, scope=scope, position=position, limit=limit)
    merged = sorted(sites + templates + lendings, key=lambda row: (row.updated_at, row.id))
    page, has_more = merged[:limit], len(merged) > limit
    mark_current(db, [row for row in page if isinstance(row, ChecklistTemplate)])
    last = (page[-1].updated_at, page[-1].id) if page else position
    if not has_more:
        settled = ((now or utcnow()) - timedelta(seconds=overlap_s), NIL)
        last = settled if last is None else min(last, settled)
    return Changes([_lent_change(db, scope=scope, task=row) if isinstance(row, Task)
                    else _change(row) for row in page], encode_since(last), has_more)
