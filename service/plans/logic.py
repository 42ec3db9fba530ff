"""Plans (creation, look-up) and conflict-of-interest declarations."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth.models import User
from service.campaigns.logic import require_serving
from service.common.errors import Conflict, NotFound, field_error
from service.common.idempotency import body_hash, insert_once, require_same
from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.db import new_uuid
from service.matters.logic import require_matters
from service.matters.models import InspectionMatter
from service.plans.draw import JURISDICTION, sha256_hex
from service.plans.models import PLAN_DRAFT, InspectionPlan, InspectorConflict
from service.regions.logic import require_region_in_scope
from service.registry.models import Enterprise


def create_plan(db: Session, *, scope: str, user: User, data: dict) -> InspectionPlan:
    """A draft plan with a fresh secret seed; the same client id and body answer the same."""
    data = dict(data)
    plan_id = data.pop("id") or new_uuid()
    request_hash = _request_hash(data)

    def same_body(stored: InspectionPlan) -> bool:
        return stored.request_hash == request_hash

    existing = db.get(InspectionPlan, plan_id)
    if existing is not None:
        return require_same(existing, same=same_body, what="Plan")
    require_region_in_scope(db, scope=scope, code=data["region_code"])
    require_serving(db, scope=scope, campaign_id=data.get("campaign_id"),
                    region_code=data["region_code"], first=data["period_start"],
                    last=data["period_end"])
    data["matter_codes"] = list(dict.fromkeys(data["matter_codes"]))
    data["site_types"] = _site_types(require_matters(db, codes=data["matter_codes"]),
                                     data["site_types"])
    data["due_on"] = data["due_on"] or data["period_end"]
    seed = secrets.token_hex(32)
    plan = InspectionPlan(id=plan_id, **data, status=PLAN_DRAFT, seed=seed,
                          seed_hash=sha256_hex(seed), request_hash=request_hash,
                          created_by_id=user.id)
    return insert_once(db, plan, same=same_body, what="Plan")


#: fields added after the first release, left out while at their default, so a retried
#: creation sent before they existed is still recognised
_LATER_DEFAULTS = {"pairing": JURISDICTION, "campaign_id": None}


def _request_hash(data: dict) -> str:
    return body_hash({key: value for key, value in data.items()
                      if key not in _LATER_DEFAULTS or value != _LATER_DEFAULTS[key]})


def _site_types(matters: list[InspectionMatter], wanted: list[str] | None) -> list[str]:
    """The plan's site types: those asked for (each covered by a matter), else the matters'."""
    covered = sorted({site_type for matter in matters for site_type in matter.site_types})
    if wanted is None:
        return covered
    uncovered = [site_type for site_type in wanted if site_type not in covered]
    if uncovered:
        raise field_error("site_types", f"No chosen matter applies to: {', '.join(uncovered)}.")
    return list(dict.fromkeys(wanted))


def get_plan(db: Session, *, scope: str, plan_id: uuid.UUID) -> InspectionPlan:
    """A plan of the caller's jurisdiction; anything else is 404."""
    plan = db.scalar(select(InspectionPlan).where(
        InspectionPlan.id == plan_id, in_subtree(InspectionPlan.region_code, scope)))
    if plan is None:
        raise NotFound("No such inspection plan in your jurisdiction.")
    return plan


def list_plans(db: Session, *, scope: str, status: str | None, campaign_id: uuid.UUID | None,
               limit: int, cursor: str | None) -> Page:
    """Plans whose scope lies in the caller's subtree, oldest first."""
    stmt = select(InspectionPlan).where(in_subtree(InspectionPlan.region_code, scope))
    if status:
        stmt = stmt.where(InspectionPlan.status == status)
    if campaign_id:
        stmt = stmt.where(InspectionPlan.campaign_id == campaign_id)
    return paginate(db, stmt, [InspectionPlan.created_at, InspectionPlan.id],
                    limit=limit, cursor=cursor)


def declare_conflict(db: Session, *, scope: str, user: User, data: dict) -> InspectorConflict:
    """Record that an inspector must not inspect an enterprise's sites (回避); idempotent."""
    inspector = db.scalar(select(User).where(User.id == data["user_id"],
                                             in_subtree(User.region_code, scope)))
    if inspector is None:
        raise field_error("user_id", "No such user in your jurisdiction.")
    if db.get(Enterprise, data["enterprise_id"]) is None:
        raise field_error("enterprise_id", "Unknown enterprise (寄递企业).")
    existing = _find_conflict(db, data)
    if existing is not None:
        return _same_conflict(existing, data["reason"])
    conflict = InspectorConflict(**data, declared_by_id=user.id)
    try:
        with db.begin_nested():
            db.add(conflict)
            db.flush()
    except IntegrityError:
        return _same_conflict(_find_conflict(db, data), data["reason"])
    return conflict


def _find_conflict(db: Session, data: dict) -> InspectorConflict | None:
    return db.scalar(select(InspectorConflict).where(
        InspectorConflict.user_id == data["user_id"],
        InspectorConflict.enterprise_id == data["enterprise_id"]))


def _same_conflict(conflict: InspectorConflict | None, reason: str) -> InspectorConflict:
    if conflict is None or conflict.reason != reason:
        raise Conflict("A conflict of interest is already declared for this inspector and "
                       "enterprise, with another reason.", field="reason")
    return conflict


def list_conflicts(db: Session, *, scope: str, user_id: uuid.UUID | None,
                   enterprise_id: uuid.UUID | None, limit: int, cursor: str | None) -> Page:
    """Declarations of inspectors of the caller's jurisdiction, oldest first."""
    stmt = (select(InspectorConflict).join(User, User.id == InspectorConflict.user_id)
            .where(in_subtree(User.region_code, scope)))
    if user_id:
        stmt = stmt.where(InspectorConflict.user_id == user_id)
    if enterprise_id:
        stmt = stmt.where(InspectorConflict.enterprise_id == enterprise_id)
    return paginate(db, stmt, [InspectorConflict.created_at, InspectorConflict.id],
                    limit=limit, cursor=cursor)
