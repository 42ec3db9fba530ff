import uuid

from service.auth.models import ADMIN, ANALYST, SUPERVISOR
from service.plans.logic import declare_conflict
from tests.access import Endpoint
from tests.plans import factories

ORDER = 90


def build(make, side):
    side.plan_site = make.site(region_code=side.region)
    side.pair = factories.inspectors(make, side.region, 2)
    side.planner = factories.supervisor(make, side.region)
    side.plan = factories.plan_row(make.db, side.planner, side.region)
    side.conflict_enterprise = make.enterprise()
    side.conflict = declare_conflict(make.db, scope=side.region, user=side.planner, data={
        "user_id": side.pair[1].id, "enterprise_id": make.enterprise().id,
        "reason": "曾在该企业任职"})


def _plan_url(suffix=""):
    return lambda s: f"/api/v1/plans/{s.plan.id}{suffix}"


def _draw_body(s):
    return {"draw_id": str(uuid.uuid4()), "seed_hash": s.plan.seed_hash}


PLAN = "/api/v1/plans/<uuid:plan_id>"

CASES = [
    Endpoint("GET", "/api/v1/plans", (), lambda s: "/api/v1/plans",
             listed=lambda s: str(s.plan.id), other_status=200),
    Endpoint("POST", "/api/v1/plans", (SUPERVISOR,), lambda s: "/api/v1/plans",
             body=lambda s: factories.plan_body(region_code=s.region),
             ok=201, other_status=422),
    Endpoint("GET", PLAN, (), _plan_url()),
    Endpoint("POST", PLAN + "/draw", (SUPERVISOR,), _plan_url("/draw"), body=_draw_body),
    Endpoint("GET", PLAN + "/verification", (), _plan_url("/verification")),
    Endpoint("GET", PLAN + "/progress", (SUPERVISOR, ANALYST, ADMIN), _plan_url("/progress")),
    Endpoint("GET", PLAN + "/results", (), _plan_url("/results")),
    Endpoint("GET", PLAN + "/results.xlsx", (), _plan_url("/results.xlsx")),
    Endpoint("GET", PLAN + "/results.csv", (), _plan_url("/results.csv")),
    Endpoint("GET", "/api/v1/conflicts", (ADMIN, SUPERVISOR), lambda s: "/api/v1/conflicts",
             listed=lambda s: str(s.conflict.id), other_status=200),
    Endpoint("POST", "/api/v1/conflicts", (ADMIN, SUPERVISOR), lambda s: "/api/v1/conflicts",
             body=lambda s: {"user_id": str(s.pair[0].id),
                             "enterprise_id": str(s.conflict_enterprise.id),
                             "reason": "亲属在该企业任职"},
             ok=201, other_status=422),
]
