import io
from datetime import date

from service.auth.models import ADMIN, INSPECTOR, SUPERVISOR
from tests.access import Endpoint
from tests.factories import valid_uscc

ORDER = 30

#: a site in the other side's city when the other side is 苏州; the own side stays in 上海
POINTS = {"310113": (31.4056, 121.4896), "320505": (31.2989, 120.5853)}


def build(make, side):
    lat, lon = POINTS.get(side.region, (31.4056, 121.4896))
    side.enterprise = make.enterprise(region_code=side.region)
    side.site = make.site(region_code=side.region, enterprise_id=side.enterprise.id,
                          lat=lat, lon=lon, code=f"ACC-{side.name}-001",
                          opened_on=date(2020, 1, 1))
    side.point = (lat, lon)


def _site_body(s):
    lat, lon = s.point
    return {"name": "新网点", "site_type": "express_outlet", "address": "测试路1号",
            "region_code": s.region, "location": {"lat": lat, "lon": lon, "crs": "wgs84"},
            "enterprise_id": str(s.enterprise.id), "opened_on": "2024-01-01"}


def _upload(text: str, name: str) -> dict:
    return {"data": {"file": (io.BytesIO(text.encode("utf-8-sig")), name)},
            "content_type": "multipart/form-data"}


def _sites_file(s):
    lat, lon = s.point
    return _upload("网点名称,网点类型,地址,行政区划代码,纬度,经度,开业日期\n"
                   f"导入网点,快递营业网点,测试路2号,{s.region},{lat},{lon},2024-01-01\n",
                   "sites.csv")


def _enterprises_file(s):
    serial = 900 if s.name == "own" else 901
    return _upload("企业名称,品牌,统一社会信用代码,行政区划代码\n"
                   f"导入快递有限公司,中通,{valid_uscc(90000 + serial)},{s.region}\n",
                   "enterprises.csv")


CASES = [
    Endpoint("GET", "/api/v1/enterprises", (), lambda s: "/api/v1/enterprises?limit=500",
             listed=lambda s: str(s.enterprise.id), other_status=200),
    Endpoint("POST", "/api/v1/enterprises", (ADMIN,), lambda s: "/api/v1/enterprises",
             body=lambda s: {"name": "新快递有限公司", "brand": "极兔",
                             "uscc": valid_uscc(99000 + len(s.name)), "region_code": s.region},
             ok=201, other_status=422),
    Endpoint("POST", "/api/v1/enterprises/import", (ADMIN,),
             lambda s: "/api/v1/enterprises/import", request_kwargs=_enterprises_file,
             ok=201, other_status=422),
    Endpoint("GET", "/api/v1/enterprises/<uuid:enterprise_id>", (),
             lambda s: f"/api/v1/enterprises/{s.enterprise.id}"),
    Endpoint("PATCH", "/api/v1/enterprises/<uuid:enterprise_id>", (ADMIN,),
             lambda s: f"/api/v1/enterprises/{s.enterprise.id}",
             body=lambda s: {"licence_number": "沪邮2026001"}),
    Endpoint("GET", "/api/v1/sites", (), lambda s: "/api/v1/sites?limit=500",
             listed=lambda s: str(s.site.id), other_status=200),
    Endpoint("POST", "/api/v1/sites", (ADMIN,), lambda s: "/api/v1/sites", body=_site_body,
             ok=201, other_status=422),
    Endpoint("POST", "/api/v1/sites/unregistered-terminals", (INSPECTOR, SUPERVISOR, ADMIN),
             lambda s: "/api/v1/sites/unregistered-terminals",
             body=lambda s: {"name": "无名驿站", "address": "测试路9号", "region_code": s.region,
                             "location": {"lat": s.point[0], "lon": s.point[1],
                                          "crs": "wgs84"}, "found_on": "2026-03-02"},
             ok=201, other_status=422),
    Endpoint("GET", "/api/v1/sites/nearby", (),
             lambda s: f"/api/v1/sites/nearby?lat={s.point[0]}&lon={s.point[1]}&radius_m=500",
             listed=lambda s: str(s.site.id), other_status=200),
    Endpoint("POST", "/api/v1/sites/import", (ADMIN,), lambda s: "/api/v1/sites/import",
             request_kwargs=_sites_file, ok=201, other_status=422),
    Endpoint("GET", "/api/v1/sites/<uuid:site_id>", (), lambda s: f"/api/v1/sites/{s.site.id}"),
    Endpoint("PATCH", "/api/v1/sites/<uuid:site_id>", (ADMIN,),
             lambda s: f"/api/v1/sites/{s.site.id}", body=lambda s: {"name": "改名网点"}),
    Endpoint("POST", "/api/v1/sites/<uuid:site_id>/close", (ADMIN,),
             lambda s: f"/api/v1/sites/{s.site.id}/close",
             body=lambda s: {"closed_on": "2026-03-31", "reason": "经营者申请注销"}),
]
