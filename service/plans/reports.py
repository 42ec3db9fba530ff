"""A plan's progress for supervisors, and its results for publication (一公开)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from service.assignments.models import TASK_CANCELLED, TASK_DONE, TASK_OPEN, Task
from service.common.chinatime import china_date
from service.inspections.models import COMPLETED, FAIL, Inspection, InspectionAnswer
from service.plans.logic import get_plan
from service.plans.models import InspectionMatter, InspectionPlan, PlanSite
from service.regions.models import Region
from service.registry.models import Enterprise, Site

OUTCOMES = {
    "no_issues": "未发现问题",
    "issues_found": "发现问题并责令整改",
    "not_inspected": "未检查",
}
COUNTS = ("total", "done", "open", "overdue", "cancelled")


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def progress(db: Session, *, scope: str, plan_id: uuid.UUID, today: date) -> dict:
    """Tasks done, open and overdue (open past their due date), in total and per district."""
    plan = get_plan(db, scope=scope, plan_id=plan_id)
    district = func.substr(Site.region_code, 1, 6)
    stmt = (
        select(district.label("region_code"), Region.name.label("region_name"),
               func.count(Task.id).label("total"),
               _count(Task.status == TASK_DONE).label("done"),
               _count(Task.status == TASK_OPEN).label("open"),
               _count(and_(Task.status == TASK_OPEN, Task.due_on < today)).label("overdue"),
               _count(Task.status == TASK_CANCELLED).label("cancelled"))
        .select_from(Task).join(Site, Site.id == Task.site_id)
        .outerjoin(Region, Region.code == district)
        .where(Task.plan_id == plan.id)
        .group_by(district, Region.name).order_by(district)
    )
    districts = [dict(row._mapping) for row in db.execute(stmt)]
    totals = {key: sum(row[key] for row in districts) for key in COUNTS}
    return {"plan_id": plan.id, "status": plan.status, "as_of": today, **totals,
            "districts": districts}


def results(db: Session, *, scope: str, plan_id: uuid.UUID) -> dict:
    """Each drawn site with its enterprise, inspection date, outcome and score."""
    plan = get_plan(db, scope=scope, plan_id=plan_id)
    # Per inspection, through the answers' primary key: the cost follows this plan's rows,
    # never the size of the whole answers table.
    failed = exists().where(InspectionAnswer.inspection_id == Inspection.id,
                            InspectionAnswer.answer == FAIL)
    counted = and_(Inspection.id == Task.completed_by_inspection_id,
                   Inspection.status == COMPLETED)
    stmt = (
        select(PlanSite.rank, Site.id.label("site_id"), Site.name.label("site_name"),
               Site.site_type, Site.address, Site.region_code,
               Region.name.label("region_name"), Enterprise.name.label("enterprise_name"),
               Enterprise.uscc.label("enterprise_uscc"), Task.id.label("task_id"),
               Task.status.label("task_status"), Task.due_on,
               Inspection.id.label("inspection_id"), Inspection.finished_at,
               Inspection.score, failed.label("failed"))
        .select_from(PlanSite)
        .join(Task, Task.id == PlanSite.task_id)
        .join(Site, Site.id == PlanSite.site_id)
        .outerjoin(Enterprise, Enterprise.id == Site.enterprise_id)
        .outerjoin(Region, Region.code == Site.region_code)
        .outerjoin(Inspection, counted)
        .where(PlanSite.plan_id == plan.id)
        .order_by(PlanSite.rank)
    )
    return {"plan_id": plan.id, "plan_name": plan.name, "status": plan.status,
            "period_start": plan.period_start, "period_end": plan.period_end,
            "matters": _matter_names(db, plan),
            "items": [_result_item(row._mapping) for row in db.execute(stmt)]}


def _matter_names(db: Session, plan: InspectionPlan) -> list[str]:
    names = dict(db.execute(select(InspectionMatter.code, InspectionMatter.name)
                            .where(InspectionMatter.code.in_(plan.matter_codes))).all())
    return [names.get(code, code) for code in plan.matter_codes]


def _result_item(row) -> dict:
    item = {key: value for key, value in row.items() if key not in ("finished_at", "failed")}
    if row["inspection_id"] is None:
        outcome = "not_inspected"
        item["score"] = None
    else:
        outcome = "issues_found" if row["failed"] else "no_issues"
    finished = row["finished_at"]
    item["inspection_date"] = china_date(finished) if finished else None
    item["outcome"], item["outcome_label"] = outcome, OUTCOMES[outcome]
    return item
