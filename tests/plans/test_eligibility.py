"""Who and what may be drawn: active sites only; certified, unconflicted, uncapped inspectors."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from service.auth.models import SUPERVISOR
from tests.plans import factories
from tests.plans.conftest import BAOSHAN, JINGAN
from tests.plans.factories import PERIOD_END, PERIOD_START


def _drawn_inspectors(drawn: dict) -> Counter:
    return Counter(u for site in drawn["drawn_sites"] for u in site["inspector_ids"])


def test_an_inspector_with_a_conflict_is_never_drawn_for_the_enterprise(make, api):
    enterprise = make.enterprise()
    factories.sites(make, BAOSHAN, 6, enterprise_id=enterprise.id)
    other = factories.sites(make, BAOSHAN, 6)  # each of its own enterprise
    linked, *rest = factories.inspectors(make, BAOSHAN, 3)
    response = api.post("/api/v1/conflicts", json={
        "user_id": str(linked.id), "enterprise_id": str(enterprise.id),
        "reason": "其子在该企业任网点负责人"})
    assert response.status_code == 201
    drawn = factories.drawn(api)
    other_ids = {str(site.id) for site in other}
    for site in drawn["drawn_sites"]:
        if site["site_id"] not in other_ids:
            assert set(site["inspector_ids"]) == {str(u.id) for u in rest}
    assert _drawn_inspectors(drawn)[str(linked.id)] > 0  # still drawn for other enterprises


def test_no_inspector_gets_more_tasks_than_the_workload_cap(make, api):
    factories.sites(make, BAOSHAN, 5)
    pool = factories.inspectors(make, BAOSHAN, 10)
    drawn = factories.drawn(api, workload_cap=1)  # 10 places for 5 pairs: everyone once
    assert len(drawn["drawn_sites"]) == 5
    assert _drawn_inspectors(drawn) == Counter({str(u.id): 1 for u in pool})


def test_a_cap_spreads_the_tasks(make, api):
    factories.sites(make, BAOSHAN, 12)
    factories.inspectors(make, BAOSHAN, 6)
    drawn = factories.drawn(api, workload_cap=5)  # 24 places of 30
    assert max(_drawn_inspectors(drawn).values()) <= 5
    assert sum(_drawn_inspectors(drawn).values()) == 24


def test_a_cap_too_low_for_the_sample_draws_nothing(make, api):
    factories.sites(make, BAOSHAN, 5)
    factories.inspectors(make, BAOSHAN, 4)
    plan = factories.create(api, workload_cap=2)  # 10 places needed, 8 available
    response = factories.draw(api, plan)
    assert response.status_code == 409 and "workload cap of 2" in response.json["message"]
    assert api.get(f"/api/v1/plans/{plan['id']}/progress").json["total"] == 0


def test_the_sites_active_during_the_period_are_drawn(make, api):
    day = timedelta(days=1)
    drawable = [
        make.site(),
        make.site(status="suspended"),  # 停业整顿 sites stay in every count
        make.site(opened_on=PERIOD_END),
        make.site(opened_on=PERIOD_START - 10 * day, closed_on=PERIOD_END + day),
        # closed since the period began: active during it, its result says 检查对象已关闭
        make.site(status="closed", closed_on=PERIOD_START + day, closed_reason="注销"),
        make.site(status="closed", closed_on=PERIOD_START, closed_reason="注销"),
    ]
    make.site(opened_on=PERIOD_END + day)  # not yet open
    make.site(status="closed", closed_on=PERIOD_START - day, closed_reason="注销")
    make.site(region_code=JINGAN)  # outside the plan's scope
    make.site(site_type="parcel_locker")  # not a type of the plan
    factories.inspectors(make, BAOSHAN, 2)
    drawn = factories.drawn(api)  # ratio 1: every candidate
    assert {s["site_id"] for s in drawn["drawn_sites"]} == {str(s.id) for s in drawable}


def test_the_pool_is_every_active_officer_certified_on_the_tasks_date(make, api):
    day = timedelta(days=1)
    due = PERIOD_END - 10 * day
    eligible = factories.inspectors(make, BAOSHAN, 2) + factories.inspectors(
        make, BAOSHAN, 1, certificate_valid_from=due, certificate_valid_until=due)
    # valid on the due date though not across the whole period
    eligible += factories.inspectors(make, BAOSHAN, 1, certificate_valid_from=PERIOD_START + day,
                                     certificate_valid_until=PERIOD_END - day)
    eligible.append(make.user(role=SUPERVISOR, region_code=BAOSHAN, certificate_number="SUP-1",
                              certificate_valid_from=PERIOD_START,
                              certificate_valid_until=PERIOD_END))
    factories.inspectors(make, BAOSHAN, 1, certificate_valid_until=due - day)  # expired by then
    factories.inspectors(make, BAOSHAN, 1, certificate_valid_from=due + day)  # not yet valid
    factories.inspectors(make, BAOSHAN, 1, certificate_number=None,
                         certificate_valid_from=None, certificate_valid_until=None)
    factories.inspectors(make, BAOSHAN, 1, is_active=False)
    factories.inspectors(make, JINGAN, 1)  # another district's bureau
    make.user(role=SUPERVISOR, region_code=BAOSHAN)  # no certificate
    factories.sites(make, BAOSHAN, 12)
    drawn = factories.drawn(api, due_on=due.isoformat())
    verification = api.get(f"/api/v1/plans/{drawn['id']}/verification").json
    wanted = {str(u.id) for u in eligible}
    assert {i["user_id"] for i in verification["inspectors"]} == wanted
    assert set(_drawn_inspectors(drawn)) == wanted


def test_a_city_plan_pairs_inspectors_whose_jurisdiction_covers_the_site(make, api):
    sites = {BAOSHAN: factories.sites(make, BAOSHAN, 3), JINGAN: factories.sites(make, JINGAN, 3)}
    pool = {BAOSHAN: factories.inspectors(make, BAOSHAN, 2),
            JINGAN: factories.inspectors(make, JINGAN, 2)}
    city = factories.inspectors(make, "310000", 1)[0]
    drawn = factories.drawn(api, region_code="310000")
    for district, members in sites.items():
        allowed = {str(u.id) for u in pool[district]} | {str(city.id)}
        for site in drawn["drawn_sites"]:
            if site["site_id"] in {str(m.id) for m in members}:
                assert set(site["inspector_ids"]) <= allowed
