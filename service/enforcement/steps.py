"""The rule of each move of a case: what it needs, what it sets, which document it issues.

`move_case` is the one entry: table check, date check, the move's rule, the step record.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import User
from service.common.chinatime import china_today
from service.common.errors import Conflict, field_error
from service.common.regions import in_subtree
from service.enforcement import catalogue, measures, procedure, publicity, queues
from service.enforcement.cases import get_case, record_step, step_date
from service.enforcement.models import FINE, REVOCATION, SUSPENSION, Case, Suspension
from service.enforcement.numbering import issue_document
from service.enforcement.revocations import revoke_licence
from service.enforcement.suspensions import apply_suspensions
from service.evidence.models import Photo
from service.inspections.models import Finding


@dataclass
class Step:
    """A move in progress: the case, who makes it, its date and body, and the policy."""

    db: Session
    case: Case
    user: User
    on: date
    data: dict
    policy: measures.Policy
    document_number: str | None = None

    def document(self, kind: str) -> str:
        document = issue_document(self.db, bureau_code=self.case.bureau_code, kind=kind,
                                  issued_on=self.on, case_id=self.case.id)
        self.document_number = document.number
        return document.number


def _require(data: dict, *names: str) -> None:
    for name in names:
        if data.get(name) in (None, "", []):
            raise field_error(name, f"This step needs `{name}`.")


def _penalty(step: Step, *, summary: bool) -> None:
    """Check the proposed penalty against the catalogue band (and the summary caps)."""
    data, case = step.data, step.case
    _require(data, "violation_code", "circumstance", "measures")
    current = catalogue.current_catalogue(step.db)
    violation = catalogue.find_violation(step.db, catalogue_id=current.id,
                                         code=data["violation_code"])
    if violation is None:
        raise field_error("violation_code", f"No violation {data['violation_code']} in "
                                            f"catalogue version {current.number}.")
    measures.check_penalty(violation, circumstance=data["circumstance"],
                           measures=data["measures"], fine_fen=data.get("fine_fen"),
                           confiscation_fen=data.get("confiscation_fen"))
    if summary:
        measures.check_summary_caps(measures=data["measures"], fine_fen=data.get("fine_fen"),
                                    party_kind=case.party_kind)
    _check_suspension(case, data)
    case.catalogue_id, case.catalogue_version = current.id, current.number
    case.violation_code = violation.code
    case.circumstance, case.measures = data["circumstance"], sorted(data["measures"])
    case.fine_fen = data.get("fine_fen") if FINE in data["measures"] else None
    case.confiscation_fen = data.get("confiscation_fen")
    case.suspension_from = data.get("suspension_from")
    case.suspension_until = data.get("suspension_until")
    case.major = measures.is_major(step.policy, measures=case.measures, fine_fen=case.fine_fen)


def _check_suspension(case: Case, data: dict) -> None:
    if SUSPENSION not in data["measures"]:
        return
    _require(data, "suspension_from", "suspension_until")
    if case.site_id is None:
        raise field_error("measures", "A suspension (停业整顿) needs the case's site.")
    if data["suspension_until"] < data["suspension_from"]:
        raise field_error("suspension_until", "The suspension ends before it starts.")


# --- the moves ---------------------------------------------------------------------------

def _approve_filing(step: Step) -> None:
    case = step.case
    case.filed_on = step.on
    case.decision_due_on = step.on + timedelta(days=measures.DECISION_DAYS)
    step.document("filing")
    queues.dequeue(step.db, item_id=case.id, queues=("filing_approval",))
    queues.enqueue(step.db, queue="decision_deadline", item_id=case.id,
                   region_code=case.region_code, item_type=case.source, title=case.title,
                   due_on=case.decision_due_on, assignee_id=case.assignee_id,
                   campaign_id=case.campaign_id)


def _give_notice(step: Step) -> None:
    _penalty(step, summary=False)
    case = step.case
    case.notice_served_on = step.on
    case.hearing_offered = measures.hearing_offered(step.policy, measures=case.measures,
                                                    fine_fen=case.fine_fen)
    step.document("notice")


def _request_hearing(step: Step) -> None:
    case = step.case
    if not case.hearing_offered:
        raise Conflict("The proposed measures do not entitle the party to a hearing (听证).")
    last_day = case.notice_served_on + timedelta(days=measures.HEARING_REQUEST_DAYS)
    if step.on > last_day:
        raise field_error("on", (
            f"A hearing must be requested within {measures.HEARING_REQUEST_DAYS} days of the "
            f"advance notice ({case.notice_served_on}): the last day was {last_day}."))
    case.hearing_requested_on = step.on


def _hold_hearing(step: Step) -> None:
    step.case.hearing_held_on = step.on


def _request_legal_review(step: Step) -> None:
    case = step.case
    queues.enqueue(step.db, queue="legal_review", item_id=case.id,
                   region_code=case.region_code, item_type=case.violation_code or case.source,
                   title=case.title, due_on=case.decision_due_on or step.on,
                   campaign_id=case.campaign_id)


def _approve_review(step: Step) -> None:
    step.case.reviewed_on, step.case.reviewed_by_id = step.on, step.user.id
    queues.dequeue(step.db, item_id=step.case.id, queues=("legal_review",))


def _return_review(step: Step) -> None:
    _require(step.data, "reason")
    queues.dequeue(step.db, item_id=step.case.id, queues=("legal_review",))


def _decide(step: Step) -> None:
    case = step.case
    if step.data.get("measures"):
        _penalty(step, summary=False)  # the decision may differ from the notice
    if not case.measures:
        raise field_error("measures", "Decide at least one measure (or dismiss the case).")
    if case.major and case.status != procedure.REVIEWED:
        raise Conflict(
            "This is a major decision (重大执法决定: suspension, revocation or a fine from "
            f"{measures.yuan(step.policy.major_fine_fen)}); it needs legal review (法制审核) "
            "first: request_legal_review.",
            errors={"state": {"current": case.status, "allowed": ["request_legal_review"]}})
    _check_hearing_window(step)
    if case.decision_due_on and step.on > case.decision_due_on:
        raise Conflict(f"The decision was due by {case.decision_due_on} (90 days from filing "
                       "plus extensions); record an extension with its reason first.")
    _decided(step, kind="decision")
    queues.dequeue(step.db, item_id=case.id, queues=("decision_deadline",))


def _check_hearing_window(step: Step) -> None:
    """While the party may still ask for a hearing, no decision (unless they waived it)."""
    case = step.case
    if not case.hearing_offered or case.hearing_requested_on or step.data.get("hearing_waived"):
        return
    last_day = case.notice_served_on + timedelta(days=measures.HEARING_REQUEST_DAYS)
    if step.on <= last_day:
        raise Conflict(f"The party may request a hearing until {last_day}; decide after "
                       "that, or record that they waived it (hearing_waived).")


def _decide_on_spot(step: Step) -> None:
    _penalty(step, summary=True)
    _decided(step, kind="summary")


def _decided(step: Step, *, kind: str) -> None:
    case = step.case
    case.decided_on = step.on
    case.decision_number = step.document(kind)
    case.publish_due_on = publicity.publication_due(step.on)
    queues.enqueue(step.db, queue="publication", item_id=case.id, region_code=case.region_code,
                   item_type=case.violation_code, title=case.title,
                   due_on=case.publish_due_on, assignee_id=case.assignee_id,
                   campaign_id=case.campaign_id)
    if SUSPENSION in case.measures:
        step.db.add(Suspension(case_id=case.id, site_id=case.site_id,
                               starts_on=case.suspension_from, ends_on=case.suspension_until))


def _serve(step: Step) -> None:
    case = step.case
    case.served_on = step.on
    if case.fine_fen:
        case.payment_due_on = measures.payment_due(step.on)
        queues.enqueue(step.db, queue="payment", item_id=case.id, region_code=case.region_code,
                       item_type=case.violation_code, title=case.title,
                       due_on=case.payment_due_on, assignee_id=case.assignee_id,
                       campaign_id=case.campaign_id)
    if SUSPENSION in case.measures:
        apply_suspensions(step.db, today=china_today(), site_id=case.site_id)
    if REVOCATION in case.measures:
        revoke_licence(step.db, case=case, on=step.on)


def _close(step: Step) -> None:
    case = step.case
    if case.fine_fen:
        owed = measures.balance(fine_fen=case.fine_fen, due_on=case.payment_due_on,
                                payments=[(p.paid_on, p.amount_fen) for p in case.payments],
                                today=step.on)
        if owed.outstanding_fen:
            raise Conflict(f"{measures.yuan(owed.outstanding_fen)} is still owed (fine "
                           f"{measures.yuan(owed.fine_fen)}, surcharge "
                           f"{measures.yuan(owed.surcharge_fen)}); record the payments first.")
    if SUSPENSION in case.measures and step.on <= case.suspension_until:
        raise Conflict(f"The suspension lasts until {case.suspension_until}; close after it.")
    case.closed_on = step.on
    queues.dequeue(step.db, item_id=case.id)


def _transfer_to_police(step: Step) -> None:
    _require(step.data, "police_agency")
    case = step.case
    case.police_agency, case.transferred_on = step.data["police_agency"], step.on
    step.document("transfer")
    case.closed_on = step.on
    queues.dequeue(step.db, item_id=case.id)


def _dismiss(step: Step) -> None:
    _require(step.data, "reason")
    case = step.case
    case.dismissal_reason = step.data["reason"]
    if case.filed_on:
        step.document("dismissal")
    case.closed_on = step.on
    queues.dequeue(step.db, item_id=case.id)


RULES: dict[str, Callable[[Step], None]] = {
    "approve_filing": _approve_filing, "investigate": lambda step: None,
    "give_notice": _give_notice, "request_hearing": _request_hearing,
    "hold_hearing": _hold_hearing, "request_legal_review": _request_legal_review,
    "approve_review": _approve_review, "return_review": _return_review, "decide": _decide,
    "decide_on_spot": _decide_on_spot, "serve": _serve, "close": _close,
    "transfer_to_police": _transfer_to_police, "dismiss": _dismiss,
}


def _evidence(db: Session, *, scope: str, data: dict) -> dict:
    """The step's evidence: documents named, and findings and photos of the jurisdiction."""
    evidence = data.get("evidence") or {}
    finding_ids = evidence.get("finding_ids") or []
    photo_ids = evidence.get("photo_ids") or []
    if not finding_ids and not photo_ids:
        return {"documents": evidence.get("documents") or [], "finding_ids": [],
                "photo_ids": []}
    found = set(db.scalars(select(Finding.id).where(Finding.id.in_(finding_ids),
                                                    in_subtree(Finding.region_code, scope))))
    if set(finding_ids) - found:
        raise field_error("evidence", "Some finding_ids are not findings of your jurisdiction.")
    photos = set(db.scalars(select(Photo.id).where(Photo.id.in_(photo_ids),
                                                   in_subtree(Photo.region_code, scope))))
    if set(photo_ids) - photos:
        raise field_error("evidence", "Some photo_ids are not photos of your jurisdiction.")
    return {"documents": evidence.get("documents") or [],
            "finding_ids": [str(i) for i in finding_ids],
            "photo_ids": [str(i) for i in photo_ids]}


def move_case(db: Session, *, scope: str, user: User, case: Case, move: str, data: dict,
              policy: measures.Policy, today: date | None = None) -> Case:
    """Make one move of the procedure, recorded as a step of the case."""
    if move not in RULES:
        raise field_error("move", f"Unknown move {move!r}; moves: {', '.join(procedure.MOVES)}.",
                          location="path")
    table = procedure.lifecycle(case.procedure)
    if move not in {m.name for m in table.moves}:
        raise Conflict(f"The {case.procedure} procedure has no move {move}; allowed from "
                       f"{case.status}: {', '.join(table.allowed(case.status, role=user.role))}.",
                       errors={"state": {"current": case.status,
                                         "allowed": table.allowed(case.status, role=user.role)}})
    allowed = table.require(case.status, move, role=user.role)
    step = Step(db, case, user, step_date(case, data.get("on"), today or china_today()), data,
                policy)
    evidence = _evidence(db, scope=scope, data=data)
    from_status = case.status
    RULES[move](step)
    case.status = allowed.target
    db.flush()
    record_step(db, case=case, user=user, move=move, from_status=from_status, on=step.on,
                reason=data.get("reason"), evidence=evidence,
                document_number=step.document_number)
    return case


def move_case_by_id(db: Session, *, scope: str, user: User, case_id: uuid.UUID, move: str,
                    data: dict, policy: measures.Policy) -> Case:
    """move_case for a case looked up in the jurisdiction."""
    case = get_case(db, scope=scope, case_id=case_id)
    return move_case(db, scope=scope, user=user, case=case, move=move, data=data,
                     policy=policy)
