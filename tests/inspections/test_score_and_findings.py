"""The score (量化百分制) and the findings a case can cite."""

from __future__ import annotations

import pytest

from service.inspections.rules import score
from tests.inspections.factories import body, stored

WEIGHTS = {"real_name": 50, "xray_check": 30, "recycling_device": 20}


@pytest.mark.parametrize(("answers", "expected"), [
    ({"real_name": "pass", "xray_check": "pass", "recycling_device": "pass"}, 100.0),
    ({"real_name": "fail", "xray_check": "fail", "recycling_device": "fail"}, 0.0),
    ({"real_name": "pass", "xray_check": "fail", "recycling_device": "not_applicable"}, 62.5),
    ({"real_name": "not_applicable", "xray_check": "pass", "recycling_device": "fail"}, 60.0),
    ({"real_name": "fail", "xray_check": "pass", "recycling_device": "pass"}, 50.0),
    ({"real_name": "not_applicable", "xray_check": "not_applicable",
      "recycling_device": "not_applicable"}, None),
])
def test_score_is_passed_weight_over_applicable_weight(answers, expected):
    assert score(WEIGHTS, answers) == expected


def test_the_server_computes_the_score_with_not_applicable_items(phone, site, template, url):
    response = phone.put(url, json=body(site, template, answers={
        "real_name": "pass", "xray_check": "fail", "recycling_device": "not_applicable"}))
    assert response.json["score"] == 62.5


def test_nothing_applicable_has_no_score(phone, site, template, url):
    answers = {item.code: "not_applicable" for item in template.items}
    response = phone.put(url, json=body(site, template, answers=answers))
    assert response.status_code == 201 and response.json["score"] is None


def test_a_score_sent_by_the_phone_is_refused(phone, site, template, url):
    response = phone.put(url, json={**body(site, template), "score": 100})
    assert response.status_code == 422


def test_failed_items_become_findings_with_the_question_and_the_note(phone, site, template,
                                                                    url):
    sent = body(site, template, answers={"real_name": "pass", "recycling_device": "fail",
                                         "xray_check": "fail"})
    sent["answers"][2]["note"] = "安检机未开启"
    response = phone.put(url, json=sent)
    findings = response.json["findings"]
    assert [f["item_code"] for f in findings] == ["recycling_device", "xray_check"]
    xray = phone.get(f"/api/v1/findings/{findings[1]['id']}").json
    assert xray["description"] == "检查项：xray_check — 安检机未开启"
    assert xray["site_id"] == str(site.id) and xray["region_code"] == "310113"
    assert xray["inspection_id"] == response.json["id"]
    assert xray["inspection_status"] == "completed"
    listed = phone.get(f"/api/v1/findings?site_id={site.id}&item_code=xray_check").json
    assert [f["id"] for f in listed["items"]] == [xray["id"]]


def test_drafts_have_no_findings(phone, site, template, url):
    response = phone.put(url, json=body(site, template, status="draft", answers={
        "real_name": "fail"}))
    assert response.json["findings"] == []


def test_findings_of_another_jurisdiction_are_hidden(phone, db, make, template):
    suzhou_inspector = make.user(region_code="320505")
    suzhou = stored(db, submitter=suzhou_inspector, site=make.site(region_code="320505"),
                    template=template, answers={"real_name": "fail", "xray_check": "pass",
                                                "recycling_device": "pass"})
    [finding] = suzhou.findings
    assert phone.get(f"/api/v1/findings/{finding.id}").status_code == 404
    listed = phone.get("/api/v1/findings?limit=500").json["items"]
    assert str(finding.id) not in [f["id"] for f in listed]
