"""Checklist templates: seeded per site type, versioned, weights to 100, readable forever."""

from __future__ import annotations

import pytest

from service.auth.models import ADMIN, ANALYST, INSPECTOR
from service.checklists.seed import TEMPLATES, seed_checklists
from service.registry.models import SITE_TYPES
from tests.checklists import factories


@pytest.fixture
def admin(make, as_user):
    return as_user(make.user(role=ADMIN, region_code="310000"))


@pytest.fixture
def reader(make, as_user):
    return as_user(make.user(role=INSPECTOR, region_code="310113"))


def _current(api, site_type):
    response = api.get(f"/api/v1/checklists?site_type={site_type}")
    assert response.status_code == 200, response.json
    [template] = response.json["items"]
    return template


def test_every_site_type_has_a_seeded_checklist_weighted_to_100(reader):
    items = reader.get("/api/v1/checklists?limit=500").json["items"]
    by_type = {template["site_type"]: template for template in items}
    assert set(by_type) == set(SITE_TYPES)
    for template in items:
        assert template["is_current"] is True
        assert sum(item["weight"] for item in template["items"]) == 100
    codes = {item["code"] for item in by_type["express_outlet"]["items"]}
    assert {"real_name", "acceptance_check", "xray_check", "licence_displayed",
            "recycling_device", "packaging_compliance", "user_info_protection",
            "e_tricycle"} <= codes
    assert {"locker_fees", "locker_notification"} <= {
        item["code"] for item in by_type["parcel_locker"]["items"]}
    assert {"signage", "ledger", "reporting_channel"} <= {
        item["code"] for item in by_type["publication_point"]["items"]}


def test_seeding_again_adds_nothing(db):
    assert seed_checklists(db) == 0
    assert len(TEMPLATES) == len(SITE_TYPES)


def test_a_new_version_becomes_current_and_the_old_one_stays_readable(admin, reader):
    old = _current(reader, "parcel_locker")
    response = admin.post("/api/v1/checklists", json=factories.create_body())
    assert response.status_code == 201, response.json
    new = response.json
    assert new["version"] == old["version"] + 1 and new["is_current"] is True
    assert [item["position"] for item in new["items"]] == [0, 1, 2]
    assert _current(reader, "parcel_locker")["id"] == new["id"]
    again = reader.get(f"/api/v1/checklists/{old['id']}")
    assert again.status_code == 200
    assert again.json["is_current"] is False
    assert again.json["items"] == old["items"]
    every = reader.get("/api/v1/checklists?site_type=parcel_locker&all_versions=true").json
    assert [t["version"] for t in every["items"]] == [old["version"], new["version"]]


def test_posting_the_current_content_again_creates_nothing(admin):
    first = admin.post("/api/v1/checklists", json=factories.create_body())
    again = admin.post("/api/v1/checklists", json=factories.create_body())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"]


def test_weights_must_add_up_to_100(admin):
    body = factories.create_body()
    body["items"][0]["weight"] = 39
    response = admin.post("/api/v1/checklists", json=body)
    assert response.status_code == 422
    assert "99" in response.json["errors"]["json"]["items"][0]


@pytest.mark.parametrize("code", ["Real_Name", "real-name", "实名", ""])
def test_item_codes_are_lower_case_letters_and_underscores(admin, code):
    body = factories.create_body()
    body["items"][0]["code"] = code
    response = admin.post("/api/v1/checklists", json=body)
    assert response.status_code == 422
    assert "items" in response.json["errors"]["json"]


def test_item_codes_are_unique(admin):
    body = factories.create_body()
    body["items"][1]["code"] = body["items"][0]["code"]
    response = admin.post("/api/v1/checklists", json=body)
    assert response.status_code == 422
    assert "locker_fees" in response.json["errors"]["json"]["items"][0]


def test_unknown_site_type_is_refused(admin):
    response = admin.post("/api/v1/checklists", json=factories.create_body(site_type="shop"))
    assert response.status_code == 422
    assert "site_type" in response.json["errors"]["json"]


@pytest.mark.parametrize("role", [INSPECTOR, ANALYST])
def test_only_admins_create_versions(make, as_user, role):
    api = as_user(make.user(role=role))
    assert api.post("/api/v1/checklists", json=factories.create_body()).status_code == 403


def test_unknown_template_is_404(reader):
    response = reader.get("/api/v1/checklists/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404


def test_the_template_etag_lets_a_phone_skip_an_unchanged_download(reader):
    template = _current(reader, "express_outlet")
    first = reader.get(f"/api/v1/checklists/{template['id']}")
    again = reader.get(f"/api/v1/checklists/{template['id']}",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
