"""Demo activity (`postal-service demo-data`): a small, realistic month of 宝山区 work on top
of the demo registry, so every feature shows something — two campaigns (专项行动), the
inspection kinds (a joint check with two partner officers, a remote check through the video
link, a licence verification, a campaign check of an unregistered terminal), an open
cross-district task (县区互查: 宝山 inspectors sent to a 静安 outlet by the city bureau),
enterprises' self-checks (企业自查) and a rectification evaluation (整改评价).

Everything goes through the features' own logic, as the API would, so the rules hold. Each
record has a fixed id (uuid5 of a name): loading again adds nothing. Times are relative to
the moment of loading (inspections of the last weeks, campaigns around today).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.assignments.logic import create_task
from service.assignments.models import Task
from service.auth.models import User
from service.campaigns.logic import create_campaign
from service.campaigns.models import Campaign
from service.checklists.logic import latest_template
from service.common.regions import Jurisdiction
from service.db import utcnow
from service.evaluations.logic import evaluate
from service.evaluations.models import RectificationEvaluation
from service.inspections.logic import Limits, submit_inspection
from service.inspections.models import Inspection
from service.registry.models import SITE_CLOSED, UNREGISTERED, Site
from service.selfchecks.logic import record_self_check
from service.selfchecks.models import SelfCheck

NAMESPACE = uuid.UUID("6f1d2c1e-2026-4d3a-9e51-0c0ffee0d3a0")
DISTRICT, NEIGHBOUR, CITY = "310113", "310106", "310000"
#: what the embedded default allows (service.config defaults): at the site, phone clocks ok
LIMITS = Limits(radius_m=200, clock_skew_s=300)
#: officers of the other departments at the joint check (made-up names and numbers)
PARTNERS = [
    {"department": "police", "name": "周建国", "certificate_number": "沪公执0113027"},
    {"department": "state_security", "name": "钱立新", "certificate_number": "沪安0113005"},
]


def demo_id(name: str) -> uuid.UUID:
    """The fixed id of one demo record."""
    return uuid.uuid5(NAMESPACE, name)


def load_activity(db: Session, *, today: date) -> dict[str, int]:
    """Add the demo campaigns, inspections, task, self-checks and evaluation that are missing;
    returns how many of each were added."""
    people = {u.username: u for u in db.scalars(select(User).where(User.username.in_(
        ["sh_supervisor", "bs_supervisor", "bs_inspector1", "bs_inspector2",
         "bs_inspector3"])))}
    sites = _sites(db)
    added = {"campaigns": 0, "inspections": 0, "tasks": 0, "self-checks": 0,
             "rectification evaluations": 0}
    if len(people) < 5 or len(sites) < 6:
        return added  # the demo users or registry are not there (a bureau's own data)
    added["campaigns"] = _campaigns(db, people, today)
    added["inspections"] = _inspections(db, people, sites)
    added["tasks"] = _cross_district_task(db, people, sites, today)
    added["self-checks"] = _self_checks(db, people, sites, today)
    added["rectification evaluations"] = _evaluation(db, people, sites, today)
    db.flush()
    return added


def _first_open(db: Session, region_code: str, site_type: str, **where) -> Site | None:
    """The first demo site of that type in the district (by code) that is not closed."""
    stmt = select(Site).where(Site.code.like(f"DEMO-{region_code}-%"),
                              Site.site_type == site_type, Site.status != SITE_CLOSED)
    for column, value in where.items():
        stmt = stmt.where(getattr(Site, column) == value)
    return db.scalars(stmt.order_by(Site.code)).first()


def _sites(db: Session) -> dict[str, Site]:
    found = {
        "outlet": _first_open(db, DISTRICT, "express_outlet"),
        "postal": _first_open(db, DISTRICT, "postal_outlet", postal_only=True),  # 纯邮网点
        "terminal": _first_open(db, DISTRICT, "express_terminal", registration_status="registered"),
        "unregistered": _first_open(db, DISTRICT, "express_terminal",
                                    registration_status=UNREGISTERED),
        "sorting": _first_open(db, DISTRICT, "sorting_center"),
        "locker": _first_open(db, DISTRICT, "parcel_locker"),
        "neighbour": _first_open(db, NEIGHBOUR, "express_outlet"),
    }
    return {key: site for key, site in found.items() if site is not None}


# -- campaigns ------------------------------------------------------------------------------

def _campaigns(db: Session, people: dict[str, User], today: date) -> int:
    planned = [
        ("demo-campaign-real-name", people["sh_supervisor"], {
            "name": f"{today.year}年“清风·实名寄递”专项行动", "region_code": CITY,
            "region_codes": [CITY], "matter_codes": ["delivery_safety_three_systems",
                                                     "terminal_service"]}),
        ("demo-campaign-terminals", people["bs_supervisor"], {
            "name": "宝山区快递末端网点清理整顿专项行动", "region_code": DISTRICT,
            "region_codes": [DISTRICT], "matter_codes": ["terminal_registration"]}),
    ]
    added = 0
    for name, organiser, fields in planned:
        if db.get(Campaign, demo_id(name)) is not None:
            continue
        create_campaign(db, scope=_scope(organiser), user=organiser, data={
            "id": demo_id(name), "period_start": today - timedelta(days=60),
            "period_end": today + timedelta(days=60), **fields})
        added += 1
    return added


# -- inspections ----------------------------------------------------------------------------

def _inspections(db: Session, people: dict[str, User], sites: dict[str, Site]) -> int:
    """Inspections of the last weeks by the 宝山 pair (inspector1 with inspector2)."""
    pair = [people["bs_inspector1"], people["bs_inspector2"]]
    real_name = demo_id("demo-campaign-real-name")
    planned = [
        # (name, site, kind, days ago, failed items, campaign, extra fields)
        ("demo-routine-outlet", "outlet", "routine", 20, {"recycling_device"}, real_name, {}),
        ("demo-joint-terminal", "terminal", "joint", 14, {"real_name"}, real_name,
         {"partner_officers": PARTNERS, "note": "会同区公安分局、国家安全局开展联合检查"}),
        ("demo-remote-sorting", "sorting", "remote", 9, set(), None,
         {"location": None, "note": "通过“绿盾”视频联网系统开展非现场检查"}),
        ("demo-unannounced-postal", "postal", "unannounced", 6, set(), None, {}),
        ("demo-licence-locker", "locker", "licence_verification", 4, set(), None, {}),
        ("demo-campaign-unregistered", "unregistered", "special", 2,
         {"registration_displayed"}, demo_id("demo-campaign-terminals"),
         {"note": "清理整顿中发现未备案末端网点，已告知限期办理备案"}),
    ]
    added = 0
    for name, key, kind, days_ago, failed, campaign_id, extra in planned:
        if key not in sites or db.get(Inspection, demo_id(name)) is not None:
            continue
        site = sites[key]
        template = latest_template(db, site_type=site.site_type)
        finished = utcnow().replace(microsecond=0) - timedelta(days=days_ago, hours=-1)
        data = _inspection_body(site, template, kind=kind, finished=finished, failed=failed,
                                campaign_id=campaign_id, inspector=pair[1], **extra)
        submit_inspection(db, scope=_scope(pair[0]), submitter=pair[0],
                          inspection_id=demo_id(name), data=data, limits=LIMITS)
        added += 1
    return added


def _inspection_body(site: Site, template, *, kind: str, finished: datetime, failed: set[str],
                     campaign_id: uuid.UUID | None, inspector: User, **extra) -> dict:
    """A completed inspection as the schema loads it: every item answered."""
    answers = [{"item_code": item.code, "answer": "fail" if item.code in failed else "pass",
                "note": "现场发现问题，已当场指出" if item.code in failed else None}
               for item in template.items]
    return {
        "site_id": site.id, "template_id": template.id, "kind": kind,
        "campaign_id": campaign_id, "status": "completed",
        "started_at": finished - timedelta(minutes=50), "finished_at": finished,
        "location": {"lat": site.lat, "lon": site.lon, "crs": "wgs84", "accuracy_m": 12.0},
        "site_condition": "present", "answers": answers, "inspector_ids": [inspector.id],
        "partner_officers": [], "enforcement_follows": False, "note": None, **extra,
    }


# -- a cross-district task ------------------------------------------------------------------

def _cross_district_task(db: Session, people: dict[str, User], sites: dict[str, Site],
                         today: date) -> int:
    """县区互查: the city bureau sends the 宝山 pair to a 静安 express outlet (open, so their
    phones see that one site of 静安)."""
    if "neighbour" not in sites or db.get(Task, demo_id("demo-cross-district-task")):
        return 0
    city = people["sh_supervisor"]
    create_task(db, scope=_scope(city), user=city, data={
        "id": demo_id("demo-cross-district-task"), "site_id": sites["neighbour"].id,
        "kind": "cross_district", "due_on": today + timedelta(days=14),
        "note": "县区互查：宝山区检查静安区", "campaign_id": None,
        "assignee_ids": [people["bs_inspector1"].id, people["bs_inspector2"].id]})
    return 1


# -- 三查一评: self-checks and an evaluation ---------------------------------------------------

def _self_checks(db: Session, people: dict[str, User], sites: dict[str, Site],
                 today: date) -> int:
    """What two enterprises reported of their own sites, recorded by the district bureau."""
    planned = [("demo-self-check-outlet", "outlet", 10, {"packaging_compliance"}),
               ("demo-self-check-terminal", "terminal", 5, set())]
    added = 0
    for name, key, days_ago, failed in planned:
        if key not in sites or db.get(SelfCheck, demo_id(name)) is not None:
            continue
        site = sites[key]
        template = latest_template(db, site_type=site.site_type)
        answers = [{"item_code": item.code,
                    "answer": "fail" if item.code in failed else "pass", "note": None}
                   for item in template.items]
        supervisor = people["bs_supervisor"]
        record_self_check(db, scope=_scope(supervisor), user_id=supervisor.id, today=today,
                          data={"id": demo_id(name), "site_id": site.id,
                                "template_id": template.id,
                                "checked_on": today - timedelta(days=days_ago),
                                "answers": answers, "note": "企业自查报告（纸质件已存档）"})
        added += 1
    return added


def _evaluation(db: Session, people: dict[str, User], sites: dict[str, Site],
                today: date) -> int:
    """整改评价 of the outlet whose routine inspection found no recycling device."""
    name = "demo-evaluation-outlet"
    inspection = db.get(Inspection, demo_id("demo-routine-outlet"))
    if inspection is None or db.get(RectificationEvaluation, demo_id(name)) is not None:
        return 0
    supervisor = people["bs_supervisor"]
    evaluate(db, scope=_scope(supervisor), user_id=supervisor.id, today=today, data={
        "id": demo_id(name), "site_id": inspection.site_id, "inspection_id": inspection.id,
        "self_check_id": None, "evaluated_on": today - timedelta(days=3), "score": 85.5,
        "note": "已配置包装废弃物回收装置，张贴使用提示，台账待完善"})
    return 1


def _scope(user: User) -> Jurisdiction:
    return Jurisdiction(user.region_code, user.id)
