"""Jobs asked for during a transaction are sent only when it commits."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from service.common.jobs import enqueue_after_commit, pending_jobs
from workers.celery_app import celery

SENT: list = []


@celery.task(name="tests.workers.record")
def record(value):
    SENT.append(value)


@celery.task(name="tests.workers.explode")
def explode(value):
    raise RuntimeError(f"task failed for {value}")


@pytest.fixture
def session(jobs_engine):
    """A session of the test's own (nothing is written: the jobs are what is tested)."""
    SENT.clear()
    conf = celery.conf
    eager = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True  # the embedded default
    session = sessionmaker(bind=jobs_engine)()
    yield session
    session.close()
    conf.task_always_eager, conf.task_eager_propagates = eager


def test_a_job_of_a_committed_transaction_is_sent_once(session):
    session.execute(text("SELECT 1"))
    enqueue_after_commit(session, record, "site-1")
    assert SENT == []  # not before the commit
    session.commit()
    assert SENT == ["site-1"]
    session.commit()
    assert SENT == ["site-1"]


def test_a_job_of_a_rolled_back_transaction_is_never_sent(session):
    enqueue_after_commit(session, record, "site-1")
    session.execute(text("SELECT 1"))
    session.rollback()
    session.commit()  # a later transaction of the same session does not revive it
    assert SENT == []
    assert pending_jobs(session) == 0


def test_a_job_of_a_session_closed_without_commit_is_never_sent(session):
    enqueue_after_commit(session, record, "site-1")
    session.close()
    session.commit()
    assert SENT == []


def test_a_rolled_back_savepoint_drops_only_its_own_jobs(session):
    enqueue_after_commit(session, record, "outer")
    savepoint = session.begin_nested()
    enqueue_after_commit(session, record, "inner")
    savepoint.rollback()
    with session.begin_nested():  # a released savepoint sends nothing yet
        enqueue_after_commit(session, record, "kept")
    assert SENT == []
    session.commit()
    assert SENT == ["outer", "kept"]


def test_jobs_are_sent_in_order_and_a_failing_one_does_not_stop_the_rest(session, caplog):
    enqueue_after_commit(session, record, 1)
    enqueue_after_commit(session, explode, 2)
    enqueue_after_commit(session, record, 3)
    session.commit()  # the data is committed: the failure is logged, not raised
    assert SENT == [1, 3]
    assert "tests.workers.explode" in caplog.text


def test_arguments_that_are_not_json_are_refused_when_the_job_is_asked_for(session):
    with pytest.raises(TypeError):
        enqueue_after_commit(session, record, object())
    session.commit()
    assert SENT == []


def test_a_job_asked_for_by_its_task_name_is_sent_after_commit(session):
    enqueue_after_commit(session, "tests.workers.record", "by-name")
    session.commit()
    assert SENT == ["by-name"]


def test_an_unknown_task_name_is_refused_when_the_job_is_asked_for(session):
    with pytest.raises(LookupError, match="no_such_task"):
        enqueue_after_commit(session, "service.nothing.tasks.no_such_task", "x")
    session.commit()
    assert SENT == []
