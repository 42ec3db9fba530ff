import uuid

from service.auth.models import INSPECTOR, SUPERVISOR
from tests.access import Endpoint
from tests.checklists import factories as checklists
from tests.inspections.factories import body, moved, stored

ORDER = 50


def build(make, side):
    inspector = make.user(region_code=side.region)
    side.insp_site = make.site(region_code=side.region, lat=31.40, lon=121.48)
    side.insp_template = checklists.current(make.db, side.insp_site.site_type)
    answers = {item.code: "pass" for item in side.insp_template.items}
    answers[side.insp_template.items[0].code] = "fail"
    side.inspection = stored(make.db, submitter=inspector, site=side.insp_site,
                             template=side.insp_template, answers=answers)
    side.finding = side.inspection.findings[0]
    lat, lon = moved(31.40, 121.48, 1000)
    side.flagged = stored(make.db, submitter=inspector, site=side.insp_site,
                          template=side.insp_template,
                          location={"lat": lat, "lon": lon, "crs": "wgs84"})
    side.new_inspection_id = uuid.uuid4()


def _item(s):
    return f"/api/v1/inspections/{s.inspection.id}"


CASES = [
    Endpoint("GET", "/api/v1/inspections", (), lambda s: "/api/v1/inspections?limit=500",
             listed=lambda s: str(s.inspection.id), other_status=200),
    Endpoint("GET", "/api/v1/inspections/<uuid:inspection_id>", (), _item),
    Endpoint("PUT", "/api/v1/inspections/<uuid:inspection_id>", (INSPECTOR,),
             lambda s: f"/api/v1/inspections/{s.new_inspection_id}",
             body=lambda s: body(s.insp_site, s.insp_template), ok=201),
    Endpoint("POST", "/api/v1/inspections/<uuid:inspection_id>/void", (SUPERVISOR,),
             lambda s: f"{_item(s)}/void", body=lambda s: {"reason": "重复录入"}),
    Endpoint("GET", "/api/v1/inspections/flagged", (SUPERVISOR,),
             lambda s: "/api/v1/inspections/flagged?limit=500",
             listed=lambda s: str(s.flagged.id), other_status=200),
    Endpoint("POST", "/api/v1/inspections/<uuid:inspection_id>/review", (SUPERVISOR,),
             lambda s: f"/api/v1/inspections/{s.flagged.id}/review",
             body=lambda s: {"decision": "accept", "note": "信号漂移，照片可证实到场"}),
    Endpoint("GET", "/api/v1/findings", (), lambda s: "/api/v1/findings?limit=500",
             listed=lambda s: str(s.finding.id), other_status=200),
    Endpoint("GET", "/api/v1/findings/<uuid:finding_id>", (),
             lambda s: f"/api/v1/findings/{s.finding.id}"),
]
