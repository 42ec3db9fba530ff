"""Recording rectification evaluations and reading them within the jurisdiction."""

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
from service.evaluations.models import RectificationEvaluation
from service.inspections.models import COMPLETED, Inspection
from service.registry.sites import get_site
from service.selfchecks.models import SelfCheck


def evaluate(db: Session, *, scope: str, user_id: uuid.UUID, data: dict,
             today: date) -> RectificationEvaluation:
    """Score how a site of the jurisdiction rectified what an inspection or a self-check of
    it found; the same id and body again answer the same evaluation."""
    data = dict(data)
    evaluation_id = data.pop("id", None) or new_uuid()
    request_hash = body_hash(data)
    site = get_site(db, scope=scope, site_id=data["site_id"], field="site_id")
    if data["evaluated_on"] > today:
        raise field_error("evaluated_on", "An evaluation cannot be dated in the future.")
    _check_basis(db, site.id, data)
    row = RectificationEvaluation(id=evaluation_id, region_code=site.region_code,
                                  enterprise_id=site.enterprise_id, request_hash=request_hash,
                                  evaluated_by_id=user_id, **data)
    return insert_once(db, row, same=lambda stored: stored.request_hash == request_hash,
                       what="Evaluation")


def _check_basis(db: Session, site_id: uuid.UUID, data: dict) -> None:
    """What found the problems: a completed inspection or a self-check of this very site."""
    for field, model, what in (("inspection_id", Inspection, "completed inspection"),
                               ("self_check_id", SelfCheck, "self-check")):
        basis_id = data.get(field)
        if basis_id is None:
            continue
        basis = db.get(model, basis_id)
        usable = basis is not None and basis.site_id == site_id and (
            model is not Inspection or basis.status == COMPLETED)
        if not usable:
            raise field_error(field, f"No {what} {basis_id} of this site.")


def get_evaluation(db: Session, *, scope: str,
                   evaluation_id: uuid.UUID) -> RectificationEvaluation:
    """One evaluation of a site of the jurisdiction (else 404)."""
    found = db.scalar(select(RectificationEvaluation).where(
        RectificationEvaluation.id == evaluation_id,
        in_subtree(RectificationEvaluation.region_code, scope)))
    if found is None:
        raise NotFound(f"No rectification evaluation {evaluation_id} in your jurisdiction.")
    return found


def list_evaluations(db: Session, *, scope: str, site_id: uuid.UUID | None,
                     enterprise_id: uuid.UUID | None, limit: int, cursor: str | None) -> Page:
    """Evaluations of the jurisdiction's sites, oldest first."""
    stmt = select(RectificationEvaluation).where(
        in_subtree(RectificationEvaluation.region_code, scope))
    for column, value in ((RectificationEvaluation.site_id, site_id),
                          (RectificationEvaluation.enterprise_id, enterprise_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    return paginate(db, stmt, [RectificationEvaluation.evaluated_on, RectificationEvaluation.id],
                    limit=limit, cursor=cursor)
