"""Sealing entries into the chain, verifying the chain, and reading an object's history.

Writers never wait for the chain: each transaction inserts its entries (ids from a sequence)
and commits. Sealing links committed, unsealed entries in id order onto the chain's head, one
sealer at a time (a PostgreSQL advisory lock; on SQLite the write lock every transaction
takes). An entry that commits late, after higher ids were sealed, is sealed in a later
round: the chain's order is the order of sealing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, exists, func, insert, or_, select, text
from sqlalchemy.orm import Session

from service.audit.chain import GENESIS, link_hash
from service.audit.models import AuditEntry, AuditSeal
from service.audit.rows import first_altered_row
from service.audit.subjects import subject_of
from service.common.errors import NotFound
from service.common.pagination import Page, paginate
from service.common.regions import NATIONAL_CODE, contains
from service.db import utcnow

#: pg_advisory_xact_lock key of the sealer ("audit" in ASCII)
SEAL_LOCK_KEY = 0x6175646974
BATCH = 1000
#: a round looks back at entries committed up to this long after higher ids were sealed;
#: verification (and `everything=True`) looks at all of them
LOOKBACK = timedelta(minutes=10)


def seal_pending(db: Session, *, everything: bool = False, wait: bool = True) -> int:
    """Seal the committed entries not sealed yet; returns how many (0 if another sealer runs)."""
    if not _take_seal_lock(db, wait=wait):
        return 0
    connection = db.connection()
    head = connection.execute(select(AuditSeal.seq, AuditSeal.hash)
                              .order_by(AuditSeal.seq.desc()).limit(1)).first()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
    floor = 0 if everything else _floor(db)
    sealed = 0
    while True:
        entries = connection.execute(_pending(floor).limit(BATCH)).mappings().all()
        if not entries:
            return sealed
        now, links = utcnow(), []
        for entry in entries:
            seq += 1
            link = link_hash(prev, seq, entry)
            links.append({"seq": seq, "entry_id": entry["id"], "prev_hash": prev, "hash": link,
                          "sealed_at": now})
            prev = link
        connection.execute(insert(AuditSeal.__table__), links)
        sealed += len(entries)
        floor = entries[-1]["id"]


def _take_seal_lock(db: Session, *, wait: bool) -> bool:
    connection = db.connection()
    if connection.dialect.name != "postgresql":
        return True  # SQLite: this transaction began IMMEDIATE, holding the write lock
    if wait:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEAL_LOCK_KEY})
        return True
    return bool(connection.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                  {"key": SEAL_LOCK_KEY}))


def _floor(db: Session) -> int:
    """Entries up to this id were sealed longer than LOOKBACK ago (or are stuck)."""
    floor = db.connection().scalar(
        select(AuditSeal.entry_id).where(AuditSeal.sealed_at < utcnow() - LOOKBACK)
        .order_by(AuditSeal.seq.desc()).limit(1))
    return floor or 0


def _pending(floor: int):
    sealed = exists().where(AuditSeal.entry_id == AuditEntry.id)
    return (select(AuditEntry.__table__).where(AuditEntry.id > floor, ~sealed)
            .order_by(AuditEntry.id))


@dataclass(frozen=True)
class Problem:
    """The first place the chain is broken."""

    seq: int
    entry_id: int | None
    #: altered, removed or out_of_order (the chain); row_altered (an append-only row)
    kind: str
    message: str


@dataclass(frozen=True)
class Verification:
    ok: bool
    sealed_now: int
    checked: int
    head_seq: int
    head_hash: str
    unsealed: int
    problem: Problem | None


def verify_chain(db: Session) -> Verification:
    """Seal what is pending, then recompute the whole chain; names the first broken link."""
    sealed_now = seal_pending(db, everything=True, wait=True)
    connection = db.connection()
    joined = AuditSeal.__table__.outerjoin(AuditEntry.__table__,
                                           AuditSeal.entry_id == AuditEntry.id)
    columns = [*AuditSeal.__table__.c, *AuditEntry.__table__.c]
    expected, prev, checked = 1, GENESIS, 0
    problem = None
    while problem is None:
        links = connection.execute(select(*columns).select_from(joined)
                                   .where(AuditSeal.seq >= expected).order_by(AuditSeal.seq)
                                   .limit(BATCH)).mappings().all()
        if not links:
            break
        for link in links:
            problem = _broken(link, expected, prev)
            if problem:
                break
            checked, expected, prev = checked + 1, expected + 1, link["hash"]
    if problem is None:
        problem = _altered_row(db)
    unsealed = connection.scalar(select(func.count()).select_from(_pending(0).subquery()))
    return Verification(ok=problem is None, sealed_now=sealed_now, checked=checked,
                        head_seq=expected - 1, head_hash=prev, unsealed=unsealed,
                        problem=problem)


def _altered_row(db: Session) -> Problem | None:
    """An append-only row (a case step) edited after the trail recorded it."""
    altered = first_altered_row(db)
    if altered is None:
        return None
    entry = altered.entry
    seq = db.scalar(select(AuditSeal.seq).where(AuditSeal.entry_id == entry.id)) or 0
    return Problem(seq, entry.id, "row_altered",
                   f"The {altered.object_type} {altered.object_id} no longer says what entry "
                   f"{entry.id} recorded when it was written: `{altered.column}` was edited.")


def _broken(link, expected: int, prev: str) -> Problem | None:
    seq, entry_id = link["seq"], link["entry_id"]
    if seq != expected:
        return Problem(expected, None, "removed",
                       f"Link {expected} is missing: the entry sealed there was removed "
                       f"(the chain goes on at link {seq}, entry {entry_id}).")
    if link["prev_hash"] != prev:
        return Problem(seq, entry_id, "out_of_order",
                       f"Entry {entry_id} (link {seq}) does not follow the link before it: "
                       "an entry was inserted, moved or removed here.")
    if link["id"] is None:
        return Problem(seq, entry_id, "removed",
                       f"Entry {entry_id} (link {seq}) was removed.")
    if link_hash(prev, seq, link) != link["hash"]:
        return Problem(seq, entry_id, "altered",
                       f"Entry {entry_id} (link {seq}) was altered after it was sealed.")
    return None


def object_history(db: Session, *, scope: str, object_type: str, object_id: str,
                   limit: int, cursor: str | None) -> Page:
    """An object's entries and its parts' (an inspection's answers, photos), newest first."""
    object_id = _normal_id(object_id)
    latest = db.execute(select(AuditEntry.region_code).where(
        AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.id.desc()).limit(1)).first()
    if latest is None or not _visible(scope, object_type, latest.region_code):
        raise NotFound(f"No history of {object_type} {object_id} in your jurisdiction.",
                       field="object", location="query")
    stmt = select(AuditEntry).where(or_(
        and_(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id),
        and_(AuditEntry.parent_type == object_type, AuditEntry.parent_id == object_id)))
    return paginate(db, stmt, [AuditEntry.id], limit=limit, cursor=cursor, descending=True)


def _normal_id(object_id: str) -> str:
    """UUIDs as the entries write them (lower case, hyphens); other keys unchanged."""
    try:
        return str(uuid.UUID(object_id))
    except ValueError:
        return object_id


def _visible(scope: str, object_type: str, region_code: str | None) -> bool:
    """In the caller's subtree by the object's region as last recorded; objects without
    one are national reference data (everyone's) or, when their rule names a region,
    unplaced (the national administration's only)."""
    if scope == NATIONAL_CODE:
        return True
    if region_code is None:
        return subject_of(object_type).region is None
    return contains(scope, region_code)
