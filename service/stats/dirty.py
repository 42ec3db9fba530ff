"""Late changes to past months: the one place that marks a month for recomputation.

A session hook (after each flush) looks at the inspections the flush wrote. When one was
completed, voided or had its finish time changed, and its finish time lies in a month before
the current China-time month, that month is marked dirty — and so is every later month up to
the last one, because the recycling-device rate reads each site's *latest* inspection up to
a period's end. The worker (`compute.recompute_dirty`) recomputes the marked months with
their quarters and years. The current month needs no mark: the nightly refresh covers it.

The same hook looks at the enforcement rows the flush wrote (cases, rectification orders,
summons): a new row marks the past months of its dates; a changed one marks the past months
of the dates the change counts under (`ENFORCEMENT_WATCH`): a publication or a dismissal
changes the month of its decision, a completion the month its order was due. Those figures
depend on their own month only, so only those months are marked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from service.common.chinatime import china_today
from service.common.idempotency import inserted_rows, upsert_statement
from service.db import utcnow
from service.inspections.models import COMPLETED
from service.stats.periods import Period, month_of, month_of_moment, previous_month

WATCHED = ("status", "finished_at")

#: per enforcement model: an attribute -> the date attributes naming the months whose
#: figures a change of it alters (the date attributes' old and new values both count)
ENFORCEMENT_WATCH: dict[str, dict[str, tuple[str, ...]]] = {
    "Case": {
        "filed_on": ("filed_on",), "closed_on": ("closed_on",),
        "transferred_on": ("transferred_on",), "decided_on": ("decided_on",),
        "published_on": ("decided_on",), "publish_due_on": ("decided_on",),
        "fine_fen": ("decided_on",), "status": ("decided_on",), "site_id": ("decided_on",),
        "region_code": ("filed_on", "closed_on", "transferred_on", "decided_on"),
    },
    "Rectification": {
        "issued_on": ("issued_on",), "due_on": ("due_on",), "completed_on": ("due_on",),
        "status": ("due_on",), "site_id": ("issued_on", "due_on"),
        "region_code": ("issued_on", "due_on"),
    },
    "Summons": {"held_on": ("held_on",), "region_code": ("held_on",)},
}


def months_touched(inspection, *, new: bool) -> list[datetime]:
    """The finish times (old and new) a flushed inspection changes the counts of."""
    if new:
        counted = inspection.status == COMPLETED and inspection.finished_at is not None
        return [inspection.finished_at] if counted else []
    state = inspect(inspection)
    changed = [state.attrs[name].history for name in WATCHED]
    if not any(history.has_changes() for history in changed):
        return []
    finished = state.attrs["finished_at"].history
    moments = [*finished.added, *finished.deleted, *finished.unchanged]
    return [moment for moment in moments if moment is not None]


def months_to_mark(moments: list[datetime], *, current: Period) -> list[str]:
    """Keys of the past months from the earliest moment's month up to the previous month."""
    past = [month_of_moment(moment) for moment in moments]
    past = [month for month in past if month.first < current.first]
    if not past:
        return []
    month = min(past, key=lambda p: p.first)
    last = previous_month(current.first)
    keys = []
    while month.first <= last.first:
        keys.append(month.key)
        month = month_of(month.last + timedelta(days=1))
    return keys


def dates_touched(row, *, new: bool) -> list[date]:
    """The dates (old and new) whose months a flushed enforcement row changes the counts of."""
    watch = ENFORCEMENT_WATCH[type(row).__name__]
    state = inspect(row)
    if new:
        names = {name for dates in watch.values() for name in dates}
        return [value for name in names if (value := state.dict.get(name)) is not None]
    names = {name for attribute, dates in watch.items()
             if state.attrs[attribute].history.has_changes() for name in dates}
    found = []
    for name in names:
        history = state.attrs[name].history
        values = [*history.added, *history.deleted, *history.unchanged]
        if not values and name in state.unloaded:
            values = [getattr(row, name)]  # expired (e.g. after a commit): read it back
        found += [value for value in values if value is not None]
    return found


def past_months_of(days: list[date], *, current: Period) -> list[str]:
    """Keys of the months before `current` that hold one of `days`, each once."""
    return sorted({month_of(day).key for day in days if day < current.first})


def mark_months(session: Session, keys: list[str], *, now: datetime) -> None:
    """Mark months dirty (an upsert: marking twice keeps one row, with the later time)."""
    from service.stats.models import DirtyMonth

    connection = session.connection()
    for key in keys:
        connection.execute(upsert_statement(
            DirtyMonth.__table__, {"month": key, "marked_at": now}, keys=["month"],
            update=["marked_at"], dialect=connection.dialect.name))


@event.listens_for(Session, "after_flush")
def _mark_late_changes(session: Session, _context) -> None:
    from service.enforcement.models import Case, Rectification, Summons
    from service.inspections.models import Inspection

    enforcement = (Case, Rectification, Summons)
    moments, days = [], []
    for obj in session.new:
        if isinstance(obj, Inspection):
            moments += months_touched(obj, new=True)
        elif isinstance(obj, enforcement):
            days += dates_touched(obj, new=True)
    for obj in session.dirty:
        if isinstance(obj, Inspection):
            moments += months_touched(obj, new=False)
        elif isinstance(obj, enforcement):
            days += dates_touched(obj, new=False)
    _mark(session, moments, days)


@event.listens_for(Session, "before_commit")
def _mark_late_inserts(session: Session) -> None:
    """Inspections claimed by `insert_new` (a phone's PUT) never sit in a flush's
    `session.new`: their months are marked here, once the request has written them (at
    the session's own commit, not a savepoint's)."""
    if session.in_nested_transaction():
        return
    from service.inspections.models import Inspection

    moments = [moment for inspection in inserted_rows(session, Inspection)
               for moment in months_touched(inspection, new=True)]
    _mark(session, moments, [])


def _mark(session: Session, moments: list[datetime], days: list[date]) -> None:
    if not moments and not days:
        return
    current = month_of(china_today())
    keys = sorted({*months_to_mark(moments, current=current),
                   *past_months_of(days, current=current)})
    if keys:
        mark_months(session, keys, now=utcnow())
