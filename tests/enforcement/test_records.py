"""An enterprise's and a site's enforcement record on one page; summons."""

from __future__ import annotations

from datetime import timedelta

from tests.enforcement.conftest import open_case
from tests.enforcement.helpers import today


def test_a_site_record_lists_findings_cases_orders_payments_and_summons(
        apis, inspection, catalogue, site, people):
    case = open_case(apis, inspection, opened_days_ago=0, procedure="summary")
    case.move("decide_on_spot", "inspector", violation_code="terminal_not_registered",
              circumstance="ordinary", measures=["fine"], fine_fen=100_000)
    case.move("serve", "inspector")
    apis["inspector"].post(f"{case.url}/payments", json={
        "amount_fen": 100_000, "paid_on": str(today()), "reference": "R-1"})
    order = apis["inspector"].post("/api/v1/enforcement/rectifications", json={
        "site_id": str(site.id), "finding_ids": [str(inspection.findings[0].id)],
        "due_on": str(today() + timedelta(days=7)),
        "inspector_ids": [str(people["inspector"].id)]}).json
    summons = apis["supervisor"].post("/api/v1/enforcement/summons", json={
        "enterprise_id": str(site.enterprise_id), "site_id": str(site.id),
        "held_on": str(today()), "subject": "实名收寄落实不到位约谈"})
    assert summons.status_code == 201 and "邮管约〔" in summons.json["number"]
    for url in (f"/api/v1/enforcement/records/sites/{site.id}",
                f"/api/v1/enforcement/records/enterprises/{site.enterprise_id}"):
        record = apis["supervisor"].get(url).json
        assert [f["id"] for f in record["findings"]] == [str(inspection.findings[0].id)]
        assert [c["id"] for c in record["cases"]] == [str(case.id)]
        assert record["cases"][0]["payments"][0]["amount_fen"] == 100_000
        assert record["cases"][0]["balance"]["outstanding_fen"] == 0
        assert [r["id"] for r in record["rectifications"]] == [order["id"]]
        assert [s["id"] for s in record["summons"]] == [summons.json["id"]]


def test_a_record_outside_the_jurisdiction_is_404(apis, make):
    far = make.site(region_code="320505")
    assert apis["supervisor"].get(
        f"/api/v1/enforcement/records/sites/{far.id}").status_code == 404
