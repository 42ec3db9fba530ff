"""Tasks for tests, stored directly as a supervisor's assignment would be."""

from __future__ import annotations

from datetime import date, timedelta

from service.assignments.models import Task


def task(db, *, site, assignees, kind: str = "routine", due_on: date | None = None,
         status: str = "open", source: str = "manual") -> Task:
    row = Task(site_id=site.id, kind=kind, source=source, status=status,
               due_on=due_on or date.today() + timedelta(days=7), assignees=list(assignees))
    db.add(row)
    db.flush()
    return row
