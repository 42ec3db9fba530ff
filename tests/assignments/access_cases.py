from datetime import date, timedelta

from service.auth.models import ADMIN, ANALYST, SUPERVISOR
from tests.access import Endpoint
from tests.assignments import factories

ORDER = 60


def build(make, side):
    side.task_inspector = make.user(region_code=side.region)
    side.task_site = make.site(region_code=side.region)
    side.task = factories.task(make.db, site=side.task_site, assignees=[side.task_inspector])


CASES = [
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
