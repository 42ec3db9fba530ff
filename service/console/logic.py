"""View-shaping for the console's pages: what each page shows, read through the features'
own logic functions and scoped to the caller's jurisdiction. No rule lives here; a page
never shows what the API would refuse, because it reads through the same functions."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from service.audit.logic import object_history
from service.auth.models import User
from service.checklists.models import ChecklistTemplate
from service.common.chinatime import china_today
from service.common.errors import DomainError
from service.common.regions import in_subtree
from service.enforcement import catalogue, procedure, queues
from service.enforcement.measures import Policy
from service.enforcement.models import QUEUES, Case, Document
from service.inspections.flags import inspections_with_photo_anomaly
from service.inspections.models import COMPLETED, REVIEW_PENDING, Inspection
from service.regions.logic import get_region
from service.regions.models import Region
from service.registry.models import Site
from service.stats.periods import Period
from service.stats.rates import RATES, active_during, counting_in
from service.stats.reports import monthly_trend

#: rows per queue page; the API's keyset paging underneath
QUEUE_PAGE = 50
#: the most sites the map draws at once (a district has up to ~5,000)
MAP_CAP = 6000
#: days before the due date from which an item shows as due soon
SOON_DAYS = 3


def urgency(due_on: date | None, today: date | None = None) -> str:
    """overdue / soon / later, for colouring a due date."""
    if due_on is None:
        return "later"
    days = (due_on - (today or china_today())).days
    return "overdue" if days < 0 else "soon" if days <= SOON_DAYS else "later"


def queue_counts(db: Session, *, scope: str, policy: Policy) -> dict[str, int]:
    """How many open items each queue of the jurisdiction holds (one COUNT per queue)."""
    counts = {}
    empty = queues.Filters(region_code=None, assignee_id=None, item_type=None, claimed=None)
    for queue in QUEUES:
        if queue == queues.FLAGGED:
            stmt = select(func.count()).select_from(Inspection).where(
                in_subtree(Inspection.region_code, scope), Inspection.status == COMPLETED,
                Inspection.review_status == REVIEW_PENDING)
        else:
            listed = queues.queue_statement(scope=scope, queue=queue, filters=empty,
                                            policy=policy)
            stmt = select(func.count()).select_from(listed.subquery())
        counts[queue] = db.scalar(stmt)
    return counts


#: the one-click next action of a queue's items: (the case move, the role allowed to make it)
QUICK_MOVES = {"filing_approval": ("approve_filing", "supervisor"),
               "legal_review": ("approve_review", "legal_reviewer")}


def case_versions(db: Session, *, scope: str, ids) -> dict[uuid.UUID, int]:
    """The versions of the jurisdiction's cases among `ids` (for one-click steps)."""
    wanted = list({i for i in ids if i is not None})
    if not wanted:
        return {}
    return dict(db.execute(select(Case.id, Case.version).where(
        Case.id.in_(wanted), in_subtree(Case.region_code, scope))).all())


def names(db: Session, ids) -> dict[uuid.UUID, str]:
    """Users' names by id (for who claimed, who made a step)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row.full_name or row.username for row in db.execute(
        select(User.id, User.full_name, User.username).where(User.id.in_(wanted)))}


def region_names(db: Session, codes) -> dict[str, str]:
    """Region names by code (for the rows' district column)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return dict(db.execute(select(Region.code, Region.name).where(Region.code.in_(wanted))).all())


def districts(db: Session, *, scope: str) -> list[Region]:
    """The jurisdiction and the regions directly below it (the filters' choices)."""
    region = get_region(db, scope=scope, code=scope)
    children = db.scalars(select(Region).where(Region.parent_code == region.code)
                          .order_by(Region.code)).all()
    return [region, *children]


def allowed_moves(case: Case, role: str) -> list[str]:
    """The moves the procedure allows from the case's state for this role."""
    return procedure.lifecycle(case.procedure).allowed(case.status, role=role)


def case_documents(db: Session, *, case: Case) -> list[Document]:
    """The documents issued for the case, with their numbers, in issue order."""
    return db.scalars(select(Document).where(Document.case_id == case.id)
                      .order_by(Document.created_at, Document.number)).all()


def case_timeline(db: Session, *, scope: str, case: Case, limit: int = 100) -> dict:
    """The case's steps (who, when, what, evidence) and its audit trail, newest first."""
    try:
        trail = object_history(db, scope=scope, object_type="case", object_id=str(case.id),
                               limit=limit, cursor=None).items
    except DomainError:
        trail = []  # written before the audit trail existed
    steps = sorted(case.steps, key=lambda step: step.seq, reverse=True)
    who = names(db, [s.actor_id for s in steps] + [e.actor_id for e in trail])
    return {"steps": steps, "trail": trail, "names": who}


def violations(db: Session) -> list:
    """The current catalogue's violations (for the penalty forms), or none loaded."""
    try:
        current = catalogue.current_catalogue(db)
    except DomainError:
        return []
    return sorted(current.violations, key=lambda v: v.code)


def band(db: Session, *, violation_code: str, circumstance: str) -> dict | None:
    """The discretion band (裁量基准) of a violation's circumstance in the current catalogue,
    in yuan, or None when either is unknown."""
    if circumstance not in catalogue.CIRCUMSTANCES:
        return None
    try:
        current = catalogue.current_catalogue(db)
    except DomainError:
        return None
    violation = catalogue.find_violation(db, catalogue_id=current.id, code=violation_code)
    if violation is None:
        return None
    found = catalogue.band_of(violation, circumstance)
    return {"violation": violation, "circumstance": circumstance,
            "min_yuan": found["min_fen"] / 100, "max_yuan": found["max_fen"] / 100,
            "measures": found["measures"], "catalogue_version": current.number}


def site_map(db: Session, *, scope: str, region_code: str | None, period: Period,
             cap: int = MAP_CAP) -> dict:
    """The map's data: each active site as [lon, lat, inspected?, name] (at most `cap`), and
    a label per district at the mean of its sites, counted in two grouped queries."""
    region = get_region(db, scope=scope, code=region_code or scope)
    inspected = exists().where(Inspection.site_id == Site.id, counting_in(period))
    where = (in_subtree(Site.region_code, region.code), active_during(Site, period))
    rows = db.execute(select(Site.lon, Site.lat, inspected.label("inspected"), Site.name)
                      .where(*where).order_by(Site.id).limit(cap)).all()
    total = db.scalar(select(func.count()).select_from(Site).where(*where))
    labels = db.execute(
        select(Region.code, Region.name, func.avg(Site.lon), func.avg(Site.lat),
               func.count()).join(Region, Region.code == Site.region_code)
        .where(*where).group_by(Region.code, Region.name).order_by(Region.code)).all()
    return {
        "region_code": region.code, "region_name": region.name, "period": period.key,
        "total": total, "shown": len(rows), "capped": total > len(rows),
        "inspected": [[r.lon, r.lat, r.name] for r in rows if r.inspected],
        "uninspected": [[r.lon, r.lat, r.name] for r in rows if not r.inspected],
        "districts": [{"code": code, "name": name, "lon": lon, "lat": lat, "sites": n}
                      for code, name, lon, lat, n in labels],
    }


def coverage_table(report: dict) -> list[dict]:
    """The coverage report as a table: one row per region (the total first), one cell per
    rate over the type it is reported for (all types, or postal outlets)."""
    rows: dict[str, dict] = {}
    for item in report["items"]:
        wanted = "all" if RATES[item["rate"]].with_all else "postal_outlet"
        if item["site_type"] != wanted:
            continue
        row = rows.setdefault(item["region_code"], {
            "region_code": item["region_code"], "region_name": item["region_name"],
            "is_total": item["is_total"], "rates": {}})
        row["rates"][item["rate"]] = item
    return list(rows.values())


def trend(db: Session, *, scope: str, month: Period, region_code: str | None) -> dict:
    """Each rate over the 12 months ending with `month` (percentages; None when not
    computed), for the trend chart."""
    found = monthly_trend(db, scope=scope, month=month, region_code=region_code)
    months = [item["month"] for item in found["items"]]
    series = {name: [None if item["rates"].get(name) is None
                     else round(100 * item["rates"][name], 1) for item in found["items"]]
              for name in RATES}
    return {"months": months, "series": series,
            "labels": {name: rate.label for name, rate in RATES.items()}}


def inspection_view(db: Session, *, inspection: Inspection) -> dict:
    """An inspection's answers beside their checklist items, its site, its flags and who
    took part."""
    site = db.get(Site, inspection.site_id)
    template = db.get(ChecklistTemplate, inspection.template_id)
    items = {item.code: item for item in template.items} if template else {}
    answers = sorted(inspection.answers,
                     key=lambda a: items[a.item_code].position if a.item_code in items else 0)
    people = [u.id for u in inspection.inspectors] + [inspection.submitted_by_id,
                                                      inspection.reviewed_by_id]
    return {"site": site, "template": template, "items": items, "answers": answers,
            "photo_anomaly": bool(inspections_with_photo_anomaly(db, [inspection.id])),
            "names": names(db, people),
            "location": {"site": [site.lon, site.lat] if site else None,
                         "inspection": ([inspection.lon, inspection.lat]
                                        if inspection.lat is not None else None)}}
