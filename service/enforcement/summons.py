"""Summons (约谈) of an enterprise, recorded with its document number and date."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.auth.models import User
from service.common.chinatime import china_today
from service.common.errors import field_error
from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.enforcement.cases import get_case
from service.enforcement.models import Summons
from service.enforcement.numbering import issue_document
from service.registry.logic import get_enterprise
from service.registry.sites import get_site


def record_summons(db: Session, *, scope: str, user: User, data: dict,
                   today: date | None = None) -> Summons:
    """Record a summons held (or set) on a date, issuing its notice number."""
    enterprise = get_enterprise(db, scope=scope, enterprise_id=data["enterprise_id"])
    site = (get_site(db, scope=scope, site_id=data["site_id"], field="site_id")
            if data.get("site_id") else None)
    if site is not None and site.enterprise_id != enterprise.id:
        raise field_error("site_id", "The site is run by another enterprise.")
    case = get_case(db, scope=scope, case_id=data["case_id"]) if data.get("case_id") else None
    document = issue_document(db, bureau_code=user.region_code, kind="summons",
                              issued_on=today or china_today(),
                              case_id=case.id if case else None)
    summons = Summons(enterprise_id=enterprise.id, site_id=site.id if site else None,
                      region_code=site.region_code if site else user.region_code,
                      bureau_code=user.region_code, held_on=data["held_on"],
                      subject=data["subject"], attendees=data.get("attendees"),
                      number=document.number, case_id=case.id if case else None,
                      recorded_by_id=user.id)
    db.add(summons)
    db.flush()
    document.subject_id = summons.id
    return summons


def list_summons(db: Session, *, scope: str, enterprise_id: uuid.UUID | None, limit: int,
                 cursor: str | None) -> Page:
    """Summons of the jurisdiction (held by its bureaus or about its sites), by date."""
    stmt = select(Summons).where(or_(in_subtree(Summons.region_code, scope),
                                     in_subtree(Summons.bureau_code, scope)))
    if enterprise_id is not None:
        stmt = stmt.where(Summons.enterprise_id == enterprise_id)
    return paginate(db, stmt, [Summons.held_on, Summons.id], limit=limit, cursor=cursor)
