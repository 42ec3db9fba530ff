"""Sealing entries into the chain, verifying the chain, and reading an object's history.

Writers never wait for the chain: each transaction inserts its entries (ids from a sequence,
one batch id for all of them) and commits. Sealing appends one link per committed, unsealed
batch onto the chain's head, batches in the order of their first entry's id, one sealer at
a time (a PostgreSQL advisory lock; on SQLite the write lock every transaction takes). A
batch that commits late, after later ones were sealed, is sealed in a later round: the
chain's order is the order of sealing. Entries written before batches (migration 0014) are
sealed alone, as they were then.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Text, and_, case, cast, exists, func, insert, or_, select, text
from sqlalchemy.orm import Session

from service.audit.chain import GENESIS, batch_hash, entry_digest, link_hash
from service.audit.models import AuditEntry, AuditSeal
from service.audit.rows import first_altered_row
from service.audit.subjects import subject_of
from service.common.errors import NotFound
from service.common.pagination import Page, paginate
from service.common.regions import NATIONAL_CODE, contains
from service.db import utcnow

#: pg_advisory_xact_lock key of the sealer ("audit" in ASCII)
SEAL_LOCK_KEY = 0x6175646974
#: batches sealed per statement, and links verified per read
BATCHES = 500
#: a round looks back at entries committed up to this long after higher ids were sealed;
#: verification (and `everything=True`) looks at all of them
LOOKBACK = timedelta(minutes=10)

_ENTRIES, _SEALS = AuditEntry.__table__, AuditSeal.__table__
#: an entry as a batch's digest covers it: `changes` as the text stored, not parsed
AS_STORED = [*(c for c in _ENTRIES.c if c.key != "changes"),
              cast(_ENTRIES.c.changes, Text).label("changes")]


def seal_pending(db: Session, *, everything: bool = False, wait: bool = True) -> int:
    """Seal the committed entries not sealed yet, a link per batch; returns how many entries
    (0 if another sealer runs)."""
    if not _take_seal_lock(db, wait=wait):
        return 0
    connection = db.connection()
    head = connection.execute(select(AuditSeal.seq, AuditSeal.hash)
                              .order_by(AuditSeal.seq.desc()).limit(1)).first()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
    floor = 0 if everything else _floor(db)
    sealed = 0
    while groups := _pending_groups(connection, floor):
        now, links = utcnow(), []
        for _first, batch_id, entries in groups:
            seq += 1
            links.append(_link(seq, prev, batch_id, entries, now))
            prev = links[-1]["hash"]
            sealed += len(entries)
        connection.execute(insert(_SEALS), links)
        # Batches come in the order of their first entry: every batch still unsealed has
        # all its entries above the last one's first (a backlog is read once, not again
        # for every 500 batches).
        floor = groups[-1][0]
    return sealed


def _link(seq: int, prev: str, batch_id, entries: list, now) -> dict:
    """The seal row of one batch (or of one entry written before batches)."""
    if batch_id is None:
        [entry] = entries
        return {"seq": seq, "entry_id": entry["id"], "prev_hash": prev, "sealed_at": now,
                "hash": link_hash(prev, seq, _parsed(entry))}
    listed = [[entry["id"], entry_digest(entry)] for entry in entries]
    return {"seq": seq, "entry_id": listed[0][0], "batch_id": batch_id, "entries": listed,
            "prev_hash": prev, "hash": batch_hash(prev, seq, batch_id, listed),
            "sealed_at": now}


def _parsed(entry: Mapping) -> dict:
    """An entry read as stored, its `changes` parsed (as a link of one entry hashes it)."""
    return {**entry, "changes": json.loads(entry["changes"])}


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


def _unsealed(floor: int):
    """Entries above `floor` in no link: their batch has none, or (written before batches)
    they have none of their own."""
    batch_sealed = exists().where(AuditSeal.batch_id == AuditEntry.batch_id)
    sealed_alone = exists().where(AuditSeal.entry_id == AuditEntry.id)
    return and_(AuditEntry.id > floor, or_(
        and_(AuditEntry.batch_id.is_not(None), ~batch_sealed),
        and_(AuditEntry.batch_id.is_(None), ~sealed_alone)))


def _pending_groups(connection, floor: int) -> list[tuple[int, uuid.UUID | None, list]]:
    """Up to BATCHES unsealed batches as (first id above `floor`, batch id, all its entries
    in id order), in the order of their first entry; an entry without a batch is a group of
    its own."""
    firsts = connection.execute(
        select(AuditEntry.batch_id, func.min(AuditEntry.id).label("first"))
        .where(_unsealed(floor))
        .group_by(AuditEntry.batch_id,  # and each entry without a batch on its own
                  case((AuditEntry.batch_id.is_(None), AuditEntry.id)))
        .order_by("first").limit(BATCHES)).all()
    if not firsts:
        return []
    batch_ids = [row.batch_id for row in firsts if row.batch_id is not None]
    alone = [row.first for row in firsts if row.batch_id is None]
    entries: dict = {}
    for entry in connection.execute(select(*AS_STORED).where(or_(
            AuditEntry.batch_id.in_(batch_ids), AuditEntry.id.in_(alone)))
            .order_by(AuditEntry.id)).mappings():
        entries.setdefault(entry["batch_id"] or entry["id"], []).append(entry)
    return [(row.first, row.batch_id, entries[row.batch_id or row.first]) for row in firsts]


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
    #: links verified, and the entries they hold
    checked: int
    entries_checked: int
    head_seq: int
    head_hash: str
    unsealed: int
    problem: Problem | None


def verify_chain(db: Session) -> Verification:
    """Seal what is pending, then recompute the whole chain; names the first broken link."""
    sealed_now = seal_pending(db, everything=True, wait=True)
    connection = db.connection()
    expected, prev, checked, entries_checked = 1, GENESIS, 0, 0
    problem = None
    while problem is None:
        links = connection.execute(select(_SEALS).where(AuditSeal.seq >= expected)
                                   .order_by(AuditSeal.seq).limit(BATCHES)).mappings().all()
        if not links:
            break
        held = _held(connection, links)
        for link in links:
            problem = _broken(link, expected, prev, held)
            if problem:
                break
            checked, expected, prev = checked + 1, expected + 1, link["hash"]
            entries_checked += 1 if link["batch_id"] is None else len(link["entries"])
    if problem is None:
        problem = _altered_row(db)
    unsealed = connection.scalar(select(func.count()).select_from(_ENTRIES)
                                 .where(_unsealed(0)))
    return Verification(ok=problem is None, sealed_now=sealed_now, checked=checked,
                        entries_checked=entries_checked, head_seq=expected - 1,
                        head_hash=prev, unsealed=unsealed, problem=problem)


def _held(connection, links) -> dict:
    """The entries the links hold now: {batch id: {id: entry as stored}} for batch links,
    {entry id: entry, `changes` parsed} for links of one entry."""
    batch_ids = [link["batch_id"] for link in links if link["batch_id"] is not None]
    alone = [link["entry_id"] for link in links if link["batch_id"] is None]
    held: dict = {}
    if batch_ids:
        for entry in connection.execute(select(*AS_STORED).where(
                AuditEntry.batch_id.in_(batch_ids))).mappings():
            held.setdefault(entry["batch_id"], {})[entry["id"]] = entry
    if alone:
        for entry in connection.execute(select(_ENTRIES).where(
                AuditEntry.id.in_(alone))).mappings():
            held[entry["id"]] = entry
    return held


def _altered_row(db: Session) -> Problem | None:
    """An append-only row (a case step) edited after the trail recorded it."""
    altered = first_altered_row(db)
    if altered is None:
        return None
    entry = altered.entry
    sealed_in = (AuditSeal.entry_id == entry.id if entry.batch_id is None
                 else AuditSeal.batch_id == entry.batch_id)
    seq = db.scalar(select(AuditSeal.seq).where(sealed_in)) or 0
    return Problem(seq, entry.id, "row_altered",
                   f"The {altered.object_type} {altered.object_id} no longer says what entry "
                   f"{entry.id} recorded when it was written: `{altered.column}` was edited.")


def _broken(link, expected: int, prev: str, held: dict) -> Problem | None:
    seq, entry_id = link["seq"], link["entry_id"]
    if seq != expected:
        return Problem(expected, None, "removed",
                       f"Link {expected} is missing: what was sealed there was removed "
                       f"(the chain goes on at link {seq}, entry {entry_id}).")
    if link["prev_hash"] != prev:
        return Problem(seq, entry_id, "out_of_order",
                       f"Entry {entry_id} (link {seq}) does not follow the link before it: "
                       "a link was inserted, moved or removed here.")
    if link["batch_id"] is None:
        return _broken_alone(link, prev, held.get(entry_id))
    return _broken_batch(link, prev, held.get(link["batch_id"], {}))


def _broken_alone(link, prev: str, entry) -> Problem | None:
    """A link of one entry (sealed before batches)."""
    seq, entry_id = link["seq"], link["entry_id"]
    if entry is None:
        return Problem(seq, entry_id, "removed", f"Entry {entry_id} (link {seq}) was removed.")
    if link_hash(prev, seq, entry) != link["hash"]:
        return Problem(seq, entry_id, "altered",
                       f"Entry {entry_id} (link {seq}) was altered after it was sealed.")
    return None


def _broken_batch(link, prev: str, entries: dict) -> Problem | None:
    """A batch's link: each listed entry still there and unchanged, no entry added to the
    batch, and the list itself as sealed."""
    seq, listed = link["seq"], link["entries"] or []
    for entry_id, digest in listed:
        entry = entries.get(entry_id)
        if entry is None:
            return Problem(seq, entry_id, "removed",
                           f"Entry {entry_id} (link {seq}) was removed.")
        if entry_digest(entry) != digest:
            return Problem(seq, entry_id, "altered",
                           f"Entry {entry_id} (link {seq}) was altered after it was sealed.")
    added = sorted(set(entries) - {entry_id for entry_id, _ in listed})
    if added:
        return Problem(seq, added[0], "out_of_order",
                       f"Entry {added[0]} claims the batch of link {seq} but was not sealed "
                       "in it: it was inserted afterwards.")
    if (batch_hash(prev, seq, link["batch_id"], listed) != link["hash"]
            or not listed or link["entry_id"] != listed[0][0]):
        return Problem(seq, link["entry_id"], "altered",
                       f"Link {seq} no longer lists the entries sealed in it: the link was "
                       "altered.")
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
