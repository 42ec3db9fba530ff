"""Audit entries (one per changed object per transaction) and the seal chain over them: one
link per transaction's batch of entries.

Both tables are append-only: on PostgreSQL a trigger (migration 0002) refuses UPDATE,
DELETE and TRUNCATE; on SQLite triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime

#: an autoincrementing 64-bit id on PostgreSQL; SQLite autoincrements only INTEGER keys
Id = BigInteger().with_variant(Integer(), "sqlite")


class AuditEntry(Base):
    """What one transaction did to one object: who, what, when, under which request."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_object", "object_type", "object_id", "id"),
        Index("ix_audit_entries_parent", "parent_type", "parent_id", "id"),
    )

    #: allocated at insert; writers never wait for each other (the seal orders them)
    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    #: when the transaction wrote it (UTC)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the X-Request-ID of the request; null for commands and workers
    request_id: Mapped[str | None] = mapped_column(String(64))
    #: the user, or null for the `system` and `anonymous` actors
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    #: the user's role, or `system` (commands, workers) or `anonymous` (e.g. a failed login)
    actor_role: Mapped[str] = mapped_column(String(20))
    #: the region code of the user's bureau
    actor_region_code: Mapped[str | None] = mapped_column(String(12))
    #: create, update or delete
    action: Mapped[str] = mapped_column(String(32))
    #: the model in snake case, e.g. inspection, inspection_answer, user
    object_type: Mapped[str] = mapped_column(String(48))
    #: the primary key as text; a composite key joined with "/"
    object_id: Mapped[str] = mapped_column(String(128))
    #: the object it belongs to (an answer's or a photo's inspection), read with its history
    parent_type: Mapped[str | None] = mapped_column(String(48))
    parent_id: Mapped[str | None] = mapped_column(String(128))
    #: the object's region (jurisdiction) when written; null for national reference data
    region_code: Mapped[str | None] = mapped_column(String(12))
    #: {field: {"old": …, "new": …}}, or old_sha256/new_sha256 for large and secret values
    changes: Mapped[dict] = mapped_column(JSON)
    #: shared by every entry one transaction wrote (time-ordered); the chain seals a batch as
    #: one link. Null for entries written before batches (migration 0014): sealed alone.
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)


class AuditSeal(Base):
    """One link of the chain at position `seq`, hashed onto the previous: a transaction's
    batch of entries (`batch_id`, `entries`), or one entry written before batches."""

    __tablename__ = "audit_seals"

    #: 1, 2, 3 … without gaps: the chain's order, which is the order of sealing
    seq: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=False)
    #: the link's first entry (a batch link's lowest id; a link before batches: its entry)
    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"), unique=True)
    #: the batch sealed here; null for a link of one entry written before batches
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True, index=True)
    #: the batch's entries in id order with the digest each had: [[id, sha256], …]
    entries: Mapped[list | None] = mapped_column(JSON)
    #: the previous seal's hash (64 zeros before the first)
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: SHA-256 over prev_hash, seq and what the link seals (service.audit.chain)
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime)


AUDIT_TABLES = frozenset({AuditEntry.__tablename__, AuditSeal.__tablename__})
