"""Sites: each type's rules, coordinates stored as WGS-84, closing without deleting."""

from __future__ import annotations

import uuid
from datetime import date

import prcoords
import pytest
from sqlalchemy import func, select

from service.registry.models import Site
from tests.checklists import factories as checklists
from tests.inspections.factories import body as inspection_body
from tests.registry.conftest import errors_of, site_body


def test_an_admin_adds_a_site_answered_in_wgs84(admin):
    response = admin.post("/api/v1/sites", json=site_body(code="BS-0001"))
    assert response.status_code == 201, response.json
    site = response.json
    assert site["location"] == {"lat": 31.4056, "lon": 121.4896, "crs": "wgs84"}
    assert (site["status"], site["urban"], site["code"]) == ("active", True, "BS-0001")


def test_gcj02_coordinates_are_stored_as_wgs84(admin, db):
    gcj = (31.4036, 121.4938)  # as 高德 shows the spot
    response = admin.post("/api/v1/sites", json=site_body(
        location={"lat": gcj[0], "lon": gcj[1], "crs": "gcj02"}))
    expected = prcoords.gcj_wgs_bored(gcj)
    stored = db.get(Site, uuid.UUID(response.json["id"]))
    assert stored.lat == pytest.approx(expected.lat, abs=1e-7)
    assert stored.lon == pytest.approx(expected.lon, abs=1e-7)
    assert abs(stored.lon - gcj[1]) > 0.003  # the datum shift was applied, ~400 m here
    assert response.json["location"]["crs"] == "wgs84"


def test_urban_defaults_to_the_regions_flag(admin, make):
    town = make.region("310113101", "罗泾镇", urban=False)
    response = admin.post("/api/v1/sites", json=site_body(region_code=town.code))
    assert response.json["urban"] is False
    explicit = admin.post("/api/v1/sites", json=site_body(region_code=town.code, urban=True))
    assert explicit.json["urban"] is True


POSTAL_FIELDS = {"site_type": "postal_outlet", "outlet_operator": "agency",
                 "outlet_location": "urban", "postal_only": False, "enterprise_id": None}
POSTAL = {"site_type": "postal_outlet", "outlet_operator": "agency", "outlet_location": "urban"}


@pytest.mark.parametrize(("fields", "named"), [
    ({"site_type": "postal_outlet", "outlet_location": "urban"}, "outlet_operator"),
    ({"site_type": "postal_outlet", "outlet_operator": "agency"}, "outlet_location"),
    ({**POSTAL, "outlet_operator": "village_station"}, "outlet_operator"),
    ({"site_type": "express_outlet", "outlet_operator": "self_run"}, "outlet_operator"),
    ({"site_type": "express_outlet", "postal_only": True}, "postal_only"),
    ({"site_type": "express_terminal"}, "registration_status"),
    ({"site_type": "express_terminal", "registration_number": "沪宝备1"}, "registered_on"),
    ({"site_type": "express_terminal", "registration_status": "registered",
      "registered_on": "2024-01-02"}, "registration_number"),
    ({"site_type": "express_terminal", "registration_status": "unregistered",
      "registration_number": "沪宝备1"}, "registration_number"),
    ({"site_type": "express_terminal", "registration_status": "deregistered"},
     "deregistered_on"),
    ({"site_type": "express_outlet", "registration_number": "沪宝备1"}, "registration_number"),
    ({"site_type": "parcel_locker", "cell_count": 48, "green_since": "2024-01-01"},
     "green_since"),
    ({"site_type": "parcel_locker"}, "cell_count"),
    ({"site_type": "parcel_locker", "cell_count": 0}, "cell_count"),
    ({"site_type": "publication_point"}, "host_site_id"),
    ({"site_type": "warehouse"}, "site_type"),
    ({"region_code": "3101"}, "region_code"),
    ({"region_code": "999999"}, "region_code"),
    ({"region_code": "310106"}, "region_code"),
    ({"opened_on": "2024-01-01", "closed_on": "2023-12-31"}, "closed_on"),
    ({"status": "closed"}, "closed_on"),
    ({"location": {"lat": 95, "lon": 121.4, "crs": "wgs84"}}, "location"),
    ({"location": {"lat": 31.4, "lon": 121.4, "crs": "utm"}}, "location"),
])
def test_each_rule_is_a_422_naming_its_field(admin, fields, named):
    response = admin.post("/api/v1/sites", json=site_body(**fields))
    assert response.status_code == 422, response.json
    assert named in errors_of(response)


def test_each_type_is_accepted_with_what_it_needs(admin, make):
    host = make.site(site_type="postal_outlet", outlet_operator="self_run",
                     outlet_location="urban", postal_only=False, enterprise_id=None)
    for fields in ({"site_type": "postal_outlet", "outlet_operator": "agency",
                    "outlet_location": "village", "postal_only": True},
                   {"site_type": "express_terminal", "registration_number": "沪宝备2024001",
                    "registered_on": "2024-03-01"},
                   {"site_type": "express_terminal", "registration_status": "unregistered"},
                   {"site_type": "express_terminal", "registration_status": "deregistered",
                    "registration_number": "沪宝备2020001", "registered_on": "2020-03-01",
                    "deregistered_on": "2025-01-01"},
                   {"site_type": "express_outlet", "green_since": "2023-06-01"},
                   {"site_type": "parcel_locker", "cell_count": 48},
                   {"site_type": "sorting_center"},
                   {"site_type": "publication_point", "host_site_id": str(host.id)}):
        response = admin.post("/api/v1/sites", json=site_body(**fields))
        assert response.status_code == 201, (fields, response.json)


def test_a_publication_point_is_hosted_by_an_outlet_of_your_jurisdiction(admin, make):
    terminal = make.site(site_type="express_terminal", registration_status="unregistered")
    elsewhere = make.site(region_code="320505", **POSTAL_FIELDS)
    for host in (terminal, elsewhere):
        response = admin.post("/api/v1/sites", json=site_body(
            site_type="publication_point", host_site_id=str(host.id)))
        assert response.status_code == 422
        assert "host_site_id" in errors_of(response)


def test_a_work_point_is_at_a_postal_outlet_and_a_workstation_at_a_major_brand(admin, make):
    post = make.site(**POSTAL_FIELDS)
    center = make.site(site_type="sorting_center")  # the factory's enterprises are major
    minor = make.site(enterprise_id=make.enterprise(is_major_brand=False).id)
    point = {"site_type": "publication_point"}
    cases = [({"host_site_id": str(post.id)}, 201, "work_point"),
             ({"host_site_id": str(center.id)}, 201, "workstation"),
             ({"host_site_id": str(post.id), "publication_kind": "workstation"}, 422, None),
             ({"host_site_id": str(center.id), "publication_kind": "work_point"}, 422, None),
             ({"host_site_id": str(minor.id), "publication_kind": "workstation"}, 422, None)]
    for fields, status, kind in cases:
        response = admin.post("/api/v1/sites", json=site_body(**point, **fields))
        assert response.status_code == status, (fields, response.json)
        if status == 201:
            assert response.json["publication_kind"] == kind
        else:
            assert "host_site_id" in errors_of(response)


def test_the_enterprise_must_be_one_you_can_see(admin, make):
    suzhou = make.enterprise(region_code="320500")
    city = make.enterprise(region_code="310000")
    refused = admin.post("/api/v1/sites", json=site_body(enterprise_id=str(suzhou.id)))
    assert refused.status_code == 422 and "enterprise_id" in errors_of(refused)
    accepted = admin.post("/api/v1/sites", json=site_body(enterprise_id=str(city.id)))
    assert accepted.status_code == 201


def test_a_bureau_code_is_used_once(admin, make):
    make.site(code="BS-0099")
    response = admin.post("/api/v1/sites", json=site_body(code="BS-0099"))
    assert response.status_code == 409
    assert "code" in errors_of(response)


def test_a_retried_create_answers_the_same_and_stores_one_site(admin, db):
    sent = site_body(id=str(uuid.uuid4()),
                     location={"lat": 31.4036, "lon": 121.4938, "crs": "gcj02"})
    first, again = admin.post("/api/v1/sites", json=sent), admin.post("/api/v1/sites", json=sent)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json == again.json
    count = db.scalar(select(func.count()).select_from(Site).where(
        Site.id == uuid.UUID(sent["id"])))
    assert count == 1
    changed = admin.post("/api/v1/sites", json={**sent, "address": "别的地址"})
    assert changed.status_code == 409 and "id" in errors_of(changed)


def test_updates_need_the_current_etag(admin, make):
    site = make.site()
    url = f"/api/v1/sites/{site.id}"
    etag = admin.get(url).headers["ETag"]
    assert admin.patch(url, json={"status": "suspended"}).status_code == 428
    suspended = admin.patch(url, json={"status": "suspended"}, headers={"If-Match": etag})
    assert suspended.status_code == 200 and suspended.json["status"] == "suspended"
    stale = admin.patch(url, json={"status": "active"}, headers={"If-Match": etag})
    assert stale.status_code == 412


def test_a_patch_cannot_close_and_keeps_the_type_rules(admin, make):
    site = make.site()
    url = f"/api/v1/sites/{site.id}"
    closing = admin.patch(url, json={"status": "closed"}, headers={"If-Match": "*"})
    assert closing.status_code == 422 and "status" in errors_of(closing)
    retyped = admin.patch(url, json={"site_type": "parcel_locker"}, headers={"If-Match": "*"})
    assert retyped.status_code == 422 and "cell_count" in errors_of(retyped)
    moved = admin.patch(url, json={"location": {"lat": 31.4036, "lon": 121.4938,
                                                "crs": "gcj02"}}, headers={"If-Match": "*"})
    assert moved.status_code == 200
    assert moved.json["location"]["lat"] == pytest.approx(
        prcoords.gcj_wgs_bored((31.4036, 121.4938)).lat)


def test_closing_keeps_the_site_listed_as_closed(admin, make, db):
    site = make.site(name="将关闭的网点")
    response = admin.post(f"/api/v1/sites/{site.id}/close",
                          json={"closed_on": "2026-03-31", "reason": "经营者申请注销"})
    assert response.status_code == 200
    assert (response.json["status"], response.json["closed_on"]) == ("closed", "2026-03-31")
    closed = admin.get("/api/v1/sites?status=closed&limit=500").json["items"]
    assert str(site.id) in {s["id"] for s in closed}
    assert db.get(Site, site.id) is not None


def test_closing_again_with_the_same_day_is_harmless_and_another_day_conflicts(admin, make):
    site = make.site()
    url = f"/api/v1/sites/{site.id}/close"
    first = admin.post(url, json={"closed_on": "2026-03-31", "reason": "注销"})
    again = admin.post(url, json={"closed_on": "2026-03-31", "reason": "注销"})
    assert (again.status_code, again.json) == (200, first.json)
    other_day = admin.post(url, json={"closed_on": "2026-04-01", "reason": "注销"})
    assert other_day.status_code == 409
    reopen = admin.patch(f"/api/v1/sites/{site.id}", json={"status": "active"},
                         headers={"If-Match": "*"})
    assert reopen.status_code == 409


def test_a_site_cannot_close_before_it_opened(admin, make):
    site = make.site(opened_on=date(2024, 5, 1))
    response = admin.post(f"/api/v1/sites/{site.id}/close",
                          json={"closed_on": "2024-04-30", "reason": "录入错误"})
    assert response.status_code == 422 and "closed_on" in errors_of(response)


def test_active_on_counts_opening_day_and_excludes_the_closing_day(admin, make):
    kept = make.site(opened_on=date(2020, 1, 1), status="suspended")
    closing = make.site(opened_on=date(2020, 1, 1), status="closed",
                        closed_on=date(2023, 6, 30))
    later = make.site(opened_on=date(2023, 6, 30))

    def active(day):
        items = admin.get(f"/api/v1/sites?active_on={day}&limit=500").json["items"]
        return {s["id"] for s in items} & {str(kept.id), str(closing.id), str(later.id)}

    assert active("2023-06-29") == {str(kept.id), str(closing.id)}
    assert active("2023-06-30") == {str(kept.id), str(later.id)}


def test_pages_list_every_site_once(admin, make):
    made = {str(make.site(name=f"网点{i % 3}").id) for i in range(8)}
    seen, cursor = [], None
    while True:
        page = admin.get("/api/v1/sites?limit=3" + (f"&cursor={cursor}" if cursor else "")).json
        seen += [s["id"] for s in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert len(seen) == len(set(seen)) and made <= set(seen)


def test_the_list_filters(admin, make):
    enterprise = make.enterprise(region_code="310113")
    town = make.region("310113102", "月浦镇", urban=False)
    locker = make.site(site_type="parcel_locker", cell_count=24, enterprise_id=enterprise.id,
                       region_code=town.code, urban=False, name="丰巢柜月浦", address="月浦路1号")
    make.site(name="中通友谊路")

    def ids(query):
        return {s["id"] for s in admin.get(f"/api/v1/sites?limit=500&{query}").json["items"]}

    for query in ("site_type=parcel_locker", f"enterprise_id={enterprise.id}", "urban=false",
                  f"region_code={town.code}", "q=丰巢", "q=月浦路"):
        assert ids(query) == {str(locker.id)}, query


def test_other_jurisdictions_answer_404(admin, make):
    elsewhere = make.site(region_code="320505")
    sibling = make.site(region_code="310106")
    for site in (elsewhere, sibling):
        assert admin.get(f"/api/v1/sites/{site.id}").status_code == 404
        assert admin.patch(f"/api/v1/sites/{site.id}", json={"name": "x"},
                           headers={"If-Match": "*"}).status_code == 404
        assert admin.post(f"/api/v1/sites/{site.id}/close",
                          json={"closed_on": "2026-01-01", "reason": "x"}).status_code == 404
    assert admin.get("/api/v1/sites?region_code=310106").status_code == 404
    listed = {s["id"] for s in admin.get("/api/v1/sites?limit=500").json["items"]}
    assert not {str(elsewhere.id), str(sibling.id)} & listed


def test_a_city_sees_its_districts_sites(make, as_user):
    site = make.site(region_code="310106")
    city = as_user(make.user(role="inspector", region_code="310000"))
    assert city.get(f"/api/v1/sites/{site.id}").status_code == 200
    assert str(site.id) in {s["id"] for s in city.get(
        "/api/v1/sites?region_code=310106&limit=500").json["items"]}


def test_an_unregistered_terminal_is_recorded_from_the_field(make, as_user, db):
    phone = as_user(make.user(role="inspector", region_code="310113"))
    body = {"id": "2b0c4a1e-8f3d-4c6b-9a7e-5d1f0e2c3b4a", "name": "无名快递代收点",
            "address": "上海市宝山区友谊路88号", "region_code": "310113",
            "location": {"lat": 31.4051, "lon": 121.4902, "crs": "gcj02"},
            "found_on": "2026-03-02"}
    response = phone.post("/api/v1/sites/unregistered-terminals", json=body)
    assert response.status_code == 201, response.json
    site = response.json
    assert (site["site_type"], site["registration_status"], site["registration_number"],
            site["opened_on"], site["status"]) == (
        "express_terminal", "unregistered", None, "2026-03-02", "active")
    again = phone.post("/api/v1/sites/unregistered-terminals", json=body)
    assert again.status_code == 201 and again.json["id"] == site["id"]
    listed = phone.get("/api/v1/sites?site_type=express_terminal&limit=500").json["items"]
    assert site["id"] in [item["id"] for item in listed]
    # the point of recording it: it can be inspected at once, serving the clean-up
    template = checklists.current(db, "express_terminal")
    found = db.get(Site, uuid.UUID(site["id"]))
    inspection = phone.put(f"/api/v1/inspections/{uuid.uuid4()}", json=inspection_body(
        found, template, kind="special", inspector_ids=[str(make.user(
            role="inspector", region_code="310113").id)]))
    assert inspection.status_code == 201, inspection.json


def test_a_field_report_outside_your_jurisdiction_is_refused(make, as_user):
    phone = as_user(make.user(role="inspector", region_code="310113"))
    response = phone.post("/api/v1/sites/unregistered-terminals", json={
        "name": "静安驿站", "address": "静安路1号", "region_code": "310106",
        "location": {"lat": 31.23, "lon": 121.44, "crs": "wgs84"}, "found_on": "2026-03-02"})
    assert response.status_code == 422 and "region_code" in errors_of(response)


def test_a_registered_terminal_can_be_deregistered(admin, make):
    terminal = admin.post("/api/v1/sites", json=site_body(
        site_type="express_terminal", registration_number="沪宝备2021009",
        registered_on="2021-07-01")).json
    assert terminal["registration_status"] == "registered"
    url = f"/api/v1/sites/{terminal['id']}"
    early = admin.patch(url, json={"registration_status": "deregistered",
                                   "deregistered_on": "2020-01-01"}, headers={"If-Match": "*"})
    assert early.status_code == 422 and "deregistered_on" in errors_of(early)
    done = admin.patch(url, json={"registration_status": "deregistered",
                                  "deregistered_on": "2025-12-31"}, headers={"If-Match": "*"})
    assert done.status_code == 200, done.json
    assert (done.json["registration_status"], done.json["registration_number"]) == (
        "deregistered", "沪宝备2021009")
