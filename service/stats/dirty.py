"""Late changes to past months: the one place that marks a month for recomputation.

A session hook (after each flush) looks at the inspections the flush wrote. When one was
completed, voided or had its finish time changed, and its finish time lies in a month before
the current China-time month, that month is marked dirty — and so is every later month up to
the last one, because the recycling-device rate reads each site's *latest* inspection up to
a period's end. The worker (`compute.recompute_dirty`) recomputes the marked months with
their quarters and years. The current month needs no mark: the nightly refresh covers it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from service.common.chinatime import china_today
from service.common.idempotency import upsert_statement
from service.db import utcnow
from service.inspections.models import COMPLETED
from service.stats.periods import Period, month_of, month_of_moment, previous_month

WATCHED = ("status", "finished_at")


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


def mark_months(session: Session, keys: list[str], *, now: datetime) -> None:
    """Mark months dirty (an upsert: marking twice keeps one row, with the later time)."""
    from service.stats.models import DirtyMonth

    connection = session.connection()
    for key in keys:
        connection.execute(upsert_statement(
            DirtyMonth.__table__, {"month": key, "marked_at": now}, keys=["month"],
            update=["marked_at"], dialect=connection.dialect.name))


@event.listens_for(Session, "after_flush")
def _mark_late_inspections(session: Session, _context) -> None:
    from service.inspections.models import Inspection

    moments = [moment for obj in session.new if isinstance(obj, Inspection)
               for moment in months_touched(obj, new=True)]
    moments += [moment for obj in session.dirty if isinstance(obj, Inspection)
                for moment in months_touched(obj, new=False)]
    if not moments:
        return
    keys = months_to_mark(moments, current=month_of(china_today()))
    if keys:
        mark_months(session, keys, now=utcnow())
