"""A failed write inside a savepoint gives up that savepoint's jobs, not the transaction's.

The case that used to lose every job: an INSERT failing inside `begin_nested()` (a duplicate
key), caught, while the outer transaction goes on and commits. The flush that fails rolls
back its own inner transaction, and the session reported that as a rollback of the whole
session; now only the jobs asked for inside the savepoint it rolled back to are dropped.
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from service.common.jobs import enqueue_after_commit, pending_jobs
from service.regions.models import Region
from tests.audit.helpers import entries_after, last_entry_id
from workers.celery_app import celery

SENT: list = []


@celery.task(name="tests.common.remember")
def remember(value):
    SENT.append(value)


@pytest.fixture
def eager():
    """Tasks run in-process when sent (the embedded default), so SENT shows what was sent."""
    SENT.clear()
    conf = celery.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def _duplicate_region(db) -> None:
    """An INSERT the database refuses: this region code exists (seeded)."""
    db.add(Region(code="310113", name="重复的区", level="district", parent_code="310100"))
    db.flush()


def test_a_failed_insert_in_a_savepoint_drops_only_the_savepoints_jobs(db, make, eager):
    kept = make.enterprise(region_code="310113")
    enqueue_after_commit(db, remember, "before")
    with pytest.raises(IntegrityError), db.begin_nested():
        enqueue_after_commit(db, remember, "inside")
        _duplicate_region(db)
    enqueue_after_commit(db, remember, "after")
    assert pending_jobs(db) == 2
    db.commit()
    assert SENT == ["before", "after"]
    assert db.get(type(kept), kept.id) is not None  # the outer transaction's write stays


def test_a_failed_insert_in_a_nested_savepoint_keeps_the_outer_savepoints_jobs(db, eager):
    enqueue_after_commit(db, remember, "outer")
    with db.begin_nested():
        enqueue_after_commit(db, remember, "first savepoint")
        with pytest.raises(IntegrityError), db.begin_nested():
            enqueue_after_commit(db, remember, "second savepoint")
            _duplicate_region(db)
    db.commit()
    assert SENT == ["outer", "first savepoint"]


def test_a_failed_flush_outside_any_savepoint_still_drops_every_job(db, eager):
    enqueue_after_commit(db, remember, "lost")
    with pytest.raises(IntegrityError):
        _duplicate_region(db)
    db.rollback()
    db.commit()
    assert SENT == []
    assert pending_jobs(db) == 0


def test_the_audit_trail_keeps_the_outer_entries_when_a_savepoint_insert_fails(db, make):
    first = last_entry_id(db)
    kept = make.enterprise(region_code="310113")
    with pytest.raises(IntegrityError), db.begin_nested():
        make.enterprise(region_code="310113", name="撤销的")
        _duplicate_region(db)
    db.commit()
    assert [e.object_id for e in entries_after(db, first)] == [str(kept.id)]
