"""Campaigns for tests: one running around today, made through the logic layer."""

from __future__ import annotations

from datetime import timedelta

from service.auth.models import SUPERVISOR
from service.campaigns.logic import create_campaign
from service.common.chinatime import china_today

TODAY = china_today()


def campaign_body(**overrides) -> dict:
    body = {"name": "2026年“清风·实名寄递”专项行动", "region_code": "310000",
            "region_codes": ["310113", "310106"],
            "period_start": (TODAY - timedelta(days=30)).isoformat(),
            "period_end": (TODAY + timedelta(days=60)).isoformat(),
            "matter_codes": ["delivery_safety_three_systems"]}
    return {**body, **overrides}


def campaign(make, region: str, **overrides):
    """A campaign of `region`'s bureau covering that region, running around today."""
    organiser = make.user(role=SUPERVISOR, region_code=region)
    data = {"id": None, "name": "末端网点清理整顿", "region_code": region,
            "region_codes": [region], "period_start": TODAY - timedelta(days=30),
            "period_end": TODAY + timedelta(days=60),
            "matter_codes": ["terminal_registration"], **overrides}
    return create_campaign(make.db, scope=region, user=organiser, data=data)
