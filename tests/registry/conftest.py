"""Helpers for the registry's tests: an admin of 宝山区 and bodies that pass every rule."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(make, as_user):
    """An admin of 上海市宝山区 (310113)."""
    return as_user(make.user(role="admin", region_code="310113"))


def site_body(**fields) -> dict:
    """An express outlet in 宝山区 that every rule accepts; fields override."""
    body = {"name": "中通快递宝山友谊路营业部", "site_type": "express_outlet",
            "address": "上海市宝山区友谊路100号", "region_code": "310113",
            "location": {"lat": 31.4056, "lon": 121.4896, "crs": "wgs84"},
            "opened_on": "2021-06-01"}
    return {**body, **fields}


def errors_of(response, location: str = "json") -> dict:
    return response.json["errors"][location]
