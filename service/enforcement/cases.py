"""Cases (案件): opening one, reading them, and recording each step of the procedure.

Every step goes through `move_case`: the procedure's transition table says whether the move
is allowed from the case's state for the caller's role (409 naming the allowed moves, or
403); the move's own rule (`steps.py`) checks and applies its data; then one `CaseStep`
records who, when, why and with which evidence. Steps are never changed or removed.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.auth.logic import require_officers
from service.auth.models import User
from service.campaigns.logic import require_serving
from service.common.chinatime import china_today
from service.common.errors import Conflict, NotFound, field_error
from service.common.idempotency import insert_or_existing
from service.common.pagination import Page, paginate
from service.common.regions import contains, in_subtree
from service.enforcement import procedure, queues
from service.enforcement.models import Case, CaseStep
from service.inspections.models import COMPLETED, Finding, Inspection
from service.registry.logic import get_enterprise
from service.registry.sites import get_site

#: inspection kinds whose evidence is not gathered on site (no rule of two applies)
OFF_SITE_KINDS = ("remote",)


def visible(scope: str):
    """Cases whose region lies in the jurisdiction."""
    return select(Case).where(in_subtree(Case.region_code, scope))


def get_case(db: Session, *, scope: str, case_id: uuid.UUID) -> Case:
    """One case of the jurisdiction (else 404)."""
    case = db.scalar(visible(scope).where(Case.id == case_id))
    if case is None:
        raise NotFound(f"No case {case_id} in your jurisdiction.")
    return case


def list_cases(db: Session, *, scope: str, status: str | None, site_id: uuid.UUID | None,
               enterprise_id: uuid.UUID | None, assignee_id: uuid.UUID | None,
               campaign_id: uuid.UUID | None, limit: int, cursor: str | None) -> Page:
    """Cases of the jurisdiction, oldest first."""
    stmt = visible(scope)
    for column, value in ((Case.status, status), (Case.site_id, site_id),
                          (Case.enterprise_id, enterprise_id), (Case.assignee_id, assignee_id),
                          (Case.campaign_id, campaign_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    return paginate(db, stmt, [Case.created_at, Case.id], limit=limit, cursor=cursor)


def _findings(db: Session, *, scope: str, ids: list[uuid.UUID]) -> list[Finding]:
    """The cited findings: in the jurisdiction, of completed inspections, under the rule of
    two when the evidence was gathered on site."""
    found = list(db.scalars(select(Finding).join(Finding.inspection).where(
        Finding.id.in_(ids), in_subtree(Finding.region_code, scope))))
    missing = sorted(str(i) for i in set(ids) - {f.id for f in found})
    if missing:
        raise field_error("finding_ids", f"No findings {', '.join(missing)} in your "
                                         "jurisdiction.")
    for finding in found:
        inspection: Inspection = finding.inspection
        if inspection.status != COMPLETED:
            raise field_error("finding_ids", f"Finding {finding.id} belongs to an inspection "
                                             f"that is {inspection.status}.")
        if inspection.kind not in OFF_SITE_KINDS and not inspection.enforcement_ready:
            raise field_error("finding_ids", (
                f"Inspection {inspection.id} did not have two inspectors with valid "
                "enforcement certificates (执法证) on its date: its findings cannot open a "
                "case (rule of two, 《行政处罚法》 art. 42)."))
    if len({f.site_id for f in found}) > 1:
        raise field_error("finding_ids", "The findings belong to different sites; open one "
                                         "case per site.")
    return found


def _subject(db: Session, *, scope: str, data: dict, findings: list[Finding]):
    """The site and enterprise the case is about, and the region it counts in."""
    site_id = findings[0].site_id if findings else data.get("site_id")
    if findings and data.get("site_id") not in (None, site_id):
        raise field_error("site_id", "The findings belong to another site.")
    site = get_site(db, scope=scope, site_id=site_id, field="site_id") if site_id else None
    enterprise_id = data.get("enterprise_id") or (site.enterprise_id if site else None)
    if enterprise_id is None:
        raise field_error("site_id", "Name the site or the enterprise the case is about.")
    enterprise = get_enterprise(db, scope=scope, enterprise_id=enterprise_id)
    if site is not None and site.enterprise_id not in (None, enterprise.id):
        raise field_error("enterprise_id", "The site is run by another enterprise.")
    return site, enterprise, (site.region_code if site else enterprise.region_code)


def _campaign(db: Session, *, scope: str, data: dict, findings: list[Finding],
              region_code: str, on: date, inherited: uuid.UUID | None) -> uuid.UUID | None:
    """The campaign the case serves: the one named (visible, covering the region on the
    case's date, unless it is the inspection's own), else the cited inspection's."""
    served = {f.inspection.campaign_id for f in findings} - {None}
    named = data.get("campaign_id")
    if named is None:
        return inherited or (min(served, key=str) if served else None)
    if named not in served:
        require_serving(db, scope=scope, campaign_id=named, region_code=region_code,
                        first=on, last=on)
    return named


def open_case(db: Session, *, scope: str, user: User, data: dict, today: date | None = None,
              inherited_campaign_id: uuid.UUID | None = None) -> tuple[Case, bool]:
    """Open a case as a lead (线索); (case, created). The same id again answers the case.
    `inherited_campaign_id`: the campaign of what escalated into the case (an order's)."""
    if data.get("id"):
        existing = db.get(Case, data["id"])
        if existing is not None:
            return _again(scope, existing, data), False
    if data["source"] == "inspection" and not data["finding_ids"]:
        raise field_error("finding_ids", "A case from an inspection cites its findings.")
    if data["source"] != "inspection" and not data.get("source_note"):
        raise field_error("source_note", "Say who complained, reported or transferred it.")
    today = today or china_today()
    on = data.get("on") or today
    if on > today:
        raise field_error("on", "A case cannot be opened with a date in the future.")
    findings = _findings(db, scope=scope, ids=data["finding_ids"])
    site, enterprise, region_code = _subject(db, scope=scope, data=data, findings=findings)
    campaign_id = _campaign(db, scope=scope, data=data, findings=findings,
                            region_code=region_code, on=on, inherited=inherited_campaign_id)
    case = Case(id=data.get("id") or uuid.uuid4(), region_code=region_code,
                bureau_code=user.region_code, site_id=site.id if site else None,
                enterprise_id=enterprise.id, source=data["source"],
                source_note=data.get("source_note"), procedure=data["procedure"],
                status=procedure.LEAD, title=data["title"], party_kind=data["party_kind"],
                party_name=data.get("party_name") or enterprise.name,
                party_id_number=data.get("party_id_number"), measures=[],
                assignee_id=user.id, opened_by_id=user.id, findings=findings,
                rectification_id=data.get("rectification_id"), campaign_id=campaign_id)
    stored, created = insert_or_existing(db, case)
    if not created:
        return _again(scope, stored, data), False
    record_step(db, case=case, user=user, move="open", from_status=None,
                on=on, reason=data.get("reason"),
                evidence={"finding_ids": [str(f.id) for f in findings]})
    if case.procedure == "ordinary":
        queues.enqueue(db, queue="filing_approval", item_id=case.id, region_code=region_code,
                       item_type=case.source, title=case.title, due_on=on,
                       assignee_id=case.assignee_id,
                       campaign_id=case.campaign_id)
    return case, True


def _again(scope: str, case: Case, data: dict) -> Case:
    """A case opened again with its id: the same answer, or 409 for another body."""
    if not contains(scope, case.region_code) or case.title != data["title"]:
        raise Conflict(f"Case {case.id} already exists with a different body.", field="id")
    return case


def record_step(db: Session, *, case: Case, user: User, move: str, from_status: str | None,
                on: date, reason: str | None, evidence: dict | None = None,
                document_number: str | None = None) -> CaseStep:
    """Append a step to the case's record (全过程记录)."""
    seq = (db.scalar(select(func.max(CaseStep.seq)).where(CaseStep.case_id == case.id)) or 0) + 1
    step = CaseStep(case_id=case.id, seq=seq, move=move, from_status=from_status,
                    to_status=case.status, actor_id=user.id, on=on, reason=reason,
                    evidence=evidence or {}, document_number=document_number)
    db.add(step)
    db.flush()
    db.expire(case, ["steps"])
    return step


def step_date(case: Case, on: date | None, today: date) -> date:
    """The step's China date: not in the future, not before the case's last step."""
    on = on or today
    if on > today:
        raise field_error("on", "A step cannot be dated in the future (China time).")
    last = max((step.on for step in case.steps), default=None)
    if last is not None and on < last:
        raise field_error("on", f"A step cannot be dated before the case's last step ({last}).")
    return on


def update_case(db: Session, *, scope: str, case: Case, data: dict) -> Case:
    """Change what is not a step: title, party details, the assigned officer."""
    if case.status in procedure.FINAL:
        raise Conflict(f"The case is {case.status}; it no longer changes.")
    if "assignee_id" in data and data["assignee_id"] is not None:
        _check_officer(db, scope=scope, user_id=data["assignee_id"])
    for name, value in data.items():
        setattr(case, name, value)
    db.flush()
    if "assignee_id" in data:
        queues.reassign(db, item_id=case.id, assignee_id=case.assignee_id)
    return case


def _check_officer(db: Session, *, scope: str, user_id: uuid.UUID) -> None:
    require_officers(db, scope=scope, ids=[user_id], field="assignee_id",
                     roles=procedure.OFFICERS)


def extend_deadline(db: Session, *, scope: str, user: User, case: Case, days: int,
                    reason: str, today: date | None = None) -> Case:
    """Record an extension of the 90-day decision deadline (延期), with its reason."""
    if case.status not in procedure.BEFORE_DECISION:
        raise Conflict(f"Only a filed, undecided case has a decision deadline; this one is "
                       f"{case.status}.")
    on = step_date(case, None, today or china_today())
    case.extension_days += days
    case.decision_due_on = case.decision_due_on + timedelta(days=days)
    db.flush()
    record_step(db, case=case, user=user, move="extend_deadline", from_status=case.status,
                on=on, reason=reason, evidence={"days": days})
    queues.enqueue(db, queue="decision_deadline", item_id=case.id,
                   region_code=case.region_code, item_type=case.violation_code or case.source,
                   title=case.title, due_on=case.decision_due_on, assignee_id=case.assignee_id,
                   campaign_id=case.campaign_id)
    return case
