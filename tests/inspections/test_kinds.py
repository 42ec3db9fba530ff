"""Kinds with their own rules: remote inspections (非现场检查) through video links, and
licence verification (许可实地核查) before a licence or registration is granted."""

from __future__ import annotations

import pytest

from tests.inspections.factories import body, moved


def test_a_remote_inspection_is_accepted_without_a_location(phone, site, template, url):
    response = phone.put(url, json={**body(site, template, kind="remote"), "location": None})
    assert response.status_code == 201, response.json
    found = response.json
    assert (found["kind"], found["location"], found["distance_m"]) == ("remote", None, None)
    assert (found["location_anomaly"], found["review_status"]) == (False, "none")


def test_a_remote_inspection_from_the_office_is_not_a_location_anomaly(phone, site, template,
                                                                       url):
    lat, lon = moved(site.lat, site.lon, 20_000)
    response = phone.put(url, json=body(site, template, kind="remote", location={
        "lat": lat, "lon": lon, "crs": "wgs84"}))
    assert response.status_code == 201
    assert (response.json["location_anomaly"], response.json["distance_m"]) == (False, None)


def test_an_on_site_inspection_without_a_location_is_still_flagged(phone, site, template, url):
    response = phone.put(url, json={**body(site, template), "location": None})
    assert response.json["location_anomaly"] is True


def test_a_licence_verification_is_checked_on_site(phone, site, template, url):
    lat, lon = moved(site.lat, site.lon, 5_000)
    response = phone.put(url, json=body(site, template, kind="licence_verification",
                                        location={"lat": lat, "lon": lon, "crs": "wgs84"}))
    assert response.status_code == 201
    assert (response.json["kind"], response.json["location_anomaly"]) == (
        "licence_verification", True)


POLICE = {"department": "police", "name": "王强", "certificate_number": "沪公0123456"}
CUSTOMS = {"department": "customs", "name": "李娜", "certificate_number": "海关2026077"}


def test_a_joint_inspection_names_its_two_partner_officers(phone, site, template, url):
    # one body for both requests: body() stamps the times anew on every call
    joint = body(site, template, kind="joint", partner_officers=[POLICE, CUSTOMS])
    response = phone.put(url, json=joint)
    assert response.status_code == 201, response.json
    assert response.json["partner_officers"] == [POLICE, CUSTOMS]
    assert phone.get(url).json["partner_officers"] == [POLICE, CUSTOMS]
    retry = phone.put(url, json=joint)
    assert retry.status_code == 201 and retry.json["version"] == response.json["version"]


def test_a_draft_joint_inspection_can_change_its_partners(phone, site, template, url):
    first = phone.put(url, json=body(site, template, kind="joint", status="draft",
                                     partner_officers=[POLICE, CUSTOMS]))
    assert first.status_code == 201
    second = phone.put(url, json=body(site, template, kind="joint", status="draft",
                                      partner_officers=[CUSTOMS]))
    assert second.status_code == 200, second.json
    assert second.json["partner_officers"] == [CUSTOMS]


@pytest.mark.parametrize(("kind", "partners"), [
    ("joint", []),
    ("routine", [POLICE]),
    ("joint", [{**POLICE, "department": "tax"}]),
    ("joint", [{**POLICE, "name": ""}]),
])
def test_partner_officers_belong_to_joint_inspections(phone, site, template, url, kind,
                                                      partners):
    response = phone.put(url, json=body(site, template, kind=kind, partner_officers=partners))
    assert response.status_code == 422
    assert "partner_officers" in response.json["errors"]["json"]
