"""The verifier recomputes the chain and names the first entry altered, removed or out of
order; a link seals one transaction's batch of entries; sealing picks up batches that commit
late; links of one entry (sealed before batches) still verify. Rows are edited with raw SQL,
the way someone with database access would, after lifting the append-only triggers for the
test's transaction only."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, insert, select, text, update

from service.audit import logic
from service.audit.chain import batch_hash, entry_digest
from service.audit.logic import AS_STORED, seal_pending, verify_chain
from service.audit.models import AuditEntry, AuditSeal
from service.db import utcnow
from tests.audit.helpers import last_entry_id, seals, without_append_only_triggers

#: enterprises made in each transaction of `sealed_batches`
BATCH_SIZES = (2, 3, 1)


@pytest.fixture
def sealed_batches(make, db):
    """Three transactions' entries, sealed: [(their link, their entry ids)], in chain order."""
    first = last_entry_id(db)
    for size in BATCH_SIZES:
        for n in range(size):
            make.enterprise(region_code="310113", name=f"企业{size}-{n}")
        db.commit()
    assert verify_chain(db).ok
    links = [link for link in seals(db) if link.entry_id > first]
    batches = [(link, [entry_id for entry_id, _ in link.entries]) for link in links]
    without_append_only_triggers(db)
    return batches


def _sql(db, statement: str, **params) -> None:
    db.connection().execute(text(statement), params)


def _stored(db, entry_id: int):
    """The entry as its digest covers it (`changes` as the text stored)."""
    return db.connection().execute(select(*AS_STORED).where(AuditEntry.id == entry_id)
                                   ).mappings().one()


def _new_entry(db, **columns) -> int:
    """An entry inserted past the trail (as someone with database access would)."""
    values = {"recorded_at": utcnow(), "actor_role": "admin", "action": "delete",
              "object_type": "enterprise", "object_id": "x", "changes": {}, **columns}
    return db.connection().execute(insert(AuditEntry.__table__).values(**values)
                                   .returning(AuditEntry.id)).scalar_one()


def test_one_link_seals_each_transactions_entries(sealed_batches, db):
    assert [len(ids) for _, ids in sealed_batches] == list(BATCH_SIZES)
    for link, ids in sealed_batches:
        entries = db.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids))).all()
        assert {entry.batch_id for entry in entries} == {link.batch_id}
        assert link.entry_id == ids[0] == min(ids)
    assert [link.seq for link, _ in sealed_batches] == list(
        range(sealed_batches[0][0].seq, sealed_batches[0][0].seq + len(BATCH_SIZES)))


def test_an_intact_chain_verifies_and_sealing_is_complete(sealed_batches, db):
    result = verify_chain(db)
    assert result.ok and result.problem is None
    assert result.unsealed == 0
    assert result.head_seq == db.scalar(select(func.count()).select_from(AuditSeal))
    assert result.checked == result.head_seq
    assert result.entries_checked == db.scalar(select(func.count()).select_from(AuditEntry))
    assert seal_pending(db, everything=True) == 0


def test_an_entry_edited_inside_a_batch_is_named(sealed_batches, db):
    link, ids = sealed_batches[1]
    _sql(db, "UPDATE audit_entries SET actor_role = 'admin' WHERE id = :id", id=ids[1])
    result = verify_chain(db)
    assert not result.ok
    assert (result.problem.kind, result.problem.entry_id, result.problem.seq) == (
        "altered", ids[1], link.seq)
    assert result.checked == link.seq - 1


def test_an_entry_removed_from_a_batch_is_named(sealed_batches, db):
    link, ids = sealed_batches[1]
    _sql(db, "DELETE FROM audit_entries WHERE id = :id", id=ids[2])
    problem = verify_chain(db).problem
    assert (problem.kind, problem.entry_id, problem.seq) == ("removed", ids[2], link.seq)


def test_a_batchs_first_entry_removed_without_its_link_is_named(sealed_batches, db):
    if db.connection().dialect.name != "postgresql":
        pytest.skip("SQLite enforces the seal's foreign key inside a transaction")
    link, ids = sealed_batches[0]
    _sql(db, "DELETE FROM audit_entries WHERE id = :id", id=ids[0])
    problem = verify_chain(db).problem
    assert (problem.kind, problem.entry_id, problem.seq) == ("removed", ids[0], link.seq)


def test_a_whole_batch_removed_is_named(sealed_batches, db):
    (removed, ids), (after, after_ids) = sealed_batches[1], sealed_batches[2]
    _sql(db, "DELETE FROM audit_seals WHERE seq = :seq", seq=removed.seq)
    for entry_id in ids:
        _sql(db, "DELETE FROM audit_entries WHERE id = :id", id=entry_id)
    problem = verify_chain(db).problem
    assert (problem.kind, problem.seq) == ("removed", removed.seq)
    assert f"link {after.seq}, entry {after_ids[0]}" in problem.message  # where it goes on


def test_reordered_batches_are_named(sealed_batches, db):
    (first, _), (second, second_ids) = sealed_batches[0], sealed_batches[1]
    _sql(db, "UPDATE audit_seals SET seq = -1 WHERE seq = :s", s=first.seq)
    _sql(db, "UPDATE audit_seals SET seq = :a WHERE seq = :b", a=first.seq, b=second.seq)
    _sql(db, "UPDATE audit_seals SET seq = :b WHERE seq = -1", b=second.seq)
    problem = verify_chain(db).problem
    assert (problem.kind, problem.seq, problem.entry_id) == (
        "out_of_order", first.seq, second_ids[0])


def test_a_batch_inserted_into_the_chain_is_named(sealed_batches, db):
    """Even with a correctly computed link for the forged batch, the next link breaks."""
    (after, _), (_next, next_ids) = sealed_batches[0], sealed_batches[1]
    for seal in reversed(seals(db)):  # make room at after.seq + 1
        if seal.seq > after.seq:
            _sql(db, "UPDATE audit_seals SET seq = :new WHERE seq = :old",
                 new=seal.seq + 1, old=seal.seq)
    batch_id = uuid.uuid4()
    forged = _new_entry(db, batch_id=batch_id)
    listed = [[forged, entry_digest(_stored(db, forged))]]
    db.connection().execute(insert(AuditSeal.__table__).values(
        seq=after.seq + 1, entry_id=forged, batch_id=batch_id, entries=listed,
        prev_hash=after.hash, hash=batch_hash(after.hash, after.seq + 1, batch_id, listed),
        sealed_at=utcnow()))
    problem = verify_chain(db).problem
    assert (problem.kind, problem.entry_id) == ("out_of_order", next_ids[0])


def test_an_entry_smuggled_into_a_sealed_batch_is_named(sealed_batches, db):
    link, _ids = sealed_batches[1]
    smuggled = _new_entry(db, batch_id=link.batch_id)
    problem = verify_chain(db).problem
    assert (problem.kind, problem.entry_id, problem.seq) == ("out_of_order", smuggled, link.seq)


def test_a_links_list_rewritten_with_an_entry_is_named(sealed_batches, db):
    """Edit an entry and put its new digest in the link: the link's hash no longer holds."""
    link, ids = sealed_batches[1]
    _sql(db, "UPDATE audit_entries SET object_id = 'forged' WHERE id = :id", id=ids[1])
    listed = [[entry_id, entry_digest(_stored(db, entry_id))] for entry_id in ids]
    db.connection().execute(update(AuditSeal.__table__).where(AuditSeal.seq == link.seq)
                            .values(entries=listed))
    problem = verify_chain(db).problem
    assert (problem.kind, problem.entry_id, problem.seq) == ("altered", ids[0], link.seq)


def test_a_batch_committed_late_is_sealed_in_a_later_round(db):
    verify_chain(db)
    newest = last_entry_id(db)
    late, early = uuid.uuid4(), uuid.uuid4()

    def commit_batch(batch_id, *entry_ids: int) -> None:
        for entry_id in entry_ids:
            _new_entry(db, id=entry_id, batch_id=batch_id, object_id=str(entry_id))

    commit_batch(early, newest + 10, newest + 11)  # took its ids later but committed first
    assert seal_pending(db) == 2
    commit_batch(late, newest + 5, newest + 6)  # took its ids earlier, committed after that
    assert seal_pending(db) == 2
    assert [(seal.batch_id, seal.entry_id) for seal in seals(db)[-2:]] == [
        (early, newest + 10), (late, newest + 5)]
    assert verify_chain(db).ok


def test_entries_without_a_batch_are_sealed_alone_as_before(db):
    """Entries written before batches (migration 0014): a link of one entry each, in the
    format of then, which verifies, and names an edit."""
    verify_chain(db)
    before = [_new_entry(db, object_id=f"old-{n}") for n in range(2)]
    assert seal_pending(db) == 2
    old_links = seals(db)[-2:]
    assert [(link.entry_id, link.batch_id, link.entries) for link in old_links] == [
        (before[0], None, None), (before[1], None, None)]
    assert verify_chain(db).ok
    without_append_only_triggers(db)
    _sql(db, "UPDATE audit_entries SET actor_role = 'system' WHERE id = :id", id=before[1])
    problem = verify_chain(db).problem
    assert (problem.kind, problem.entry_id, problem.seq) == ("altered", before[1],
                                                              old_links[1].seq)


def test_a_backlog_is_sealed_a_few_batches_per_statement_each_whole(db, monkeypatch):
    """Batches whose ids interleave, sealed two per statement: each batch whole, once."""
    verify_chain(db)
    monkeypatch.setattr(logic, "BATCHES", 2)
    newest = last_entry_id(db)
    batches = {uuid.uuid4(): ids for ids in ([1, 4], [2, 3], [5], [6, 7], [8])}
    for batch_id, ids in batches.items():
        for n in ids:
            _new_entry(db, id=newest + n, batch_id=batch_id, object_id=str(n))
    assert seal_pending(db) == 8
    links = seals(db)[-5:]
    assert [(link.batch_id, [entry_id - newest for entry_id, _ in link.entries])
            for link in links] == list(batches.items())
    assert verify_chain(db).ok
