"""The app cannot change or remove what it recorded: triggers (migration 0002) refuse
UPDATE and DELETE of entries and seals, and on PostgreSQL TRUNCATE too."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from service.audit.logic import verify_chain
from tests.audit.helpers import last_entry_id

STATEMENTS = {
    "update an entry": "UPDATE audit_entries SET actor_role = 'admin' WHERE id = :id",
    "delete an entry": "DELETE FROM audit_entries WHERE id = :id",
    "update a seal": "UPDATE audit_seals SET hash = 'x' WHERE entry_id = :id",
    "delete a seal": "DELETE FROM audit_seals WHERE entry_id = :id",
    "truncate the entries": "TRUNCATE audit_entries CASCADE",
    "truncate the seals": "TRUNCATE audit_seals",
}


@pytest.mark.parametrize("statement", STATEMENTS.values(), ids=STATEMENTS.keys())
def test_the_database_refuses_to_change_audit_rows(statement, make, db):
    postgresql = db.connection().dialect.name == "postgresql"
    if statement.startswith("TRUNCATE") and not postgresql:
        pytest.skip("SQLite has no TRUNCATE")
    make.enterprise(region_code="310113")
    db.commit()
    verify_chain(db)  # sealed, so the seal statements have a row to hit
    entry_id = last_entry_id(db)
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.connection().execute(text(statement), {"id": entry_id})
