"""Every refusal of the procedure: band, legal review, hearing window, role, jurisdiction,
stale or missing ETag, the rule of two."""

from __future__ import annotations

from service.auth.models import SUPERVISOR
from tests.enforcement.helpers import days_ago, failed_inspection

SERIOUS_FINE = {"violation_code": "real_name_not_enforced", "circumstance": "serious",
                "measures": ["fine"], "fine_fen": 6_000_000}


def _investigating(case, *, days: int = 20):
    case.move("approve_filing", on=days_ago(days))
    case.move("investigate", "inspector", on=days_ago(days - 1))


def test_a_fine_outside_its_band_is_refused_naming_the_band(case):
    _investigating(case)
    refused = case.move("give_notice", "inspector", expect=422, **{
        **SERIOUS_FINE, "circumstance": "ordinary"})
    message = refused["errors"]["json"]["fine_fen"][0]
    assert "real_name_not_enforced, ordinary" in message
    assert "10,000.00 yuan to 50,000.00 yuan" in message
    assert case.status == "investigation"


def test_a_measure_the_band_does_not_allow_is_refused(case):
    _investigating(case)
    refused = case.move("give_notice", "inspector", expect=422, **{
        **SERIOUS_FINE, "measures": ["fine", "revocation"]})
    assert "revocation" in refused["errors"]["json"]["measures"][0]


def test_a_major_decision_without_legal_review_is_refused(case):
    _investigating(case)
    case.move("give_notice", "inspector", on=days_ago(15), **SERIOUS_FINE)
    refused = case.move("decide", expect=409, on=days_ago(1))
    assert "legal review" in refused["message"]
    assert refused["errors"]["state"]["allowed"] == ["request_legal_review"]


def test_a_hearing_requested_after_five_days_is_refused(case):
    _investigating(case)
    case.move("give_notice", "inspector", on=days_ago(10), **SERIOUS_FINE)
    refused = case.move("request_hearing", "inspector", expect=422, on=days_ago(4))
    assert f"the last day was {days_ago(5)}" in refused["errors"]["json"]["on"][0]
    case.move("request_hearing", "inspector", on=days_ago(5))


def test_no_decision_while_the_party_may_still_ask_for_a_hearing(case):
    _investigating(case)
    case.move("give_notice", "inspector", on=days_ago(3), **SERIOUS_FINE)
    case.move("request_legal_review", "inspector", on=days_ago(2))
    case.move("approve_review", "legal_reviewer", on=days_ago(2))
    refused = case.move("decide", expect=409)
    assert "may request a hearing until" in refused["message"]
    case.move("decide", hearing_waived=True, reason="当事人书面放弃听证")


def test_a_move_not_allowed_from_the_state_names_the_allowed_ones(case):
    refused = case.move("decide", expect=409)
    assert refused["errors"]["state"] == {"current": "lead",
                                          "allowed": ["approve_filing", "dismiss"]}


def test_the_wrong_role_is_refused(case):
    assert case.move("approve_filing", "inspector", expect=403)["code"] == 403
    _investigating(case)
    case.move("give_notice", "inspector", on=days_ago(15), **SERIOUS_FINE)
    case.move("request_legal_review", "inspector", on=days_ago(5))
    assert case.move("approve_review", "supervisor", expect=403)["code"] == 403


def test_another_jurisdiction_sees_no_case(case, make, as_user):
    stranger = as_user(make.user(role=SUPERVISOR, region_code="310106"))  # 静安区
    assert stranger.get(case.url).status_code == 404
    response = stranger.post(f"{case.url}/moves/approve_filing", json={},
                             headers={"If-Match": "*"})
    assert response.status_code == 404


def test_a_stale_etag_is_412_and_a_missing_one_428(case, apis):
    stale = case.etag()
    case.move("approve_filing", on=days_ago(5))
    response = apis["inspector"].post(f"{case.url}/moves/investigate", json={},
                                      headers={"If-Match": stale})
    assert response.status_code == 412
    response = apis["inspector"].post(f"{case.url}/moves/investigate", json={})
    assert response.status_code == 428
    assert case.status == "filed"


def test_a_step_dated_in_the_future_or_before_the_last_one_is_refused(case):
    assert "on" in case.move("approve_filing", expect=422, on="2999-01-01")["errors"]["json"]
    assert "on" in case.move("approve_filing", expect=422, on=days_ago(41))["errors"]["json"]


def test_findings_without_the_rule_of_two_open_no_case(apis, make, people, catalogue):
    alone = failed_inspection(make, inspector=people["inspector"], partner=None)
    assert not alone.enforcement_ready
    response = apis["inspector"].post("/api/v1/enforcement/cases", json={
        "source": "inspection", "finding_ids": [str(alone.findings[0].id)], "title": "x"})
    assert response.status_code == 422
    assert "rule of two" in response.json["errors"]["json"]["finding_ids"][0]


def test_a_retried_opening_with_the_same_id_opens_one_case(apis, inspection, catalogue):
    body = {"id": "6f1c7a3e-4b5d-4c2e-9f00-000000000001", "source": "inspection",
            "finding_ids": [str(f.id) for f in inspection.findings], "title": "实名收寄"}
    first = apis["inspector"].post("/api/v1/enforcement/cases", json=body)
    again = apis["inspector"].post("/api/v1/enforcement/cases", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    different = apis["inspector"].post("/api/v1/enforcement/cases",
                                       json={**body, "title": "另一个"})
    assert different.status_code == 409


def test_the_decision_deadline_is_ninety_days_plus_recorded_extensions(case, apis):
    filed = case.move("approve_filing", on=days_ago(10))
    assert filed["decision_due_on"] == days_ago(10 - 90)
    response = apis["supervisor"].post(f"{case.url}/extensions", json={
        "days": 30, "reason": "案情复杂"}, headers={"If-Match": case.etag()})
    assert response.status_code == 200, response.json
    assert response.json["decision_due_on"] == days_ago(10 - 120)
    assert response.json["extension_days"] == 30
    assert response.json["steps"][-1]["move"] == "extend_deadline"


def test_an_unknown_move_is_422_and_a_move_of_the_other_procedure_409(case, apis, inspection):
    assert case.move("teleport", expect=422)["errors"]["path"]["move"]
    refused = case.move("decide_on_spot", expect=409)
    assert refused["errors"]["state"]["allowed"] == ["approve_filing", "dismiss"]
