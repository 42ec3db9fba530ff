"""Supervisors review inspections flagged for location (or photos) in their jurisdiction."""

from __future__ import annotations

import uuid

import pytest

from service.auth.models import SUPERVISOR
from tests.inspections.factories import body, moved

FLAGGED = "/api/v1/inspections/flagged"


@pytest.fixture
def far(site):
    lat, lon = moved(site.lat, site.lon, 900)
    return {"lat": lat, "lon": lon, "crs": "wgs84", "accuracy_m": 20}


@pytest.fixture
def flagged(phone, site, template, url, far):
    response = phone.put(url, json=body(site, template, location=far))
    assert response.json["location_anomaly"] is True
    return response.json


def _ids(api, query=""):
    response = api.get(f"{FLAGGED}{query}")
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_flagged_inspections_wait_for_review(supervisor, flagged, phone, site, template):
    fine = phone.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body(site, template)).json
    pending = supervisor.get(FLAGGED).json["items"]
    assert [item["id"] for item in pending] == [flagged["id"]]
    assert pending[0]["review_status"] == "pending" and pending[0]["photo_anomaly"] is False
    assert fine["id"] not in _ids(supervisor, "?review_status=all")


def test_a_draft_far_away_is_not_flagged_yet(supervisor, phone, site, template, url, far):
    phone.put(url, json=body(site, template, status="draft", location=far))
    assert _ids(supervisor) == []


@pytest.mark.parametrize(("decision", "status"), [("accept", "accepted"),
                                                  ("reject", "rejected")])
def test_a_supervisor_accepts_or_rejects_with_a_note(supervisor, flagged, url, decision,
                                                     status):
    response = supervisor.post(f"{url}/review", json={"decision": decision,
                                                      "note": "照片显示在地下分拨场所"})
    assert response.status_code == 200, response.json
    assert response.json["review_status"] == status
    assert response.json["review_note"] == "照片显示在地下分拨场所"
    assert response.json["reviewed_by_id"] and response.json["reviewed_at"]
    assert _ids(supervisor) == []
    assert _ids(supervisor, f"?review_status={status}") == [flagged["id"]]


def test_a_review_is_safe_to_retry_but_not_to_change(supervisor, flagged, url):
    decision = {"decision": "accept", "note": "信号漂移"}
    first = supervisor.post(f"{url}/review", json=decision)
    again = supervisor.post(f"{url}/review", json=decision)
    changed = supervisor.post(f"{url}/review", json={"decision": "reject", "note": "不在现场"})
    assert (first.status_code, again.status_code, changed.status_code) == (200, 200, 409)
    # new evidence could reopen it, but that is the service's move, not the supervisor's
    assert changed.json["errors"]["state"] == {"current": "accepted", "allowed": []}
    assert "Cannot reject this review: it is accepted" in changed.json["message"]


def test_an_unflagged_inspection_has_nothing_to_review(supervisor, phone, site, template, url):
    phone.put(url, json=body(site, template))
    response = supervisor.post(f"{url}/review", json={"decision": "accept", "note": "ok"})
    assert response.status_code == 409


def test_a_note_is_required(supervisor, flagged, url):
    response = supervisor.post(f"{url}/review", json={"decision": "reject"})
    assert response.status_code == 422 and "note" in response.json["errors"]["json"]


def test_another_jurisdiction_neither_sees_nor_reviews_it(make, as_user, flagged, url):
    suzhou = as_user(make.user(role=SUPERVISOR, region_code="320505"))
    assert flagged["id"] not in _ids(suzhou, "?review_status=all")
    response = suzhou.post(f"{url}/review", json={"decision": "accept", "note": "x"})
    assert response.status_code == 404


def test_a_city_supervisor_sees_the_districts_flags(make, as_user, flagged):
    shanghai = as_user(make.user(role=SUPERVISOR, region_code="310000"))
    assert _ids(shanghai) == [flagged["id"]]


def test_inspectors_do_not_review(phone, flagged, url):
    assert phone.get(FLAGGED).status_code == 403
    response = phone.post(f"{url}/review", json={"decision": "accept", "note": "x"})
    assert response.status_code == 403


def test_the_inspection_list_filters_flagged_ones(phone, flagged, site):
    flagged_ids = [i["id"] for i in phone.get(
        f"/api/v1/inspections?site_id={site.id}&flagged=true").json["items"]]
    other_ids = [i["id"] for i in phone.get(
        f"/api/v1/inspections?site_id={site.id}&flagged=false").json["items"]]
    assert flagged_ids == [flagged["id"]] and other_ids == []


def test_a_photo_flagged_by_the_evidence_checks_brings_the_inspection_to_review(
        supervisor, phone, site, template, url, db, inspector):
    evidence = pytest.importorskip("service.evidence.models")
    inspection = phone.put(url, json=body(site, template)).json
    assert inspection["location_anomaly"] is False
    photo_id = uuid.uuid4()
    db.add(evidence.Photo(
        id=photo_id, inspection_id=uuid.UUID(inspection["id"]), region_code="310113",
        object_key=f"photos/310113/{inspection['id']}/{photo_id}.jpg",
        content_type="image/jpeg", declared_sha256="0" * 64, size_bytes=1000,
        status="complete", time_anomaly=True, has_anomaly=True, uploaded_by_id=inspector.id))
    db.flush()
    [pending] = supervisor.get(FLAGGED).json["items"]
    assert pending["id"] == inspection["id"] and pending["photo_anomaly"] is True
    response = supervisor.post(f"{url}/review", json={"decision": "reject",
                                                      "note": "照片拍摄时间不在检查时段内"})
    assert response.status_code == 200 and response.json["review_status"] == "rejected"
