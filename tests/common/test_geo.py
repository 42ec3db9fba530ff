"""Coordinates from Chinese map SDKs become WGS-84; impossible ones are refused by name."""

import prcoords
import pytest

from service.common.geo import LocationSchema, distance_m


def test_gcj02_from_a_gaode_phone_becomes_wgs84_within_centimetres():
    wgs = (31.4056, 121.4896)
    gcj = prcoords.wgs_gcj(wgs)
    loaded = LocationSchema().load({"lat": gcj.lat, "lon": gcj.lon, "crs": "gcj02"})
    assert distance_m(wgs, (loaded["lat"], loaded["lon"])) < 0.05
    assert loaded["crs"] == "wgs84"


def test_bd09_from_a_baidu_phone_becomes_wgs84_within_centimetres():
    wgs = (31.2304, 121.4737)
    bd = prcoords.wgs_bd(wgs)
    loaded = LocationSchema().load({"lat": bd.lat, "lon": bd.lon, "crs": "bd09"})
    assert distance_m(wgs, (loaded["lat"], loaded["lon"])) < 0.05


@pytest.mark.parametrize("crs", ["gcj02", "bd09"])
def test_a_chinese_datum_outside_china_is_named_not_a_server_error(crs, make, as_user):
    api = as_user(make.user(role="analyst"))
    response = api.get(f"/api/v1/sites/nearby?lat=-90&lon=172.26&crs={crs}")
    assert response.status_code == 422
    assert "crs" in str(response.json["errors"])


def test_distances_are_geopys_geodesic():
    from geopy.distance import geodesic

    for a, b in [((31.4, 121.48), (31.403, 121.483)), ((39.9, 116.4), (22.5, 114.1)),
                 ((45.0, 130.0), (45.0, 130.0))]:
        assert distance_m(a, b) == pytest.approx(geodesic(a, b).meters, abs=1e-6)
