"""Submitting an inspection from a phone: one idempotent request per inspection.

The phone makes the id. The validated body's SHA-256 (`request_hash`) recognises a retry:
the same id and body answer as the first time and store nothing new; a different body is a
409, except that a draft may be replaced by its submitter. The body is checked first, then
one `INSERT … ON CONFLICT DO NOTHING` claims the id: two copies racing each other meet at
the primary key, and the loser (which inserted nothing) answers from the winner's row. A
new inspection costs a handful of statements: the caller and the site are read, the
checklist version comes from the process's cache, and the inspectors, answers and findings
are written before the tasks it completes are looked up: on PostgreSQL in one statement,
elsewhere one INSERT per table (`service.inspections.parts`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from service.assignments.completion import complete_tasks_for
from service.assignments.reach import inspection_in_reach
from service.auth.models import User
from service.checklists.logic import TemplateVersion
from service.common.errors import Conflict, DomainError, Forbidden
from service.common.idempotency import insert_new
from service.db import utcnow
from service.inspections import rules
from service.inspections.lifecycle import INSPECTION
from service.inspections.models import (
    COMPLETED,
    REVIEW_NONE,
    REVIEW_PENDING,
    Finding,
    Inspection,
    InspectionAnswer,
    PartnerOfficer,
)
from service.inspections.parts import finding_rows, write_parts
from service.inspections.validation import Checked, check_submission


@dataclass
class Submission:
    """The stored inspection, and whether to answer 201 (the body that created it) or 200."""

    inspection: Inspection
    created: bool


@dataclass(frozen=True)
class Limits:
    """The server's allowances: the location radius and the phones' clock skew."""

    radius_m: float
    clock_skew_s: int


def submit_inspection(db: Session, *, scope: str, submitter: User, inspection_id: uuid.UUID,
                      data: dict, limits: Limits) -> Submission:
    """Create, replace a draft, or complete an inspection; a retried body changes nothing."""
    request_hash = rules.body_hash(data)
    again = {"scope": scope, "submitter": submitter, "data": data,
             "request_hash": request_hash, "limits": limits}
    now = utcnow()
    try:
        checked = check_submission(db, scope=scope, submitter=submitter, data=data, now=now,
                                   clock_skew_s=limits.clock_skew_s)
    except DomainError:
        # A stored inspection answers as before, even if its body would no longer pass.
        if (existing := db.get(Inspection, inspection_id)) is None:
            raise
        return _again(db, existing, **again)
    columns = _columns(data, checked, request_hash=request_hash, now=now, limits=limits)
    inspection = insert_new(db, Inspection, {
        **columns, "id": inspection_id, "submitted_by_id": submitter.id, "revision": 0,
        "version": 1})
    if inspection is None:  # the id is taken: a retry, or a copy of it that won the race
        return _again(db, db.get(Inspection, inspection_id), **again)
    write_parts(db, inspection, data, inspectors=checked.inspectors,
                template=checked.template)
    if inspection.status == COMPLETED:
        complete_tasks_for(db, inspection=inspection)
    return Submission(inspection, created=True)


def _again(db: Session, inspection: Inspection, *, scope: str, submitter: User, data: dict,
           request_hash: str, limits: Limits) -> Submission:
    """A submission for an id that exists: a retry, a draft's replacement, or a conflict."""
    if not inspection_in_reach(db, scope=scope, inspection=inspection):
        raise Conflict("This inspection id is already taken; make a new id.")
    if inspection.request_hash == request_hash:
        return Submission(inspection, created=inspection.revision == 0)
    move = "complete" if data["status"] == COMPLETED else "revise"
    INSPECTION.require(inspection.status, move, role=submitter.role, hint=(
        "This body differs from the one stored; to correct a completed inspection, void it "
        "and submit a new one."))
    if inspection.submitted_by_id != submitter.id:
        raise Forbidden("Only the inspector who started this draft may change it.")
    now = utcnow()
    checked = check_submission(db, scope=scope, submitter=submitter, data=data, now=now,
                               clock_skew_s=limits.clock_skew_s)
    for name, value in _columns(data, checked, request_hash=request_hash, now=now,
                                limits=limits).items():
        setattr(inspection, name, value)
    _attach(inspection, data, checked)
    inspection.revision += 1
    db.flush()
    if inspection.status == COMPLETED:
        _on_completed(db, inspection, checked.template)
    return Submission(inspection, created=False)


def _columns(data: dict, checked: Checked, *, request_hash: str, now: datetime,
             limits: Limits) -> dict:
    """The inspection's columns from the body, and what the server decides."""
    site = checked.site
    completed = data["status"] == COMPLETED
    if rules.checks_location(data["kind"]):
        located = rules.check_location((site.lat, site.lon), data["location"],
                                       limits.radius_m)
    else:
        located = rules.unchecked_location(data["location"])
    weights = {item.code: item.weight for item in checked.template.items}
    answers = {answer["item_code"]: answer["answer"] for answer in data["answers"]}
    return {
        "site_id": site.id, "region_code": site.region_code,
        "template_id": checked.template.id, "kind": data["kind"], "status": data["status"],
        "campaign_id": data["campaign_id"], "site_condition": data["site_condition"],
        "started_at": data["started_at"].astimezone(UTC),
        "finished_at": data["finished_at"] and data["finished_at"].astimezone(UTC),
        "lat": located.lat, "lon": located.lon, "accuracy_m": located.accuracy_m,
        "distance_m": located.distance_m, "location_anomaly": located.anomaly,
        "review_status": REVIEW_PENDING if completed and located.anomaly else REVIEW_NONE,
        "enforcement_follows": data["enforcement_follows"],
        "enforcement_ready": checked.enforcement_ready, "note": data["note"],
        "request_hash": request_hash, "completed_at": now if completed else None,
        "score": rules.score(weights, answers) if completed else None,
    }


def _attach(inspection: Inspection, data: dict, checked: Checked) -> None:
    """The inspection's inspectors, partner officers and answers as the body names them."""
    inspection.inspectors = checked.inspectors
    _set_partners(inspection, data["partner_officers"])
    _set_answers(inspection, data["answers"])


def _set_answers(inspection: Inspection, answers: list[dict]) -> None:
    """Make the stored answers equal the body's, updating rows in place where codes match."""
    stored = {answer.item_code: answer for answer in inspection.answers}
    wanted = {answer["item_code"]: answer for answer in answers}
    for code, row in stored.items():
        if code not in wanted:
            inspection.answers.remove(row)
    for code, answer in wanted.items():
        row = stored.get(code)
        if row is None:
            inspection.answers.append(InspectionAnswer(item_code=code, answer=answer["answer"],
                                                       note=answer["note"]))
        else:
            row.answer, row.note = answer["answer"], answer["note"]
    inspection.answers.sort(key=lambda row: row.item_code)


def _set_partners(inspection: Inspection, partners: list[dict]) -> None:
    """The body's partner officers, in its order; rows are updated in place by position, so
    a draft's replacement never inserts a position it still holds."""
    stored = inspection.partner_officers
    for row in stored[len(partners):]:
        stored.remove(row)
    for position, partner in enumerate(partners):
        if position < len(stored):
            for key, value in partner.items():
                setattr(stored[position], key, value)
        else:
            stored.append(PartnerOfficer(position=position, **partner))


def _on_completed(db: Session, inspection: Inspection, template: TemplateVersion) -> None:
    """A completed draft records each failed item as a finding and completes matching tasks
    (the tasks' UPDATE flushes the inspection's rows first: one flush)."""
    answers = [{"item_code": row.item_code, "answer": row.answer, "note": row.note}
               for row in inspection.answers]
    for row in finding_rows(inspection, answers, template):
        inspection.findings.append(Finding(**row))
    complete_tasks_for(db, inspection=inspection)
