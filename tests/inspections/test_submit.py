"""The phone flow: one PUT per inspection, retried freely, scored and checked on the server."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from service.inspections.models import Finding, Inspection, InspectionAnswer
from tests.checklists import factories as checklists
from tests.inspections.factories import ago, body


def _count(db, model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.scalar(stmt)


def test_a_completed_inspection_is_stored_with_the_server_s_score(phone, site, template, url,
                                                                 inspector):
    response = phone.put(url, json=body(site, template, answers={
        "real_name": "pass", "xray_check": "fail", "recycling_device": "pass"}))
    assert response.status_code == 201, response.json
    inspection = response.json
    assert inspection["status"] == "completed"
    assert inspection["score"] == 70.0
    assert inspection["region_code"] == "310113"
    assert inspection["template_id"] == str(template.id)
    assert [i["id"] for i in inspection["inspectors"]] == [str(inspector.id)]
    assert inspection["location_anomaly"] is False and inspection["distance_m"] < 1
    assert inspection["review_status"] == "none"
    assert inspection["completed_at"] is not None
    assert phone.get(url).json == inspection


def test_a_retry_with_the_same_body_answers_the_same_and_stores_nothing_new(
        phone, site, template, url, db):
    sent = body(site, template, answers={
        "real_name": "fail", "xray_check": "pass", "recycling_device": "pass"})
    first = phone.put(url, json=sent)
    again = phone.put(url, json=sent)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    inspection_id = uuid.UUID(first.json["id"])
    assert _count(db, Inspection, site_id=site.id) == 1
    assert _count(db, Finding, inspection_id=inspection_id) == 1
    assert _count(db, InspectionAnswer) >= 3


def test_the_same_body_in_another_key_order_and_time_zone_is_the_same_body(
        phone, site, template, url):
    sent = body(site, template)
    first = phone.put(url, json=sent)
    reordered = dict(reversed(list(sent.items())))
    reordered["answers"] = list(reversed(sent["answers"]))
    reordered["started_at"] = first.json["started_at"]  # the same moment, in UTC
    assert phone.put(url, json=reordered).status_code == 201


def test_the_same_id_with_a_different_body_is_a_409(phone, site, template, url):
    assert phone.put(url, json=body(site, template)).status_code == 201
    changed = body(site, template, note="补充说明")
    response = phone.put(url, json=changed)
    assert response.status_code == 409
    assert "void" in response.json["message"]
    assert response.json["errors"]["state"] == {"current": "completed", "allowed": ["void"]}


def test_a_draft_is_replaced_then_completed(phone, site, template, url, db):
    draft = body(site, template, status="draft", finished_at=None,
                 answers={"real_name": "pass"})
    created = phone.put(url, json=draft)
    assert created.status_code == 201, created.json
    assert created.json["status"] == "draft" and created.json["score"] is None
    assert phone.put(url, json=draft).status_code == 201  # a retry of the creating body
    fuller = {**draft, "answers": [{"item_code": "real_name", "answer": "fail"},
                                   {"item_code": "xray_check", "answer": "pass"}]}
    replaced = phone.put(url, json=fuller)
    assert replaced.status_code == 200 and replaced.json["revision"] == 1
    assert {a["item_code"]: a["answer"] for a in replaced.json["answers"]} == {
        "real_name": "fail", "xray_check": "pass"}
    assert replaced.json["findings"] == []
    final = body(site, template, answers={"real_name": "fail", "xray_check": "pass",
                                          "recycling_device": "not_applicable"})
    done = phone.put(url, json=final)
    assert done.status_code == 200 and done.json["status"] == "completed"
    assert done.json["score"] == 37.5  # 30 / 80
    assert [f["item_code"] for f in done.json["findings"]] == ["real_name"]
    assert phone.put(url, json=final).status_code == 200  # its retry answers the same
    assert phone.put(url, json=draft).status_code == 409  # a late copy of the draft
    assert _count(db, Finding, inspection_id=uuid.UUID(done.json["id"])) == 1


def test_only_the_draft_s_submitter_changes_it(phone, make, as_user, site, template, url):
    draft = body(site, template, status="draft", finished_at=None, answers={})
    assert phone.put(url, json=draft).status_code == 201
    colleague = as_user(make.user(region_code="310113"))
    response = colleague.put(url, json={**draft, "note": "我来改"})
    assert response.status_code == 403


def test_a_completion_must_answer_every_item(phone, site, template, url):
    response = phone.put(url, json=body(site, template, answers={"real_name": "pass"}))
    assert response.status_code == 422
    message = response.json["errors"]["json"]["answers"][0]
    assert "xray_check" in message and "recycling_device" in message


def test_answers_must_be_items_of_the_template(phone, site, template, url):
    answers = {item.code: "pass" for item in template.items} | {"signage": "pass"}
    response = phone.put(url, json=body(site, template, answers=answers))
    assert response.status_code == 422
    assert "signage" in response.json["errors"]["json"]["answers"][0]


def test_an_item_is_answered_once(phone, site, template, url):
    sent = body(site, template)
    sent["answers"].append({"item_code": "real_name", "answer": "fail"})
    response = phone.put(url, json=sent)
    assert response.status_code == 422 and "answers" in response.json["errors"]["json"]


def test_the_template_must_be_for_the_site_s_type(phone, site, db, url):
    locker = checklists.current(db, "parcel_locker")
    response = phone.put(url, json=body(site, locker))
    assert response.status_code == 422
    assert "parcel_locker" in response.json["errors"]["json"]["template_id"][0]


def test_an_unknown_template_is_422(phone, site, template, url):
    sent = body(site, template, template_id="00000000-0000-4000-8000-000000000000")
    response = phone.put(url, json=sent)
    assert response.status_code == 422 and "template_id" in response.json["errors"]["json"]


def test_an_older_template_version_stays_usable(phone, site, template, db, url):
    newer = checklists.new_version(db, "express_outlet", items=(("real_name", 100),))
    response = phone.put(url, json=body(site, template))
    assert response.status_code == 201
    assert response.json["template_id"] == str(template.id) != str(newer.id)
    assert phone.get(f"/api/v1/checklists/{template.id}").status_code == 200


def test_a_completion_needs_its_finish_time(phone, site, template, url):
    response = phone.put(url, json=body(site, template, finished_at=None))
    assert response.status_code == 422 and "finished_at" in response.json["errors"]["json"]


def test_an_unknown_kind_is_422(phone, site, template, url):
    response = phone.put(url, json=body(site, template, kind="casual"))
    assert response.status_code == 422 and "kind" in response.json["errors"]["json"]


def test_unknown_fields_are_named(phone, site, template, url):
    response = phone.put(url, json={**body(site, template), "scroe": 100})
    assert response.status_code == 422 and "scroe" in response.json["errors"]["json"]


def test_a_site_of_another_jurisdiction_is_404(phone, make, template, url, db):
    suzhou = make.site(region_code="320505")
    response = phone.put(url, json=body(suzhou, template))
    assert response.status_code == 404
    assert _count(db, Inspection, site_id=suzhou.id) == 0


def test_an_inspection_of_another_jurisdiction_is_404(phone, make, as_user, template, url):
    suzhou_inspector = as_user(make.user(region_code="320505"))
    suzhou_site = make.site(region_code="320505")
    assert suzhou_inspector.put(url, json=body(suzhou_site, template)).status_code == 201
    assert phone.get(url).status_code == 404
    listed = phone.get("/api/v1/inspections?limit=500").json["items"]
    assert url.rsplit("/", 1)[1] not in [item["id"] for item in listed]


def test_the_same_id_from_another_jurisdiction_is_a_409(phone, make, as_user, site, template,
                                                        url):
    suzhou_inspector = as_user(make.user(region_code="320505"))
    suzhou_site = make.site(region_code="320505")
    assert suzhou_inspector.put(url, json=body(suzhou_site, template)).status_code == 201
    assert phone.put(url, json=body(site, template)).status_code == 409


def test_a_closed_site_cannot_be_inspected_after_it_closed(phone, make, template, url):
    from datetime import date

    closed = make.site(region_code="310113", status="closed", closed_on=date(2025, 1, 1))
    response = phone.put(url, json=body(closed, template))
    assert response.status_code == 422 and "site_id" in response.json["errors"]["json"]


def test_only_inspectors_submit(make, as_user, site, template, url):
    from service.auth.models import ANALYST, SUPERVISOR

    for role in (SUPERVISOR, ANALYST):
        api = as_user(make.user(role=role, region_code="310113"))
        assert api.put(url, json=body(site, template)).status_code == 403


def test_the_list_filters_by_status_kind_and_finish_time(phone, site, template):
    ids = {}
    for kind in ("routine", "special"):
        ids[kind] = str(uuid.uuid4())
        phone.put(f"/api/v1/inspections/{ids[kind]}",
                  json=body(site, template, kind=kind, finished_at=ago(minutes=20)))
    special = phone.get(f"/api/v1/inspections?site_id={site.id}&kind=special").json["items"]
    assert [item["id"] for item in special] == [ids["special"]]
    window = phone.get(f"/api/v1/inspections?site_id={site.id}&status=completed"
                       f"&finished_from={ago(hours=1)}&finished_to={ago(minutes=1)}".replace(
                           "+", "%2B")).json["items"]
    assert {item["id"] for item in window} == set(ids.values())
    naive = phone.get("/api/v1/inspections?finished_from=2026-01-01T00:00:00")
    assert naive.status_code == 422
