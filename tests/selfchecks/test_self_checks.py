"""Enterprise self-checks (企业自查): recorded against the same checklists, scored the same
way, and never counted as the bureau's own inspections."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.assignments.models import Task
from service.common.chinatime import china_today
from service.inspections.models import Inspection
from tests.assignments import factories as tasks
from tests.selfchecks.factories import body


@pytest.fixture
def recorder(supervisor):
    """A supervisor of 宝山区 who types in the enterprises' reports."""
    return supervisor


def test_a_self_check_is_scored_like_an_inspection(recorder, make, db):
    site = make.site(region_code="310113")
    response = recorder.post("/api/v1/self-checks", json=body(db, site, fail="real_name"))
    assert response.status_code == 201, response.json
    check = response.json
    assert (check["site_id"], check["enterprise_id"]) == (str(site.id), str(site.enterprise_id))
    assert check["source"] == "recorded" and 0 < check["score"] < 100
    assert recorder.get(f"/api/v1/self-checks/{check['id']}").json["score"] == check["score"]


def test_a_self_check_never_counts_as_an_inspection(recorder, make, db, as_user):
    site = make.site(region_code="310113")
    inspector = make.user(region_code="310113")
    task = tasks.task(db, site=site, assignees=[inspector])
    before = db.scalar(select(func.count()).select_from(Inspection))
    assert recorder.post("/api/v1/self-checks", json=body(db, site)).status_code == 201
    assert db.scalar(select(func.count()).select_from(Inspection)) == before
    listed = recorder.get(f"/api/v1/inspections?site_id={site.id}").json["items"]
    assert listed == []
    assert db.get(Task, task.id).status == "open"  # the task still waits for the bureau


def test_a_retried_recording_answers_the_same(recorder, make, db):
    site = make.site(region_code="310113")
    payload = body(db, site, id=str(uuid.uuid4()))
    first, again = (recorder.post("/api/v1/self-checks", json=payload) for _ in range(2))
    assert first.status_code == again.status_code == 201
    assert first.json["id"] == again.json["id"]
    other = recorder.post("/api/v1/self-checks", json={**payload, "note": "补充说明"})
    assert other.status_code == 409


@pytest.mark.parametrize(("change", "field"), [
    (lambda b: {**b, "answers": b["answers"][1:]}, "answers"),
    (lambda b: {**b, "answers": [*b["answers"], {"item_code": "nope", "answer": "pass"}]},
     "answers"),
    (lambda b: {**b, "checked_on": (china_today() + timedelta(days=2)).isoformat()},
     "checked_on"),
    (lambda b: {**b, "template_id": str(uuid.uuid4())}, "template_id"),
])
def test_a_self_check_answers_the_whole_checklist(recorder, make, db, change, field):
    site = make.site(region_code="310113")
    response = recorder.post("/api/v1/self-checks", json=change(body(db, site)))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]


def test_another_districts_site_is_not_yours_to_record(recorder, make, db):
    site = make.site(region_code="310106")
    assert recorder.post("/api/v1/self-checks", json=body(db, site)).status_code == 404


def test_self_checks_are_listed_by_site_and_date(recorder, make, db):
    site, other = make.site(region_code="310113"), make.site(region_code="310113")
    march = recorder.post("/api/v1/self-checks", json=body(db, site)).json
    recorder.post("/api/v1/self-checks", json=body(db, site, checked_on="2026-01-05"))
    recorder.post("/api/v1/self-checks", json=body(db, other))
    listed = recorder.get(f"/api/v1/self-checks?site_id={site.id}&checked_from=2026-03-01")
    assert [item["id"] for item in listed.json["items"]] == [march["id"]]
