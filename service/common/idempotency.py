"""Client-made ids: a retried create finds the row the first request made.

The primary key decides, never a read before the write: the insert runs in a SAVEPOINT, and
when the key is taken (a retry, or a copy racing this one) the stored row is answered
instead. `insert_once` then compares it with the request: same body, same answer; else 409.
`insert_new` does the same claim in one statement (`INSERT … ON CONFLICT DO NOTHING
RETURNING`, on PostgreSQL and SQLite) for hot paths that check the body before writing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from service.common.errors import Conflict

Row = TypeVar("Row")
#: the dialects' INSERT with ON CONFLICT (both have it; Core's generic insert has not)
_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}
#: session.info key: the objects `insert_new` made in the session's transaction. They never
#: pass through the unit of work, so a hook that reads a flush's `session.new` would miss them;
#: it reads them here instead (`inserted_rows`).
_INSERTED = "insert_new.rows"


def body_hash(data: dict) -> str:
    """SHA-256 (hex) of a validated body as canonical JSON (sorted keys; dates, times and
    UUIDs as text), so a retry of the same body is recognised whatever its key order."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def insert_or_existing(db: Session, row: Row) -> tuple[Row, bool]:
    """(row, True) when inserted; (the stored row with its id, False) when the id was
    taken. Any other constraint's failure propagates as IntegrityError."""
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
        return row, True
    except IntegrityError:
        existing = db.get(type(row), row.id) if row.id is not None else None
        if existing is None:
            raise
        return existing, False


def insert_new(db: Session, model: type[Row], values: dict) -> Row | None:
    """Insert one row as `INSERT … ON CONFLICT DO NOTHING RETURNING`: the new ORM object, or
    None when its primary key is taken (a retry, or a copy racing this one, which the
    database makes wait for the other's commit). One statement: no SAVEPOINT, no read first.

    A Core statement on the table (the row as its parameters, so the audit trail can name
    it), returning every column, keys first; the object is then made from the returned row,
    persistent and unmodified as if loaded, with its collections loaded and empty, so
    filling them queries nothing. Cheaper than the ORM's own INSERT … RETURNING of the
    entity, which builds its loading machinery for one row."""
    stmt, attributes, collections = _claim(model, db.get_bind().dialect.name)
    row = db.execute(stmt, values).one_or_none()
    if row is None:
        return None
    obj = model(**dict(zip(attributes, row, strict=True)))
    make_transient_to_detached(obj)
    db.add(obj)
    for key in collections:
        set_committed_value(obj, key, [])
    db.info.setdefault(_INSERTED, []).append(obj)
    return obj


@cache
def _claim(model: type, dialect: str) -> tuple:
    """`insert_new`'s statement for a model, the attributes its RETURNING fills (in order)
    and the model's collections: worked out once (building the statement cost more than a
    tenth of a claim)."""
    table = model.__table__
    mapper = inspect(model)
    keys = list(table.primary_key.columns)
    columns = [*keys, *(column for column in table.columns if not column.primary_key)]
    stmt = (_INSERTS[dialect](table)
            .on_conflict_do_nothing(index_elements=[column.name for column in keys])
            .returning(*columns))
    return (stmt, tuple(mapper.get_property_by_column(column).key for column in columns),
            tuple(rel.key for rel in mapper.relationships if rel.uselist))


def inserted_rows(db: Session, model: type[Row]) -> list[Row]:
    """The `model` objects `insert_new` made in this transaction: new rows, as a flush's
    `session.new` would hold them had the unit of work inserted them. Read them before the
    commit (a `before_commit` hook), once the request has written everything it writes."""
    return [obj for obj in db.info.get(_INSERTED, ()) if isinstance(obj, model)]


@event.listens_for(Session, "after_transaction_end")
def _forget_inserted(session: Session, transaction) -> None:
    if transaction.parent is None:  # the session's own transaction, not a savepoint
        session.info.pop(_INSERTED, None)


def differs(stored: Any, wanted: dict) -> bool:
    """True when a stored row does not hold the values a request asked for."""
    return any(getattr(stored, name) != value for name, value in wanted.items())


def upsert_statement(table, values: dict, *, keys: list[str], update: list[str], dialect: str):
    """INSERT … ON CONFLICT (keys) DO UPDATE SET update (DO NOTHING when update is empty),
    in the dialect's own syntax: one statement, no read before the write, no race."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table).values(**values)
    if not update:
        return stmt.on_conflict_do_nothing(index_elements=keys)
    return stmt.on_conflict_do_update(index_elements=keys,
                                      set_={column: stmt.excluded[column] for column in update})


def same_values(wanted: dict) -> Callable[[Any], bool]:
    """A `same` test for `insert_once`: the stored row holds these values."""
    return lambda stored: not differs(stored, wanted)


def require_same(stored: Row, *, same: Callable[[Row], bool], what: str) -> Row:
    """The stored row when this request is a retry of the one that made it; else 409."""
    if same(stored):
        return stored
    raise Conflict(f"{what} {stored.id} already exists with a different body; a new "
                   f"{what.lower()} needs a new id.", field="id")


def insert_once(db: Session, row: Row, *, same: Callable[[Row], bool], what: str) -> Row:
    """Insert `row` under its client-made id once: a retry (`same(stored)`) answers the
    stored row, another body under that id is a 409 naming `id`. Any other constraint's
    failure propagates as IntegrityError."""
    stored, created = insert_or_existing(db, row)
    return stored if created else require_same(stored, same=same, what=what)
