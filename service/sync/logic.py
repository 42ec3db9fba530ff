"""The changes feed: sites of the jurisdiction and checklist templates, in change order.

Rows are read in (updated_at, id) order from both tables and merged. The cursor (`since`)
is an opaque position in that order.

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

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, undefer

from service.checklists.logic import mark_current
from service.checklists.models import ChecklistTemplate
from service.common.errors import field_error
from service.common.fields import moment_from_text
from service.common.regions import in_subtree
from service.db import utcnow
from service.registry.models import Site

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


def _change(row) -> Change:
    if isinstance(row, Site):
        return Change("site", row.id, row.version, row.updated_at, row.status, site=row)
    return Change("checklist", row.id, row.version, row.updated_at, None, checklist=row)


def list_changes(db: Session, *, scope: str, since: str | None, limit: int,
                 now: datetime | None = None, overlap_s: int = OVERLAP_SECONDS) -> Changes:
    """What changed after `since` (everything without it), oldest change first."""
    position = decode_since(since) if since else None
    sites = _after(db, select(Site).where(in_subtree(Site.region_code, scope))
                   .options(undefer(Site.enterprise_licence_status)), Site, position, limit)
    templates = _after(db, select(ChecklistTemplate), ChecklistTemplate, position, limit)
    merged = sorted(sites + templates, key=lambda row: (row.updated_at, row.id))
    page, has_more = merged[:limit], len(merged) > limit
    mark_current(db, [row for row in page if isinstance(row, ChecklistTemplate)])
    last = (page[-1].updated_at, page[-1].id) if page else position
    if not has_more:
        settled = ((now or utcnow()) - timedelta(seconds=overlap_s), NIL)
        last = settled if last is None else min(last, settled)
    return Changes([_change(row) for row in page], encode_since(last), has_more)
