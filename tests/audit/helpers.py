"""Reading the audit trail in tests, and comparing it with what really changed."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import func, select, text

from service.audit.models import AUDIT_TABLES, AuditEntry, AuditSeal
from service.audit.subjects import type_name
from service.db import Base


def last_entry_id(db) -> int:
    return db.scalar(select(func.coalesce(func.max(AuditEntry.id), 0)))


def entries_after(db, entry_id: int) -> list[AuditEntry]:
    db.expire_all()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.id > entry_id)
                           .order_by(AuditEntry.id)))


def _owners() -> dict[str, tuple[str, str]]:
    """Association table -> (owner's object type, the column holding the owner's id)."""
    owners = {}
    for mapper in Base.registry.mappers:
        for rel in mapper.relationships:
            if rel.secondary is None or rel.viewonly:
                continue
            column = next(c for c in rel.secondary.columns
                          if any(fk.column.table is mapper.local_table for fk in c.foreign_keys))
            owners[rel.secondary.name] = (type_name(mapper.class_.__name__), column.name)
    return owners


def _types() -> dict[str, str]:
    return {mapper.local_table.name: type_name(mapper.class_.__name__)
            for mapper in Base.registry.mappers}


def snapshot(connection) -> dict[tuple[str, str], str]:
    """{(object type, id): the row as text} of every table but the audit trail's and those
    it leaves out (info={"audit": False}: statistics' snapshots, export jobs); rows of an
    association table count as a change of their owner (an inspection's inspectors)."""
    owners, types = _owners(), _types()
    rows = {}
    for table in Base.metadata.sorted_tables:
        if table.name in AUDIT_TABLES or table.info.get("audit", True) is False:
            continue
        pk = list(table.primary_key.columns)
        for row in connection.execute(select(table)).mappings():
            if table.name in owners:
                owner_type, column = owners[table.name]
                key = (owner_type, str(row[column]))
                rows[key] = rows.get(key, "") + json.dumps(dict(row), default=str,
                                                           sort_keys=True)
            else:
                key = (types.get(table.name, table.name), "/".join(str(row[c]) for c in pk))
                rows[key] = json.dumps(dict(row), default=str, sort_keys=True)
    return rows


def changed_objects(before: dict, after: dict) -> set[tuple[str, str]]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def entry_counts(entries) -> Counter:
    """How many entries each (request id, object type, object id) has."""
    return Counter((e.request_id, e.object_type, e.object_id) for e in entries)


def without_append_only_triggers(db) -> None:
    """Let this test's transaction edit audit rows (rolled back with it): PostgreSQL skips
    ordinary triggers for a replica session (superuser only); SQLite drops them."""
    if db.connection().dialect.name == "postgresql":
        db.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        for table in AUDIT_TABLES:
            for operation in ("update", "delete"):
                db.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{operation}"))


def seals(db) -> list[AuditSeal]:
    db.expire_all()
    return list(db.scalars(select(AuditSeal).order_by(AuditSeal.seq)))
