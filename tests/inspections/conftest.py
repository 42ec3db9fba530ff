"""Fixtures of the inspection tests: a 宝山区 inspector's phone, a site, a checklist."""

from __future__ import annotations

import uuid

import pytest

from tests.checklists import factories as checklists


@pytest.fixture
def site(make):
    return make.site(region_code="310113", lat=31.40, lon=121.48)


@pytest.fixture
def template(db):
    """express_outlet checklist: real_name 50, xray_check 30, recycling_device 20."""
    return checklists.new_version(db, "express_outlet")


@pytest.fixture
def url():
    """A fresh inspection URL, as a phone makes its id."""
    return f"/api/v1/inspections/{uuid.uuid4()}"
