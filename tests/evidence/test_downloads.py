"""Downloads and thumbnails: short-lived presigned GETs, only within the jurisdiction."""

from __future__ import annotations

import io
import time
import uuid

from PIL import Image

from service.auth.models import ANALYST, SUPERVISOR
from service.evidence.models import Photo
from tests.evidence import helpers


def test_a_completed_photo_downloads_over_plain_http(phone, inspection, make, as_user):
    data = helpers.taken_now()
    photo_id = phone.send(inspection.id, data).json["id"]
    for reader in (make.user(role=SUPERVISOR, region_code="310000"),
                   make.user(role=ANALYST, region_code="310113")):
        answer = as_user(reader).get(f"/api/v1/photos/{photo_id}/download")
        assert answer.status_code == 200
        fetched = phone.http.get(answer.json["url"], timeout=30)
        assert fetched.status_code == 200
        assert fetched.content == data
        assert fetched.headers["Content-Type"] == "image/jpeg"


def test_another_jurisdiction_gets_404(phone, inspection, make, as_user):
    photo_id = phone.send(inspection.id, helpers.taken_now()).json["id"]
    outsider = as_user(make.user(role=SUPERVISOR, region_code="320505"))
    for path in ("", "/download", "/thumbnail"):
        assert outsider.get(f"/api/v1/photos/{photo_id}{path}").status_code == 404
    assert outsider.get(f"/api/v1/inspections/{inspection.id}/photos").status_code == 404


def test_a_thumbnail_is_made_in_the_store_after_completion(phone, inspection, object_store,
                                                           db):
    data = helpers.taken_now(size=(1200, 900))
    done = phone.send(inspection.id, data)
    assert done.json["has_thumbnail"] is False  # made after the answer (after commit)
    row = db.get(Photo, uuid.UUID(done.json["id"]))
    db.refresh(row)
    assert row.thumbnail_key == f"thumbs/310113/{inspection.id}/{row.id}.jpg"
    assert object_store.head(row.thumbnail_key).content_type == "image/jpeg"
    url = phone.api.get(f"/api/v1/photos/{row.id}/thumbnail").json["url"]
    thumb = Image.open(io.BytesIO(phone.http.get(url, timeout=30).content))
    assert (thumb.format, thumb.size) == ("JPEG", (320, 240))


def test_the_thumbnail_is_upright_and_transparency_goes_white(phone, inspection, object_store,
                                                              db):
    data = helpers.image("PNG", size=(400, 200), mode="RGBA")
    done = phone.send(inspection.id, data, content_type="image/png")
    row = db.get(Photo, uuid.UUID(done.json["id"]))
    db.refresh(row)
    thumb = Image.open(io.BytesIO(object_store.read(row.thumbnail_key)))
    assert thumb.size == (320, 160)
    red, _green, blue = thumb.getpixel((10, 10))
    assert red > 100 and blue > 200  # half-transparent blue over white, not over black


def test_a_rotated_photo_has_an_upright_thumbnail(phone, inspection, object_store, db):
    exif = helpers.exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), "green").save(buffer, "JPEG", exif=exif.tobytes())
    done = phone.send(inspection.id, buffer.getvalue())
    row = db.get(Photo, uuid.UUID(done.json["id"]))
    db.refresh(row)
    assert Image.open(io.BytesIO(object_store.read(row.thumbnail_key))).size == (160, 320)


def test_no_thumbnail_yet_and_no_download_before_completion(phone, inspection):
    created = phone.create(inspection.id, helpers.taken_now()).json
    assert phone.api.get(f"/api/v1/photos/{created['id']}/thumbnail").status_code == 404
    assert phone.api.get(f"/api/v1/photos/{created['id']}/download").status_code == 409


def test_download_urls_expire(phone, inspection, settings, monkeypatch):
    photo_id = phone.send(inspection.id, helpers.taken_now()).json["id"]
    monkeypatch.setattr(settings, "photo_download_expiry_seconds", 1)
    url = phone.api.get(f"/api/v1/photos/{photo_id}/download").json["url"]
    time.sleep(2.5)
    assert phone.http.get(url, timeout=30).status_code == 403
