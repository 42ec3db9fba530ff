"""Fixtures of the inspection tests: a 宝山区 inspector's phone, a site, a checklist."""

from __future__ import annotations

import uuid

import pytest

from service.auth.models import SUPERVISOR
from tests.checklists import factories as checklists


@pytest.fixture
def inspector(make):
    return make.user(region_code="310113", full_name="张伟")


@pytest.fixture
def phone(as_user, inspector):
    return as_user(inspector)


@pytest.fixture
def supervisor(make, as_user):
    return as_user(make.user(role=SUPERVISOR, region_code="310113"))


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
