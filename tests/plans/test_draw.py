"""The draw is reproducible by anyone from the published seed, and happens exactly once."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from sqlalchemy import func, select

from service.assignments.models import Task
from service.auth.models import SUPERVISOR
from service.plans.models import InspectionPlan
from tests.plans import factories
from tests.plans.conftest import BAOSHAN, JINGAN, QINGPU
from tests.plans.factories import PERIOD_END, PERIOD_START


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def rerun(payload: dict) -> list[dict]:
    """The draw re-implemented from docs/plans.md and the verification payload alone."""
    seed, params = payload["seed"], payload["parameters"]
    candidates = sorted(payload["candidates"], key=lambda c: c["site_id"])
    strata: dict[str, list] = {}
    for candidate in candidates:
        strata.setdefault(candidate["stratum"], []).append(candidate)
    quota = _quotas(params, {s: len(m) for s, m in strata.items()})

    def site_key(c):
        return sha256(f"{seed}:site:{c['site_id']}"), c["site_id"]

    taken = sorted((c for s, m in strata.items() for c in sorted(m, key=site_key)[:quota[s]]),
                   key=site_key)
    return _pairs(payload, taken)


def _quotas(params: dict, sizes: dict[str, int]) -> dict[str, int]:
    if params["sample_mode"] == "ratio":
        per_10000 = params["sample_ratio_per_10000"]
        return {s: (per_10000 * n + 5000) // 10000 for s, n in sizes.items()}
    total = sum(sizes.values())
    wanted = min(params["sample_count"], total)
    quota = {s: wanted * n // total for s, n in sizes.items()}
    by_remainder = sorted(sizes, key=lambda s: (-(wanted * sizes[s] % total), s))
    for stratum in by_remainder[: wanted - sum(quota.values())]:
        quota[stratum] += 1
    return quota


def _pairs(payload: dict, taken: list[dict]) -> list[dict]:
    seed, cap = payload["seed"], payload["parameters"]["workload_cap"]
    conflicts = {(c["user_id"], c["enterprise_id"]) for c in payload["conflicts"]}
    load: dict[str, int] = {}
    result = []
    roles = {i["user_id"]: i["role"] for i in payload["inspectors"]}
    cross = payload["parameters"]["pairing"] == "cross_district"
    for rank, site in enumerate(taken, start=1):
        covering = [i["user_id"] for i in payload["inspectors"]
                    if site["region_code"].startswith(i["region_prefix"]) != cross]
        ranked = sorted(covering,
                        key=lambda u: (sha256(f"{seed}:inspector:{site['site_id']}:{u}"), u))
        free = [u for u in ranked if (u, site["enterprise_id"]) not in conflicts
                and (cap is None or load.get(u, 0) < cap)]
        if roles[free[0]] != "inspector":
            free = free[:1] + [u for u in free[1:] if roles[u] == "inspector"]
        for user_id in free[:2]:
            load[user_id] = load.get(user_id, 0) + 1
        result.append({"rank": rank, "site_id": site["site_id"], "stratum": site["stratum"],
                       "inspector_ids": free[:2]})
    return result


def _city(make, sites_per_district=(4, 6, 8)):
    """Sites of two enterprises in three districts, three inspectors each, one city inspector."""
    enterprises = [make.enterprise(), make.enterprise()]
    for district, count in zip((BAOSHAN, JINGAN, QINGPU), sites_per_district, strict=True):
        for n in range(count):
            make.site(region_code=district, enterprise_id=enterprises[n % 2].id)
        factories.inspectors(make, district, 3)
    factories.inspectors(make, "310000", 1)
    return enterprises


CITY_PLAN = dict(region_code="310000", stratify_by="district", sample_value=0.5,
                 workload_cap=5)


def test_anyone_can_rerun_the_draw_from_the_verification_payload(make, api):
    enterprises = _city(make)
    declarant = api.post("/api/v1/conflicts", json={
        "user_id": str(factories.inspectors(make, QINGPU, 1)[0].id),
        "enterprise_id": str(enterprises[0].id), "reason": "配偶在该企业任职"})
    assert declarant.status_code == 201
    drawn = factories.drawn(api, **CITY_PLAN)

    payload = api.get(f"/api/v1/plans/{drawn['id']}/verification").json
    assert payload["seed"] == drawn["seed"]
    assert sha256(payload["seed"]) == payload["seed_hash"] == drawn["seed_hash"]
    assert len(payload["candidates"]) == 18 and len(payload["inspectors"]) == 11
    assert len(payload["conflicts"]) == 1
    assert rerun(payload) == payload["result"]
    assert [s["site_id"] for s in drawn["drawn_sites"]] == [r["site_id"] for r in rerun(payload)]


def test_supervisors_are_drawn_but_every_pair_holds_an_inspector(make, api):
    factories.sites(make, BAOSHAN, 12)
    inspectors = factories.inspectors(make, BAOSHAN, 2)
    supervisors = [make.user(role=SUPERVISOR, region_code=BAOSHAN, certificate_number=f"S{n}",
                             certificate_valid_from=PERIOD_START,
                             certificate_valid_until=PERIOD_END) for n in range(3)]
    drawn = factories.drawn(api)
    payload = api.get(f"/api/v1/plans/{drawn['id']}/verification").json
    assert payload["algorithm"] == "sha256-rank-v2"
    assert rerun(payload) == payload["result"]
    field = {str(u.id) for u in inspectors}
    assert all(set(s["inspector_ids"]) & field for s in drawn["drawn_sites"])
    drawn_supervisors = {u for s in drawn["drawn_sites"] for u in s["inspector_ids"]} - field
    assert drawn_supervisors and drawn_supervisors <= {str(u.id) for u in supervisors}


def test_a_cross_district_plan_pairs_officers_of_other_districts(make, api):
    _city(make)
    drawn = factories.drawn(api, **{**CITY_PLAN, "pairing": "cross_district"})
    payload = api.get(f"/api/v1/plans/{drawn['id']}/verification").json
    assert payload["parameters"]["pairing"] == "cross_district"
    assert rerun(payload) == payload["result"]
    prefix = {i["user_id"]: i["region_prefix"] for i in payload["inspectors"]}
    sites = {c["site_id"]: c["region_code"] for c in payload["candidates"]}
    for site in payload["result"]:
        assert not any(sites[site["site_id"]].startswith(prefix[u])
                       for u in site["inspector_ids"])


def test_the_tasks_are_the_published_result(make, api, db):
    _city(make)
    drawn = factories.drawn(api, **CITY_PLAN)
    payload = api.get(f"/api/v1/plans/{drawn['id']}/verification").json
    tasks = db.scalars(select(Task).where(Task.plan_id == uuid.UUID(drawn["id"]))).all()
    stored = {(str(t.site_id), frozenset(str(u.id) for u in t.assignees)) for t in tasks}
    published = {(r["site_id"], frozenset(r["inspector_ids"])) for r in payload["result"]}
    assert stored == published and len(tasks) == 9
    assert {(t.kind, t.source, t.status) for t in tasks} == {("double_random", "plan", "open")}
    assert {t.due_on.isoformat() for t in tasks} == {drawn["period_end"]}


def test_the_same_seed_draws_the_same_sites_and_pairs(make, api, db):
    _city(make)
    first = factories.drawn(api, **CITY_PLAN)
    second = factories.create(api, **CITY_PLAN)
    plan = db.get(InspectionPlan, uuid.UUID(second["id"]))
    plan.seed, plan.seed_hash = first["seed"], first["seed_hash"]  # as if re-run with it
    db.flush()
    again = factories.draw(api, {**second, "seed_hash": first["seed_hash"]}).json
    strip = [{k: v for k, v in s.items() if k != "task_id"} for s in again["drawn_sites"]]
    assert strip == [{k: v for k, v in s.items() if k != "task_id"}
                     for s in first["drawn_sites"]]


def test_different_seeds_usually_draw_different_sites(make, api):
    factories.sites(make, BAOSHAN, 20)
    factories.inspectors(make, BAOSHAN, 4)
    draws = [factories.drawn(api, sample_value=0.5) for _ in range(2)]
    assert draws[0]["seed"] != draws[1]["seed"]
    chosen = [{s["site_id"] for s in d["drawn_sites"]} for d in draws]
    assert len(chosen[0]) == len(chosen[1]) == 10
    assert chosen[0] != chosen[1]  # equal with probability 1/C(20,10) ≈ 5e-6


def test_the_seed_is_secret_until_the_draw_and_its_hash_never_changes(make, api):
    factories.sites(make, BAOSHAN, 3)
    factories.inspectors(make, BAOSHAN, 2)
    plan = factories.create(api)
    assert plan["seed"] is None and len(plan["seed_hash"]) == 64
    before = api.get(f"/api/v1/plans/{plan['id']}/verification").json
    assert before["seed"] is None and before["result"] is None
    assert before["seed_hash"] == plan["seed_hash"]
    drawn = factories.draw(api, plan).json
    assert drawn["seed_hash"] == plan["seed_hash"]
    assert sha256(drawn["seed"]) == plan["seed_hash"]
    assert api.get(f"/api/v1/plans/{plan['id']}").json["seed"] == drawn["seed"]


def test_a_retried_draw_answers_the_same_and_a_second_draw_is_refused(make, api, db):
    factories.sites(make, BAOSHAN, 4)
    factories.inspectors(make, BAOSHAN, 2)
    plan = factories.create(api)
    draw_id = uuid.uuid4()
    first = factories.draw(api, plan, draw_id)
    retry = factories.draw(api, plan, draw_id)
    assert first.status_code == retry.status_code == 200
    assert retry.json["drawn_sites"] == first.json["drawn_sites"]
    again = factories.draw(api, plan)
    assert again.status_code == 409 and "already drawn" in again.json["message"]
    count = select(func.count()).select_from(Task).where(Task.plan_id == uuid.UUID(plan["id"]))
    assert db.scalar(count) == 4


def test_a_draw_needs_the_published_seed_hash(make, api):
    factories.sites(make, BAOSHAN, 2)
    factories.inspectors(make, BAOSHAN, 2)
    plan = factories.create(api)
    response = factories.draw(api, {**plan, "seed_hash": "0" * 64})
    assert response.status_code == 422 and "seed_hash" in response.json["errors"]["json"]
    assert api.get(f"/api/v1/plans/{plan['id']}").json["status"] == "draft"


def test_without_a_pair_nothing_is_drawn(make, api, db):
    sites = factories.sites(make, BAOSHAN, 3)
    factories.inspectors(make, BAOSHAN, 1)
    factories.inspectors(make, JINGAN, 1)  # of another district: cannot inspect 宝山 sites
    plan = factories.create(api, region_code="310000")
    response = factories.draw(api, plan)
    assert response.status_code == 409 and "pair" in response.json["message"]
    assert any(site.name in response.json["message"] for site in sites)
    assert api.get(f"/api/v1/plans/{plan['id']}").json["status"] == "draft"
    assert db.scalar(select(func.count()).select_from(Task)) == 0


def test_an_empty_sample_is_refused(make, api):
    factories.sites(make, BAOSHAN, 2)
    factories.inspectors(make, BAOSHAN, 2)
    plan = factories.create(api, sample_value=0.1)  # 0.2 sites rounds to none
    response = factories.draw(api, plan)
    assert response.status_code == 409 and "empty" in response.json["message"]


def test_the_verifier_printed_in_the_docs_agrees(make, api):
    _city(make)
    drawn = factories.drawn(api, **CITY_PLAN)
    payload = api.get(f"/api/v1/plans/{drawn['id']}/verification").json
    text = (Path(__file__).resolve().parents[2] / "docs" / "plans.md").read_text("utf-8")
    namespace: dict = {}
    exec(text.split("```python\n", 1)[1].split("```", 1)[0], namespace)
    assert namespace["rerun"](payload) == payload["result"]
