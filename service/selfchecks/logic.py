"""Recording enterprises' self-checks, reading them within the caller's jurisdiction."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.common.errors import NotFound, field_error
from service.common.idempotency import body_hash, insert_once
from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.db import new_uuid
from service.inspections import rules
from service.inspections.validation import check_items, template_for
from service.registry.sites import get_site
from service.selfchecks.models import SelfCheck, SelfCheckAnswer


def record_self_check(db: Session, *, scope: str, user_id: uuid.UUID | None, data: dict,
                      source: str = "recorded", today: date) -> SelfCheck:
    """Store an enterprise's self-check of a site of the jurisdiction; the same id and body
    again answer the same record, another body is a 409."""
    data = dict(data)
    check_id = data.pop("id", None) or new_uuid()
    request_hash = _body_hash(data)
    site = get_site(db, scope=scope, site_id=data["site_id"], field="site_id")
    template = template_for(db, site=site, template_id=data["template_id"])
    check_items(template, data["answers"], complete=True)
    if data["checked_on"] > today:
        raise field_error("checked_on", "A self-check cannot be dated in the future.")
    weights = {item.code: item.weight for item in template.items}
    answers = {answer["item_code"]: answer["answer"] for answer in data["answers"]}
    row = SelfCheck(
        id=check_id, site_id=site.id, region_code=site.region_code,
        enterprise_id=site.enterprise_id, template_id=template.id,
        checked_on=data["checked_on"], score=rules.score(weights, answers), note=data["note"],
        source=source, request_hash=request_hash, recorded_by_id=user_id,
        answers=[SelfCheckAnswer(item_code=a["item_code"], answer=a["answer"], note=a["note"])
                 for a in data["answers"]])
    return insert_once(db, row, same=lambda stored: stored.request_hash == request_hash,
                       what="Self-check")


def _body_hash(data: dict) -> str:
    return body_hash({**data, "answers": sorted(data["answers"], key=lambda a: a["item_code"])})


def get_self_check(db: Session, *, scope: str, self_check_id: uuid.UUID) -> SelfCheck:
    """One self-check of a site of the jurisdiction (else 404)."""
    found = db.scalar(select(SelfCheck).where(SelfCheck.id == self_check_id,
                                              in_subtree(SelfCheck.region_code, scope)))
    if found is None:
        raise NotFound(f"No self-check {self_check_id} in your jurisdiction.")
    return found


def list_self_checks(db: Session, *, scope: str, site_id: uuid.UUID | None,
                     enterprise_id: uuid.UUID | None, checked_from: date | None,
                     checked_to: date | None, limit: int, cursor: str | None) -> Page:
    """Self-checks of the jurisdiction's sites, oldest first."""
    stmt = select(SelfCheck).where(in_subtree(SelfCheck.region_code, scope))
    for column, value in ((SelfCheck.site_id, site_id),
                          (SelfCheck.enterprise_id, enterprise_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    if checked_from is not None:
        stmt = stmt.where(SelfCheck.checked_on >= checked_from)
    if checked_to is not None:
        stmt = stmt.where(SelfCheck.checked_on <= checked_to)
    return paginate(db, stmt, [SelfCheck.checked_on, SelfCheck.id], limit=limit, cursor=cursor)
