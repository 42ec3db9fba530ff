from service.auth.models import ADMIN, INSPECTOR, SUPERVISOR
from service.common.chinatime import china_today
from service.selfchecks.logic import record_self_check
from service.selfchecks.schemas import SelfCheckCreateSchema
from tests.access import Endpoint
from tests.selfchecks.factories import body

ORDER = 45


def build(make, side):
    side.check_site = make.site(region_code=side.region)
    data = SelfCheckCreateSchema().load(body(make.db, side.check_site))
    side.self_check = record_self_check(make.db, scope=side.region, user_id=None, data=data,
                                        today=china_today())
    side.self_check_body = body(make.db, side.check_site, checked_on="2026-03-03")


CASES = [
    Endpoint("GET", "/api/v1/self-checks", (), lambda s: "/api/v1/self-checks?limit=500",
             listed=lambda s: str(s.self_check.id), other_status=200),
    Endpoint("POST", "/api/v1/self-checks", (INSPECTOR, SUPERVISOR, ADMIN),
             lambda s: "/api/v1/self-checks", body=lambda s: s.self_check_body, ok=201),
    Endpoint("GET", "/api/v1/self-checks/<uuid:self_check_id>", (),
             lambda s: f"/api/v1/self-checks/{s.self_check.id}"),
]
