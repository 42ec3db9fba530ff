"""Rows that are never changed once written (append-only tables, such as a case's steps),
checked against the audit entry that recorded their creation.

The chain proves the trail was not edited; this proves such a row still says what the trail
recorded when it was written — so someone who gets past the database's append-only
triggers and edits a row is named too. Features hand their append-only models in with
`register_append_only()` (`service/enforcement/hooks.py` registers `CaseStep`); the audit
feature imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from service.audit.models import AuditEntry
from service.audit.subjects import type_name
from service.audit.values import Digest, plain, stored

#: rows checked per query
BATCH = 500
#: columns the audit trail does not record
_UNRECORDED = frozenset({"updated_at", "version"})

_models: list[type] = []


def register_append_only(model: type) -> None:
    """(For features) rows of `model` never change after insert: verify them."""
    if model not in _models:
        _models.append(model)


@dataclass(frozen=True)
class AlteredRow:
    """A row that differs from the entry that recorded its creation."""

    entry: AuditEntry
    object_type: str
    object_id: str
    column: str


def _object_id(row, mapper) -> str:
    return "/".join(str(plain(value)) for value in mapper.primary_key_from_instance(row))


def _differs(row, key: str, recorded: dict) -> bool:
    value = stored(getattr(row, key))
    if type(value) is Digest:
        return recorded.get("new_sha256") != value
    return "new" not in recorded or recorded["new"] != value


def first_altered_row(db: Session) -> AlteredRow | None:
    """The first append-only row whose columns no longer equal their creation entry's."""
    for model in _models:
        mapper = inspect(model)
        object_type = type_name(model.__name__)
        keys = [attr.key for attr in mapper.column_attrs if attr.key not in _UNRECORDED]
        last = None
        while True:
            stmt = select(model).order_by(*mapper.primary_key).limit(BATCH)
            if last is not None:
                stmt = stmt.where(mapper.primary_key[0] > last)
            rows = list(db.scalars(stmt))
            if not rows:
                break
            last = getattr(rows[-1], mapper.primary_key[0].key)
            ids = {_object_id(row, mapper): row for row in rows}
            entries = db.scalars(select(AuditEntry).where(
                AuditEntry.object_type == object_type, AuditEntry.action == "create",
                AuditEntry.object_id.in_(list(ids))))
            for entry in entries:
                row = ids[entry.object_id]
                for key in keys:
                    recorded = (entry.changes or {}).get(key)
                    if recorded is not None and _differs(row, key, recorded):
                        return AlteredRow(entry, object_type, entry.object_id, key)
    return None
