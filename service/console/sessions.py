"""The console's sessions: started by signing in, ended by signing out, looked up on every
page. The signed cookie names the session; this table decides whether it still works.

A session that has stopped working (ended or expired) can never work again, so its row is
of no further use: the daily `prune` deletes those that stopped more than `PRUNE_AFTER`
ago (beat entry `console-prune-sessions`), keeping the table as small as the sessions in
use. Each deleted row goes on the audit trail like any other write."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from service.console.models import ConsoleSession

#: how long a dead session's row stays (a day of recent sign-ins to look at)
PRUNE_AFTER = timedelta(days=1)


def start(db: Session, *, user_id: uuid.UUID, hours: int, now: datetime) -> ConsoleSession:
    """A new live session for the user, lasting `hours`."""
    row = ConsoleSession(user_id=user_id, started_at=now, expires_at=now + timedelta(hours=hours))
    db.add(row)
    db.flush()
    return row


def live(db: Session, *, session_id: str | None, user_id: str | None,
         now: datetime) -> ConsoleSession | None:
    """The session a cookie names, while it is the user's, not ended and not expired."""
    try:
        sid, uid = uuid.UUID(str(session_id)), uuid.UUID(str(user_id))
    except ValueError:
        return None
    row = db.get(ConsoleSession, sid)
    if row is None or row.user_id != uid or not row.live(now):
        return None
    return row


def end(db: Session, *, row: ConsoleSession, now: datetime) -> None:
    """Sign out: the session's cookie stops working from now on, wherever it was copied."""
    if row.ended_at is None:
        row.ended_at = now


def prune(db: Session, *, now: datetime, after: timedelta = PRUNE_AFTER) -> int:
    """Delete the sessions that ended or expired more than `after` before `now`; how many."""
    before = now - after
    result = db.execute(delete(ConsoleSession).where(
        or_(ConsoleSession.expires_at <= before, ConsoleSession.ended_at <= before)))
    return result.rowcount
