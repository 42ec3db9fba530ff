"""An enterprise's or a site's enforcement record (执法档案) on one page: findings, cases
with their measures and payments, rectification orders and summons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.common.regions import in_subtree
from service.enforcement.models import Case, Rectification, Summons
from service.inspections.models import VOIDED, Finding, Inspection
from service.registry.logic import get_enterprise
from service.registry.models import Site
from service.registry.sites import get_site

#: the newest entries of each kind shown on the page
RECORD_LIMIT = 200


@dataclass
class Record:
    subject_type: str
    subject_id: uuid.UUID
    name: str
    findings: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    rectifications: list = field(default_factory=list)
    summons: list = field(default_factory=list)


def _newest(db: Session, stmt, column) -> list:
    return list(db.scalars(stmt.order_by(column.desc()).limit(RECORD_LIMIT)))


def _fill(db: Session, record: Record, *, scope: str, site_ids, enterprise_id) -> Record:
    record.findings = _newest(db, select(Finding).join(Finding.inspection).where(
        Finding.site_id.in_(site_ids), in_subtree(Finding.region_code, scope),
        Inspection.status != VOIDED), Finding.created_at)
    cases = select(Case).where(in_subtree(Case.region_code, scope))
    cases = cases.where(Case.enterprise_id == enterprise_id) if enterprise_id \
        else cases.where(Case.site_id.in_(site_ids))
    record.cases = _newest(db, cases, Case.created_at)
    record.rectifications = _newest(db, select(Rectification).where(
        Rectification.site_id.in_(site_ids), in_subtree(Rectification.region_code, scope)),
        Rectification.issued_on)
    summons = select(Summons).where(in_subtree(Summons.region_code, scope))
    summons = summons.where(Summons.enterprise_id == enterprise_id) if enterprise_id \
        else summons.where(Summons.site_id.in_(site_ids))
    record.summons = _newest(db, summons, Summons.held_on)
    return record


def enterprise_record(db: Session, *, scope: str, enterprise_id: uuid.UUID) -> Record:
    """Everything enforcement knows of an enterprise's sites in the jurisdiction."""
    enterprise = get_enterprise(db, scope=scope, enterprise_id=enterprise_id)
    site_ids = select(Site.id).where(Site.enterprise_id == enterprise.id,
                                     in_subtree(Site.region_code, scope))
    return _fill(db, Record("enterprise", enterprise.id, enterprise.name), scope=scope,
                 site_ids=site_ids, enterprise_id=enterprise.id)


def site_record(db: Session, *, scope: str, site_id: uuid.UUID) -> Record:
    """Everything enforcement knows of one site."""
    site = get_site(db, scope=scope, site_id=site_id)
    return _fill(db, Record("site", site.id, site.name), scope=scope, site_ids=[site.id],
                 enterprise_id=None)
