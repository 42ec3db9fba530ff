"""How inspections complete tasks, and how a void gives the task back.

A completed inspection completes every open task for its site whose kind equals the
inspection's kind and that has an assignee among the inspection's inspectors. Each is one
conditional UPDATE (`status = 'open'` in its WHERE), so two inspections completing the same
task at once cannot both claim it and neither fails: the second finds it done.

Features built on tasks say what else happens, in the same transaction, when an inspection
of a kind completes tasks: `on_tasks_completed(kind, handler)` (enforcement settles the
rectification order of a completed re-inspection, `service/enforcement/rectification.py`).
Inspections and assignments import nothing of theirs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import Uuid, bindparam, exists, select, update
from sqlalchemy.orm import Session

from service.assignments.models import TASK_DONE, TASK_OPEN, Task, task_assignees

#: inspection kind -> what runs after an inspection of that kind completed tasks
_handlers: dict[str, list[Callable]] = {}


def on_tasks_completed(kind: str, handler: Callable) -> None:
    """(For features built on tasks) call `handler(db, inspection=…)` in the same
    transaction whenever a completed inspection of `kind` has completed tasks."""
    if handler not in _handlers.setdefault(kind, []):
        _handlers[kind].append(handler)


def _expire_loaded_tasks(db: Session) -> None:
    """Tasks already in the session would show their old status after a bulk UPDATE."""
    for obj in list(db.identity_map.values()):
        if isinstance(obj, Task):
            db.expire(obj)


#: the open tasks of a site and kind assigned to one of some inspectors; built once (every
#: completion runs it, and building the statement cost more than running it)
#: The ids' bind type is given: a foreign-key column takes its type from the column it
#: refers to, which may not be known yet when this module is imported (then the id would be
#: bound untyped, and SQLite refuses a UUID object).
_FULFILLED = select(Task.id).where(
    Task.site_id == bindparam("site_id", type_=Uuid()), Task.kind == bindparam("kind"),
    Task.status == TASK_OPEN,
    exists(select(task_assignees.c.task_id).where(
        task_assignees.c.task_id == Task.id,
        task_assignees.c.user_id.in_(bindparam("inspector_ids", type_=Uuid(),
                                               expanding=True)))))


def complete_tasks_for(db: Session, *, inspection) -> int:
    """Mark the open tasks this completed inspection fulfils as done; returns how many."""
    # Read first (this flushes the inspection's rows): most completions fulfil no task, and
    # then cost this one SELECT instead of the audit trail's locking read and an UPDATE.
    fulfilled = list(db.scalars(_FULFILLED, {
        "site_id": inspection.site_id, "kind": inspection.kind,
        "inspector_ids": [user.id for user in inspection.inspectors]}))
    if not fulfilled:
        return 0
    result = db.execute(
        update(Task)
        .where(Task.id.in_(fulfilled), Task.status == TASK_OPEN)
        .values(status=TASK_DONE, completed_by_inspection_id=inspection.id,
                completed_at=inspection.completed_at, version=Task.version + 1)
        .execution_options(synchronize_session=False))
    _expire_loaded_tasks(db)
    if result.rowcount:
        for handler in _handlers.get(inspection.kind, ()):
            handler(db, inspection=inspection)
    return result.rowcount


def reopen_tasks_of(db: Session, *, inspection_id: uuid.UUID) -> int:
    """A voided inspection no longer counts: the tasks it completed are open again."""
    result = db.execute(
        update(Task)
        .where(Task.completed_by_inspection_id == inspection_id, Task.status == TASK_DONE)
        .values(status=TASK_OPEN, completed_by_inspection_id=None, completed_at=None,
                version=Task.version + 1)
        .execution_options(synchronize_session=False))
    _expire_loaded_tasks(db)
    return result.rowcount
