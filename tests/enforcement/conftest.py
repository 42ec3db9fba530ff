"""Fixtures of the enforcement tests: the SAMPLE catalogue, a bureau's people, a failed
inspection by a certified pair, and a case opened from it."""

from __future__ import annotations

import pytest

from service.auth.models import ADMIN, INSPECTOR, LEGAL_REVIEWER, SUPERVISOR
from service.enforcement.catalogue import load_sample
from tests.enforcement.helpers import CaseWalk, days_ago, failed_inspection


@pytest.fixture
def catalogue(db):
    return load_sample(db).catalogue


@pytest.fixture
def people(make):
    """Users of 宝山区 (310113) by role; two certified inspectors."""
    return {
        "inspector": make.user(role=INSPECTOR, region_code="310113", full_name="张伟"),
        "partner": make.user(role=INSPECTOR, region_code="310113", full_name="李娜"),
        "supervisor": make.user(role=SUPERVISOR, region_code="310113"),
        "legal_reviewer": make.user(role=LEGAL_REVIEWER, region_code="310113"),
        "admin": make.user(role=ADMIN, region_code="310113"),
    }


@pytest.fixture
def apis(people, as_user):
    return {role: as_user(user) for role, user in people.items()}


@pytest.fixture
def site(make):
    return make.site(region_code="310113")


@pytest.fixture
def inspection(make, people, site):
    return failed_inspection(make, inspector=people["inspector"], partner=people["partner"],
                             site=site)


def open_case(apis, inspection, *, opened_days_ago: int = 40, role: str = "inspector",
              **fields) -> CaseWalk:
    body = {"source": "inspection", "finding_ids": [str(f.id) for f in inspection.findings],
            "title": "未按规定执行实名收寄制度", "on": days_ago(opened_days_ago), **fields}
    response = apis[role].post("/api/v1/enforcement/cases", json=body)
    assert response.status_code == 201, response.json
    return CaseWalk(apis, response.json["id"])


@pytest.fixture
def case(apis, inspection, catalogue):
    """A lead (ordinary procedure) opened 40 days ago from the inspection's findings."""
    return open_case(apis, inspection)
