"""Cases walked from a failed inspection to their end, one per measure."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from service.enforcement.measures import Policy
from service.enforcement.models import Case, CaseStep
from service.enforcement.steps import move_case
from service.enforcement.suspensions import apply_suspensions
from service.registry.models import Site
from tests.enforcement.conftest import open_case
from tests.enforcement.helpers import days_ago, today


def test_a_warning_on_the_spot_under_the_summary_procedure(apis, inspection, catalogue):
    case = open_case(apis, inspection, opened_days_ago=0, procedure="summary")
    decided = case.move("decide_on_spot", "inspector", violation_code="real_name_not_enforced",
                        circumstance="minor", measures=["warning"])
    assert decided["status"] == "decided"
    assert "简罚〔" in decided["decision_number"]
    case.move("serve", "inspector", reason="当场交付当事人")
    closed = case.move("close", "inspector")
    assert closed["status"] == "closed" and closed["closed_on"] == today().isoformat()


def test_a_small_fine_on_the_spot_stays_under_the_summary_caps(apis, inspection, catalogue):
    case = open_case(apis, inspection, opened_days_ago=0, procedure="summary",
                     party_kind="person", party_name="王小明")
    refused = case.move("decide_on_spot", "inspector", expect=422,
                        violation_code="terminal_not_registered", circumstance="ordinary",
                        measures=["fine"], fine_fen=20_100)
    assert "at most 200.00 yuan" in refused["errors"]["json"]["fine_fen"][0]
    decided = case.move("decide_on_spot", "inspector", violation_code="terminal_not_registered",
                        circumstance="ordinary", measures=["fine"], fine_fen=20_000)
    assert decided["fine_fen"] == 20_000


def _to_notice(case, penalty, *, notice_days_ago: int):
    case.move("approve_filing", on=days_ago(notice_days_ago + 2))
    case.move("investigate", "inspector", on=days_ago(notice_days_ago + 1))
    return case.move("give_notice", "inspector", on=days_ago(notice_days_ago), **penalty)


def test_a_suspension_with_a_hearing_shows_in_the_registry_and_the_feed(
        apis, inspection, catalogue, site, db, app, people):
    case = open_case(apis, inspection, opened_days_ago=20)
    notice = _to_notice(case, {
        "violation_code": "real_name_not_enforced", "circumstance": "serious",
        "measures": ["fine", "suspension"], "fine_fen": 6_000_000,
        "suspension_from": days_ago(1), "suspension_until": (today() + timedelta(days=14))
        .isoformat()}, notice_days_ago=12)
    assert notice["hearing_offered"] and notice["major"]
    case.move("request_hearing", "inspector", on=days_ago(9), reason="当事人书面申请听证")
    case.move("hold_hearing", "inspector", on=days_ago(6),
              evidence={"documents": ["听证笔录"]})
    case.move("request_legal_review", "inspector", on=days_ago(5))
    case.move("approve_review", "legal_reviewer", on=days_ago(4))
    case.move("decide", on=days_ago(3))
    before = apis["inspector"].get("/api/v1/sync/changes").json["next_since"]
    served = case.move("serve", "inspector", on=days_ago(2))
    assert served["status"] == "executing"
    shown = apis["inspector"].get(f"/api/v1/sites/{site.id}").json
    assert shown["status"] == "suspended"
    feed = apis["inspector"].get(f"/api/v1/sync/changes?since={before}").json["items"]
    assert any(item["id"] == str(site.id) and item["status"] == "suspended" for item in feed)
    # the day after the suspension ends the daily job reopens the site; then it closes
    apply_suspensions(db, today=today() + timedelta(days=15))
    assert db.get(Site, site.id).status == "active"
    stored = db.get(Case, case.id)
    apis["inspector"].post(f"{case.url}/payments", json={
        "amount_fen": 6_000_000, "paid_on": days_ago(0), "reference": "SUSP-1"})
    db.expire_all()
    move_case(db, scope="310113", user=people["supervisor"], case=db.get(Case, case.id),
              move="close", data={"on": today() + timedelta(days=15)}, policy=Policy(),
              today=today() + timedelta(days=15))
    assert stored.status == "closed"


def test_a_transfer_to_police_ends_the_case_with_its_document(apis, inspection, catalogue, db):
    case = open_case(apis, inspection, opened_days_ago=3)
    case.move("approve_filing", on=days_ago(2))
    case.move("investigate", "inspector", on=days_ago(1))
    missing = case.move("transfer_to_police", expect=422)
    assert "police_agency" in missing["errors"]["json"]
    moved = case.move("transfer_to_police", police_agency="上海市公安局宝山分局",
                      reason="涉嫌寄递违禁品，构成犯罪",
                      evidence={"documents": ["涉嫌犯罪案件移送书"]})
    assert moved["status"] == "transferred" and moved["transferred_on"] == today().isoformat()
    step = db.scalar(select(CaseStep).where(CaseStep.case_id == case.id,
                                            CaseStep.move == "transfer_to_police"))
    assert "邮管移〔" in step.document_number
    assert step.evidence["documents"] == ["涉嫌犯罪案件移送书"]


def test_a_dismissal_needs_a_reason_and_works_from_any_open_state(apis, inspection, catalogue):
    case = open_case(apis, inspection, opened_days_ago=3)
    case.move("approve_filing", on=days_ago(2))
    assert "reason" in case.move("dismiss", expect=422)["errors"]["json"]
    dismissed = case.move("dismiss", reason="违法事实不能成立")
    assert dismissed["status"] == "dismissed" and dismissed["dismissal_reason"]
    assert dismissed["allowed_moves"] == []


def test_a_served_revocation_revokes_the_licence_in_the_registry_and_the_feed(
        apis, inspection, catalogue, site, db):
    case = open_case(apis, inspection, opened_days_ago=20)
    enterprise_url = f"/api/v1/enterprises/{site.enterprise_id}"
    assert apis["inspector"].get(enterprise_url).json["licence_status"] == "valid"
    notice = _to_notice(case, {
        "violation_code": "user_information_leaked", "circumstance": "serious",
        "measures": ["fine", "revocation"], "fine_fen": 6_000_000}, notice_days_ago=12)
    assert notice["major"] and notice["hearing_offered"]
    case.move("request_legal_review", "inspector", on=days_ago(5))
    case.move("approve_review", "legal_reviewer", on=days_ago(4))
    case.move("decide", on=days_ago(3))
    # decided but not yet served: the licence stands
    assert apis["inspector"].get(enterprise_url).json["licence_status"] == "valid"
    before = apis["inspector"].get("/api/v1/sync/changes").json["next_since"]
    case.move("serve", "inspector", on=days_ago(2))
    shown = apis["inspector"].get(enterprise_url).json
    assert (shown["licence_status"], shown["licence_revoked_on"],
            shown["licence_revoked_case_id"]) == ("revoked", days_ago(2), str(case.id))
    feed = apis["inspector"].get(f"/api/v1/sync/changes?since={before}").json["items"]
    mine = [item for item in feed if item["id"] == str(site.id)]
    assert mine and mine[-1]["site"]["enterprise_licence_status"] == "revoked"
