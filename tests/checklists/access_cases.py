from service.auth.models import ADMIN
from tests.access import Endpoint
from tests.checklists import factories

ORDER = 40


def build(make, side):
    # Templates are national: both sides read the same ones, so other_status is 200/201.
    side.checklist = factories.current(make.db, "express_outlet")


CASES = [
    Endpoint("GET", "/api/v1/checklists", (), lambda s: "/api/v1/checklists",
             other_status=200),
    Endpoint("POST", "/api/v1/checklists", (ADMIN,), lambda s: "/api/v1/checklists",
             body=lambda s: factories.create_body(title=f"测试检查表 {s.name}"),
             ok=201, other_status=201),
    Endpoint("GET", "/api/v1/checklists/<uuid:template_id>", (),
             lambda s: f"/api/v1/checklists/{s.checklist.id}", other_status=200),
]
