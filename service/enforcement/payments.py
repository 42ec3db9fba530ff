"""Payments of fines (缴款) and what is still owed, with the late-payment surcharge."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth.models import User
from service.common.chinatime import china_today
from service.common.errors import Conflict, field_error
from service.enforcement import measures, procedure, queues
from service.enforcement.cases import get_case
from service.enforcement.models import Case, Payment


def balance_of(case: Case, *, today: date | None = None) -> measures.Balance | None:
    """The fine, surcharge and payments of a case with a served fine; None otherwise."""
    if not case.fine_fen or case.payment_due_on is None:
        return None
    return measures.balance(fine_fen=case.fine_fen, due_on=case.payment_due_on,
                            payments=[(p.paid_on, p.amount_fen) for p in case.payments],
                            today=today or china_today())


def record_payment(db: Session, *, scope: str, user: User, case_id: uuid.UUID,
                   data: dict) -> Payment:
    """Record a payment by its reference; the same reference again answers the same one."""
    case = get_case(db, scope=scope, case_id=case_id)
    existing = db.scalar(select(Payment).where(Payment.reference == data["reference"]))
    if existing is not None:
        return _again(existing, case, data)
    if case.status != procedure.EXECUTING or case.payment_due_on is None:
        raise Conflict("Payments are recorded for a served fine (the case is being executed).")
    if data["paid_on"] < case.served_on or data["paid_on"] > china_today():
        raise field_error("paid_on", "The payment date lies between service and today.")
    payment = Payment(case_id=case.id, amount_fen=data["amount_fen"], paid_on=data["paid_on"],
                      reference=data["reference"], recorded_by_id=user.id)
    try:
        with db.begin_nested():
            db.add(payment)
            db.flush()
    except IntegrityError:
        existing = db.scalar(select(Payment).where(Payment.reference == data["reference"]))
        return _again(existing, case, data)
    db.expire(case, ["payments"])
    owed = balance_of(case)
    if owed is not None and owed.outstanding_fen == 0:
        queues.dequeue(db, item_id=case.id, queues=("payment",))
    return payment


def _again(existing: Payment, case: Case, data: dict) -> Payment:
    if (existing.case_id, existing.amount_fen, existing.paid_on) != (
            case.id, data["amount_fen"], data["paid_on"]):
        raise Conflict(f"Payment reference {data['reference']} is already recorded with "
                       "other details.", field="reference")
    return existing
