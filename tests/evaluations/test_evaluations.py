"""Rectification evaluations (整改评价): a 0–100 score of how a site put right what an
inspection or its enterprise's self-check found."""

from __future__ import annotations

import uuid

import pytest

from tests.checklists import factories as checklists
from tests.inspections.factories import stored
from tests.selfchecks.factories import body as self_check_body


@pytest.fixture
def site(make):
    return make.site(region_code="310113")


@pytest.fixture
def inspection(db, make, inspector, site):
    template = checklists.current(db, site.site_type)
    answers = {item.code: "pass" for item in template.items}
    answers[template.items[0].code] = "fail"
    return stored(db, submitter=inspector, site=site, template=template, answers=answers)


def test_a_rectification_is_scored_against_the_inspection_that_found_it(supervisor, site,
                                                                        inspection):
    response = supervisor.post("/api/v1/rectification-evaluations", json={
        "site_id": str(site.id), "inspection_id": str(inspection.id),
        "evaluated_on": "2026-04-15", "score": 85.5, "note": "实名收寄已整改到位"})
    assert response.status_code == 201, response.json
    found = response.json
    assert (found["score"], found["inspection_id"], found["enterprise_id"]) == (
        85.5, str(inspection.id), str(site.enterprise_id))
    listed = supervisor.get(f"/api/v1/rectification-evaluations?site_id={site.id}").json
    assert [item["id"] for item in listed["items"]] == [found["id"]]


def test_a_self_check_can_be_the_basis(supervisor, site, db):
    check = supervisor.post("/api/v1/self-checks", json=self_check_body(db, site)).json
    response = supervisor.post("/api/v1/rectification-evaluations", json={
        "site_id": str(site.id), "self_check_id": check["id"], "evaluated_on": "2026-04-15",
        "score": 100})
    assert response.status_code == 201, response.json


@pytest.mark.parametrize(("score", "ok"), [(0, True), (100, True), (72.5, True),
                                           (100.5, False), (-1, False), (72.25, False)])
def test_the_score_is_out_of_a_hundred_with_one_decimal(supervisor, site, score, ok):
    response = supervisor.post("/api/v1/rectification-evaluations", json={
        "site_id": str(site.id), "evaluated_on": "2026-04-15", "score": score})
    assert response.status_code == (201 if ok else 422), response.json
    if not ok:
        assert "score" in response.json["errors"]["json"]


def test_the_basis_must_be_of_the_same_site(supervisor, make, inspection):
    other = make.site(region_code="310113")
    response = supervisor.post("/api/v1/rectification-evaluations", json={
        "site_id": str(other.id), "inspection_id": str(inspection.id),
        "evaluated_on": "2026-04-15", "score": 60})
    assert response.status_code == 422 and "inspection_id" in response.json["errors"]["json"]


def test_a_retry_answers_the_same_evaluation(supervisor, site):
    payload = {"id": str(uuid.uuid4()), "site_id": str(site.id), "evaluated_on": "2026-04-15",
               "score": 70}
    first, again = (supervisor.post("/api/v1/rectification-evaluations", json=payload)
                    for _ in range(2))
    assert first.status_code == again.status_code == 201
    assert first.json["id"] == again.json["id"]
    changed = supervisor.post("/api/v1/rectification-evaluations", json={**payload, "score": 75})
    assert changed.status_code == 409
