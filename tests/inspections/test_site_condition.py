"""An inspector who finds no site at its address, or finds it closed, records just that."""

from __future__ import annotations

from tests.inspections.factories import body


def test_a_site_not_found_is_recorded_without_answers(phone, site, template, url):
    response = phone.put(url, json=body(site, template, answers={}, site_condition="not_found"))
    assert response.status_code == 201, response.json
    assert response.json["site_condition"] == "not_found"
    assert (response.json["score"], response.json["findings"]) == (None, [])


def test_a_site_not_found_answers_no_items(phone, site, template, url):
    response = phone.put(url, json=body(site, template, site_condition="not_found"))
    assert response.status_code == 422
    assert "answers" in response.json["errors"]["json"]


def test_a_present_site_is_checked_item_by_item(phone, site, template, url):
    response = phone.put(url, json=body(site, template, answers={}))
    assert response.status_code == 422
    assert "missing" in str(response.json["errors"]["json"]["answers"])
