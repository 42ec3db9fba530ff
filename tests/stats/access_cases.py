from service.common.access import ADMIN, ANALYST, LEGAL_REVIEWER, SUPERVISOR
from tests.access import Endpoint

ORDER = 80
READERS = (ANALYST, SUPERVISOR, ADMIN, LEGAL_REVIEWER)
PLANNERS = (SUPERVISOR, ANALYST, ADMIN)


def build(make, side):
    side.gap_site = make.site(region_code=side.region)


def _in(path: str, period: str = "2026-10"):
    return lambda s: f"/api/v1/stats/{path}?{period}&region_code={s.region}"


CASES = [
    Endpoint("GET", "/api/v1/stats/coverage", READERS, _in("coverage", "period=2026-10")),
    Endpoint("GET", "/api/v1/stats/monthly", READERS, _in("monthly", "month=2026-10")),
    Endpoint("GET", "/api/v1/stats/monthly/trend", READERS, _in("monthly/trend", "month=2026-10")),
    Endpoint("GET", "/api/v1/stats/gap", PLANNERS, _in("gap", "period=2026-10&limit=500"),
             listed=lambda s: str(s.gap_site.id)),
    Endpoint("GET", "/api/v1/stats/gap/summary", PLANNERS, _in("gap/summary", "period=2026-10")),
    Endpoint("POST", "/api/v1/stats/recompute", (ANALYST, ADMIN),
             lambda s: "/api/v1/stats/recompute", body=lambda s: {"period": "2026-10"},
             ok=202, other_status=202),
]
