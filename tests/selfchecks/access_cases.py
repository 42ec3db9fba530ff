import io

from service.auth.models import ADMIN, INSPECTOR, SUPERVISOR
from service.common.chinatime import china_today
from service.selfchecks.logic import record_self_check
from service.selfchecks.schemas import SelfCheckCreateSchema
from tests.access import Endpoint
from tests.checklists import factories as checklists
from tests.selfchecks.factories import body

ORDER = 45


def build(make, side):
    side.check_site = make.site(region_code=side.region, code=f"SC-{side.name}-{side.region}")
    data = SelfCheckCreateSchema().load(body(make.db, side.check_site))
    side.self_check = record_self_check(make.db, scope=side.region, user_id=None, data=data,
                                        today=china_today())
    side.self_check_body = body(make.db, side.check_site, checked_on="2026-03-03")
    side.db = make.db


def _report(s) -> dict:
    items = checklists.current(s.db, s.check_site.site_type).items
    lines = ["网点编码,自查日期,检查项编码,结果"] + [
        f"{s.check_site.code},2026-03-04,{item.code},符合" for item in items]
    return {"data": {"file": (io.BytesIO("\n".join(lines).encode("utf-8-sig")), "自查.csv")},
            "content_type": "multipart/form-data"}


CASES = [
    Endpoint("GET", "/api/v1/self-checks", (), lambda s: "/api/v1/self-checks?limit=500",
             listed=lambda s: str(s.self_check.id), other_status=200),
    Endpoint("POST", "/api/v1/self-checks", (INSPECTOR, SUPERVISOR, ADMIN),
             lambda s: "/api/v1/self-checks", body=lambda s: s.self_check_body, ok=201),
    Endpoint("POST", "/api/v1/self-checks/import", (SUPERVISOR, ADMIN),
             lambda s: "/api/v1/self-checks/import", request_kwargs=_report, ok=201,
             other_status=422),
    Endpoint("GET", "/api/v1/self-checks/<uuid:self_check_id>", (),
             lambda s: f"/api/v1/self-checks/{s.self_check.id}"),
]
