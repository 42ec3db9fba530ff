"""Admins manage the users of their own jurisdiction."""

from tests.factories import PASSWORD

NEW_INSPECTOR = {
    "username": "bs_new", "password": "a-long-password", "full_name": "王芳",
    "role": "inspector", "region_code": "310113", "certificate_number": "31011399001",
    "certificate_valid_from": "2026-01-01", "certificate_valid_until": "2028-12-31",
}


def test_admin_creates_an_inspector_who_can_log_in(client, make, as_user):
    admin = as_user(make.user(role="admin", region_code="310000"))
    response = admin.post("/api/v1/users", json=NEW_INSPECTOR)
    assert response.status_code == 201
    assert "password" not in response.json and "password_hash" not in response.json
    token = client.post("/api/v1/auth/token",
                        json={"username": "bs_new", "password": "a-long-password"})
    assert token.status_code == 200


def test_inspectors_need_a_certificate(make, as_user):
    admin = as_user(make.user(role="admin"))
    body = {**NEW_INSPECTOR, "certificate_number": None}
    response = admin.post("/api/v1/users", json=body)
    assert response.status_code == 422
    assert "certificate_number" in response.json["errors"]["json"]


def test_certificate_dates_must_be_in_order(make, as_user):
    admin = as_user(make.user(role="admin"))
    body = {**NEW_INSPECTOR, "certificate_valid_until": "2025-01-01"}
    response = admin.post("/api/v1/users", json=body)
    assert "certificate_valid_until" in response.json["errors"]["json"]


def test_usernames_are_unique(make, as_user):
    admin = as_user(make.user(role="admin"))
    taken = make.user(role="analyst")
    response = admin.post("/api/v1/users", json={**NEW_INSPECTOR, "username": taken.username})
    assert response.status_code == 409
    assert "username" in response.json["errors"]["json"]


def test_a_district_admin_cannot_create_users_elsewhere(make, as_user):
    admin = as_user(make.user(role="admin", region_code="310113"))
    for code, reason in (("310106", "outside"), ("999999", "Unknown"), ("31011", "6, 9")):
        response = admin.post("/api/v1/users", json={**NEW_INSPECTOR, "region_code": code})
        assert response.status_code == 422
        assert reason in str(response.json["errors"]["json"]["region_code"])


def test_short_passwords_and_unknown_roles_are_named(make, as_user):
    admin = as_user(make.user(role="admin"))
    response = admin.post("/api/v1/users",
                          json={**NEW_INSPECTOR, "password": "short", "role": "boss"})
    assert {"password", "role"} <= set(response.json["errors"]["json"])


def test_a_city_admin_sees_district_users_but_not_the_other_way(make, as_user):
    city_user = make.user(role="analyst", region_code="310000")
    district_user = make.user(role="analyst", region_code="310113")
    city = as_user(make.user(role="admin", region_code="310000"))
    district = as_user(make.user(role="admin", region_code="310113"))
    assert city.get(f"/api/v1/users/{district_user.id}").status_code == 200
    assert district.get(f"/api/v1/users/{city_user.id}").status_code == 404
    listed = {u["id"] for u in district.get("/api/v1/users?limit=500").json["items"]}
    assert str(district_user.id) in listed and str(city_user.id) not in listed


def test_list_filters_by_role(make, as_user):
    make.user(role="inspector")
    admin = as_user(make.user(role="admin", region_code="310000"))
    roles = {u["role"] for u in admin.get("/api/v1/users?role=inspector&limit=500").json["items"]}
    assert roles == {"inspector"}


def test_role_change_applies_to_the_next_request(make, as_user):
    user = make.user(role="supervisor")
    api = as_user(user)
    admin = as_user(make.user(role="admin"))
    assert api.get("/api/v1/users").status_code == 200
    admin.patch(f"/api/v1/users/{user.id}", json={"role": "analyst"}, headers={"If-Match": "*"})
    assert api.get("/api/v1/users").status_code == 403


def test_update_needs_the_current_etag(make, as_user):
    user = make.user(role="analyst")
    admin = as_user(make.user(role="admin"))
    etag = admin.get(f"/api/v1/users/{user.id}").headers["ETag"]
    first = admin.patch(f"/api/v1/users/{user.id}", json={"full_name": "新名字"},
                        headers={"If-Match": etag})
    assert first.status_code == 200 and first.json["full_name"] == "新名字"
    stale = admin.patch(f"/api/v1/users/{user.id}", json={"full_name": "又改"},
                        headers={"If-Match": etag})
    assert stale.status_code == 412


def test_password_reset_unlocks_the_account(client, make, as_user):
    user = make.user(role="analyst")
    for _ in range(3):
        client.post("/api/v1/auth/token", json={"username": user.username, "password": "bad"})
    assert client.post("/api/v1/auth/token", json={"username": user.username,
                                                   "password": PASSWORD}).status_code == 429
    admin = as_user(make.user(role="admin"))
    admin.patch(f"/api/v1/users/{user.id}", json={"password": "brand-new-password"},
                headers={"If-Match": "*"})
    ok = client.post("/api/v1/auth/token",
                     json={"username": user.username, "password": "brand-new-password"})
    assert ok.status_code == 200
