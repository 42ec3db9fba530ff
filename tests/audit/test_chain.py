"""The verifier recomputes the chain and names the first entry altered, removed or out of
order; sealing picks up entries that commit late. Rows are edited with raw SQL, the way
someone with database access would, after lifting the append-only triggers for the test's
transaction only."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, text

from service.audit.chain import link_hash
from service.audit.logic import seal_pending, verify_chain
from service.audit.models import AuditEntry, AuditSeal
from service.db import utcnow
from tests.audit.helpers import last_entry_id, seals, without_append_only_triggers


@pytest.fixture
def sealed_three(make, db):
    """Three enterprises' entries, sealed: (entry ids, their seals)."""
    first = last_entry_id(db)
    for n in range(3):
        make.enterprise(region_code="310113", name=f"企业{n}")
    db.commit()
    assert verify_chain(db).ok
    ids = [e for e in db.scalars(select(AuditEntry.id).where(AuditEntry.id > first)
                                 .order_by(AuditEntry.id))]
    by_entry = {seal.entry_id: seal for seal in seals(db)}
    without_append_only_triggers(db)
    return ids, [by_entry[i] for i in ids]


def _sql(db, statement: str, **params) -> None:
    db.connection().execute(text(statement), params)


def test_an_intact_chain_verifies_and_sealing_is_complete(sealed_three, db):
    result = verify_chain(db)
    assert result.ok and result.problem is None
    assert result.unsealed == 0
    assert result.head_seq == db.scalar(select(func.count()).select_from(AuditSeal))
    assert seal_pending(db, everything=True) == 0


def test_an_edited_entry_is_named(sealed_three, db):
    ids, links = sealed_three
    _sql(db, "UPDATE audit_entries SET actor_role = 'admin' WHERE id = :id", id=ids[1])
    result = verify_chain(db)
    assert not result.ok
    assert (result.problem.kind, result.problem.entry_id, result.problem.seq) == (
        "altered", ids[1], links[1].seq)
    assert result.checked == links[1].seq - 1


def test_a_removed_entry_is_named(sealed_three, db):
    ids, links = sealed_three
    _sql(db, "DELETE FROM audit_seals WHERE entry_id = :id", id=ids[1])
    _sql(db, "DELETE FROM audit_entries WHERE id = :id", id=ids[1])
    problem = verify_chain(db).problem
    assert (problem.kind, problem.seq) == ("removed", links[1].seq)
    assert str(ids[2]) in problem.message  # where the chain goes on


def test_an_entry_removed_without_its_seal_is_named(sealed_three, db):
    if db.connection().dialect.name != "postgresql":
        pytest.skip("SQLite enforces the seal's foreign key inside a transaction")
    ids, _links = sealed_three
    _sql(db, "DELETE FROM audit_entries WHERE id = :id", id=ids[0])
    problem = verify_chain(db).problem
    assert (problem.kind, problem.entry_id) == ("removed", ids[0])


def test_reordered_entries_are_named(sealed_three, db):
    ids, links = sealed_three
    first, second = links[0].seq, links[1].seq
    _sql(db, "UPDATE audit_seals SET seq = -1 WHERE seq = :s", s=first)
    _sql(db, "UPDATE audit_seals SET seq = :a WHERE seq = :b", a=first, b=second)
    _sql(db, "UPDATE audit_seals SET seq = :b WHERE seq = -1", b=second)
    problem = verify_chain(db).problem
    assert (problem.kind, problem.seq, problem.entry_id) == ("out_of_order", first, ids[1])


def test_an_entry_inserted_into_the_chain_is_named(sealed_three, db):
    """Even with a correctly computed link for the forged entry, the next link breaks."""
    ids, links = sealed_three
    after = links[0]
    for seal in reversed(seals(db)):  # make room at after.seq + 1
        if seal.seq > after.seq:
            _sql(db, "UPDATE audit_seals SET seq = :new WHERE seq = :old",
                 new=seal.seq + 1, old=seal.seq)
    forged = {"recorded_at": utcnow(), "actor_role": "admin", "action": "delete",
              "object_type": "enterprise", "object_id": "x", "changes": {}}
    forged_id = db.connection().execute(insert(AuditEntry.__table__).values(**forged)
                                        .returning(AuditEntry.id)).scalar_one()
    row = db.connection().execute(select(AuditEntry.__table__)
                                  .where(AuditEntry.id == forged_id)).mappings().one()
    db.connection().execute(insert(AuditSeal.__table__).values(
        seq=after.seq + 1, entry_id=forged_id, prev_hash=after.hash,
        hash=link_hash(after.hash, after.seq + 1, row), sealed_at=utcnow()))
    problem = verify_chain(db).problem
    assert (problem.kind, problem.entry_id) == ("out_of_order", ids[1])


def test_an_entry_committed_late_is_sealed_in_a_later_round(db):
    verify_chain(db)
    newest = last_entry_id(db)

    def commit_entry(entry_id: int) -> None:
        db.connection().execute(insert(AuditEntry.__table__).values(
            id=entry_id, recorded_at=utcnow(), actor_role="system", action="create",
            object_type="enterprise", object_id=str(entry_id), changes={}))

    commit_entry(newest + 10)  # a transaction that took its id later but committed first
    assert seal_pending(db) == 1
    commit_entry(newest + 5)  # took its id earlier, committed after that round
    assert seal_pending(db) == 1
    assert [seal.entry_id for seal in seals(db)[-2:]] == [newest + 10, newest + 5]
    assert verify_chain(db).ok
