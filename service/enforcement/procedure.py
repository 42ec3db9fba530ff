"""The administrative-penalty procedure as two transition tables (ordinary and summary).

Ordinary procedure (普通程序):

    lead 线索 --approve_filing--> filed 立案 --investigate--> investigation 调查取证
      --give_notice--> notice 事先告知 [--request_hearing--> hearing --hold_hearing--> heard]
      --request_legal_review--> legal_review 法制审核 --approve_review--> reviewed
      --decide--> decided 处罚决定 --serve--> executing 送达/执行 --close--> closed 结案

A major decision (重大执法决定) may only be decided from `reviewed`; that rule and the
deadlines (5 days for a hearing request, 7 for service) are checked in `cases.py`, the
table says only which move goes where and who may make it.

Summary procedure (简易程序): lead --decide_on_spot--> decided --serve--> executing --close-->.
Any open state --dismiss--> dismissed; filed/investigation --transfer_to_police--> transferred.
"""

from __future__ import annotations

from service.common.access import INSPECTOR, LEGAL_REVIEWER, SUPERVISOR
from service.common.transitions import Lifecycle, Move

LEAD = "lead"
FILED = "filed"
INVESTIGATION = "investigation"
NOTICE = "notice"
HEARING = "hearing"
HEARD = "heard"
LEGAL_REVIEW = "legal_review"
REVIEWED = "reviewed"
DECIDED = "decided"
EXECUTING = "executing"
CLOSED = "closed"
DISMISSED = "dismissed"
TRANSFERRED = "transferred"

STATES = (LEAD, FILED, INVESTIGATION, NOTICE, HEARING, HEARD, LEGAL_REVIEW, REVIEWED,
          DECIDED, EXECUTING, CLOSED, DISMISSED, TRANSFERRED)
FINAL = (CLOSED, DISMISSED, TRANSFERRED)
OPEN = tuple(state for state in STATES if state not in FINAL)
#: filed but not yet decided: the 90-day clock runs
BEFORE_DECISION = (FILED, INVESTIGATION, NOTICE, HEARING, HEARD, LEGAL_REVIEW, REVIEWED)
#: states a decision may be made from once the party has been heard
READY_TO_DECIDE = (NOTICE, HEARD, REVIEWED)

OFFICERS = (INSPECTOR, SUPERVISOR)

ORDINARY = Lifecycle("case (ordinary procedure)", [
    Move("approve_filing", LEAD, FILED, roles=(SUPERVISOR,)),
    Move("investigate", FILED, INVESTIGATION, roles=OFFICERS),
    Move("give_notice", INVESTIGATION, NOTICE, roles=OFFICERS),
    Move("request_hearing", NOTICE, HEARING, roles=OFFICERS),
    Move("hold_hearing", HEARING, HEARD, roles=OFFICERS),
    Move("request_legal_review", (NOTICE, HEARD), LEGAL_REVIEW, roles=OFFICERS),
    Move("approve_review", LEGAL_REVIEW, REVIEWED, roles=(LEGAL_REVIEWER,)),
    Move("return_review", LEGAL_REVIEW, INVESTIGATION, roles=(LEGAL_REVIEWER,)),
    Move("decide", READY_TO_DECIDE, DECIDED, roles=(SUPERVISOR,)),
    Move("serve", DECIDED, EXECUTING, roles=OFFICERS),
    Move("close", EXECUTING, CLOSED, roles=(SUPERVISOR,)),
    Move("transfer_to_police", (FILED, INVESTIGATION), TRANSFERRED, roles=(SUPERVISOR,)),
    Move("dismiss", OPEN, DISMISSED, roles=(SUPERVISOR,)),
], states=STATES)

SUMMARY = Lifecycle("case (summary procedure)", [
    Move("decide_on_spot", LEAD, DECIDED, roles=OFFICERS),
    Move("serve", DECIDED, EXECUTING, roles=OFFICERS),
    Move("close", EXECUTING, CLOSED, roles=(SUPERVISOR, INSPECTOR)),
    Move("dismiss", (LEAD, DECIDED), DISMISSED, roles=(SUPERVISOR,)),
], states=STATES)

LIFECYCLES = {"ordinary": ORDINARY, "summary": SUMMARY}
MOVES = sorted({move.name for table in LIFECYCLES.values() for move in table.moves})


def lifecycle(procedure: str) -> Lifecycle:
    """The transition table of a procedure."""
    return LIFECYCLES[procedure]
