"""A fine under the ordinary procedure, from a failed inspection to closure, paid late."""

from __future__ import annotations

from tests.enforcement.helpers import days_ago

PENALTY = {"violation_code": "real_name_not_enforced", "circumstance": "ordinary",
           "measures": ["fine"], "fine_fen": 1_500_000}


def test_a_fine_paid_late_carries_the_surcharge_and_closes_when_paid(case, apis):
    case.move("approve_filing", on=days_ago(39), reason="证据确凿，同意立案")
    case.move("investigate", "inspector", on=days_ago(38),
              evidence={"documents": ["现场检查笔录", "询问笔录"]})
    notice = case.move("give_notice", "inspector", on=days_ago(30), **PENALTY)
    assert notice["major"] and notice["hearing_offered"]  # 15,000 yuan: from the thresholds
    case.move("request_legal_review", "inspector", on=days_ago(24))
    case.move("approve_review", "legal_reviewer", on=days_ago(23), reason="事实清楚，适用依据正确")
    decided = case.move("decide", on=days_ago(22))
    assert decided["decision_number"].startswith("沪宝邮管罚〔")
    served = case.move("serve", "inspector", on=days_ago(20))
    assert served["payment_due_on"] == days_ago(5)
    # five days late: 5 × 3% of 15,000 yuan = 2,250 yuan
    assert served["balance"] == {"fine_fen": 1_500_000, "surcharge_fen": 225_000,
                                 "paid_fen": 0, "outstanding_fen": 1_725_000}
    paid = apis["inspector"].post(f"{case.url}/payments", json={
        "amount_fen": 1_500_000, "paid_on": days_ago(2), "reference": "PAY-0001"})
    assert paid.status_code == 201, paid.json
    # the fine was paid three days late: the surcharge stopped growing then (9%)
    assert case.get().json["balance"]["surcharge_fen"] == 135_000
    refused = case.move("close", expect=409)
    assert "1,350.00 yuan is still owed" in refused["message"]
    apis["inspector"].post(f"{case.url}/payments", json={
        "amount_fen": 135_000, "paid_on": days_ago(1), "reference": "PAY-0002"})
    closed = case.move("close")
    assert closed["status"] == "closed"
    assert [step["move"] for step in closed["steps"]] == [
        "open", "approve_filing", "investigate", "give_notice", "request_legal_review",
        "approve_review", "decide", "serve", "close"]
