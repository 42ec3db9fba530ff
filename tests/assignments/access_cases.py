import uuid
from datetime import date, timedelta

from service.auth.models import ADMIN, ANALYST, INSPECTOR, SUPERVISOR
from tests.access import OWN_REGION, Endpoint
from tests.assignments import factories
from tests.checklists import factories as checklists
from tests.inspections.factories import body as inspection_body

#: a district beside the own side's, under the same city (上海市静安区)
NEIGHBOUR = "310106"

ORDER = 60


def build(make, side):
    side.task_inspector = make.user(region_code=side.region)
    side.task_site = make.site(region_code=side.region)
    side.task = factories.task(make.db, site=side.task_site, assignees=[side.task_inspector])
    # 县区互查: on the own side, a neighbouring district's site that an open task assigns to
    # the caller; on the other side, a site of that jurisdiction no task assigns to them
    region = NEIGHBOUR if side.region == OWN_REGION else side.region
    side.crossed_site = make.site(region_code=region)
    if side.region == OWN_REGION:
        factories.task(make.db, site=side.crossed_site, assignees=[side.caller],
                       kind="cross_district")
    # ... and one whose cross-district task is done: it lends nothing any more
    side.ended_site = make.site(region_code=region)
    if side.region == OWN_REGION:
        factories.task(make.db, site=side.ended_site, assignees=[side.caller],
                       kind="cross_district", status="done")
    side.crossed_body = inspection_body(side.crossed_site, checklists.current(
        make.db, side.crossed_site.site_type), kind="cross_district")


CASES = [
    # the jurisdiction widened by a cross-district task, for exactly its site
    Endpoint("PUT", "/api/v1/inspections/<uuid:inspection_id>", (INSPECTOR,),
             lambda s: f"/api/v1/inspections/{uuid.uuid4()}", body=lambda s: s.crossed_body,
             ok=201),
    Endpoint("GET", "/api/v1/sites/<uuid:site_id>", (),
             lambda s: f"/api/v1/sites/{s.crossed_site.id}"),
    Endpoint("GET", "/api/v1/sites/<uuid:site_id>", (),
             lambda s: f"/api/v1/sites/{s.ended_site.id}", ok=404),
    Endpoint("GET", "/api/v1/sites/nearby", (),
             lambda s: f"/api/v1/sites/nearby?lat={s.crossed_site.lat}"
                       f"&lon={s.crossed_site.lon}&radius_m=500&limit=200",
             listed=lambda s: str(s.crossed_site.id), other_status=200),
    Endpoint("GET", "/api/v1/sync/changes", (), lambda s: "/api/v1/sync/changes?limit=500",
             listed=lambda s: str(s.crossed_site.id), other_status=200),
    Endpoint("GET", "/api/v1/me/tasks", (), lambda s: "/api/v1/me/tasks", other_status=200),
    Endpoint("GET", "/api/v1/tasks", (SUPERVISOR, ADMIN, ANALYST),
             lambda s: "/api/v1/tasks?limit=500", listed=lambda s: str(s.task.id),
             other_status=200),
    Endpoint("POST", "/api/v1/tasks", (SUPERVISOR,), lambda s: "/api/v1/tasks",
             body=lambda s: {"site_id": str(s.task_site.id),
                             "assignee_ids": [str(s.task_inspector.id)],
                             "kind": "routine",
                             "due_on": (date.today() + timedelta(days=14)).isoformat()},
             ok=201),
    Endpoint("GET", "/api/v1/tasks/<uuid:task_id>", (), lambda s: f"/api/v1/tasks/{s.task.id}"),
    Endpoint("POST", "/api/v1/tasks/<uuid:task_id>/cancel", (SUPERVISOR,),
             lambda s: f"/api/v1/tasks/{s.task.id}/cancel", body=lambda s: {"reason": "网点停业"}),
]
