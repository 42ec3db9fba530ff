"""Cross-district checks (县区互查): the one widening of the jurisdiction rule.

A parent bureau may assign inspectors of one district to a site of another — a task, or a
plan drawn with `pairing: cross_district`. That assignment is what lets exactly its
assignees see and inspect exactly that site, for that task only:

- a site is *in reach* when it lies in the caller's jurisdiction, or an **open** task for
  it is assigned to the caller;
- an inspection is in reach when it lies in the jurisdiction, or when it is the caller's
  own (they submitted it or are one of its inspectors) and either its site is in reach or
  it completed a task assigned to them (their own work stays theirs to read and to add its
  photos to, after the task is done). Other inspections of that site stay out of reach.

When the task is done or cancelled, the site is out of reach again. Every look-up of one
site or one inspection for a caller goes through `site_in_reach` / `inspection_in_reach`.
The registry reads sites for phones (`GET /sites/{id}`, `GET /sites/nearby`, the changes
feed) through `service.registry.sites.sites_in_reach`, which asks `lent_sites` (wired by
`create_app`: the registry cannot import this feature). Other lists (`GET /sites`, the
inspections list) stay limited to the jurisdiction, except the caller's own tasks.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from service.assignments.models import TASK_OPEN, Task, task_assignees
from service.common.errors import NotFound
from service.common.regions import caller_of, contains, in_subtree
from service.registry.models import Site


def _assigned_to(user_id: uuid.UUID) -> ColumnElement[bool]:
    return Task.id.in_(select(task_assignees.c.task_id)
                       .where(task_assignees.c.user_id == user_id))


def lent_sites(user_id: uuid.UUID) -> Select:
    """SELECT of the ids of the sites an open task assigns to the user."""
    return select(Task.site_id).where(Task.status == TASK_OPEN, _assigned_to(user_id))


def site_assigned(db: Session, *, scope: str, site_id: uuid.UUID) -> bool:
    """An open task for the site is assigned to the caller."""
    user_id = caller_of(scope)
    return user_id is not None and bool(db.scalar(select(exists().where(
        Task.site_id == site_id, Task.status == TASK_OPEN, _assigned_to(user_id)))))


def site_in_reach(db: Session, *, scope: str, site: Site) -> bool:
    """The caller may see and inspect this site."""
    return contains(scope, site.region_code) or site_assigned(db, scope=scope,
                                                             site_id=site.id)


def get_site_in_reach(db: Session, *, scope: str, site_id: uuid.UUID,
                      field: str | None = None) -> Site:
    """A site the caller may inspect: of the jurisdiction, or assigned to them by an open
    task (else 404, naming `field` when the id came in a body)."""
    site = db.get(Site, site_id)
    if site is None or not site_in_reach(db, scope=scope, site=site):
        raise NotFound(f"No site {site_id} in your jurisdiction.", field=field)
    return site


def inspection_in_reach(db: Session, *, scope: str, inspection) -> bool:
    """The caller may read this inspection (and add its photos): one of the jurisdiction, or
    one of their own across districts, while its task is open or once it completed it."""
    if contains(scope, inspection.region_code):
        return True
    user_id = caller_of(scope)
    mine = user_id is not None and (inspection.submitted_by_id == user_id or any(
        user.id == user_id for user in inspection.inspectors))
    if not mine:
        return False
    completed_mine = select(exists().where(Task.completed_by_inspection_id == inspection.id,
                                           _assigned_to(user_id)))
    return site_assigned(db, scope=scope, site_id=inspection.site_id) or bool(
        db.scalar(completed_mine))


def tasks_in_reach(scope: str) -> ColumnElement[bool]:
    """SQL (over tasks joined to sites): tasks of the jurisdiction, and the caller's own open
    tasks in other districts."""
    user_id = caller_of(scope)
    if user_id is None:
        return in_subtree(Site.region_code, scope)
    return or_(in_subtree(Site.region_code, scope),
               and_(Task.status == TASK_OPEN, _assigned_to(user_id)))
