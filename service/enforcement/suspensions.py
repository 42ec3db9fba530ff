"""Suspensions (停业整顿) shown in the registry: a site is `suspended` while one is in effect.

Setting the site's status bumps its `updated_at`, so the phones' changes feed delivers it.
Serving the decision applies a suspension that has started; the daily job applies the ones
starting later and lifts the ones that ended.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.enforcement.models import Case, Suspension
from service.registry.models import SITE_ACTIVE, SITE_SUSPENDED, Site


def apply_suspensions(db: Session, *, today: date, site_id: uuid.UUID | None = None) -> int:
    """Suspend sites whose served suspension has started, reopen those whose ended."""
    stmt = (select(Suspension).join(Case, Case.id == Suspension.case_id)
            .where(Suspension.lifted.is_(False), Suspension.starts_on <= today,
                   Case.served_on.is_not(None)))
    if site_id is not None:
        stmt = stmt.where(Suspension.site_id == site_id)
    changed = 0
    for suspension in db.scalars(stmt):
        site = db.get(Site, suspension.site_id)
        if suspension.ends_on < today:
            suspension.lifted = True
            if site.status == SITE_SUSPENDED:
                site.status, changed = SITE_ACTIVE, changed + 1
        elif site.status == SITE_ACTIVE:
            site.status, changed = SITE_SUSPENDED, changed + 1
            suspension.applied = True
    db.flush()
    return changed
