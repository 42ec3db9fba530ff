"""Supervisors, legal reviewers and admins read an object's history, in their jurisdiction
only: newest first, the object's own entries with its parts' (an inspection's answers)."""

from __future__ import annotations

import uuid

import pytest

from service.common.access import ADMIN, INSPECTOR, LEGAL_REVIEWER, SUPERVISOR
from tests.checklists import factories as checklists
from tests.inspections.factories import body


@pytest.fixture
def submitted(make, db, phone):
    """An inspection of a 宝山区 site, completed from the phone: its id and answer count."""
    site = make.site(region_code="310113", lat=31.40, lon=121.48)
    template = checklists.new_version(db, "express_outlet")
    db.commit()
    inspection_id = uuid.uuid4()
    response = phone.put(f"/api/v1/inspections/{inspection_id}", json=body(site, template))
    assert response.status_code == 201
    return inspection_id, len(template.items)


def _history(api, ref: str, **params):
    return api.get("/api/v1/audit", query_string={"object": ref, **params})


@pytest.mark.parametrize("role", [SUPERVISOR, LEGAL_REVIEWER, ADMIN])
def test_an_inspections_history_shows_it_and_its_answers(role, submitted, make, as_user):
    inspection_id, answers = submitted
    reader = as_user(make.user(role=role, region_code="310113"))
    response = _history(reader, f"inspection:{inspection_id}")
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert [item["id"] for item in items] == sorted((item["id"] for item in items),
                                                    reverse=True)
    own = [item for item in items if item["object_type"] == "inspection"]
    assert [item["action"] for item in own] == ["create"]
    assert own[0]["changes"]["status"] == {"new": "completed"}
    assert own[0]["actor"]["role"] == INSPECTOR
    parts = [item for item in items if item["object_type"] == "inspection_answer"]
    assert len(parts) == answers
    assert {item["parent_id"] for item in parts} == {str(inspection_id)}


def test_pages_follow_each_other_without_overlap(submitted, supervisor):
    inspection_id, answers = submitted
    ref = f"inspection:{inspection_id}"
    first = _history(supervisor, ref, limit=2).json
    second = _history(supervisor, ref, limit=500, cursor=first["next_cursor"]).json
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == answers + 1
    assert ids == sorted(ids, reverse=True)


def test_the_upper_bureau_reads_it_another_bureau_gets_404(submitted, make, as_user):
    inspection_id, _ = submitted
    city = as_user(make.user(role=SUPERVISOR, region_code="310000"))
    suzhou = as_user(make.user(role=SUPERVISOR, region_code="320505"))
    assert _history(city, f"inspection:{inspection_id}").status_code == 200
    assert _history(suzhou, f"inspection:{inspection_id}").status_code == 404


def test_unknown_objects_answer_404_and_malformed_ones_422(supervisor):
    assert _history(supervisor, f"inspection:{uuid.uuid4()}").status_code == 404
    response = _history(supervisor, "inspection")
    assert response.status_code == 422
    assert "object" in response.json["errors"]["query"]


def test_inspectors_may_not_read_histories(submitted, phone):
    inspection_id, _ = submitted
    assert _history(phone, f"inspection:{inspection_id}").status_code == 403


def test_a_user_moved_away_leaves_the_old_bureaus_view(make, as_user, db):
    admin = as_user(make.user(role=ADMIN, region_code="310000"))
    moved = make.user(role="analyst", region_code="310113")
    db.commit()
    assert admin.patch(f"/api/v1/users/{moved.id}", json={"region_code": "310112"},
                       headers={"If-Match": "*"}).status_code == 200
    baoshan = as_user(make.user(role=SUPERVISOR, region_code="310113"))
    minhang = as_user(make.user(role=SUPERVISOR, region_code="310112"))
    assert _history(baoshan, f"user:{moved.id}").status_code == 404
    history = _history(minhang, f"user:{moved.id}").json["items"]
    assert history[0]["changes"]["region_code"] == {"old": "310113", "new": "310112"}


def test_national_reference_data_is_everyones(make, db, as_user):
    template = checklists.new_version(db, "parcel_locker")
    db.commit()
    suzhou = as_user(make.user(role=SUPERVISOR, region_code="320505"))
    response = _history(suzhou, f"checklist_template:{template.id}")
    assert response.status_code == 200
    assert {item["object_type"] for item in response.json["items"]} == {
        "checklist_template", "checklist_item"}
