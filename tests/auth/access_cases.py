from service.auth.models import ADMIN, SUPERVISOR
from tests.access import Endpoint

ORDER = 20


def build(make, side):
    side.user = make.user(role="analyst", region_code=side.region)


CASES = [
    Endpoint("GET", "/api/v1/me", (), lambda s: "/api/v1/me", other_status=200),
    Endpoint("GET", "/api/v1/users", (ADMIN, SUPERVISOR), lambda s: "/api/v1/users",
             listed=lambda s: str(s.user.id), other_status=200),
    Endpoint("POST", "/api/v1/users", (ADMIN,), lambda s: "/api/v1/users",
             body=lambda s: {"username": f"new_{s.name}", "password": "a-long-password",
                             "full_name": "新用户", "role": "analyst", "region_code": s.region},
             ok=201, other_status=422),
    Endpoint("GET", "/api/v1/users/<uuid:user_id>", (ADMIN, SUPERVISOR),
             lambda s: f"/api/v1/users/{s.user.id}"),
    Endpoint("PATCH", "/api/v1/users/<uuid:user_id>", (ADMIN,),
             lambda s: f"/api/v1/users/{s.user.id}", body=lambda s: {"full_name": "改名"}),
]
