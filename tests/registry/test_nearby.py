"""Sites near a phone: nearest first, within the radius, in your jurisdiction only."""

from __future__ import annotations

from datetime import date

import prcoords
import pytest
from geopy.distance import geodesic

CENTER = (31.4056, 121.4896)  # 宝山区, WGS-84


def point_at(metres: float, bearing: float = 0.0) -> tuple[float, float]:
    destination = geodesic(meters=metres).destination(CENTER, bearing)
    return destination.latitude, destination.longitude


def nearby(api, query: str = "", center=CENTER) -> list[dict]:
    response = api.get(f"/api/v1/sites/nearby?lat={center[0]}&lon={center[1]}&{query}")
    assert response.status_code == 200, response.json
    return response.json["items"]


@pytest.fixture
def ring(make):
    """Sites north of CENTER at known distances, and one at 1,100 m to the north-east: in
    the bounding box of a 1,000 m search but outside its circle."""
    sites = {}
    for metres in (900, 100, 400, 1500):
        lat, lon = point_at(metres)
        sites[metres] = make.site(lat=lat, lon=lon, name=f"{metres}米")
    lat, lon = point_at(1100, bearing=45)
    sites["corner"] = make.site(lat=lat, lon=lon, name="东北角")
    return sites


def test_nearest_first_with_geodesic_distances_within_the_radius(admin, ring):
    items = nearby(admin, "radius_m=1000")
    assert [item["id"] for item in items] == [str(ring[m].id) for m in (100, 400, 900)]
    for item, metres in zip(items, (100, 400, 900), strict=True):
        assert item["distance_m"] == pytest.approx(metres, abs=0.5)
        assert item["location"]["crs"] == "wgs84"


def test_the_radius_defaults_to_1000_m_and_can_shrink(admin, ring):
    assert len(nearby(admin)) == 3
    assert [i["id"] for i in nearby(admin, "radius_m=500")] == [str(ring[100].id),
                                                                str(ring[400].id)]


def test_the_limit_keeps_the_nearest(admin, ring):
    assert [i["id"] for i in nearby(admin, "radius_m=2000&limit=2")] == [str(ring[100].id),
                                                                       str(ring[400].id)]


def test_a_gcj02_point_is_converted_before_measuring(admin, make):
    site = make.site(lat=CENTER[0], lon=CENTER[1])
    gcj = prcoords.wgs_gcj(CENTER)
    items = nearby(admin, "crs=gcj02&radius_m=50", center=(gcj.lat, gcj.lon))
    assert [i["id"] for i in items] == [str(site.id)]
    assert items[0]["distance_m"] < 1


def test_closed_sites_only_when_asked(admin, make):
    lat, lon = point_at(200)
    closed = make.site(lat=lat, lon=lon, status="closed", opened_on=date(2020, 1, 1),
                       closed_on=date(2025, 1, 1))
    assert str(closed.id) not in {i["id"] for i in nearby(admin)}
    assert str(closed.id) in {i["id"] for i in nearby(admin, "include_closed=true")}


def test_site_type_filter(admin, make):
    lat, lon = point_at(300)
    locker = make.site(lat=lat, lon=lon, site_type="parcel_locker", cell_count=24)
    make.site(lat=lat, lon=lon)
    assert [i["id"] for i in nearby(admin, "site_type=parcel_locker")] == [str(locker.id)]


def test_sites_of_other_jurisdictions_are_not_shown(admin, make):
    lat, lon = point_at(150)
    sibling = make.site(region_code="310106", lat=lat, lon=lon)
    assert str(sibling.id) not in {i["id"] for i in nearby(admin)}


def test_the_radius_is_bounded(admin, app):
    limit = app.config["SETTINGS"].nearby_max_radius_m
    response = admin.get(f"/api/v1/sites/nearby?lat=31.4&lon=121.4&radius_m={limit + 1}")
    assert response.status_code == 422
    assert "radius_m" in response.json["errors"]["query"]
    assert admin.get("/api/v1/sites/nearby?lat=91&lon=121.4").status_code == 422
    assert admin.get("/api/v1/sites/nearby?lon=121.4").status_code == 422


def test_a_search_near_the_pole_or_the_date_line_does_not_fail(admin):
    for lat, lon in ((89.9999, 0), (0, 179.9999), (-89.99, -179.99)):
        response = admin.get(f"/api/v1/sites/nearby?lat={lat}&lon={lon}&radius_m=50000")
        assert response.status_code == 200


def test_the_search_is_one_query(admin, ring, sql_log):
    nearby(admin)  # the caller's state is now known to this worker
    with sql_log() as seen:
        assert len(nearby(admin, "radius_m=1000")) == 3
    assert len([s for s, _ in seen if s.startswith("SELECT")]) == 1


def test_the_nearest_win_when_more_sites_than_the_limit_are_in_the_circle(admin, make):
    sites = [make.site(lat=lat, lon=lon, name=f"{m}米")
             for m in range(20, 620, 20) for lat, lon in [point_at(m, bearing=m * 7 % 360)]]
    items = nearby(admin, "radius_m=1000&limit=5")
    assert [item["id"] for item in items] == [str(site.id) for site in sites[:5]]
