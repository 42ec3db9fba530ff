"""Who inspected: the submitter and colleagues of the jurisdiction; the rule of two."""

from __future__ import annotations

import uuid
from datetime import date

from service.auth.models import ANALYST
from tests.inspections.factories import body


def test_colleagues_are_recorded_and_two_certified_make_it_enforcement_ready(
        phone, make, site, template, url, inspector):
    colleague = make.user(region_code="310113")
    response = phone.put(url, json=body(site, template, inspector_ids=[str(colleague.id)],
                                        enforcement_follows=True))
    assert response.status_code == 201, response.json
    assert {i["id"] for i in response.json["inspectors"]} == {str(inspector.id),
                                                              str(colleague.id)}
    assert response.json["enforcement_ready"] is True


def test_enforcement_needs_two_certified_inspectors(phone, site, template, url):
    response = phone.put(url, json=body(site, template, enforcement_follows=True))
    assert response.status_code == 422
    assert "two or more" in response.json["errors"]["json"]["inspector_ids"][0]


def test_a_certificate_expired_before_the_finish_date_does_not_count(phone, make, site,
                                                                    template, url):
    expired = make.user(region_code="310113", certificate_valid_until=date(2025, 12, 31))
    sent = body(site, template, inspector_ids=[str(expired.id)])
    response = phone.put(url, json=sent)
    assert response.status_code == 201 and response.json["enforcement_ready"] is False
    refused = phone.put(f"/api/v1/inspections/{uuid.uuid4()}",
                        json={**sent, "enforcement_follows": True})
    assert refused.status_code == 422


def test_inspectors_of_another_jurisdiction_are_refused(phone, make, site, template, url):
    suzhou = make.user(region_code="320505")
    response = phone.put(url, json=body(site, template, inspector_ids=[str(suzhou.id)]))
    assert response.status_code == 422
    assert str(suzhou.id) in response.json["errors"]["json"]["inspector_ids"][0]


def test_users_who_do_not_inspect_are_refused(phone, make, site, template, url):
    analyst = make.user(role=ANALYST, region_code="310113")
    response = phone.put(url, json=body(site, template, inspector_ids=[str(analyst.id)]))
    assert response.status_code == 422 and "inspector_ids" in response.json["errors"]["json"]


def test_listing_the_submitter_again_is_harmless(phone, site, template, url, inspector):
    response = phone.put(url, json=body(site, template, inspector_ids=[str(inspector.id)]))
    assert response.status_code == 201 and len(response.json["inspectors"]) == 1
