"""The one hook that puts every write on the record, in the transaction that makes it.

Two ways a write reaches the database through a session, one mechanism for each:

- the unit of work (`add`, attribute changes, `delete`, relationship changes): mapper
  events (`after_insert`, `after_update`, `before_delete`) note what changed, field by
  field, with old and new values;
- ORM/Core statements run with `session.execute(insert(...) / update(...) / delete(...))`:
  `do_orm_execute` has each changed row handed back with its old and new values — on
  PostgreSQL by the statement itself (RETURNING; an UPDATE joined to the rows it locks),
  otherwise by reading the matched rows before (FOR UPDATE) and, if any, after it — and
  notes each. An insert must carry its primary keys in its parameters, and raw SQL
  (`text("UPDATE …")`) writes are refused: both would leave rows nobody can name.

The notes wait in `session.info` and are written just before the commit, by one INSERT
with one parameter for all entries (one round trip), one entry per changed object (several
flushes of one object merge into one entry), all of them in one batch (`batch_id`), which
the chain seals as one link. A rolled-back savepoint drops the notes made
inside it, a rollback drops all of them (the savepoint bookkeeping of
`service.common.jobs`). Writes through `session.connection()`
or an engine directly are not seen: only the audit trail itself (and the migrations) may —
as `insert_rows` does, which notes several tables' new rows and writes them in one
statement on PostgreSQL (a phone's submission: its inspectors, answers and findings).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Table,
    Text,
    TextClause,
    bindparam,
    cast,
    column,
    event,
    false,
    func,
    insert,
    select,
    tuple_,
)
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, SessionTransaction, object_session
from sqlalchemy.orm.base import instance_state
from uuid6 import uuid7

from service.audit.models import AUDIT_TABLES, AuditEntry
from service.audit.regions import mapper_of_table, resolve
from service.audit.subjects import region_columns, subject_of, type_name
from service.audit.values import canonical, plain, put, same, stored
from service.common.request_context import actor_of, request_id_of
from service.db import Base, utcnow

#: a session whose info holds this key writes no audit entries (bench/bench_audit.py only)
DISABLED = "audit_disabled"
CREATE, UPDATE, DELETE = "create", "update", "delete"
#: bookkeeping columns every update changes; the entry's own time says when
SKIPPED_FIELDS = frozenset({"updated_at", "version"})
_NOTES, _RELEASED = "audit_notes", "audit_released_savepoints"
_RAW_WRITE = re.compile(r"^\s*(insert|update|delete|merge|replace|upsert)\b", re.IGNORECASE)


class _Absent:
    """Old/new not known (never loaded), or not applicable (create/delete)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"


_ABSENT = _Absent()


class AuditBypassError(RuntimeError):
    """A write the audit trail could not name: fix the code that issues it."""


@dataclass
class Note:
    """One write to one object, as the hook saw it."""

    object_type: str
    object_id: str
    action: str
    #: field -> (old, new), each a recorded value (values.stored) or _ABSENT
    changes: dict[str, tuple[Any, Any]]
    #: raw values of the columns that lead to the region and the parent
    hints: dict[str, Any]
    #: the savepoint it was made in (None: the outermost transaction)
    savepoint: SessionTransaction | None


# -- the unit of work --------------------------------------------------------------------

@event.listens_for(Mapper, "after_insert")
def _after_insert(mapper, _connection, target) -> None:
    _note_object(mapper, target, CREATE)


@event.listens_for(Mapper, "after_update")
def _after_update(mapper, _connection, target) -> None:
    _note_object(mapper, target, UPDATE)


@event.listens_for(Mapper, "before_delete")
def _before_delete(mapper, _connection, target) -> None:
    _note_object(mapper, target, DELETE)


@dataclass(frozen=True)
class _Shape:
    """What the hook needs to know of a model (or a plain table), worked out once."""

    object_type: str
    #: the fields an entry records (columns, less SKIPPED_FIELDS)
    fields: tuple[str, ...]
    secret: frozenset[str]
    #: the columns leading to the region and the parent
    hints: tuple[str, ...]
    #: many-to-many relationships (a field of the owner's entry)
    links: tuple = ()
    #: the attributes holding the primary key, in its order (read from the object's dict:
    #: Mapper.primary_key_from_instance costs ten times more)
    pk: tuple[str, ...] = ()


_SHAPES: dict[Any, _Shape] = {}


def _mapper_shape(mapper: Mapper) -> _Shape:
    shape = _SHAPES.get(mapper)
    if shape is None:
        object_type = type_name(mapper.class_.__name__)
        subject = subject_of(object_type)
        shape = _SHAPES[mapper] = _Shape(
            object_type,
            tuple(a.key for a in mapper.column_attrs if a.key not in SKIPPED_FIELDS),
            subject.secret, region_columns(subject),
            tuple(r for r in mapper.relationships if r.secondary is not None and not r.viewonly),
            tuple(mapper.get_property_by_column(c).key for c in mapper.primary_key))
    return shape


def _table_shape(table) -> _Shape:
    shape = _SHAPES.get(table.name)
    if shape is None:
        mapper = mapper_of_table(table.name)
        object_type = type_name(mapper.class_.__name__) if mapper is not None else table.name
        subject = subject_of(object_type)
        shape = _SHAPES[table.name] = _Shape(
            object_type, tuple(c.key for c in table.columns if c.key not in SKIPPED_FIELDS),
            subject.secret, tuple(c for c in region_columns(subject) if c in table.c))
    return shape


def _note_object(mapper: Mapper, target, action: str) -> None:
    session = object_session(target)
    if session is None or not _audited(session, mapper.local_table.name):
        return
    shape = _mapper_shape(mapper)
    state = instance_state(target)
    values, secret = state.dict, shape.secret
    changes = {}
    if action == UPDATE:  # only what was modified since the last flush can have changed
        modified = state.committed_state
        for key in shape.fields:
            if key in modified:
                change = _column_change(state, key, key in secret)
                if change is not None:
                    changes[key] = change
    elif action == CREATE:
        for key in shape.fields:
            if key in values:
                changes[key] = (_ABSENT, stored(values[key], secret=key in secret))
    else:
        for key in shape.fields:
            if key in values:
                changes[key] = (stored(values[key], secret=key in secret), _ABSENT)
    if shape.links:
        changes.update(_collection_changes(shape.links, state, action))
    if action == UPDATE and not changes:
        return  # marked dirty without a net change
    hints = {column: values.get(column) if column in values else getattr(target, column)
             for column in shape.hints}
    key = _object_id(_primary_key(mapper, shape, values, target))
    _add(session, Note(shape.object_type, key, action, changes, hints,
                       session.get_nested_transaction()))


def _primary_key(mapper: Mapper, shape: _Shape, values: dict, target) -> list:
    """The object's primary key: its values as flushed, else as the mapper reads them."""
    try:
        return [values[key] for key in shape.pk]
    except KeyError:
        return mapper.primary_key_from_instance(target)


def _column_change(state, key: str, secret: bool):
    history = state.attrs[key].history
    if not history.has_changes():
        return None
    old = stored(history.deleted[0], secret=secret) if history.deleted else _ABSENT
    new = stored(history.added[0], secret=secret) if history.added else None
    return old, new


def _collection_changes(links, state, action: str) -> dict:
    """Many-to-many links (an inspection's inspectors) belong to the owner's entry."""
    changes = {}
    for rel in links:
        if rel.key not in state.dict or (action == UPDATE
                                         and rel.key not in state.committed_state):
            continue
        current = _ids(rel, state.dict[rel.key] or ())
        if action == CREATE:
            changes[rel.key] = (_ABSENT, stored(current))
        elif action == DELETE:
            changes[rel.key] = (stored(current), _ABSENT)
        else:
            history = state.attrs[rel.key].history
            if history.added or history.deleted:
                old = (set(current) - set(_ids(rel, history.added))) | set(
                    _ids(rel, history.deleted))
                changes[rel.key] = (stored(sorted(old)), stored(current))
    return changes


def _ids(rel, objects) -> list[str]:
    return sorted(_object_id(instance_state(obj).identity
                             or rel.mapper.primary_key_from_instance(obj)) for obj in objects)


# -- statements run through the session --------------------------------------------------

@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState):
    statement = state.statement
    if isinstance(statement, TextClause):
        if _RAW_WRITE.match(statement.text) and not state.session.info.get(DISABLED):
            raise AuditBypassError(
                "Raw SQL writes bypass the audit trail; use insert()/update()/delete() on "
                f"the model instead: {statement.text[:80]!r}")
        return None
    if not getattr(statement, "is_dml", False):
        return None
    # the plain table: selecting an ORM-annotated one would load the model (with its eager
    # joins, which PostgreSQL refuses to lock FOR UPDATE)
    table = Base.metadata.tables.get(statement.table.name, statement.table)
    if not _audited(state.session, table.name):
        return None
    if statement.is_insert and _skips_conflicts(statement):
        return _run_noting_inserted(state, table)
    if statement.is_insert:
        _note_inserted_rows(state, table)
        return None
    return _run_noting_rows(state, table)


def _skips_conflicts(statement) -> bool:
    """`INSERT … ON CONFLICT DO NOTHING … RETURNING` (common.idempotency.insert_new): only
    the rows it returns were inserted."""
    return (getattr(statement, "_post_values_clause", None) is not None
            and bool(getattr(statement, "_returning", ())))


def _run_noting_inserted(state: ORMExecuteState, table):
    """Run an INSERT that may insert nothing; note only the rows it returned (inserted)."""
    rows = _inserted_rows_named(state, table)
    frozen = state.invoke_statement().freeze()
    pk = [column.key for column in table.primary_key.columns]
    returned = set()
    for row in frozen().all():
        value = row[0]
        returned.add(tuple(getattr(value, key) for key in pk) if hasattr(value, pk[0])
                     else tuple(row[:len(pk)]))
    for row in rows:
        if tuple(row[key] for key in pk) in returned:
            _note_row(state.session, table, CREATE, None, row)
    return frozen()


def _inserted_rows_named(state: ORMExecuteState, table) -> list[dict]:
    """The INSERT's rows, each with its primary key (else the trail could not name it)."""
    params = state.parameters
    return _named(table, [params] if isinstance(params, dict) else list(params or ()))


def _named(table, rows: list[dict]) -> list[dict]:
    pk = [column.key for column in table.primary_key.columns]
    if not rows or any(any(row.get(key) is None for key in pk) for row in rows):
        raise AuditBypassError(
            f"An INSERT into {table.name} through the session must pass its rows, primary "
            "keys included, as parameters (session.execute(insert(Model), [rows])), so the "
            "audit trail can name each row.")
    return rows


def _note_inserted_rows(state: ORMExecuteState, table) -> None:
    for row in _inserted_rows_named(state, table):
        _note_row(state.session, table, CREATE, None, row)


def _run_noting_rows(state: ORMExecuteState, table):
    """Run an UPDATE/DELETE and note each row it changed, old and new values.

    On PostgreSQL, one statement where it can be (`synchronize_session=False`, no
    RETURNING of its own, not an executemany): a DELETE returns the rows it deleted, an
    UPDATE joins the rows it locks first and returns them with their new values
    (`UPDATE t … FROM (SELECT … FOR UPDATE) AS audit_old WHERE t.pk = audit_old.pk …
    RETURNING audit_old.*, t.*`). So nothing is read before or after, and a statement
    matching nothing costs what it costs without the trail. Otherwise (SQLite, whose
    driver reports no rowcount with RETURNING) `_run_reading_around`."""
    session = state.session
    if session.autoflush:
        session.flush()
    statement = state.statement
    params = state.parameters
    if ((isinstance(params, list) and params) or statement._returning
            or state.execution_options.get("synchronize_session", "auto") is not False):
        return _run_reading_around(state, table)
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return _run_reading_around(state, table)
    # Run on the session's connection (as the ORM would, the session having nothing to
    # synchronise): the caller gets a CursorResult, whose rowcount it may read.
    params = params or {}
    if statement.is_delete:
        columns = list(table.columns)
        result = connection.execute(statement.returning(*columns), params)
        for row in result.all():
            _note_row(session, table, DELETE, _keyed(columns, row), None)
        return result
    written = _written_columns(statement, table)
    if written is None:
        return _run_reading_around(state, table)
    # Only what the UPDATE writes can change: lock and return those columns old and new,
    # with the keys and the columns leading to the region (fewer columns, less work).
    pk = list(table.primary_key.columns)
    kept = list({c.key: c for c in (*pk, *(table.c[key] for key in _table_shape(table).hints))
                 if c.key not in written}.values())
    old = (select(*pk, *written.values()).where(*_criteria(statement)).with_for_update()
           .subquery("audit_old"))
    joined = statement.where(*(column == old.c[column.key] for column in pk))
    before, after = list(written), [*kept, *written.values()]
    result = connection.execute(
        joined.returning(*(old.c[key] for key in before), *after), params)
    width = len(before)
    for row in result.all():
        new = _keyed(after, row[width:])
        old_row = dict(new)
        old_row.update(zip(before, row[:width], strict=True))
        _note_row(session, table, UPDATE, old_row, new)
    return result


def _written_columns(statement, table) -> dict | None:
    """{key: column} an UPDATE's SET clause writes (its own values and the table's onupdate
    columns); None when they cannot be read, or a key is written."""
    ordered = getattr(statement, "_ordered_values", None)
    keys = [key for key, _ in ordered] if ordered else list(getattr(statement, "_values", None)
                                                            or ())
    written = {}
    for key in keys:
        key = key if isinstance(key, str) else getattr(key, "key", None)
        if key not in table.c:
            return None
        written[key] = table.c[key]
    if not written:
        return None
    for written_column in table.columns:
        if written_column.onupdate is not None or written_column.server_onupdate is not None:
            written[written_column.key] = written_column
    if any(column.key in written for column in table.primary_key.columns):
        return None  # a row changing its key: read it before and after
    return written


def _criteria(statement) -> tuple:
    return () if statement.whereclause is None else (statement.whereclause,)


def _keyed(columns, row) -> dict:
    return {column.key: value for column, value in zip(columns, row, strict=True)}


def _run_reading_around(state: ORMExecuteState, table):
    """The general way: read (and lock) the matching rows, run the statement restricted to
    them, read them again. For an executemany, a statement with its own RETURNING, or one
    whose objects the session must synchronise."""
    session = state.session
    statement = state.statement
    connection = session.connection()
    columns = list(table.columns)
    pk = list(table.primary_key.columns)
    params = state.parameters
    many = isinstance(params, list) and bool(params)
    if many:  # executemany by primary key
        wanted = select(table).where(_pk_in(pk, [[row[c.key] for c in pk] for row in params]))
    else:
        wanted = select(table).where(*_criteria(statement))
    before = {tuple(row[c.key] for c in pk): row for row in (
        _keyed(columns, row) for row in connection.execute(
            wanted.with_for_update(), params if isinstance(params, dict) else {}))}
    if not before and not many:
        statement = statement.where(false())  # what appears meanwhile is not this one's
    elif not many:
        statement = statement.where(_pk_in(pk, list(before)))
    result = state.invoke_statement(statement=statement)
    after = {}
    if statement.is_update and before:
        after = {tuple(row[c.key] for c in pk): row for row in (
            _keyed(columns, row) for row in connection.execute(
                select(table).where(_pk_in(pk, list(before)))))}
    for key, old in before.items():
        _note_row(session, table, UPDATE if statement.is_update else DELETE, old, after.get(key))
    return result


def _pk_in(pk: list, keys: list):
    if len(pk) == 1:
        return pk[0].in_([key[0] for key in keys])
    return tuple_(*pk).in_([tuple(key) for key in keys])


def _note_row(session: Session, table, action: str, old: dict | None,
              new: dict | None) -> None:
    """Note one row a statement wrote; `old`/`new` map column keys to values."""
    shape = _table_shape(table)
    secret = shape.secret
    changes = {}
    if action == CREATE:
        for key in shape.fields:
            if key in new:
                changes[key] = (_ABSENT, stored(new[key], secret=key in secret))
    elif action == DELETE:
        for key in shape.fields:
            changes[key] = (stored(old.get(key), secret=key in secret), _ABSENT)
    else:
        for key in shape.fields:
            before, after = old.get(key), new.get(key)
            if type(before) is type(after) and before == after:
                continue
            before = stored(before, secret=key in secret)
            after = stored(after, secret=key in secret)
            if not same(before, after):
                changes[key] = (before, after)
        if not changes:
            return
    row = new if new is not None else old
    hints = {column: row.get(column) for column in shape.hints}
    key = _object_id([row.get(column.key) for column in table.primary_key.columns])
    _add(session, Note(shape.object_type, key, action, changes, hints,
                       session.get_nested_transaction()))


# -- several tables' new rows at once ----------------------------------------------------

def insert_rows(session: Session, parts: list[tuple[Table, list[dict]]]) -> None:
    """Insert new rows into several tables, in that order, each row on the record as the
    hook notes a Core INSERT's: on PostgreSQL one statement (a data-modifying CTE per table,
    each table's rows one JSON parameter: one round trip, where an executemany sends a
    statement per row), elsewhere one INSERT per table.

    For rows that are new, with every column they set (primary keys included) and the same
    keys in every row of a table. An association table's rows are links of owners new in
    this transaction (their collection was empty): each owner's links are noted as a flush
    of its collection notes them, a field of the owner's entry. The objects in the session
    do not learn of the rows; the caller sets what they show (`set_committed_value`)."""
    parts = [(table, rows) for table, rows in parts if rows]
    if not parts:
        return
    if session.autoflush:
        session.flush()  # what the unit of work holds comes first, as with session.execute
    for table, rows in parts:
        if _audited(session, table.name):
            _note_new_rows(session, table, rows)
    connection = session.connection()
    if connection.dialect.name != "postgresql" or len(parts) == 1:
        for table, rows in parts:
            connection.execute(insert(table), rows)
        return
    statement, encoders = _rows_insert([(table, tuple(rows[0])) for table, rows in parts],
                                       connection.dialect)
    connection.execute(statement, {
        f"rows_{position}": json.dumps([encode(row) for row in rows], default=str,
                                       ensure_ascii=False, allow_nan=False)
        for position, ((_table, rows), encode) in enumerate(zip(parts, encoders,
                                                                strict=True))})


def _note_new_rows(session: Session, table, rows: list[dict]) -> None:
    link = _link_of(table)
    if link is None:
        for row in _named(table, rows):
            _note_row(session, table, CREATE, None, row)
        return
    relationship, owner_key, target_key = link
    targets: dict = {}
    for row in rows:
        targets.setdefault(row[owner_key], []).append(_object_id([row[target_key]]))
    object_type = _mapper_shape(relationship.parent).object_type
    for owner, ids in targets.items():  # as `_collection_changes` notes an update
        _add(session, Note(object_type, _object_id([owner]), UPDATE,
                           {relationship.key: (stored([]), stored(sorted(ids)))}, {},
                           session.get_nested_transaction()))


_LINKS: dict[str, tuple | None] = {}


def _link_of(table) -> tuple | None:
    """(relationship, owner column key, target column key) when `table` is the secondary of a
    many-to-many relationship; else None."""
    if table.name not in _LINKS:
        _LINKS[table.name] = next((
            (rel, rel.synchronize_pairs[0][1].key, rel.secondary_synchronize_pairs[0][1].key)
            for mapper in Base.registry.mappers for rel in mapper.relationships
            if rel.secondary is table and not rel.viewonly), None)
    return _LINKS[table.name]


_ROWS_INSERTS: dict[tuple, tuple] = {}


def _rows_insert(shapes: list[tuple[Table, tuple[str, ...]]], dialect) -> tuple:
    """PostgreSQL: `WITH rows_0 AS (INSERT INTO t0 … SELECT … FROM json_to_recordset(…)), …
    INSERT INTO tN …`, and per table the function that makes a row's JSON object of its
    values as the columns' types bind them (naive UTC times, …). Built once per shape."""
    key = tuple((table.name, keys) for table, keys in shapes)
    found = _ROWS_INSERTS.get(key)
    if found is not None:
        return found
    inserts, encoders = [], []
    for position, (table, keys) in enumerate(shapes):
        rows = (func.json_to_recordset(cast(bindparam(f"rows_{position}", type_=Text), JSON))
                .table_valued(*(column(name, table.c[name].type) for name in keys))
                .render_derived(f"rows_{position}_values", with_types=True))
        inserts.append(insert(table).from_select(
            list(keys), select(*(rows.c[name] for name in keys))))
        encoders.append(_row_encoder(table, keys, dialect))
    statement = inserts[-1]
    for position, earlier in enumerate(inserts[:-1]):
        statement = statement.add_cte(earlier.cte(f"rows_{position}"))
    found = _ROWS_INSERTS[key] = (statement, encoders)
    return found


def _row_encoder(table, keys: tuple[str, ...], dialect):
    processors = {name: processor for name in keys
                  if (processor := table.c[name].type.bind_processor(dialect)) is not None}

    def encode(row: dict) -> dict:
        return {name: processors[name](value) if name in processors and value is not None
                else value for name, value in row.items()}
    return encode


# -- holding notes until the commit ------------------------------------------------------

def _audited(session: Session, table_name: str) -> bool:
    # Tables marked info={"audit": False} hold what is recomputed from audited rows (the
    # statistics' snapshots) or a background job's working state (export progress): each
    # run would be thousands of entries saying nothing the audited rows do not.
    table = Base.metadata.tables.get(table_name)
    unaudited = table is not None and table.info.get("audit", True) is False
    return table_name not in AUDIT_TABLES and not unaudited and not session.info.get(DISABLED)


def _object_id(values) -> str:
    return "/".join(str(plain(value)) for value in values)


def _add(session: Session, note: Note) -> None:
    session.info.setdefault(_NOTES, []).append(note)


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint is released; the outermost commit writes
    session.flush()  # the commit's own flush comes after this event
    notes = session.info.pop(_NOTES, None)
    if notes:
        write_entries(session, notes)


@event.listens_for(Session, "after_commit")
def _remember_released(session: Session) -> None:
    if session.in_nested_transaction():  # this savepoint's notes now belong to its parent
        session.info.setdefault(_RELEASED, set()).add(session.get_nested_transaction())


@event.listens_for(Session, "after_transaction_end")
def _drop_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        released = session.info.get(_RELEASED, set())
        if transaction in released:
            released.discard(transaction)
            return
        notes = session.info.get(_NOTES)
        if notes:
            session.info[_NOTES] = [n for n in notes if not _inside(n.savepoint, transaction)]
    elif transaction.parent is None:  # the outermost ended: committed (written) or not
        session.info.pop(_NOTES, None)
        session.info.pop(_RELEASED, None)


def _inside(savepoint: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while savepoint is not None:
        if savepoint is outer:
            return True
        savepoint = savepoint.parent
    return False


# -- writing the entries -----------------------------------------------------------------

#: columns every entry of one transaction shares, bound once
_SHARED = ("recorded_at", "request_id", "actor_id", "actor_role", "actor_region_code",
           "batch_id")
#: columns of each entry, in the one JSON parameter (`changes` as its own JSON text)
_OWN = ("action", "object_type", "object_id", "parent_type", "parent_id", "region_code",
        "changes")
_INSERTS: dict[str, Any] = {}


def write_entries(session: Session, notes: list[Note]) -> int:
    """Merge the notes per object and insert one entry for each; returns how many.

    One statement with one parameter for all of them: the entries as a JSON array, which
    the database unpacks (`json_to_recordset` on PostgreSQL, `json_each` on SQLite). An
    executemany cost the client about 0.1 ms per row (psycopg's pipeline handles each row
    in Python) and the server a statement per row; this costs one `json.dumps`.
    `changes` is written as the canonical JSON text made here, and the database keeps that
    text as it is, so sealing hashes the stored text without parsing it."""
    merged = merge(notes)
    if not merged:
        return 0
    places = resolve(session, merged)
    actor = actor_of(session)
    rows = json.dumps([{
        "action": note.action, "object_type": note.object_type, "object_id": note.object_id,
        "parent_type": parent_type, "parent_id": parent_id, "region_code": region_code,
        "changes": canonical(_encoded(note.changes)),
    } for note, (region_code, parent_type, parent_id) in zip(merged, places, strict=True)],
        ensure_ascii=False, separators=(",", ":"))
    connection = session.connection()
    connection.execute(_entries_insert(connection.dialect.name), {
        "recorded_at": utcnow(), "request_id": request_id_of(session),
        "actor_id": actor.user_id, "actor_role": actor.role,
        "actor_region_code": actor.region_code, "batch_id": new_batch_id(), "rows": rows})
    return len(merged)


def new_batch_id() -> uuid.UUID:
    """A transaction's batch: time-ordered (UUIDv7), so the index on it grows at one end."""
    return uuid.UUID(int=uuid7().int)


def _entries_insert(dialect: str):
    """`INSERT INTO audit_entries (…) SELECT :shared…, row columns FROM <the JSON rows>`,
    built once per dialect (SQLAlchemy then reuses its compiled form)."""
    statement = _INSERTS.get(dialect)
    if statement is not None:
        return statement
    table = AuditEntry.__table__
    if dialect == "postgresql":  # typed parameters: a NULL in a SELECT list has no type
        shared = [cast(bindparam(key, type_=table.c[key].type), table.c[key].type)
                  for key in _SHARED]
        rows = (func.json_to_recordset(cast(bindparam("rows", type_=Text), JSON))
                .table_valued(*(column(key, Text) for key in _OWN))
                .render_derived("audit_row", with_types=True))
        own = [rows.c[key] for key in _OWN[:-1]] + [cast(rows.c.changes, JSON)]
    else:
        shared = [bindparam(key, type_=table.c[key].type) for key in _SHARED]
        rows = func.json_each(bindparam("rows", type_=Text)).table_valued("value")
        own = [func.json_extract(rows.c.value, f"$.{key}") for key in _OWN]
    statement = _INSERTS[dialect] = insert(table).from_select(
        [*_SHARED, *_OWN], select(*shared, *own).select_from(rows))
    return statement


def merge(notes: list[Note]) -> list[Note]:
    """One note per object: its first old and last new value of each field."""
    groups: dict[tuple[str, str], list[Note]] = {}
    for note in notes:
        groups.setdefault((note.object_type, note.object_id), []).append(note)
    merged = []
    for group in groups.values():
        first, last = group[0], group[-1]
        if len(group) == 1 and first.action != UPDATE:
            merged.append(first)  # most objects: one note, nothing to merge
            continue
        if first.action == CREATE and last.action == DELETE:
            continue  # never seen outside this transaction
        action = (CREATE if first.action == CREATE else
                  DELETE if last.action == DELETE else UPDATE)
        changes: dict = {}
        hints: dict = {}
        for note in group:
            hints.update(note.hints)
            for field, (old, new) in note.changes.items():
                changes[field] = (changes[field][0] if field in changes else old, new)
        if action == UPDATE:
            changes = {f: (o, n) for f, (o, n) in changes.items()
                       if o is _ABSENT or not same(o, n)}
            if not changes:
                continue
        merged.append(Note(first.object_type, first.object_id, action, changes, hints, None))
    return merged


def _encoded(changes: dict) -> dict:
    encoded = {}
    for field, (old, new) in changes.items():
        change: dict = {}
        if old is not _ABSENT:
            put(change, "old", old)
        if new is not _ABSENT:
            put(change, "new", new)
        encoded[field] = change
    return encoded

