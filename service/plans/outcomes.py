"""What a plan's published result (抽查结果) says of each drawn site, per matter (抽查事项).

A matter is judged only on its own checklist items (`InspectionMatter.item_codes`): a failed
item outside the plan's matters makes no finding in the published result. The outcome says
only what happened:

- 未检查: no counting inspection yet (and the site is not closed);
- 未找到检查对象 / 检查对象已关闭: the inspector found no site at its address, or found it
  closed (`Inspection.site_condition`), or the registry has it closed and it was not inspected;
- 未发现问题: every item of the matter passed or did not apply;
- 发现问题: an item of the matter failed;
- 发现问题，已责令整改 / 发现问题，已立案查处: only when a rectification order was issued, or
  a case filed, on a finding of one of the matter's items. `enforcement_steps()` is the one
  place that looks those up.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.orm import Session

from service.inspections.models import CONDITION_CLOSED, CONDITION_NOT_FOUND

NO_ISSUES = "no_issues"
ISSUES_FOUND = "issues_found"
RECTIFICATION_ORDERED = "rectification_ordered"
CASE_FILED = "case_filed"
SITE_NOT_FOUND = "site_not_found"
SITE_CLOSED = "site_closed"
NOT_INSPECTED = "not_inspected"

OUTCOMES = {
    NO_ISSUES: "未发现问题",
    ISSUES_FOUND: "发现问题",
    RECTIFICATION_ORDERED: "发现问题，已责令整改",
    CASE_FILED: "发现问题，已立案查处",
    SITE_NOT_FOUND: "未找到检查对象",
    SITE_CLOSED: "检查对象已关闭",
    NOT_INSPECTED: "未检查",
}
#: enforcement steps a finding can have led to, strongest last
STEPS = (RECTIFICATION_ORDERED, CASE_FILED)
#: how a site-level summary picks among its matters' outcomes: the strongest
_SEVERITY = (NOT_INSPECTED, SITE_CLOSED, SITE_NOT_FOUND, NO_ISSUES, ISSUES_FOUND,
             RECTIFICATION_ORDERED, CASE_FILED)


def enforcement_steps(db: Session, *,
                      inspection_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, set]]:
    """Rectification orders issued and cases filed on these inspections' findings.

    Answers {inspection_id: {item_code: {RECTIFICATION_ORDERED, CASE_FILED, …}}}. This
    project has no enforcement records yet (no rectification orders, no cases), so nothing
    has been ordered or filed and the answer is empty: the published result then says
    发现问题 and never claims an order or a case. When the enforcement feature lands, this
    function reads its orders and cases (joined to `findings` by finding id → inspection and
    item code); nothing else in the results has to change.
    """
    del db, inspection_ids  # no enforcement records exist to read yet
    return {}


def matter_outcome(items: list[str], fails: set[str], steps: dict[str, set]) -> str:
    """The outcome of one matter of an inspected site, judged on the matter's items only."""
    failed = [code for code in items if code in fails]
    if not failed:
        return NO_ISSUES
    taken = set().union(*(steps.get(code, set()) for code in failed))
    for step in reversed(STEPS):
        if step in taken:
            return step
    return ISSUES_FOUND


def site_outcome(*, inspected: bool, site_condition: str | None, site_closed: bool) -> str | None:
    """The outcome every matter of the site shares, or None when each matter is judged."""
    if inspected:
        if site_condition == CONDITION_NOT_FOUND:
            return SITE_NOT_FOUND
        if site_condition == CONDITION_CLOSED:
            return SITE_CLOSED
        return None
    return SITE_CLOSED if site_closed else NOT_INSPECTED


def summary(outcomes: Iterable[str]) -> str:
    """One outcome for the site: the strongest of its matters'."""
    return max(outcomes, key=_SEVERITY.index, default=NOT_INSPECTED)
