"""Test data for plans: inspectors, sites by district, plans created and drawn via the API."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from service.auth.models import INSPECTOR, SUPERVISOR
from service.common.chinatime import china_today
from service.plans.logic import create_plan

TODAY = china_today()
#: a period around today: inspectors' default certificates (2024–2030) cover it
PERIOD_START = TODAY - timedelta(days=20)
PERIOD_END = TODAY + timedelta(days=40)
MATTER = "delivery_safety_three_systems"


def inspectors(make, region: str, count: int, **fields) -> list:
    """`count` certified, active inspectors of `region`."""
    return [make.user(role=INSPECTOR, region_code=region, **fields) for _ in range(count)]


def supervisor(make, region: str):
    return make.user(role=SUPERVISOR, region_code=region)


def sites(make, region: str, count: int, **fields) -> list:
    """`count` express outlets of `region`, active since 2020."""
    return [make.site(region_code=region, **fields) for _ in range(count)]


def plan_body(**overrides) -> dict:
    body = {
        "name": "2026年宝山区寄递企业双随机抽查",
        "region_code": "310113",
        "matter_codes": [MATTER],
        "site_types": ["express_outlet"],
        "period_start": PERIOD_START.isoformat(),
        "period_end": PERIOD_END.isoformat(),
        "sample_mode": "ratio",
        "sample_value": 1,
    }
    return {**body, **overrides}


def create(api, **overrides) -> dict:
    """POST /plans; the created plan's JSON."""
    response = api.post("/api/v1/plans", json=plan_body(**overrides))
    assert response.status_code == 201, response.json
    return response.json


def draw(api, plan: dict, draw_id: uuid.UUID | None = None):
    """POST /plans/<id>/draw with the published seed hash; the raw response."""
    body = {"draw_id": str(draw_id or uuid.uuid4()), "seed_hash": plan["seed_hash"]}
    return api.post(f"/api/v1/plans/{plan['id']}/draw", json=body)


def drawn(api, **overrides) -> dict:
    """A plan created and drawn; the draw's JSON (the plan with drawn_sites)."""
    response = draw(api, create(api, **overrides))
    assert response.status_code == 200, response.json
    return response.json


def plan_row(db, user, region: str, **overrides):
    """A draft plan made through the logic layer (for the access matrix's builders)."""
    data = {**plan_body(region_code=region, sample_mode="count", sample_value=1),
            "id": None, "site_types": None, "due_on": None, "stratify_by": "none",
            "workload_cap": None, **overrides}
    for key in ("period_start", "period_end"):
        data[key] = date.fromisoformat(data[key])
    return create_plan(db, scope=region, user=user, data=data)
