"""Demo work for the console (`make run`): inspections, cases in each queue and computed
figures in 上海市宝山区 (310113), made through the features' own logic functions, so the
console has something to show. Added once: nothing is added when 宝山区 has cases already."""

from __future__ import annotations

import logging
import random
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.auth.models import User
from service.checklists.logic import latest_template
from service.common.chinatime import china_today
from service.common.errors import DomainError
from service.enforcement import cases, steps
from service.enforcement.measures import Policy
from service.enforcement.models import Case
from service.inspections.logic import Limits, submit_inspection
from service.inspections.schemas import InspectionSubmitSchema
from service.registry.models import Site
from service.stats.logic import compute_periods
from service.stats.periods import parse, trailing_months

DISTRICT = "310113"
SEED = 20261201
LIMITS = Limits(radius_m=200, clock_skew_s=300)
log = logging.getLogger(__name__)
TARGETS = {"publication_point_coverage": 0.40, "recycling_device_coverage": 0.50}


def load(db: Session, *, today: date | None = None, targets: dict | None = None) -> dict:
    """Add the demo work unless 宝山区 already has cases; returns what was added."""
    if db.scalar(select(func.count()).select_from(Case).where(Case.region_code == DISTRICT)):
        return {"inspections": 0, "cases": 0}
    today = today or china_today()
    rng = random.Random(SEED)
    users = {u.username: u for u in db.scalars(select(User).where(
        User.username.in_(("bs_inspector1", "bs_inspector2", "bs_supervisor",
                           "bs_legal_reviewer"))))}
    if len(users) < 4:
        return {"inspections": 0, "cases": 0}
    first, second = users["bs_inspector1"], users["bs_inspector2"]
    sites = db.scalars(select(Site).where(Site.region_code == DISTRICT,
                                          Site.status == "active").order_by(Site.code)).all()
    inspections = []
    for n, site in enumerate(sites[: len(sites) * 4 // 5]):
        days_ago = rng.randint(0, 50)
        failed = n % 3 == 0
        far = n == 3  # one inspection far from its site: flagged for review
        made = _inspect(db, site, first, second, days_ago=days_ago, failed=failed, far=far)
        if made is not None:
            inspections.append(made)
    with_findings = [i for i in inspections if i.findings and i.enforcement_ready]
    made_cases = _cases(db, with_findings, users, today)
    months = [period for period in trailing_months(parse(today.strftime("%Y-%m")), 3)]
    compute_periods(db, periods=months, targets=targets or TARGETS,
                    now=datetime.now(UTC))
    return {"inspections": len(inspections), "cases": made_cases}


def _inspect(db: Session, site: Site, inspector: User, partner: User, *, days_ago: int,
             failed: bool, far: bool):
    template = latest_template(db, site_type=site.site_type)
    if template is None:
        return None
    finished = datetime.now(UTC) - timedelta(days=days_ago, hours=2)
    lat = site.lat + (0.01 if far else 0.0002)
    body = {
        "site_id": str(site.id), "template_id": str(template.id), "kind": "routine",
        "status": "completed", "started_at": (finished - timedelta(minutes=40)).isoformat(),
        "finished_at": finished.isoformat(),
        "location": {"lat": lat, "lon": site.lon, "crs": "wgs84", "accuracy_m": 12},
        "inspector_ids": [str(partner.id)],
        "answers": [{"item_code": item.code,
                     "answer": "fail" if failed and index == 0 else "pass"}
                    for index, item in enumerate(template.items)],
    }
    try:
        data = InspectionSubmitSchema().load(body)
        with db.begin_nested():
            return submit_inspection(db, scope=DISTRICT, submitter=inspector,
                                     inspection_id=uuid.uuid4(), data=data,
                                     limits=LIMITS).inspection
    except DomainError as error:
        log.warning("demo inspection refused: %s", error.message)
        return None


def _cases(db: Session, inspections: list, users: dict, today: date) -> int:
    """Leads waiting for filing approval, filed cases nearing their deadline, a legal
    review, and a served on-the-spot fine waiting for publication."""
    supervisor = users["bs_supervisor"]
    inspector = users["bs_inspector1"]
    policy, made = Policy(), 0
    for n, inspection in enumerate(inspections):
        site_name = db.get(Site, inspection.site_id).name
        procedure = "summary" if n % 5 == 4 else "ordinary"
        opened = today - timedelta(days=min(85, 2 + n * 9))
        try:
            with db.begin_nested():
                case, _ = cases.open_case(db, scope=DISTRICT, user=inspector, data={
                    "source": "inspection", "procedure": procedure,
                    "title": f"{site_name}未按规定执行实名收寄制度",
                    "finding_ids": [f.id for f in inspection.findings],
                    "party_kind": "organisation", "on": opened})
                _walk(db, case, n, supervisor, inspector, policy, opened)
                made += 1
        except DomainError as error:
            log.warning("demo case refused: %s", error.message)
            continue
    return made


def _walk(db, case, n, supervisor, inspector, policy, opened) -> None:
    def move(user, name, **data):
        steps.move_case(db, scope=DISTRICT, user=user, case=case, move=name, data=data,
                        policy=policy)

    if case.procedure == "summary":
        move(inspector, "decide_on_spot", violation_code="real_name_not_enforced",
             circumstance="minor", measures=["warning"], on=opened)
        move(inspector, "serve", on=opened)
        return
    stage = n % 4
    if stage == 0:
        return  # a lead: the filing approval queue
    move(supervisor, "approve_filing", on=opened)
    if stage == 1:
        return  # filed: the decision deadline queue once it nears
    move(inspector, "investigate", on=opened)
    move(inspector, "give_notice", violation_code="real_name_not_enforced",
         circumstance="ordinary", measures=["fine", "rectification"], fine_fen=1_500_000,
         on=opened)
    if stage == 2:
        return
    move(inspector, "request_legal_review", on=opened)  # the legal review queue
