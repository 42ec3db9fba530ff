"""Publicity (公示): the due date in working days, recording publication, the public list."""

from __future__ import annotations

from datetime import date

from service.enforcement.publicity import mask_id_number, mask_name, publication_due
from tests.enforcement.conftest import open_case
from tests.enforcement.helpers import days_ago, today


def test_the_due_date_counts_official_working_days():
    # 2026-09-30 (Wed): the National Day holiday runs 10-01..10-07, 10-10 (Sat) is worked
    assert publication_due(date(2026, 9, 30)) == date(2026, 10, 15)
    # an ordinary week: Monday's decision is due the Wednesday after next
    assert publication_due(date(2026, 11, 2)) == date(2026, 11, 11)


def test_personal_details_are_masked():
    assert mask_name("王小明") == "王**"
    assert mask_id_number("310113199001011234") == "310113********1234"


def test_the_public_list_shows_published_decisions_with_people_masked(apis, inspection,
                                                                      catalogue, client):
    case = open_case(apis, inspection, opened_days_ago=2, procedure="summary",
                     party_kind="person", party_name="王小明",
                     party_id_number="310113199001011234", title="王小明未执行实名收寄")
    case.move("decide_on_spot", "inspector", on=days_ago(1),
              violation_code="real_name_not_enforced", circumstance="minor",
              measures=["warning"])
    assert str(case.id) not in [i["id"] for i in client.get(
        "/api/v1/public/decisions?limit=500").json["items"]]
    published = apis["supervisor"].post(f"{case.url}/publication", json={})
    assert published.json["published_on"] == str(today())
    listed = client.get("/api/v1/public/decisions?limit=500")  # no login
    assert listed.status_code == 200
    shown = next(i for i in listed.json["items"] if i["id"] == str(case.id))
    assert shown["party_name"] == "王**"
    assert shown["party_id_number"] == "310113********1234"
    assert "王小明" not in shown["title"]
    assert "王小明" not in listed.get_data(as_text=True)


def test_publication_is_recorded_once(apis, inspection, catalogue):
    case = open_case(apis, inspection, opened_days_ago=0, procedure="summary")
    case.move("decide_on_spot", "inspector", violation_code="real_name_not_enforced",
              circumstance="minor", measures=["warning"])
    url = f"{case.url}/publication"
    assert apis["supervisor"].post(url, json={}).status_code == 200
    assert apis["supervisor"].post(url, json={}).status_code == 200  # a retry
    assert apis["supervisor"].post(url, json={"published_on": "2020-01-01"}).status_code == 409
