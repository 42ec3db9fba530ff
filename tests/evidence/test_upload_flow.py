"""The phone's upload flow end to end: API → presigned PUT over plain HTTP → completion."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from service.db import utcnow
from service.evidence.models import Photo
from tests.evidence import helpers


def test_a_photo_goes_from_the_phone_to_the_store_and_is_completed(phone, inspection, db):
    data = helpers.taken_now()
    created = phone.create(inspection.id, data, item_code="recycling_device")
    assert created.status_code == 201, created.json
    body = created.json
    assert body["status"] == "pending"
    assert body["upload"]["headers"] == {
        "Content-Type": "image/jpeg", "x-amz-checksum-sha256": helpers.sha256_b64(data),
        "Content-Length": str(len(data))}
    expires_at = datetime.fromisoformat(body["upload"]["expires_at"])
    assert timedelta(minutes=14) < expires_at - utcnow() <= timedelta(minutes=15)

    assert phone.put(body, data).status_code == 200
    done = phone.complete(body["id"])

    assert done.status_code == 200, done.json
    assert done.json["status"] == "complete"
    assert done.json["detected_type"] == "image/jpeg"
    assert (done.json["width"], done.json["height"]) == (640, 480)
    assert done.json["item_code"] == "recycling_device"
    assert done.json["has_anomaly"] is False
    assert done.json["location"]["lat"] == helpers.SITE_POINT[0]
    assert done.json["distance_m"] < 1
    row = db.get(Photo, uuid.UUID(body["id"]))
    assert row.object_key == f"photos/310113/{inspection.id}/{body['id']}.jpg"
    assert row.declared_sha256 == helpers.sha256_hex(data)


def test_a_retried_post_answers_the_same_photo_without_a_duplicate(phone, inspection):
    data = helpers.taken_now()
    photo_id = uuid.uuid4()
    first = phone.create(inspection.id, data, photo_id=photo_id)
    again = phone.create(inspection.id, data, photo_id=photo_id)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json["id"] == again.json["id"] == str(photo_id)
    assert phone.put(again.json, data).status_code == 200  # the fresh URL works as well
    listed = phone.api.get(f"/api/v1/inspections/{inspection.id}/photos").json["items"]
    assert [item["id"] for item in listed] == [str(photo_id)]


def test_the_same_id_with_another_body_is_a_conflict(phone, inspection):
    photo_id = uuid.uuid4()
    assert phone.create(inspection.id, helpers.taken_now(), photo_id=photo_id).status_code == 201
    other = phone.create(inspection.id, helpers.image("PNG"), photo_id=photo_id,
                         content_type="image/png")
    assert other.status_code == 409


def test_duplicate_uploads_and_completions_answer_the_same(phone, inspection, object_store):
    data = helpers.taken_now()
    created = phone.create(inspection.id, data).json
    assert phone.put(created, data).status_code == 200
    assert phone.put(created, data).status_code == 200  # the phone lost the first answer
    first = phone.complete(created["id"])
    again = phone.complete(created["id"])
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json["has_thumbnail"] is True  # the worker ran after the first answer
    assert {**first.json, "has_thumbnail": True} == again.json
    after_completion = phone.create(inspection.id, data, photo_id=created["id"])
    assert after_completion.status_code == 201
    assert after_completion.json["status"] == "complete"
    assert after_completion.json["upload"] is None


def test_completing_before_the_upload_is_a_retryable_conflict(phone, inspection):
    data = helpers.taken_now()
    created = phone.create(inspection.id, data).json
    early = phone.complete(created["id"])
    assert early.status_code == 409
    assert "not been uploaded" in early.json["message"]
    assert phone.api.get(f"/api/v1/photos/{created['id']}").json["status"] == "pending"
    assert phone.put(created, data).status_code == 200
    assert phone.complete(created["id"]).status_code == 200


def test_the_digest_may_be_sent_as_base64(phone, inspection):
    data = helpers.taken_now()
    payload = {"content_type": "image/jpeg", "sha256": helpers.sha256_b64(data),
               "size_bytes": len(data)}
    created = phone.api.post(f"/api/v1/inspections/{inspection.id}/photos", json=payload)
    assert created.status_code == 201, created.json
    assert created.json["sha256"] == helpers.sha256_hex(data)
    assert phone.put(created.json, data).status_code == 200
    assert phone.complete(created.json["id"]).status_code == 200


def test_photos_sync_after_the_inspection_and_while_it_is_a_draft(phone, make, inspector):
    for status in ("completed", "draft"):
        found = helpers.inspection(make, inspector=inspector, status=status)
        assert phone.send(found.id, helpers.taken_now()).json["status"] == "complete"


def test_a_voided_inspection_takes_no_photos(phone, make, inspector):
    voided = helpers.inspection(make, inspector=inspector, status="voided")
    answer = phone.create(voided.id, helpers.taken_now())
    assert answer.status_code == 409
    assert "voided" in answer.json["message"]


def test_an_unknown_checklist_item_is_named(phone, inspection):
    answer = phone.create(inspection.id, helpers.taken_now(), item_code="no_such_item")
    assert answer.status_code == 422
    assert "item_code" in answer.json["errors"]["json"]


def test_bad_bodies_name_their_fields(phone, inspection):
    url = f"/api/v1/inspections/{inspection.id}/photos"
    good = {"content_type": "image/jpeg", "sha256": "ab" * 32, "size_bytes": 10}
    for field, value in [("content_type", "application/pdf"), ("sha256", "not-a-digest"),
                         ("sha256", "ab" * 31), ("size_bytes", 0), ("size_bytes", "12"),
                         ("id", "photo-1"), ("colour", "red")]:
        answer = phone.api.post(url, json={**good, field: value})
        assert answer.status_code == 422, (field, value)
        assert field in answer.json["errors"]["json"], (field, value)


def test_another_jurisdictions_inspection_is_not_found(phone, make):
    elsewhere = helpers.inspection(make, region_code="320505")
    assert phone.create(elsewhere.id, helpers.taken_now()).status_code == 404
    assert phone.create(uuid.uuid4(), helpers.taken_now()).status_code == 404
    theirs = helpers.photo(make, elsewhere)
    assert phone.complete(theirs.id).status_code == 404
    assert phone.api.get(f"/api/v1/photos/{theirs.id}").status_code == 404


def test_only_the_inspections_own_inspectors_add_and_complete_its_photos(make, as_user,
                                                                       inspection):
    colleague = helpers.Phone(as_user(make.user(role="inspector", region_code="310113")))
    refused = colleague.create(inspection.id, helpers.taken_now())
    assert refused.status_code == 403
    theirs = helpers.photo(make, inspection, status="pending")
    assert colleague.complete(theirs.id).status_code == 403
    assert colleague.api.get(f"/api/v1/photos/{theirs.id}").status_code == 200  # may read
