"""The console's sessions: started by signing in, ended by signing out, looked up on every
page. The signed cookie names the session; this table decides whether it still works."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from service.console.models import ConsoleSession


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
