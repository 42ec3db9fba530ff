"""The rules of penalties: the discretion band, the summary-procedure caps, what makes a
decision major or entitles a hearing, and the late-payment surcharge (加处罚款).

Plain functions over plain values (and the catalogue's band), testable without a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from service.common.errors import field_error
from service.enforcement.models import (
    CONFISCATION,
    FINE,
    REVOCATION,
    SUSPENSION,
    WARNING,
    Violation,
)

#: summary procedure (简易程序, 《行政处罚法》art. 51): a warning, or a fine up to these
SUMMARY_CAP_FEN = {"person": 200_00, "organisation": 3_000_00}
#: the fine is paid within 15 days of service; every later day adds 3% of it
PAYMENT_DAYS = 15
SURCHARGE_PERCENT_PER_DAY = 3
#: the party may ask for a hearing within 5 days of the advance notice
HEARING_REQUEST_DAYS = 5
#: the decision is served within 7 days of being made
SERVICE_DAYS = 7
DECISION_DAYS = 90


@dataclass(frozen=True)
class Policy:
    """What the bureau configures: thresholds of major decisions and hearings."""

    #: a fine from this amount makes the decision major (重大执法决定): legal review first
    major_fine_fen: int = 1_000_000
    #: a fine from this amount entitles the party to a hearing (较大数额罚款)
    hearing_fine_fen: int = 1_000_000
    #: decisions due within this many days surface in the deadline queue
    deadline_warning_days: int = 15
    #: how long a queue claim lasts
    claim_minutes: int = 30

    @classmethod
    def from_settings(cls, settings) -> Policy:
        return cls(major_fine_fen=settings.enforcement_major_fine_fen,
                   hearing_fine_fen=settings.enforcement_hearing_fine_fen,
                   deadline_warning_days=settings.enforcement_deadline_warning_days,
                   claim_minutes=settings.enforcement_claim_minutes)


def yuan(fen: int) -> str:
    """Fen as yuan for messages: 300000 -> 3,000.00 yuan."""
    return f"{fen / 100:,.2f} yuan"


def check_penalty(violation: Violation, *, circumstance: str, measures: list[str],
                  fine_fen: int | None, confiscation_fen: int | None) -> None:
    """Refuse measures the band does not allow and a fine outside its range (422)."""
    band = violation.bands[circumstance]
    label = f"{violation.code}, {circumstance}"
    not_allowed = sorted(set(measures) - set(band["measures"]))
    if not_allowed:
        raise field_error("measures", f"The {circumstance} band of {violation.code} allows "
                                      f"{', '.join(band['measures'])}, not "
                                      f"{', '.join(not_allowed)}.")
    if FINE in measures:
        if fine_fen is None:
            raise field_error("fine_fen", "A fine needs its amount in fen.")
        if not band["min_fen"] <= fine_fen <= band["max_fen"]:
            raise field_error("fine_fen", (
                f"The fine {yuan(fine_fen)} is outside the band of {label}: "
                f"{yuan(band['min_fen'])} to {yuan(band['max_fen'])} "
                f"({band['min_fen']}–{band['max_fen']} fen)."))
    elif fine_fen:
        raise field_error("fine_fen", "A fine amount was given but `fine` is not a measure.")
    if CONFISCATION in measures and not confiscation_fen:
        raise field_error("confiscation_fen", "Confiscation needs the amount of illegal gains.")


def check_summary_caps(*, measures: list[str], fine_fen: int | None, party_kind: str) -> None:
    """The summary procedure decides only a warning or a small fine (422 otherwise)."""
    beyond = sorted(set(measures) - {WARNING, FINE})
    if beyond:
        raise field_error("measures", "The summary procedure (简易程序) decides only a warning "
                                      f"or a fine, not {', '.join(beyond)}; use the ordinary "
                                      "procedure.")
    cap = SUMMARY_CAP_FEN[party_kind]
    if fine_fen and fine_fen > cap:
        raise field_error("fine_fen", f"A summary-procedure fine for a {party_kind} is at "
                                      f"most {yuan(cap)}; {yuan(fine_fen)} needs the ordinary "
                                      "procedure.")


def is_major(policy: Policy, *, measures: list[str], fine_fen: int | None) -> bool:
    """A major decision (重大执法决定): suspension, revocation, or a fine from the threshold."""
    return bool({SUSPENSION, REVOCATION} & set(measures)
                or (fine_fen or 0) >= policy.major_fine_fen)


def hearing_offered(policy: Policy, *, measures: list[str], fine_fen: int | None) -> bool:
    """The party may ask for a hearing (听证): suspension, revocation or a large fine."""
    return bool({SUSPENSION, REVOCATION} & set(measures)
                or (fine_fen or 0) >= policy.hearing_fine_fen)


def surcharge_fen(*, fine_fen: int, due_on: date, fine_paid_on: date) -> int:
    """3% of the fine per day after `due_on` until the fine was paid, at most the fine."""
    late_days = max(0, (fine_paid_on - due_on).days)
    return min(fine_fen, fine_fen * SURCHARGE_PERCENT_PER_DAY * late_days // 100)


def service_due(decided_on: date | None) -> date | None:
    """The last day to serve a decision (送达): 7 days after it."""
    return decided_on and decided_on + timedelta(days=SERVICE_DAYS)


def payment_due(served_on: date) -> date:
    """The last day of the 15-day payment period."""
    return served_on + timedelta(days=PAYMENT_DAYS)


@dataclass(frozen=True)
class Balance:
    fine_fen: int
    surcharge_fen: int
    paid_fen: int

    @property
    def outstanding_fen(self) -> int:
        return max(0, self.fine_fen + self.surcharge_fen - self.paid_fen)


def balance(*, fine_fen: int, due_on: date, payments: list[tuple[date, int]],
            today: date) -> Balance:
    """What is owed: the fine, the surcharge up to the day the fine was paid in full (or
    today while it is not), and what was paid."""
    paid, fine_paid_on = 0, None
    for paid_on, amount in sorted(payments):
        paid += amount
        if fine_paid_on is None and paid >= fine_fen:
            fine_paid_on = paid_on
    extra = surcharge_fen(fine_fen=fine_fen, due_on=due_on, fine_paid_on=fine_paid_on or today)
    return Balance(fine_fen, extra, paid)
