"""Helpers of the enforcement tests: a failed inspection, and a case walked through the API."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from service.common.chinatime import china_today
from tests.checklists import factories as checklists
from tests.inspections.factories import stored


def days_ago(n: int) -> str:
    return (china_today() - timedelta(days=n)).isoformat()


def today() -> date:
    return china_today()


def failed_inspection(make, *, inspector, partner, site=None, failed=("real_name",),
                      **overrides):
    """A completed inspection by a certified pair at a site, failing `failed` items."""
    site = site or make.site(region_code=inspector.region_code)
    template = checklists.current(make.db, site.site_type)
    answers = {item.code: ("fail" if item.code in failed else "pass") for item in template.items}
    overrides.setdefault("inspector_ids", [str(partner.id)] if partner else [])
    return stored(make.db, submitter=inspector, site=site, template=template, answers=answers,
                  **overrides)


class CaseWalk:
    """One case driven through the API by the people of a bureau."""

    def __init__(self, apis: dict, case_id: str):
        self.apis = apis
        self.id = uuid.UUID(case_id)
        self.url = f"/api/v1/enforcement/cases/{case_id}"

    def get(self, role: str = "supervisor"):
        return self.apis[role].get(self.url)

    def etag(self) -> str:
        return self.get().headers["ETag"]

    def move(self, name: str, role: str = "supervisor", expect: int = 200, **body):
        response = self.apis[role].post(f"{self.url}/moves/{name}", json=body,
                                        headers={"If-Match": self.etag()})
        assert response.status_code == expect, response.get_data(as_text=True)
        return response.json

    @property
    def status(self) -> str:
        return self.get().json["status"]
