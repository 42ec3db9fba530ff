"""Creating plans (validation, retries), the matters catalogue, and 回避 declarations."""

from __future__ import annotations

import uuid

import pytest

from tests.plans import factories
from tests.plans.conftest import BAOSHAN, JINGAN
from tests.plans.factories import PERIOD_END, PERIOD_START


def test_the_matters_catalogue_is_seeded(api):
    items = api.get("/api/v1/matters").json["items"]
    names = {item["code"]: item for item in items}
    assert names["delivery_safety_three_systems"]["name"] == "寄递安全“三项制度”落实情况检查"
    assert names["delivery_safety_three_systems"]["item_codes"] == [
        "real_name", "acceptance_check", "xray_check"]
    assert names["parcel_locker_service"]["site_types"] == ["parcel_locker"]
    assert len(items) >= 5


def test_a_new_plan_is_a_draft_with_the_matters_site_types_by_default(api):
    plan = factories.create(api, site_types=None, matter_codes=["terminal_registration"])
    assert plan["status"] == "draft" and plan["site_types"] == ["express_terminal"]
    assert plan["due_on"] == PERIOD_END.isoformat()
    assert plan["stratify_by"] == "none" and plan["workload_cap"] is None


@pytest.mark.parametrize(("overrides", "field"), [
    ({"matter_codes": ["no_such_matter"]}, "matter_codes"),
    ({"matter_codes": []}, "matter_codes"),
    ({"site_types": ["parcel_locker"]}, "site_types"),
    ({"site_types": ["spaceport"]}, "site_types"),
    ({"period_end": PERIOD_START.replace(year=PERIOD_START.year - 1).isoformat()}, "period_end"),
    ({"due_on": "2000-01-01"}, "due_on"),
    ({"sample_value": 1.5}, "sample_value"),
    ({"sample_value": 0}, "sample_value"),
    ({"sample_value": 0.12345}, "sample_value"),
    ({"sample_mode": "count", "sample_value": 2.5}, "sample_value"),
    ({"sample_mode": "lottery"}, "sample_mode"),
    ({"stratify_by": "brand"}, "stratify_by"),
    ({"workload_cap": 0}, "workload_cap"),
    ({"region_code": "320505"}, "region_code"),
    ({"region_code": "31011"}, "region_code"),
    ({"seed": "mine"}, "seed"),
    ({"name": "抽查\u0000计划"}, "name"),
    ({"matter_codes": ["bad\u0000code"]}, "matter_codes"),
])
def test_a_bad_plan_is_refused_naming_the_field(api, overrides, field):
    response = api.post("/api/v1/plans", json=factories.plan_body(**overrides))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]


def test_a_district_supervisor_plans_only_inside_the_district(make, as_user):
    baoshan = as_user(factories.supervisor(make, BAOSHAN))
    response = baoshan.post("/api/v1/plans", json=factories.plan_body(region_code="310000"))
    assert response.status_code == 422 and "region_code" in response.json["errors"]["json"]


def test_a_retried_creation_answers_the_same_plan(api):
    body = factories.plan_body(id=str(uuid.uuid4()))
    first = api.post("/api/v1/plans", json=body)
    again = api.post("/api/v1/plans", json=body)
    assert first.status_code == again.status_code == 201
    assert again.json["seed_hash"] == first.json["seed_hash"]
    assert [p["id"] for p in api.get("/api/v1/plans").json["items"]] == [body["id"]]
    changed = api.post("/api/v1/plans", json={**body, "name": "另一个计划"})
    assert changed.status_code == 409


def test_plans_are_listed_by_status(make, api):
    factories.sites(make, BAOSHAN, 2)
    factories.inspectors(make, BAOSHAN, 2)
    draft = factories.create(api)
    drawn = factories.drawn(api)
    listed = api.get("/api/v1/plans?status=drawn").json["items"]
    assert [p["id"] for p in listed] == [drawn["id"]]
    assert draft["id"] in [p["id"] for p in api.get("/api/v1/plans").json["items"]]


def test_a_conflict_declaration_is_recorded_once(make, api):
    inspector = factories.inspectors(make, BAOSHAN, 1)[0]
    enterprise = make.enterprise()
    body = {"user_id": str(inspector.id), "enterprise_id": str(enterprise.id),
            "reason": "配偶在该企业任职"}
    first = api.post("/api/v1/conflicts", json=body)
    again = api.post("/api/v1/conflicts", json=body)
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"]
    assert api.post("/api/v1/conflicts", json={**body, "reason": "其他"}).status_code == 409
    listed = api.get(f"/api/v1/conflicts?user_id={inspector.id}").json["items"]
    assert [c["id"] for c in listed] == [first.json["id"]]


def test_a_conflict_needs_a_known_enterprise_and_a_user_of_the_jurisdiction(make, as_user):
    baoshan = as_user(factories.supervisor(make, BAOSHAN))
    stranger = factories.inspectors(make, JINGAN, 1)[0]
    mine = factories.inspectors(make, BAOSHAN, 1)[0]
    enterprise = make.enterprise()
    response = baoshan.post("/api/v1/conflicts", json={
        "user_id": str(stranger.id), "enterprise_id": str(enterprise.id), "reason": "亲属"})
    assert response.status_code == 422 and "user_id" in response.json["errors"]["json"]
    response = baoshan.post("/api/v1/conflicts", json={
        "user_id": str(mine.id), "enterprise_id": str(uuid.uuid4()), "reason": "亲属"})
    assert response.status_code == 422 and "enterprise_id" in response.json["errors"]["json"]


def test_bad_ids_in_urls_and_queries_are_not_errors_of_the_server(api):
    assert api.get("/api/v1/plans/not-a-uuid").status_code == 404
    assert api.get(f"/api/v1/plans/{uuid.uuid4()}/results").status_code == 404
    assert api.get("/api/v1/plans?cursor=garbage").status_code == 422
    assert api.get("/api/v1/conflicts?user_id=nope").status_code == 422
    response = api.post(f"/api/v1/plans/{uuid.uuid4()}/draw",
                        json={"draw_id": "x", "seed_hash": "y"})
    assert response.status_code == 422
