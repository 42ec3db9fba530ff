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
  a case filed, on a finding of one of the matter's items (the enforcement feature's orders
  and cases). `enforcement_steps()` is the one place that looks those up.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, aliased

from service.enforcement.models import Case, Rectification, case_findings
from service.inspections.models import CONDITION_CLOSED, CONDITION_NOT_FOUND, Finding

#: ids per IN (…) list, well under SQLite's and PostgreSQL's parameter limits
_CHUNK = 500

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


def _filed(case) -> ColumnElement[bool]:
    """SQL: the case was filed (立案) or decided on the spot (简易程序)."""
    return or_(case.filed_on.is_not(None), case.decided_on.is_not(None))


def enforcement_steps(db: Session, *,
                      inspection_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, set]]:
    """Rectification orders issued and cases filed on these inspections' findings.

    Answers {inspection_id: {item_code: {RECTIFICATION_ORDERED, CASE_FILED, …}}}, read from
    the enforcement feature: an order (any status) naming a finding among its items, and a
    case citing the finding once filed (立案, `filed_on`) or decided on the spot (简易程序);
    a lead not yet approved for filing is no case filed; an order escalated into a filed case
    counts as that case too. Findings are the inspection's
    failed items, so a step counts for the matter whose items include the finding's.
    """
    ids = list(dict.fromkeys(inspection_ids))
    steps: dict[uuid.UUID, dict[str, set]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        findings = {finding_id: (inspection_id, code) for finding_id, inspection_id, code in
                    db.execute(select(Finding.id, Finding.inspection_id, Finding.item_code)
                               .where(Finding.inspection_id.in_(chunk)))}
        if not findings:
            continue

        def note(finding_id: uuid.UUID, step: str, findings=findings) -> None:
            inspection_id, code = findings[finding_id]
            steps.setdefault(inspection_id, {}).setdefault(code, set()).add(step)

        sites = select(Finding.site_id).where(Finding.inspection_id.in_(chunk))
        escalated = aliased(Case)
        for items, filed in db.execute(
                select(Rectification.items, _filed(escalated))
                .outerjoin(escalated, escalated.id == Rectification.escalated_case_id)
                .where(Rectification.site_id.in_(sites))):
            for item in items:
                finding_id = uuid.UUID(item["finding_id"])
                if finding_id in findings:
                    note(finding_id, RECTIFICATION_ORDERED)
                    if filed:  # not rectified: the case the order escalated into
                        note(finding_id, CASE_FILED)
        for (finding_id,) in db.execute(
                select(case_findings.c.finding_id)
                .join(Case, Case.id == case_findings.c.case_id)
                .where(case_findings.c.finding_id.in_(list(findings)),
                       _filed(Case))):
            note(finding_id, CASE_FILED)
    return steps


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
