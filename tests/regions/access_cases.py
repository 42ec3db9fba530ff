from service.auth.models import ADMIN
from tests.access import Endpoint

ORDER = 10


def build(make, side):
    side.district = side.region
    side.town = make.region(side.region + "001", "测试镇").code


CASES = [
    Endpoint("GET", "/api/v1/regions", (), lambda s: f"/api/v1/regions?parent={s.district}",
             listed=lambda s: s.town),
    Endpoint("POST", "/api/v1/regions", (ADMIN,),
             lambda s: "/api/v1/regions",
             body=lambda s: {"code": s.district + "901", "name": "测试街道"},
             ok=201, other_status=422),
    Endpoint("GET", "/api/v1/regions/<code>", (), lambda s: f"/api/v1/regions/{s.district}"),
    Endpoint("PATCH", "/api/v1/regions/<code>", (ADMIN,),
             lambda s: f"/api/v1/regions/{s.district}", body=lambda s: {"urban": True}),
    Endpoint("GET", "/api/v1/regions/<code>/subtree", (),
             lambda s: f"/api/v1/regions/{s.district}/subtree",
             listed=lambda s: s.district),
]
