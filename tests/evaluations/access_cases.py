from datetime import date

from service.auth.models import SUPERVISOR
from service.common.chinatime import china_today
from service.evaluations.logic import evaluate
from tests.access import Endpoint

ORDER = 95


def build(make, side):
    side.evaluated_site = make.site(region_code=side.region)
    evaluator = make.user(role=SUPERVISOR, region_code=side.region)
    side.evaluation = evaluate(make.db, scope=side.region, user_id=evaluator.id,
                               today=china_today(), data={
                                   "site_id": side.evaluated_site.id, "inspection_id": None,
                                   "self_check_id": None, "evaluated_on": date(2026, 4, 15),
                                   "score": 80.0, "note": None})


CASES = [
    Endpoint("GET", "/api/v1/rectification-evaluations", (),
             lambda s: "/api/v1/rectification-evaluations?limit=500",
             listed=lambda s: str(s.evaluation.id), other_status=200),
    Endpoint("POST", "/api/v1/rectification-evaluations", (SUPERVISOR,),
             lambda s: "/api/v1/rectification-evaluations",
             body=lambda s: {"site_id": str(s.evaluated_site.id), "evaluated_on": "2026-04-16",
                             "score": 90}, ok=201),
    Endpoint("GET", "/api/v1/rectification-evaluations/<uuid:evaluation_id>", (),
             lambda s: f"/api/v1/rectification-evaluations/{s.evaluation.id}"),
]
