"""Tasks: supervisors assign sites to inspectors; phones list their own; inspections close them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from service.assignments.models import (
    MANUAL,
    TASK_CANCELLED,
    TASK_DONE,
    TASK_OPEN,
    TASK_STATUSES,
    Task,
    task_assignees,
)
from service.assignments.reach import tasks_in_reach
from service.auth.logic import require_officers
from service.auth.models import User
from service.campaigns.logic import require_serving
from service.common.chinatime import china_date
from service.common.errors import NotFound, field_error
from service.common.idempotency import differs, insert_once
from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.common.transitions import Lifecycle, Move
from service.db import new_uuid, utcnow
from service.registry.models import SITE_CLOSED, Site
from service.registry.sites import get_site

#: the pseudo-role of the moves inspections make, in bulk (`service.assignments.completion`)
BY_INSPECTION = "inspection"
TASK = Lifecycle("task", [
    Move("cancel", TASK_OPEN, TASK_CANCELLED),
    Move("complete", TASK_OPEN, TASK_DONE, roles=(BY_INSPECTION,)),  # one of its kind
    Move("reopen", TASK_DONE, TASK_OPEN, roles=(BY_INSPECTION,)),  # that one was voided
], states=TASK_STATUSES)


def _in_scope(scope: str) -> Select:
    """Tasks whose site lies in the jurisdiction."""
    return select(Task).join(Site, Site.id == Task.site_id).where(
        in_subtree(Site.region_code, scope))


def create_task(db: Session, *, scope: str, user: User, data: dict,
                now: datetime | None = None) -> Task:
    """Assign a site of the jurisdiction to one or more inspectors, due on a date."""
    site = get_site(db, scope=scope, site_id=data["site_id"], field="site_id")
    if site.status == SITE_CLOSED:
        raise field_error("site_id", "The site is closed; closed sites are not inspected.")
    if data["due_on"] < china_date(now or utcnow()):
        raise field_error("due_on", "The due date (China time) is already past.")
    require_serving(db, scope=scope, campaign_id=data["campaign_id"],
                    region_code=site.region_code, first=data["due_on"], last=data["due_on"])
    wanted = {"site_id": site.id, "kind": data["kind"], "due_on": data["due_on"],
              "note": data["note"], "source": MANUAL, "campaign_id": data["campaign_id"]}
    task = Task(id=data["id"] or new_uuid(), status=TASK_OPEN, created_by_id=user.id, **wanted,
                assignees=require_officers(db, scope=scope, ids=data["assignee_ids"],
                                          field="assignee_ids"))

    def same_task(stored: Task) -> bool:
        assignees = {user.id for user in stored.assignees}
        return not differs(stored, wanted) and assignees == set(data["assignee_ids"])

    return insert_once(db, task, same=same_task, what="Task")


def get_task(db: Session, *, scope: str, task_id: uuid.UUID) -> Task:
    """One task whose site lies in the jurisdiction, or an open one of the caller's (else 404)."""
    task = db.scalar(select(Task).join(Site, Site.id == Task.site_id)
                     .where(tasks_in_reach(scope), Task.id == task_id))
    if task is None:
        raise NotFound(f"No task {task_id} in your jurisdiction.")
    return task


def list_tasks(db: Session, *, scope: str, status: str | None, site_id: uuid.UUID | None,
               assignee_id: uuid.UUID | None, kind: str | None, plan_id: uuid.UUID | None,
               campaign_id: uuid.UUID | None, limit: int, cursor: str | None) -> Page:
    """Tasks of the jurisdiction by due date."""
    stmt = _in_scope(scope)
    for column, value in ((Task.status, status), (Task.site_id, site_id), (Task.kind, kind),
                          (Task.plan_id, plan_id), (Task.campaign_id, campaign_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    if assignee_id is not None:
        stmt = stmt.where(Task.id.in_(select(task_assignees.c.task_id).where(
            task_assignees.c.user_id == assignee_id)))
    return paginate(db, stmt, [Task.due_on, Task.id], limit=limit, cursor=cursor)


def my_tasks(db: Session, *, scope: str, user: User, status: str, limit: int,
             cursor: str | None) -> Page:
    """The caller's own tasks (open by default), soonest due first, with their sites:
    those of the jurisdiction and, while open, those of other districts (县区互查)."""
    stmt = select(Task).join(Site, Site.id == Task.site_id).where(
        tasks_in_reach(scope), Task.status == status, Task.id.in_(
        select(task_assignees.c.task_id).where(task_assignees.c.user_id == user.id)))
    return paginate(db, stmt, [Task.due_on, Task.id], limit=limit, cursor=cursor)


def cancel_task(db: Session, *, scope: str, user: User, task_id: uuid.UUID,
                reason: str) -> Task:
    """Cancel an open task with a reason; it is kept. Repeating the same cancel is a no-op.
    Only the bureau of the site's jurisdiction cancels (not an assignee from elsewhere)."""
    task = db.scalar(_in_scope(scope).where(Task.id == task_id))
    if task is None:
        raise NotFound(f"No task {task_id} in your jurisdiction.")
    if task.status == TASK_CANCELLED and task.cancel_reason == reason:
        return task
    task.status = TASK.require(task.status, "cancel", role=user.role).target
    task.cancelled_at = utcnow()
    task.cancelled_by_id = user.id
    task.cancel_reason = reason
    db.flush()
    return task
