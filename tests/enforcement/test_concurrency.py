"""Concurrent requests on real, committed transactions (PostgreSQL when DATABASE_URL says
so, else SQLite): document numbers with no gap or duplicate, and one winner per claim."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from service.auth.models import SUPERVISOR, User
from service.common.errors import Conflict
from service.enforcement import queues
from service.enforcement.models import Document, DocumentCounter, QueueItem
from service.enforcement.numbering import issue_document
from tests.factories import password_hash

#: a year no other test issues numbers in
YEAR = 2091
THREADS = 16


@pytest.fixture
def factory(engine):
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    yield factory
    with factory.begin() as db:
        db.execute(delete(Document).where(Document.year == YEAR))
        db.execute(delete(DocumentCounter).where(DocumentCounter.year == YEAR))


def _issue(factory, barrier) -> str:
    barrier.wait()
    with factory.begin() as db:
        return issue_document(db, bureau_code="310113", kind="decision",
                              issued_on=date(YEAR, 3, 1)).number


def test_sixteen_concurrent_numbers_have_no_gap_and_no_duplicate(factory):
    barrier = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        numbers = list(pool.map(lambda _: _issue(factory, barrier), range(THREADS)))
    assert sorted(numbers) == sorted(f"沪宝邮管罚〔{YEAR}〕{n}号" for n in range(1, THREADS + 1))


def test_a_rolled_back_request_leaves_no_gap(factory):
    db = factory()
    issue_document(db, bureau_code="310113", kind="notice", issued_on=date(YEAR, 1, 2))
    db.rollback()
    db.close()
    with factory.begin() as db:
        document = issue_document(db, bureau_code="310113", kind="notice",
                                  issued_on=date(YEAR, 1, 2))
    assert document.seq == 1


@pytest.fixture
def claimants(factory):
    """Two supervisors and a queue item, committed; removed afterwards."""
    with factory.begin() as db:
        users = [User(username=f"claim-{uuid.uuid4().hex[:8]}", full_name="主管",
                      password_hash=password_hash(), role=SUPERVISOR, region_code="310113")
                 for _ in range(2)]
        item = QueueItem(queue="legal_review", item_id=uuid.uuid4(), region_code="310113",
                         item_type="fine", title="并发认领", due_on=date(2026, 12, 1))
        db.add_all([*users, item])
    yield users, item
    with factory.begin() as db:
        db.execute(delete(QueueItem).where(QueueItem.id == item.id))
        db.execute(delete(User).where(User.id.in_([u.id for u in users])))


def _claim(factory, barrier, user, item_id) -> str:
    barrier.wait()
    try:
        with factory.begin() as db:
            queues.claim(db, scope="310113", user=user, queue="legal_review",
                         item_id=item_id, minutes=30)
        return "won"
    except Conflict:
        return "lost"


def test_of_two_concurrent_claims_exactly_one_wins(factory, claimants):
    users, item = claimants
    for _ in range(5):  # the race, several times over
        with factory.begin() as db:
            db.execute(QueueItem.__table__.update().where(QueueItem.id == item.id)
                       .values(claimed_by_id=None, claim_expires_at=None))
        barrier = threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(_claim, [factory] * 2, [barrier] * 2, users,
                                     [item.item_id] * 2))
        assert sorted(outcomes) == ["lost", "won"]
        with factory() as db:
            holder = db.scalar(select(QueueItem.claimed_by_id).where(QueueItem.id == item.id))
        assert holder == users[outcomes.index("won")].id
