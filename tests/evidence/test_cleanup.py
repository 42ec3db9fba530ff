"""Uploads never completed are listed, then cleaned up; nothing completed is ever deleted."""

from __future__ import annotations

import uuid
from datetime import timedelta

from service.auth.models import ADMIN
from service.db import utcnow
from service.evidence import tasks
from service.evidence.models import COMPLETE, PENDING, Photo
from tests.evidence import helpers


def _age(db, photo_id, hours: float):
    row = db.get(Photo, uuid.UUID(str(photo_id)))
    row.created_at = utcnow() - timedelta(hours=hours)
    db.flush()
    return row


def test_pending_photos_are_listed_after_the_grace_period(make, as_user, inspection, db):
    admin = as_user(make.user(role=ADMIN, region_code="310113"))
    stale = helpers.photo(make, inspection, status=PENDING)
    fresh = helpers.photo(make, inspection, status=PENDING)
    old_complete = helpers.photo(make, inspection, status=COMPLETE)
    theirs = helpers.photo(make, helpers.inspection(make, region_code="320505"),
                           status=PENDING)
    for row in (stale, old_complete, theirs):
        _age(db, row.id, hours=25)
    _age(db, fresh.id, hours=23)
    listed = [item["id"] for item in admin.get("/api/v1/photos/abandoned").json["items"]]
    assert str(stale.id) in listed
    assert {str(fresh.id), str(old_complete.id), str(theirs.id)}.isdisjoint(listed)


def test_the_clean_up_deletes_only_never_completed_uploads(app, phone, inspection, db,
                                                           object_store):
    data = helpers.taken_now()
    completed = phone.send(inspection.id, data).json["id"]
    uploaded = phone.create(inspection.id, data).json
    assert phone.put(uploaded, data).status_code == 200
    fresh = phone.create(inspection.id, data).json
    assert phone.put(fresh, data).status_code == 200
    stale_rows = [_age(db, photo_id, hours=48) for photo_id in (completed, uploaded["id"])]
    fresh_row = db.get(Photo, uuid.UUID(fresh["id"]))

    with app.app_context():
        assert tasks.clean_up_abandoned_photos() == 1

    for row in (*stale_rows, fresh_row):
        db.refresh(row)
    done, abandoned = stale_rows
    assert (done.status, abandoned.status, fresh_row.status) == ("complete", "abandoned",
                                                                 "pending")
    assert abandoned.abandoned_at is not None
    assert object_store.head(done.object_key) is not None
    assert object_store.head(done.thumbnail_key) is not None
    assert object_store.head(abandoned.object_key) is None
    assert object_store.head(fresh_row.object_key) is not None
    assert phone.api.get(f"/api/v1/photos/{abandoned.id}").json["status"] == "abandoned"


def test_an_abandoned_photo_can_be_sent_again(app, phone, inspection, db):
    data = helpers.taken_now()
    created = phone.create(inspection.id, data).json
    _age(db, created["id"], hours=48)
    with app.app_context():
        tasks.clean_up_abandoned_photos()
    late = phone.complete(created["id"])
    assert late.status_code == 409
    assert "abandoned" in late.json["message"]
    again = phone.create(inspection.id, data, photo_id=created["id"])
    assert again.status_code == 201
    assert again.json["status"] == "pending"
    assert phone.put(again.json, data).status_code == 200
    assert phone.complete(created["id"]).json["status"] == "complete"


def test_the_thumbnail_task_is_quiet_about_a_missing_photo(app):
    with app.app_context():
        tasks.make_thumbnail(str(uuid.uuid4()))
