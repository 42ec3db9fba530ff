from datetime import timedelta

from service.common.access import ADMIN, ANALYST, LEGAL_REVIEWER, SUPERVISOR
from service.db import utcnow
from service.exports.models import ExportJob
from tests.access import Endpoint

ORDER = 90
EXPORTERS = (ANALYST, SUPERVISOR, ADMIN, LEGAL_REVIEWER)


def build(make, side):
    side.export_job = make._add(ExportJob(
        kind="coverage", format="csv", params={"period": "2026-10", "region_code": side.region},
        region_code=side.region, requested_by_id=make.user(region_code=side.region).id,
        status="queued", rows_written=0, attempts=0, expires_at=utcnow() + timedelta(hours=1)))


CASES = [
    Endpoint("GET", "/api/v1/exports", EXPORTERS, lambda s: "/api/v1/exports?limit=500",
             listed=lambda s: str(s.export_job.id), other_status=200),
    Endpoint("POST", "/api/v1/exports", EXPORTERS, lambda s: "/api/v1/exports",
             body=lambda s: {"kind": "coverage", "format": "csv", "period": "2026-10",
                             "region_code": s.region}, ok=202, other_status=422),
    Endpoint("GET", "/api/v1/exports/<uuid:job_id>", EXPORTERS,
             lambda s: f"/api/v1/exports/{s.export_job.id}"),
]
