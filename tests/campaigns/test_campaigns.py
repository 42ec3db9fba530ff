"""Campaigns (专项行动): a named period with matters and regions, carried by what serves it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from service.auth.models import SUPERVISOR
from tests.campaigns.factories import TODAY, campaign_body
from tests.checklists import factories as checklists
from tests.inspections.factories import body
from tests.plans import factories as plans

BAOSHAN, JINGAN, QINGPU = "310113", "310106", "310118"


@pytest.fixture
def city(make, as_user):
    return as_user(make.user(role=SUPERVISOR, region_code="310000"))


@pytest.fixture
def campaign(city):
    response = city.post("/api/v1/campaigns", json=campaign_body())
    assert response.status_code == 201, response.json
    return response.json


def test_a_city_campaign_is_seen_by_its_districts_and_not_elsewhere(campaign, make, as_user):
    baoshan = as_user(make.user(role="inspector", region_code=BAOSHAN))
    assert baoshan.get(f"/api/v1/campaigns/{campaign['id']}").status_code == 200
    running = baoshan.get(f"/api/v1/campaigns?active_on={TODAY.isoformat()}").json["items"]
    assert campaign["id"] in [c["id"] for c in running]
    later = (TODAY + timedelta(days=90)).isoformat()
    assert campaign["id"] not in [c["id"] for c in baoshan.get(
        f"/api/v1/campaigns?active_on={later}").json["items"]]
    suzhou = as_user(make.user(role="inspector", region_code="320505"))
    assert suzhou.get(f"/api/v1/campaigns/{campaign['id']}").status_code == 404


@pytest.mark.parametrize(("overrides", "field"), [
    ({"region_codes": ["320505"]}, "region_codes"),
    ({"region_code": "310113", "region_codes": ["310106"]}, "region_codes"),
    ({"matter_codes": ["no_such_matter"]}, "matter_codes"),
    ({"period_end": "2000-01-01"}, "period_end"),
])
def test_a_campaign_must_make_sense(city, overrides, field):
    response = city.post("/api/v1/campaigns", json=campaign_body(**overrides))
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_a_retried_creation_answers_the_same_campaign(city):
    body_ = campaign_body(id=str(uuid.uuid4()))
    first, again = (city.post("/api/v1/campaigns", json=body_) for _ in range(2))
    assert first.status_code == again.status_code == 201
    assert first.json["id"] == again.json["id"]
    other = city.post("/api/v1/campaigns", json={**body_, "name": "另一个专项行动"})
    assert other.status_code == 409


def _inspect(db, phone, site, campaign_id):
    template = checklists.current(db, site.site_type)
    return phone.put(f"/api/v1/inspections/{uuid.uuid4()}",
                     json=body(site, template, campaign_id=campaign_id))


def test_inspections_carry_the_campaign_and_are_listed_by_it(campaign, make, db, phone, city):
    site = make.site(region_code=BAOSHAN)
    served = _inspect(db, phone, site, campaign["id"])
    assert served.status_code == 201, served.json
    assert served.json["campaign_id"] == campaign["id"]
    plain = _inspect(db, phone, site, None)
    listed = city.get(f"/api/v1/inspections?campaign_id={campaign['id']}").json["items"]
    assert [i["id"] for i in listed] == [served.json["id"]]
    assert plain.json["id"] not in [i["id"] for i in listed]


def test_an_inspection_outside_the_campaigns_regions_cannot_serve_it(campaign, make, db,
                                                                     as_user):
    qingpu = as_user(make.user(role="inspector", region_code=QINGPU))
    response = _inspect(db, qingpu, make.site(region_code=QINGPU), campaign["id"])
    assert response.status_code == 422 and "campaign_id" in response.json["errors"]["json"]


def test_tasks_and_plans_carry_the_campaign(campaign, make, city, supervisor):
    site = make.site(region_code=BAOSHAN)
    inspector = make.user(role="inspector", region_code=BAOSHAN)
    task = city.post("/api/v1/tasks", json={
        "site_id": str(site.id), "assignee_ids": [str(inspector.id)], "kind": "special",
        "due_on": (TODAY + timedelta(days=10)).isoformat(), "campaign_id": campaign["id"]})
    assert task.status_code == 201, task.json
    assert task.json["campaign_id"] == campaign["id"]
    listed = city.get(f"/api/v1/tasks?campaign_id={campaign['id']}").json["items"]
    assert [t["id"] for t in listed] == [task.json["id"]]
    make.user(role="inspector", region_code=BAOSHAN)
    plan = plans.drawn(city, region_code=BAOSHAN, campaign_id=campaign["id"])
    assert plan["campaign_id"] == campaign["id"]
    plan_tasks = city.get(f"/api/v1/tasks?plan_id={plan['id']}").json["items"]
    assert {t["campaign_id"] for t in plan_tasks} == {campaign["id"]}
    assert [p["id"] for p in city.get(
        f"/api/v1/plans?campaign_id={campaign['id']}").json["items"]] == [plan["id"]]


def test_a_task_due_after_the_campaign_cannot_serve_it(campaign, make, city):
    site = make.site(region_code=BAOSHAN)
    inspector = make.user(role="inspector", region_code=BAOSHAN)
    response = city.post("/api/v1/tasks", json={
        "site_id": str(site.id), "assignee_ids": [str(inspector.id)],
        "due_on": (TODAY + timedelta(days=90)).isoformat(), "campaign_id": campaign["id"]})
    assert response.status_code == 422 and "campaign_id" in response.json["errors"]["json"]
