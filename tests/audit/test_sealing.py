"""Sealing under concurrent writers and sealers (a link per transaction, every entry once),
the beat task, and the verify command, on a scratch database of their own (these commit, and
committed audit rows stay)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.orm import sessionmaker

from service.audit.logic import seal_pending, verify_chain
from service.audit.models import AuditEntry, AuditSeal
from service.audit.tasks import seal
from service.cli import main
from service.db import make_engine, session_scope
from service.local.databases import postgresql_url_from_env, scratch_postgresql_database
from service.matters.models import InspectionMatter
from service.migrate import upgrade
from tests.audit.helpers import last_entry_id

WRITERS, TRANSACTIONS, SEALERS = 4, 15, 2


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'audit.db'}"
        upgrade(url)
        yield url
        return
    if postgresql_url_from_env() is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    with scratch_postgresql_database(postgresql_url_from_env(), "test_audit_sealing") as url:
        upgrade(url)
        yield url


def _matter(code: str) -> InspectionMatter:
    return InspectionMatter(code=code, name=code, legal_basis="《快递市场管理办法》",
                            site_types=[], item_codes=[])


def test_concurrent_writers_and_sealers_build_one_valid_chain(scratch):
    engine = make_engine(scratch)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    writing = threading.Event()
    errors = []

    def write(writer: int) -> None:
        try:
            for n in range(TRANSACTIONS):
                with session_scope(factory) as db:
                    db.add_all([_matter(f"W{writer}-{n}-{k}") for k in range(3)])
        except Exception as exc:  # reported below, with the thread's name
            errors.append(exc)

    def keep_sealing() -> None:
        try:
            while writing.is_set():
                with session_scope(factory) as db:
                    seal_pending(db, wait=False)
        except Exception as exc:
            errors.append(exc)

    writing.set()
    sealers = [threading.Thread(target=keep_sealing) for _ in range(SEALERS)]
    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in sealers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    writing.clear()
    for thread in sealers:
        thread.join()
    assert errors == []
    with session_scope(factory) as db:
        result = verify_chain(db)
        entries = db.scalar(select(func.count()).select_from(AuditEntry))
        seqs = list(db.scalars(select(AuditSeal.seq).order_by(AuditSeal.seq)))
    engine.dispose()
    assert entries == WRITERS * TRANSACTIONS * 3
    assert result.ok and result.unsealed == 0
    assert result.entries_checked == entries
    assert seqs == list(range(1, WRITERS * TRANSACTIONS + 1))  # a link per transaction


def test_the_verify_command_reports_an_intact_then_a_broken_chain(scratch, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", scratch)
    engine = make_engine(scratch)
    factory = sessionmaker(bind=engine)
    with session_scope(factory) as db:
        db.add_all([_matter("A"), _matter("B")])
    runner = CliRunner()
    intact = runner.invoke(main, ["audit-verify"])
    assert intact.exit_code == 0, intact.output
    assert "intact" in intact.output and "verified 1 links (2 entries)" in intact.output

    with engine.begin() as connection:  # someone with database access edits the record
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            connection.execute(text("DROP TRIGGER audit_entries_no_update"))
        first = connection.scalar(select(func.min(AuditEntry.id)))
        connection.execute(text("UPDATE audit_entries SET object_id = 'C' WHERE id = :id"),
                           {"id": first})
    broken = runner.invoke(main, ["audit-verify"])
    engine.dispose()
    assert broken.exit_code == 1
    assert f"Entry {first} (link 1) was altered" in broken.output  # named in its batch


def test_the_beat_task_seals_what_was_committed(app, make, db):
    make.enterprise(region_code="310113")
    db.commit()
    newest = last_entry_id(db)
    with app.app_context():
        seal.apply()
    db.expire_all()
    assert db.scalar(select(AuditSeal.seq).where(AuditSeal.entry_id == newest)) is not None
