from service.common.access import ADMIN, LEGAL_REVIEWER, SUPERVISOR
from tests.access import Endpoint

ORDER = 95  # after every feature: the commit below writes their entries too


def build(make, side):
    side.audited_site = make.site(region_code=side.region)
    make.db.commit()  # entries are written at the commit; the history reads them


CASES = [
    Endpoint("GET", "/api/v1/audit", (SUPERVISOR, LEGAL_REVIEWER, ADMIN),
             lambda s: f"/api/v1/audit?object=site:{s.audited_site.id}"),
    Endpoint("POST", "/api/v1/audit/verify", (ADMIN,), lambda s: "/api/v1/audit/verify",
             other_status=200),
]
