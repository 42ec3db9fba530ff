"""A plan's progress for supervisors, and its results for publication (一公开)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from service.assignments.models import TASK_CANCELLED, TASK_DONE, TASK_OPEN, Task
from service.common.chinatime import china_date
from service.inspections.models import COMPLETED, FAIL, Inspection, InspectionAnswer
from service.matters.logic import require_matters
from service.matters.models import InspectionMatter
from service.plans import outcomes
from service.plans.logic import get_plan
from service.plans.models import InspectionPlan, PlanSite
from service.regions.models import Region
from service.registry.models import SITE_CLOSED, Enterprise, Site

#: ids per IN (…) list, well under SQLite's and PostgreSQL's parameter limits
_CHUNK = 500
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
    """Each drawn site with its enterprise, inspection date, score and outcome per matter."""
    plan = get_plan(db, scope=scope, plan_id=plan_id)
    rows = [dict(row._mapping) for row in db.execute(_site_rows(plan))]
    inspected = [row["inspection_id"] for row in rows if row["inspection_id"] is not None]
    fails = _failed_items(db, inspected)
    steps = outcomes.enforcement_steps(db, inspection_ids=inspected)
    matters = require_matters(db, codes=plan.matter_codes)
    return {"plan_id": plan.id, "plan_name": plan.name, "status": plan.status,
            "period_start": plan.period_start, "period_end": plan.period_end,
            "matters": [matter.name for matter in matters],
            "items": [_result_item(row, matters, fails, steps) for row in rows]}


def _site_rows(plan: InspectionPlan):
    """The drawn sites in draw order, with the inspection that completed each task."""
    counted = and_(Inspection.id == Task.completed_by_inspection_id,
                   Inspection.status == COMPLETED)
    return (
        select(PlanSite.rank, Site.id.label("site_id"), Site.name.label("site_name"),
               Site.site_type, Site.address, Site.region_code,
               Site.status.label("site_status"),
               Region.name.label("region_name"), Enterprise.name.label("enterprise_name"),
               Enterprise.uscc.label("enterprise_uscc"), Task.id.label("task_id"),
               Task.status.label("task_status"), Task.due_on,
               Inspection.id.label("inspection_id"), Inspection.finished_at,
               Inspection.site_condition, Inspection.score)
        .select_from(PlanSite)
        .join(Task, Task.id == PlanSite.task_id)
        .join(Site, Site.id == PlanSite.site_id)
        .outerjoin(Enterprise, Enterprise.id == Site.enterprise_id)
        .outerjoin(Region, Region.code == Site.region_code)
        .outerjoin(Inspection, counted)
        .where(PlanSite.plan_id == plan.id)
        .order_by(PlanSite.rank)
    )


def _failed_items(db: Session, inspection_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """The checklist items each inspection answered with fail."""
    fails: dict[uuid.UUID, set[str]] = {}
    for start in range(0, len(inspection_ids), _CHUNK):
        chunk = inspection_ids[start:start + _CHUNK]
        for inspection_id, code in db.execute(
                select(InspectionAnswer.inspection_id, InspectionAnswer.item_code).where(
                    InspectionAnswer.inspection_id.in_(chunk),
                    InspectionAnswer.answer == FAIL)):
            fails.setdefault(inspection_id, set()).add(code)
    return fails


def _result_item(row: dict, matters: list[InspectionMatter],
                 fails: dict[uuid.UUID, set[str]], steps: dict[uuid.UUID, dict]) -> dict:
    """One drawn site's published result: a line per matter that applies to its type."""
    inspection_id = row["inspection_id"]
    shared = outcomes.site_outcome(inspected=inspection_id is not None,
                                   site_condition=row["site_condition"],
                                   site_closed=row["site_status"] == SITE_CLOSED)
    per_matter = []
    for matter in matters:
        if row["site_type"] not in matter.site_types:
            continue
        outcome = shared or outcomes.matter_outcome(
            matter.item_codes, fails.get(inspection_id, set()), steps.get(inspection_id, {}))
        per_matter.append({"code": matter.code, "name": matter.name, "outcome": outcome,
                           "outcome_label": outcomes.OUTCOMES[outcome]})
    item = {key: value for key, value in row.items()
            if key not in ("finished_at", "site_condition", "site_status")}
    finished = row["finished_at"]
    item["inspection_date"] = china_date(finished) if finished else None
    item["matters"] = per_matter
    item["outcome"] = outcomes.summary(m["outcome"] for m in per_matter)
    item["outcome_label"] = outcomes.OUTCOMES[item["outcome"]]
    return item
