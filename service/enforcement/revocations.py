"""Revocation of the licence (吊销许可) shown in the registry: once the decision is served,
the enterprise's `licence_status` is `revoked` (with the day and the case), and each of its
sites is touched so the phones' changes feed delivers them again with the new
`enterprise_licence_status`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import utcnow
from service.enforcement.models import Case
from service.registry.models import LICENCE_REVOKED, Enterprise, Site


def revoke_licence(db: Session, *, case: Case, on: date) -> Enterprise:
    """The served revocation decision of `case` revokes its enterprise's licence."""
    enterprise = db.get(Enterprise, case.enterprise_id)
    if enterprise.licence_status == LICENCE_REVOKED:
        return enterprise
    enterprise.licence_status = LICENCE_REVOKED
    enterprise.licence_revoked_on, enterprise.licence_revoked_case_id = on, case.id
    now = utcnow()
    for site in db.scalars(select(Site).where(Site.enterprise_id == enterprise.id)):
        site.updated_at = now
    db.flush()
    return enterprise
