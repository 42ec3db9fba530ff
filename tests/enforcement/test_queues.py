"""The work queues: what each lists, filters, jurisdiction, paging, claims."""

from __future__ import annotations

from datetime import timedelta

from service.auth.models import SUPERVISOR
from service.enforcement import queues
from tests.enforcement.conftest import open_case
from tests.enforcement.helpers import days_ago, today
from tests.inspections.factories import moved

Q = "/api/v1/enforcement/queues"
FINE = {"violation_code": "xray_check_not_performed", "circumstance": "ordinary",
        "measures": ["fine"], "fine_fen": 900_000}


def ids(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["item_id"] for item in response.json["items"]]


def test_a_lead_waits_for_filing_approval_then_for_its_decision(apis, inspection, catalogue):
    case = open_case(apis, inspection, opened_days_ago=85)
    assert str(case.id) in ids(apis["supervisor"].get(f"{Q}/filing_approval"))
    case.move("approve_filing", on=days_ago(80))
    assert str(case.id) not in ids(apis["supervisor"].get(f"{Q}/filing_approval"))
    # due in 10 days: inside the 15-day warning window
    item = apis["supervisor"].get(f"{Q}/decision_deadline").json["items"][0]
    assert item["item_id"] == str(case.id) and item["due_on"] == days_ago(-10)


def test_a_decision_far_from_its_deadline_is_not_listed_yet(apis, case):
    case.move("approve_filing", on=days_ago(1))
    assert str(case.id) not in ids(apis["supervisor"].get(f"{Q}/decision_deadline"))


def test_legal_reviews_and_unpublished_decisions_are_queued_until_done(apis, case):
    case.move("approve_filing", on=days_ago(40))
    case.move("investigate", "inspector", on=days_ago(39))
    case.move("give_notice", "inspector", on=days_ago(30), **FINE)
    case.move("request_legal_review", "inspector", on=days_ago(29))
    assert str(case.id) in ids(apis["legal_reviewer"].get(f"{Q}/legal_review"))
    case.move("approve_review", "legal_reviewer", on=days_ago(28))
    assert str(case.id) not in ids(apis["legal_reviewer"].get(f"{Q}/legal_review"))
    decided = case.move("decide", on=days_ago(27))
    listed = apis["supervisor"].get(f"{Q}/publication").json["items"]
    assert [i["due_on"] for i in listed if i["item_id"] == str(case.id)] == [
        decided["publish_due_on"]]
    published = apis["supervisor"].post(f"{case.url}/publication", json={})
    assert published.status_code == 200 and published.json["published_on"] == str(today())
    assert str(case.id) not in ids(apis["supervisor"].get(f"{Q}/publication"))
    served = case.move("serve", "inspector", on=days_ago(20))  # payment due 5 days ago
    assert served["served_late"] is False and served["service_due_on"] == days_ago(20)
    unpaid = apis["supervisor"].get(f"{Q}/payment").json["items"]
    assert [i["overdue"] for i in unpaid if i["item_id"] == str(case.id)] == [True]
    apis["inspector"].post(f"{case.url}/payments", json={
        "amount_fen": 900_000 + 900_000 * 15 // 100, "paid_on": str(today()),
        "reference": "Q-1"})
    assert str(case.id) not in ids(apis["supervisor"].get(f"{Q}/payment"))


def test_queues_filter_by_region_assignee_and_type(apis, case, make, people, inspection):
    assert str(case.id) in ids(apis["supervisor"].get(f"{Q}/filing_approval?type=inspection"))
    assert ids(apis["supervisor"].get(f"{Q}/filing_approval?type=complaint")) == []
    assert ids(apis["supervisor"].get(f"{Q}/filing_approval?region_code=310106")) == []
    mine = f"{Q}/filing_approval?assignee_id={people['inspector'].id}"
    assert str(case.id) in ids(apis["supervisor"].get(mine))
    theirs = f"{Q}/filing_approval?assignee_id={people['partner'].id}"
    assert ids(apis["supervisor"].get(theirs)) == []


def test_queues_are_limited_to_the_jurisdiction(case, make, as_user):
    stranger = as_user(make.user(role=SUPERVISOR, region_code="310106"))
    assert str(case.id) not in ids(stranger.get(f"{Q}/filing_approval"))
    city = as_user(make.user(role=SUPERVISOR, region_code="310000"))
    assert str(case.id) in ids(city.get(f"{Q}/filing_approval"))


def test_queues_page_by_due_date(apis, inspection, catalogue):
    cases = [open_case(apis, inspection, opened_days_ago=n, title=f"案件{n}") for n in (3, 1, 2)]
    first = apis["supervisor"].get(f"{Q}/filing_approval?limit=2").json
    second = apis["supervisor"].get(
        f"{Q}/filing_approval?limit=2&cursor={first['next_cursor']}").json
    listed = [i["item_id"] for i in first["items"] + second["items"]]
    assert listed == [str(cases[0].id), str(cases[2].id), str(cases[1].id)]


def test_a_flagged_inspection_is_queued_and_can_be_claimed(apis, make, people):
    site = make.site(region_code="310113")
    lat, lon = moved(site.lat, site.lon, 2000)
    from tests.enforcement.helpers import failed_inspection

    flagged = failed_inspection(make, inspector=people["inspector"], partner=people["partner"],
                                site=site, location={"lat": lat, "lon": lon, "crs": "wgs84"})
    assert str(flagged.id) in ids(apis["supervisor"].get(f"{Q}/flagged_inspection"))
    claimed = apis["supervisor"].post(f"{Q}/flagged_inspection/{flagged.id}/claim", json={})
    assert claimed.status_code == 200, claimed.json
    listed = apis["supervisor"].get(f"{Q}/flagged_inspection").json["items"]
    assert [i["claimed_by_id"] for i in listed if i["item_id"] == str(flagged.id)] == [
        str(people["supervisor"].id)]


def test_a_claim_blocks_others_until_released_or_expired(apis, case, make, as_user, db,
                                                         people):
    other = as_user(make.user(role=SUPERVISOR, region_code="310113"))
    url = f"{Q}/filing_approval/{case.id}/claim"
    first = apis["supervisor"].post(url, json={"minutes": 10})
    assert first.status_code == 200 and first.json["claimed_by_id"] == str(
        people["supervisor"].id)
    assert other.post(url, json={}).status_code == 409
    assert other.delete(url).status_code == 409  # only the holder releases
    assert apis["supervisor"].delete(url).status_code == 200
    assert other.post(url, json={}).status_code == 200
    claimed = apis["supervisor"].get(f"{Q}/filing_approval?claimed=true").json["items"]
    assert [i["item_id"] for i in claimed] == [str(case.id)]
    # an expired claim is anyone's
    later = queues.claim(db, scope="310113", user=people["supervisor"],
                         queue="filing_approval", item_id=case.id, minutes=5,
                         now=queues.utcnow() + timedelta(minutes=31))
    assert later.claimed_by_id == people["supervisor"].id


def test_unknown_queues_and_items_are_404(apis, case):
    assert apis["supervisor"].get(f"{Q}/nonsense").status_code == 404
    response = apis["supervisor"].post(f"{Q}/legal_review/{case.id}/claim", json={})
    assert response.status_code == 404


def test_a_malformed_region_filter_is_a_422_naming_it(apis, client):
    response = apis["supervisor"].get(f"{Q}/publication?region_code=abc")
    assert response.status_code == 422
    assert "region_code" in response.json["errors"]["query"]
    assert client.get("/api/v1/public/decisions?region_code=31x").status_code == 422
