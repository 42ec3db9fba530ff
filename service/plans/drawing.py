"""Drawing a plan: gather the candidates and the inspector pool, run the draw, make tasks."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.assignments.models import FROM_PLAN, TASK_OPEN, Task
from service.auth.logic import active_officers
from service.auth.models import User
from service.common.access import INSPECTOR, SUPERVISOR
from service.common.errors import Conflict, field_error
from service.common.regions import in_subtree, subtree_prefix
from service.common.vocabulary import DOUBLE_RANDOM
from service.db import new_uuid, utcnow
from service.plans import draw
from service.plans.logic import get_plan
from service.plans.models import PLAN_DRAWN, InspectionPlan, InspectorConflict, PlanSite
from service.registry.models import Site

#: the officers a plan draws pairs from (the inspector pool, 执法检查人员名录库)
DRAWABLE_ROLES = (INSPECTOR, SUPERVISOR)


def draw_plan(db: Session, *, scope: str, user: User, plan_id: uuid.UUID,
              draw_id: uuid.UUID, seed_hash: str) -> InspectionPlan:
    """Draw sites and pairs once and make their tasks; the same draw_id again answers the same."""
    get_plan(db, scope=scope, plan_id=plan_id)
    plan = db.scalar(select(InspectionPlan).where(InspectionPlan.id == plan_id)
                     .with_for_update().execution_options(populate_existing=True))
    if plan.status == PLAN_DRAWN:
        return _described(db, _retried(plan, draw_id, seed_hash))
    if seed_hash != plan.seed_hash:
        raise field_error("seed_hash", "This is not the seed hash published for the plan.")
    candidates, inspectors, conflicts = _inputs(db, plan)
    try:
        drawn = draw.run(plan.seed, candidates, inspectors, conflicts, plan.sample_mode,
                         plan.sample_value, plan.workload_cap, plan.pairing)
    except draw.DrawError as error:
        site = db.get(Site, uuid.UUID(error.site_id))
        raise Conflict(f"{error} (site: {site.name}, {site.address})") from error
    if not drawn:
        raise Conflict(f"The sample is empty: {len(candidates)} sites in the scope are active "
                       "during the period; widen the scope or raise the sample.")
    _make_tasks(db, plan, drawn, user)
    plan.status, plan.draw_id = PLAN_DRAWN, draw_id
    plan.drawn_at, plan.drawn_by_id = utcnow(), user.id
    plan.draw_record = _record(candidates, inspectors, conflicts, drawn, plan)
    db.flush()
    return _described(db, plan)


def _retried(plan: InspectionPlan, draw_id: uuid.UUID, seed_hash: str) -> InspectionPlan:
    if plan.draw_id == draw_id and plan.seed_hash == seed_hash:
        return plan
    raise Conflict(f"This plan was already drawn at {plan.drawn_at.isoformat()}; "
                   "a plan is drawn once (已抽取), its result stands.")


def stratum_of(plan: InspectionPlan, region_code: str, site_type: str) -> str:
    """The stratum a site is sampled in: its district (first 6 digits), its type, or "all"."""
    if plan.stratify_by == "district":
        return region_code[:6]
    if plan.stratify_by == "site_type":
        return site_type
    return "all"


def _candidate_sites(plan: InspectionPlan):
    """Sites of the scope and types active during the period (a site closed since is still
    drawn: its published result then says 检查对象已关闭)."""
    return select(Site.id, Site.region_code, Site.site_type, Site.enterprise_id).where(
        in_subtree(Site.region_code, plan.region_code),
        Site.site_type.in_(plan.site_types),
        Site.opened_on <= plan.period_end,
        or_(Site.closed_on.is_(None), Site.closed_on >= plan.period_start),
    )


def _eligible_inspectors(plan: InspectionPlan):
    """Active officers of the scope (inspectors and supervisors) whose certificate (执法证)
    is valid on the tasks' date (the plan's due date)."""
    return select(User.id, User.region_code, User.role).where(active_officers(
        plan.region_code, roles=DRAWABLE_ROLES, certified_over=(plan.due_on, plan.due_on)))


def _inputs(db: Session, plan: InspectionPlan) -> tuple[
        list[draw.Candidate], list[draw.Inspector], set[tuple[str, str]]]:
    """The draw's inputs as of now: candidate sites, the inspector pool, their conflicts."""
    sites = _candidate_sites(plan)
    candidates = [
        draw.Candidate(str(row.id), row.region_code,
                       stratum_of(plan, row.region_code, row.site_type),
                       str(row.enterprise_id) if row.enterprise_id else None)
        for row in db.execute(sites)
    ]
    pool = _eligible_inspectors(plan)
    inspectors = [draw.Inspector(str(row.id), subtree_prefix(row.region_code), row.role)
                  for row in db.execute(pool)]
    enterprises = sites.with_only_columns(Site.enterprise_id).where(
        Site.enterprise_id.is_not(None))
    rows = db.execute(select(InspectorConflict.user_id, InspectorConflict.enterprise_id).where(
        InspectorConflict.user_id.in_(pool.with_only_columns(User.id)),
        InspectorConflict.enterprise_id.in_(enterprises)))
    conflicts = {(str(user_id), str(enterprise_id)) for user_id, enterprise_id in rows}
    return candidates, inspectors, conflicts


def _make_tasks(db: Session, plan: InspectionPlan, drawn: list[draw.Drawn], user: User) -> None:
    """One double_random task per drawn site, assigned to its pair, and its plan_sites row."""
    ids = {uuid.UUID(u) for site in drawn for u in site.inspector_ids}
    users = {str(u.id): u for u in db.scalars(select(User).where(User.id.in_(ids)))}
    tasks = [Task(id=new_uuid(), site_id=uuid.UUID(site.site_id), kind=DOUBLE_RANDOM,
                  source=FROM_PLAN, plan_id=plan.id, campaign_id=plan.campaign_id,
                  due_on=plan.due_on, status=TASK_OPEN,
                  created_by_id=user.id, note=f"双随机抽查：{plan.name}"[:512],
                  assignees=[users[u] for u in site.inspector_ids]) for site in drawn]
    db.add_all(tasks)
    db.flush()  # the tasks first: plan_sites refer to them
    db.add_all(PlanSite(plan_id=plan.id, site_id=task.site_id, rank=site.rank,
                        stratum=site.stratum, task_id=task.id)
               for site, task in zip(drawn, tasks, strict=True))
    db.flush()


def _record(candidates, inspectors, conflicts, drawn, plan: InspectionPlan) -> dict:
    """The draw's inputs and result exactly as used: what verification publishes."""
    sizes: dict[str, int] = {}
    for candidate in candidates:
        sizes[candidate.stratum] = sizes.get(candidate.stratum, 0) + 1
    wanted = draw.quotas(sizes, plan.sample_mode, plan.sample_value)
    return {
        "algorithm": draw.ALGORITHM,
        "candidates": [{"site_id": c.site_id, "region_code": c.region_code,
                        "stratum": c.stratum, "enterprise_id": c.enterprise_id}
                       for c in sorted(candidates, key=lambda c: c.site_id)],
        "inspectors": [{"user_id": i.user_id, "region_prefix": i.region_prefix,
                        "role": i.role}
                       for i in sorted(inspectors, key=lambda i: i.user_id)],
        "conflicts": [{"user_id": u, "enterprise_id": e} for u, e in sorted(conflicts)],
        "strata": [{"stratum": s, "candidates": sizes[s], "quota": wanted[s]}
                   for s in sorted(sizes)],
        "result": [{"rank": d.rank, "site_id": d.site_id, "stratum": d.stratum,
                    "inspector_ids": list(d.inspector_ids)} for d in drawn],
    }


def _described(db: Session, plan: InspectionPlan) -> InspectionPlan:
    """The plan with `drawn_sites`: the sites in draw order, with their pair and task."""
    tasks = dict(db.execute(select(PlanSite.rank, PlanSite.task_id)
                            .where(PlanSite.plan_id == plan.id)).all())
    plan.drawn_sites = [{**row, "task_id": str(tasks[row["rank"]])}
                        for row in plan.draw_record["result"]]
    return plan
