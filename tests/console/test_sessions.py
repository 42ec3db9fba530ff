"""Console sessions that stopped working (signed out or expired) are pruned daily."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from service.console import sessions
from service.console.models import ConsoleSession
from service.console.tasks import prune_sessions
from service.db import utcnow
from workers.schedule import beat_schedule

HOUR = timedelta(hours=1)


def _rows(make, now):
    """Live; expired 2 days ago; expired an hour ago; signed out 2 days ago (it would
    have expired only tomorrow); signed out an hour ago."""
    user = make.user()
    db = make.db
    live = sessions.start(db, user_id=user.id, hours=8, now=now)
    old = sessions.start(db, user_id=user.id, hours=8, now=now - 56 * HOUR)
    recent = sessions.start(db, user_id=user.id, hours=8, now=now - 9 * HOUR)
    out = sessions.start(db, user_id=user.id, hours=72, now=now - 49 * HOUR)
    sessions.end(db, row=out, now=now - 48 * HOUR)
    just_out = sessions.start(db, user_id=user.id, hours=8, now=now - 2 * HOUR)
    sessions.end(db, row=just_out, now=now - HOUR)
    db.flush()
    return live, old, recent, out, just_out


def _left(db) -> set:
    db.expire_all()
    return set(db.scalars(select(ConsoleSession.id)))


def test_sessions_dead_for_over_a_day_are_deleted_and_the_rest_stay(make, db):
    now = utcnow()
    live, _old, recent, _out, just_out = _rows(make, now)
    assert sessions.prune(db, now=now) == 2
    assert _left(db) == {live.id, recent.id, just_out.id}
    assert sessions.prune(db, now=now) == 0
    # a day later the ones that stopped an hour ago go too; the live one (expiring in 8
    # hours) a day after its expiry
    assert sessions.prune(db, now=now + 25 * HOUR) == 2
    assert _left(db) == {live.id}
    assert sessions.prune(db, now=now + 32 * HOUR) == 1
    assert _left(db) == set()


def test_the_beat_runs_the_pruning_daily(app, make, db):
    entry = beat_schedule["console-prune-sessions"]
    assert entry["task"] == prune_sessions.name
    now = utcnow()
    live, *_ = _rows(make, now)
    db.commit()
    with app.app_context():
        assert prune_sessions.apply().get() == 2
    assert len(_left(db)) == 3 and live.id in _left(db)
