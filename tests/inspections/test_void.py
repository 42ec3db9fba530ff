"""Voiding (作废): with a reason, by a supervisor; the inspection is kept, never deleted."""

from __future__ import annotations

from service.auth.models import SUPERVISOR
from tests.inspections.factories import body


def _submitted(phone, site, template, url, **overrides):
    response = phone.put(url, json=body(site, template, answers={
        "real_name": "fail", "xray_check": "pass", "recycling_device": "pass"}, **overrides))
    assert response.status_code == 201, response.json
    return response.json


def test_a_voided_inspection_is_kept_and_readable(phone, supervisor, site, template, url):
    first = _submitted(phone, site, template, url)
    response = supervisor.post(f"{url}/void", json={"reason": "误选检查对象"})
    assert response.status_code == 200, response.json
    voided = response.json
    assert voided["status"] == "voided" and voided["void_reason"] == "误选检查对象"
    assert voided["voided_by_id"] and voided["voided_at"]
    assert voided["score"] == first["score"] and voided["answers"] == first["answers"]
    assert phone.get(url).json["status"] == "voided"
    listed = phone.get(f"/api/v1/inspections?site_id={site.id}&status=voided").json["items"]
    assert [item["id"] for item in listed] == [first["id"]]


def test_a_voided_inspection_cannot_be_resubmitted_with_another_body(phone, supervisor, site,
                                                                     template, url):
    _submitted(phone, site, template, url)
    supervisor.post(f"{url}/void", json={"reason": "重复录入"})
    refused = phone.put(url, json=body(site, template))
    assert refused.status_code == 409
    assert refused.json["errors"]["state"] == {"current": "voided", "allowed": []}
    assert "Allowed from voided: nothing (final state)" in refused.json["message"]


def test_a_late_retry_of_the_original_body_creates_nothing(phone, supervisor, site, template,
                                                           url):
    sent = body(site, template)
    phone.put(url, json=sent)
    supervisor.post(f"{url}/void", json={"reason": "重复录入"})
    again = phone.put(url, json=sent)
    assert again.status_code == 201 and again.json["status"] == "voided"


def test_its_findings_are_not_offered_for_citing_any_more(phone, supervisor, site, template,
                                                          url):
    first = _submitted(phone, site, template, url)
    supervisor.post(f"{url}/void", json={"reason": "重复录入"})
    listed = phone.get(f"/api/v1/findings?inspection_id={first['id']}").json["items"]
    assert listed == []
    kept = phone.get(f"/api/v1/findings?inspection_id={first['id']}&include_voided=true").json
    assert [f["inspection_status"] for f in kept["items"]] == ["voided"]


def test_voiding_twice_with_the_same_reason_is_a_retry(phone, supervisor, site, template, url):
    _submitted(phone, site, template, url)
    first = supervisor.post(f"{url}/void", json={"reason": "重复录入"})
    again = supervisor.post(f"{url}/void", json={"reason": "重复录入"})
    other = supervisor.post(f"{url}/void", json={"reason": "另一个原因"})
    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 409)
    assert again.json == first.json
    assert other.json["errors"]["state"] == {"current": "voided", "allowed": []}


def test_a_reason_is_required(phone, supervisor, site, template, url):
    _submitted(phone, site, template, url)
    response = supervisor.post(f"{url}/void", json={"reason": ""})
    assert response.status_code == 422 and "reason" in response.json["errors"]["json"]


def test_inspectors_ask_a_supervisor_to_void(phone, site, template, url):
    _submitted(phone, site, template, url)
    assert phone.post(f"{url}/void", json={"reason": "写错了"}).status_code == 403


def test_another_jurisdiction_cannot_void(make, as_user, phone, site, template, url):
    _submitted(phone, site, template, url)
    suzhou = as_user(make.user(role=SUPERVISOR, region_code="320505"))
    assert suzhou.post(f"{url}/void", json={"reason": "x"}).status_code == 404
