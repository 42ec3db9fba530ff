"""Tasks: supervisors assign, phones list theirs, a matching inspection completes them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from service.auth.models import ANALYST
from tests.assignments import factories
from tests.checklists import factories as checklists
from tests.inspections.factories import body


@pytest.fixture
def site(make):
    return make.site(region_code="310113", name="顺丰宝山友谊路营业部", address="友谊路1号")


@pytest.fixture
def template(db):
    return checklists.new_version(db, "express_outlet")


def _due(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def _inspect(phone, site, template, **overrides):
    response = phone.put(f"/api/v1/inspections/{uuid.uuid4()}",
                         json=body(site, template, **overrides))
    assert response.status_code == 201, response.json
    return response.json


def test_a_supervisor_assigns_and_the_phone_lists_it_with_the_site(supervisor, phone, site,
                                                                   inspector, make):
    later = make.site(region_code="310113")
    for target, days in ((later, 20), (site, 5)):
        response = supervisor.post("/api/v1/tasks", json={
            "site_id": str(target.id), "assignee_ids": [str(inspector.id)],
            "kind": "special", "due_on": _due(days), "note": "寄递渠道安全专项检查"})
        assert response.status_code == 201, response.json
    mine = phone.get("/api/v1/me/tasks").json["items"]
    assert [task["site"]["id"] for task in mine] == [str(site.id), str(later.id)]
    first = mine[0]
    assert first["site"]["name"] == "顺丰宝山友谊路营业部"
    assert first["site"]["address"] == "友谊路1号"
    assert first["site"]["location"] == {"lat": site.lat, "lon": site.lon, "crs": "wgs84"}
    assert first["due_on"] == _due(5) and first["kind"] == "special"
    assert first["status"] == "open" and first["source"] == "manual"


def test_a_retried_assignment_creates_one_task(supervisor, phone, site, inspector, make):
    body = {"id": str(uuid.uuid4()), "site_id": str(site.id),
            "assignee_ids": [str(inspector.id)], "due_on": _due(5)}
    first = supervisor.post("/api/v1/tasks", json=body)
    again = supervisor.post("/api/v1/tasks", json=body)
    assert first.status_code == again.status_code == 201
    assert first.json["id"] == again.json["id"] == body["id"]
    assert len(phone.get("/api/v1/me/tasks").json["items"]) == 1
    other = make.user(region_code="310113")
    changed = supervisor.post("/api/v1/tasks", json={**body, "assignee_ids": [str(other.id)]})
    assert changed.status_code == 409 and "id" in changed.json["errors"]["json"]


def test_other_inspectors_tasks_are_not_mine(phone, make, site):
    factories.task(make.db, site=site, assignees=[make.user(region_code="310113")])
    assert phone.get("/api/v1/me/tasks").json["items"] == []


def test_a_matching_inspection_completes_the_task(phone, site, template, inspector, db):
    task = factories.task(db, site=site, assignees=[inspector], kind="routine")
    inspection = _inspect(phone, site, template)
    done = phone.get(f"/api/v1/tasks/{task.id}").json
    assert done["status"] == "done"
    assert done["completed_by_inspection_id"] == inspection["id"]
    assert done["completed_at"] == inspection["completed_at"]
    assert done["version"] == 2
    assert phone.get("/api/v1/me/tasks").json["items"] == []
    assert [t["id"] for t in phone.get("/api/v1/me/tasks?status=done").json["items"]] == [
        str(task.id)]


def test_a_co_inspector_s_task_is_completed_too(phone, make, site, template, db):
    colleague = make.user(region_code="310113")
    task = factories.task(db, site=site, assignees=[colleague], kind="double_random",
                          source="plan")
    _inspect(phone, site, template, kind="double_random", inspector_ids=[str(colleague.id)])
    assert phone.get(f"/api/v1/tasks/{task.id}").json["status"] == "done"


@pytest.mark.parametrize("case", ["other kind", "other site", "not assigned", "draft"])
def test_an_inspection_that_does_not_match_leaves_the_task_open(phone, make, site, template,
                                                                inspector, db, case):
    assignee = make.user(region_code="310113") if case == "not assigned" else inspector
    task = factories.task(db, site=site, assignees=[assignee], kind="routine")
    target = make.site(region_code="310113") if case == "other site" else site
    overrides = {"kind": "special"} if case == "other kind" else {}
    if case == "draft":
        overrides = {"status": "draft"}
    _inspect(phone, target, template, **overrides)
    assert phone.get(f"/api/v1/tasks/{task.id}").json["status"] == "open"


def test_voiding_the_inspection_reopens_its_task(phone, supervisor, site, template, inspector,
                                                 db):
    task = factories.task(db, site=site, assignees=[inspector])
    inspection = _inspect(phone, site, template)
    supervisor.post(f"/api/v1/inspections/{inspection['id']}/void", json={"reason": "重复"})
    reopened = phone.get(f"/api/v1/tasks/{task.id}").json
    assert reopened["status"] == "open" and reopened["completed_by_inspection_id"] is None


def test_a_cancelled_task_is_kept_and_not_completed_later(supervisor, phone, site, template,
                                                          inspector, db):
    task = factories.task(db, site=site, assignees=[inspector])
    url = f"/api/v1/tasks/{task.id}/cancel"
    first = supervisor.post(url, json={"reason": "网点已停业"})
    again = supervisor.post(url, json={"reason": "网点已停业"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json["status"] == "cancelled" and first.json["cancel_reason"] == "网点已停业"
    _inspect(phone, site, template)
    assert phone.get(f"/api/v1/tasks/{task.id}").json["status"] == "cancelled"


def test_a_done_task_cannot_be_cancelled(supervisor, phone, site, template, inspector, db):
    task = factories.task(db, site=site, assignees=[inspector])
    _inspect(phone, site, template)
    response = supervisor.post(f"/api/v1/tasks/{task.id}/cancel", json={"reason": "x"})
    assert response.status_code == 409
    # a void of its inspection would reopen it, but that is no supervisor's move
    assert response.json["errors"]["state"] == {"current": "done", "allowed": []}
    assert "nothing you may do" in response.json["message"]


@pytest.mark.parametrize(("change", "field"), [
    ({"due_on": "2020-01-01"}, "due_on"),
    ({"kind": "casual"}, "kind"),
    ({"assignee_ids": []}, "assignee_ids"),
])
def test_bad_assignments_are_refused_naming_the_field(supervisor, site, inspector, change,
                                                      field):
    sent = {"site_id": str(site.id), "assignee_ids": [str(inspector.id)], "due_on": _due(3),
            **change}
    response = supervisor.post("/api/v1/tasks", json=sent)
    assert response.status_code == 422 and field in response.json["errors"]["json"]


@pytest.mark.parametrize("who", ["other jurisdiction", "analyst"])
def test_assignees_are_inspectors_of_the_jurisdiction(supervisor, make, site, who):
    user = (make.user(region_code="320505") if who == "other jurisdiction"
            else make.user(role=ANALYST, region_code="310113"))
    response = supervisor.post("/api/v1/tasks", json={
        "site_id": str(site.id), "assignee_ids": [str(user.id)], "due_on": _due(3)})
    assert response.status_code == 422
    assert str(user.id) in response.json["errors"]["json"]["assignee_ids"][0]


def test_a_site_of_another_jurisdiction_is_404(supervisor, make, inspector):
    suzhou = make.site(region_code="320505")
    response = supervisor.post("/api/v1/tasks", json={
        "site_id": str(suzhou.id), "assignee_ids": [str(inspector.id)], "due_on": _due(3)})
    assert response.status_code == 404


def test_a_closed_site_gets_no_task(supervisor, make, inspector):
    closed = make.site(region_code="310113", status="closed", closed_on=date(2025, 6, 30))
    response = supervisor.post("/api/v1/tasks", json={
        "site_id": str(closed.id), "assignee_ids": [str(inspector.id)], "due_on": _due(3)})
    assert response.status_code == 422 and "site_id" in response.json["errors"]["json"]


def test_the_list_filters_and_stays_in_the_jurisdiction(supervisor, make, site, inspector, db):
    mine = factories.task(db, site=site, assignees=[inspector], kind="special")
    factories.task(db, site=site, assignees=[inspector], kind="routine")
    suzhou = factories.task(db, site=make.site(region_code="320505"),
                            assignees=[make.user(region_code="320505")], kind="special")
    listed = supervisor.get(f"/api/v1/tasks?kind=special&assignee_id={inspector.id}").json
    assert [t["id"] for t in listed["items"]] == [str(mine.id)]
    assert supervisor.get(f"/api/v1/tasks/{suzhou.id}").status_code == 404
