"""The recycling passes (`stat_recycling_passes`): what the recycling-device rate counts.

The rate asks, per site, whether its latest counting inspection up to a period's end answered
`recycling_device` with pass. Looked up per site (one backward step on the inspections'
index and one answer read, for every major-brand express site) that is most of a snapshot's
time; kept here instead as one row per passing counting inspection with the finish time of
its site's next counting inspection (`superseded_at`), the rate is a range of one index:
the passes finished before the end and not superseded before it (`passing_at`).

A session hook (after each flush, beside the dirty-month marks of `dirty.py`) keeps the rows
in the transaction that writes the inspection, wherever it is written: an inspection
completed (a new row if it passed, and the site's previous pass now superseded by it),
voided (its row gone, and the previous pass of its site latest again) or moved to another
finish time. Each step reads the inspections as flushed, so the rows are always those
`rebuilt` (the migration's backfill, the bench's bulk load) computes from scratch.

A site's counting inspections are ordered by (finish time, id): of two finishing at the same
instant, the one with the larger id is the later, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Select,
    bindparam,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from service.common.idempotency import inserted_rows
from service.db import UTCDateTime
from service.inspections.models import COMPLETED, PASS, Inspection, InspectionAnswer
from service.stats.models import RecyclingPass

RECYCLING_ITEM = "recycling_device"
#: the inspection's attributes whose change moves it in (or out of) its site's order
WATCHED = ("status", "finished_at", "site_id")


def _passing_ranges(end: datetime) -> tuple[tuple, tuple]:
    """The two ranges of `ix_stat_recycling_passes_superseded_finished_site` holding the
    passes in force at `end`: not superseded yet, or superseded at or after it."""
    before = RecyclingPass.finished_at < end
    return (RecyclingPass.superseded_at.is_(None), before), (RecyclingPass.superseded_at >= end,
                                                           before)


def passing_at(end: datetime) -> Select:
    """SQL: the site ids whose latest counting inspection finished before `end` passed
    `recycling_device`, each once (a site's passes cover disjoint spans of time). Two ranges
    of `ix_stat_recycling_passes_superseded_finished_site`, read without the table."""
    return union_all(*[select(RecyclingPass.site_id).where(*within)
                       for within in _passing_ranges(end)])


def passed_at(site_id, end: datetime):
    """SQL: whether the site `site_id` (a column of the outer query) passes at `end`, as
    `passing_at` has it: one EXISTS per range. PostgreSQL hashes each range's site ids when
    they fit in memory and otherwise probes `ix_stat_recycling_passes_site_finished` per site
    (an `IN (passing_at)` would have no such fall-back: scanning the set for every site)."""
    return or_(*[select(RecyclingPass.inspection_id)
                 .where(RecyclingPass.site_id == site_id, *within).exists()
                 for within in _passing_ranges(end)])


def _next_counting(site_id, finished_at, inspection_id):
    """SQL: the finish time of the site's first counting inspection after (finished_at, id)."""
    later = aliased(Inspection)
    return (select(func.min(later.finished_at))
            .where(later.site_id == site_id, later.status == COMPLETED,
                   tuple_(later.finished_at, later.id) > tuple_(finished_at, inspection_id))
            .scalar_subquery())


def _passes(inspections) -> Select:
    """SQL: (inspection id, site, finish time) of the given counting inspections that passed."""
    return (select(inspections.c.id, inspections.c.site_id, inspections.c.finished_at)
            .join(InspectionAnswer, InspectionAnswer.inspection_id == inspections.c.id)
            .where(InspectionAnswer.item_code == RECYCLING_ITEM,
                   InspectionAnswer.answer == PASS))


def rebuilt() -> Select:
    """SQL: every pass from the inspections alone, as (inspection id, site, finish time,
    superseded at): each counting inspection with the finish time of the next one of its
    site (LEAD over the site's order), kept when it passed."""
    following = func.lead(Inspection.finished_at, type_=UTCDateTime).over(
        partition_by=Inspection.site_id, order_by=(Inspection.finished_at, Inspection.id))
    counting = (select(Inspection.id, Inspection.site_id, Inspection.finished_at,
                       following.label("superseded_at"))
                .where(Inspection.status == COMPLETED, Inspection.finished_at.is_not(None))
                .subquery("counting"))
    return _passes(counting).add_columns(counting.c.superseded_at)


def rebuild():
    """SQL: fill the empty table with `rebuilt` (a bulk load, as the bench's)."""
    return insert(RecyclingPass).from_select(
        ["inspection_id", "site_id", "finished_at", "superseded_at"], rebuilt())


def _resync_statements() -> tuple:
    """The statements `resync` runs, built once with bound parameters: building them per
    call cost more than running them."""
    inspection_id = bindparam("inspection", type_=Inspection.id.type)
    own = (select(Inspection.id, Inspection.site_id, Inspection.finished_at)
           .where(Inspection.id == inspection_id, Inspection.status == COMPLETED,
                  Inspection.finished_at.is_not(None))
           .subquery("own"))
    passed = _passes(own).add_columns(
        _next_counting(own.c.site_id, own.c.finished_at, own.c.id))
    drop_own = delete(RecyclingPass).where(RecyclingPass.inspection_id == inspection_id)
    keep_own = insert(RecyclingPass).from_select(
        ["inspection_id", "site_id", "finished_at", "superseded_at"], passed)
    # Only a pass whose span reached a place (site, finish time) can have its next
    # inspection changed there: the site's passes before it, superseded at or after it (or
    # not at all).
    at = bindparam("at", type_=RecyclingPass.finished_at.type)
    relink = (update(RecyclingPass)
              .where(RecyclingPass.site_id == bindparam("site", type_=Inspection.site_id.type),
                     tuple_(RecyclingPass.finished_at, RecyclingPass.inspection_id)
                     < tuple_(at, inspection_id),
                     (RecyclingPass.superseded_at.is_(None))
                     | (RecyclingPass.superseded_at >= at))
              .values(superseded_at=_next_counting(RecyclingPass.site_id,
                                                   RecyclingPass.finished_at,
                                                   RecyclingPass.inspection_id)))
    # PostgreSQL: a new inspection's pass and its site's relink in one statement. Both parts
    # see the same snapshot, which changes nothing here: the relink reads the inspections,
    # not the passes, and matches only passes before the new one's place.
    keep_and_relink = relink.add_cte(keep_own.cte("keep_own"))
    return drop_own, keep_own, relink, keep_and_relink


_DROP_OWN, _KEEP_OWN, _RELINK, _KEEP_AND_RELINK = _resync_statements()


def resync(connection: Connection, inspection_id: uuid.UUID,
           positions: set[tuple[uuid.UUID, datetime]], *, new: bool = False) -> None:
    """Bring the passes up to date with one flushed inspection: its own row as it now is,
    and the `superseded_at` of its site's passes before each place (site, finish time) it
    holds or held in its site's order. A `new` inspection has no row of its own yet; on
    PostgreSQL its pass and the relink of its one place are one statement."""
    if new and len(positions) == 1 and connection.dialect.name == "postgresql":
        (site_id, finished_at), = positions  # a new inspection holds one place
        connection.execute(_KEEP_AND_RELINK, {"site": site_id, "at": finished_at,
                                              "inspection": inspection_id})
        return
    if not new:
        connection.execute(_DROP_OWN, {"inspection": inspection_id})
    connection.execute(_KEEP_OWN, {"inspection": inspection_id})
    for site_id, finished_at in positions:
        connection.execute(_RELINK, {"site": site_id, "at": finished_at,
                                     "inspection": inspection_id})


def positions_of(inspection: Inspection, *, new: bool) -> set[tuple[uuid.UUID, datetime]] | None:
    """The places (site, finish time), old and new, a flushed inspection holds or held in
    its site's order; None when the flush did not move it in or out of it."""
    if new:
        if inspection.status != COMPLETED or inspection.finished_at is None:
            return None
        return {(inspection.site_id, inspection.finished_at)}
    state = inspect(inspection)
    histories = {name: state.attrs[name].history for name in WATCHED}
    if not any(history.has_changes() for history in histories.values()):
        return None
    status = histories["status"]
    old_known = bool(status.deleted or status.unchanged)
    if old_known and COMPLETED not in (*status.added, *status.deleted, *status.unchanged):
        return None  # a draft's changes, or a draft voided: never counted
    sites, moments = (_values(inspection, state, name, histories[name])
                      for name in ("site_id", "finished_at"))
    return {(site, moment) for site in sites for moment in moments}


def _values(inspection: Inspection, state, name: str, history) -> set:
    """An attribute's values, old and new, known to the flush; the stored one if it was
    expired (e.g. after a commit) and left unchanged."""
    values = {*history.added, *history.deleted, *history.unchanged}
    if not values and name in state.unloaded:
        values = {getattr(inspection, name)}
    return {value for value in values if value is not None}


@event.listens_for(Session, "after_flush")
def _keep_passes(session: Session, _context) -> None:
    found = [(obj.id, positions, new) for new, objects in ((True, session.new),
                                                            (False, session.dirty))
             for obj in objects if isinstance(obj, Inspection)
             and (positions := positions_of(obj, new=new)) is not None]
    _resync_all(session, found)


@event.listens_for(Session, "before_commit")
def _keep_inserted_passes(session: Session) -> None:
    """Inspections claimed by `insert_new` (a phone's PUT, its answers written beside it by
    Core INSERTs) never sit in a flush's `session.new`: kept here, once all are written —
    at the session's own commit, not a savepoint's (each would see them again)."""
    if session.in_nested_transaction():
        return
    _resync_all(session, [(obj.id, positions, True)
                          for obj in inserted_rows(session, Inspection)
                          if (positions := positions_of(obj, new=True)) is not None])


#: pg_advisory_xact_lock's first key for a site's passes (the second: a hash of its id);
#: the two-key locks are a space apart from the sealer's one-key lock
SITE_PASSES_LOCK = 7301
_LOCK_SITES = text("SELECT pg_advisory_xact_lock(:space, hashtext(CAST(site AS text))) "
                   "FROM unnest(CAST(:sites AS uuid[])) AS site")


def lock_sites(connection: Connection, site_ids) -> None:
    """PostgreSQL: hold each site's lock on its passes until the transaction ends. Two
    transactions writing inspections of one site at once would each relink without seeing
    the other's uncommitted inspection, leaving two latest passes; with the lock the second
    waits, and its statements then see the first's rows. Taken in id order (unnest keeps the
    array's), so that two transactions never wait on each other in a circle."""
    connection.execute(_LOCK_SITES, {"space": SITE_PASSES_LOCK, "sites": sorted(site_ids)})


def _resync_all(session: Session, found: list) -> None:
    if not found:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":  # SQLite: every writer holds the write lock
        lock_sites(connection, {site for _, positions, _ in found for site, _ in positions})
    for inspection_id, positions, new in found:
        resync(connection, inspection_id, positions, new=new)
