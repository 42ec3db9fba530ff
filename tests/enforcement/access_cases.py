from datetime import timedelta

from sqlalchemy import select

from service.common.access import ADMIN, INSPECTOR, LEGAL_REVIEWER, SUPERVISOR
from service.common.chinatime import china_today
from service.enforcement import cases, rectification, steps
from service.enforcement.catalogue import load_sample
from service.enforcement.measures import Policy
from service.enforcement.models import QueueItem
from tests.access import Endpoint
from tests.enforcement.helpers import failed_inspection
from tests.enforcement.test_catalogue import sample

ORDER = 95
OFFICERS = (INSPECTOR, SUPERVISOR)
QUEUE_WORKERS = (SUPERVISOR, LEGAL_REVIEWER)
E = "/api/v1/enforcement"
IF_MATCH = {"If-Match": "*"}


def _case(db, side, supervisor, *, procedure="ordinary"):
    case, _ = cases.open_case(db, scope=side.region, user=supervisor, data={
        "source": "inspection", "procedure": procedure, "title": "实名收寄",
        "finding_ids": [f.id for f in side.enf_inspection.findings],
        "party_kind": "organisation"})
    return case


def _move(db, side, user, case, move, **data):
    steps.move_case(db, scope=side.region, user=user, case=case, move=move, data=data,
                    policy=Policy())


def build(make, side):
    """Per side: one failed re-inspection by a certified pair (it also opens the cases), a
    filed case, a served summary-procedure fine and a rectification order."""
    db = make.db
    load_sample(db)
    inspector, partner = make.user(region_code=side.region), make.user(region_code=side.region)
    supervisor = make.user(role=SUPERVISOR, region_code=side.region)
    side.enf_inspector = inspector
    side.enf_inspection = failed_inspection(make, inspector=inspector, partner=partner,
                                            site=side.site, kind="re_inspection")
    side.enf_case = _case(db, side, supervisor)
    _move(db, side, supervisor, side.enf_case, "approve_filing")
    side.enf_served = _case(db, side, supervisor, procedure="summary")
    _move(db, side, inspector, side.enf_served, "decide_on_spot",
          violation_code="terminal_not_registered", circumstance="ordinary",
          measures=["fine"], fine_fen=100_000)
    _move(db, side, inspector, side.enf_served, "serve")
    side.enf_queue_item = db.scalar(select(QueueItem.id).where(
        QueueItem.item_id == side.enf_served.id, QueueItem.queue == "publication"))
    side.enf_order = rectification.issue_rectification(db, scope=side.region, user=supervisor,
                                                       data={
        "site_id": side.site.id, "finding_ids": [side.enf_inspection.findings[0].id],
        "due_on": china_today() + timedelta(days=10), "inspector_ids": [inspector.id]})


def _case_url(s, tail=""):
    return f"{E}/cases/{s.enf_case.id}{tail}"


def _claim(s):
    return f"{E}/queues/publication/{s.enf_served.id}/claim"


QUEUE_RULE = ("/api/v1/enforcement/queues/<any(filing_approval, legal_review, "
              "decision_deadline, publication, rectification, payment, "
              "flagged_inspection):queue>")

CASES = [
    Endpoint("GET", f"{E}/catalogue", (), lambda s: f"{E}/catalogue", other_status=200),
    Endpoint("POST", f"{E}/catalogue", (ADMIN,), lambda s: f"{E}/catalogue",
             body=lambda s: sample(), other_status=200),
    Endpoint("GET", f"{E}/cases", (), lambda s: f"{E}/cases?limit=500",
             listed=lambda s: str(s.enf_case.id), other_status=200),
    Endpoint("POST", f"{E}/cases", OFFICERS, lambda s: f"{E}/cases", ok=201,
             body=lambda s: {"source": "inspection", "title": "新案件", "finding_ids": [
                 str(f.id) for f in s.enf_inspection.findings]}, other_status=422),
    Endpoint("GET", f"{E}/cases/<uuid:case_id>", (), _case_url),
    Endpoint("PATCH", f"{E}/cases/<uuid:case_id>", (SUPERVISOR,), _case_url,
             body=lambda s: {"title": "更正后的案由"}),
    Endpoint("POST", f"{E}/cases/<uuid:case_id>/moves/<move>", OFFICERS,
             lambda s: _case_url(s, "/moves/investigate"), body=lambda s: {},
             headers=IF_MATCH),
    Endpoint("POST", f"{E}/cases/<uuid:case_id>/extensions", (SUPERVISOR,),
             lambda s: _case_url(s, "/extensions"),
             body=lambda s: {"days": 10, "reason": "案情复杂"}, headers=IF_MATCH),
    Endpoint("POST", f"{E}/cases/<uuid:case_id>/payments", OFFICERS,
             lambda s: f"{E}/cases/{s.enf_served.id}/payments", ok=201,
             body=lambda s: {"amount_fen": 100_000, "paid_on": str(china_today()),
                             "reference": f"ACC-{s.name}"}),
    Endpoint("POST", f"{E}/cases/<uuid:case_id>/publication", (SUPERVISOR,),
             lambda s: f"{E}/cases/{s.enf_served.id}/publication", body=lambda s: {}),
    Endpoint("GET", f"{E}/rectifications", (), lambda s: f"{E}/rectifications?limit=500",
             listed=lambda s: str(s.enf_order.id), other_status=200),
    Endpoint("POST", f"{E}/rectifications", OFFICERS, lambda s: f"{E}/rectifications", ok=201,
             body=lambda s: {"site_id": str(s.site.id),
                             "finding_ids": [str(s.enf_inspection.findings[0].id)],
                             "due_on": str(china_today() + timedelta(days=5)),
                             "inspector_ids": [str(s.enf_inspector.id)]}),
    Endpoint("GET", f"{E}/rectifications/<uuid:rectification_id>", (),
             lambda s: f"{E}/rectifications/{s.enf_order.id}"),
    Endpoint("POST", f"{E}/rectifications/<uuid:rectification_id>/reinspection", OFFICERS,
             lambda s: f"{E}/rectifications/{s.enf_order.id}/reinspection",
             body=lambda s: {"inspection_id": str(s.enf_inspection.id)}),
    Endpoint("GET", f"{E}/summons", (), lambda s: f"{E}/summons", other_status=200),
    Endpoint("POST", f"{E}/summons", (SUPERVISOR,), lambda s: f"{E}/summons", ok=201,
             body=lambda s: {"enterprise_id": str(s.enterprise.id),
                             "held_on": str(china_today()), "subject": "约谈"}),
    Endpoint("GET", QUEUE_RULE, QUEUE_WORKERS,
             lambda s: f"{E}/queues/publication?limit=500",
             listed=lambda s: str(s.enf_queue_item), other_status=200),
    Endpoint("POST", f"{QUEUE_RULE}/<uuid:item_id>/claim", QUEUE_WORKERS, _claim,
             body=lambda s: {}),
    Endpoint("DELETE", f"{QUEUE_RULE}/<uuid:item_id>/claim", QUEUE_WORKERS, _claim),
    Endpoint("GET", f"{E}/records/enterprises/<uuid:enterprise_id>", (),
             lambda s: f"{E}/records/enterprises/{s.enterprise.id}"),
    Endpoint("GET", f"{E}/records/sites/<uuid:site_id>", (),
             lambda s: f"{E}/records/sites/{s.site.id}"),
    Endpoint("GET", "/api/v1/public/decisions", (), lambda s: "/api/v1/public/decisions",
             other_status=200, public=True),
]
