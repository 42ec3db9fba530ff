"""Completion judges the stored bytes, not what the phone declared."""

from __future__ import annotations

import uuid

from service.evidence.models import Photo
from tests.evidence import helpers

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _rejected(phone, answer, field, object_store, db):
    """The answer names `field`, the photo stays rejected, its bytes are gone."""
    assert answer.status_code in (413, 422), answer.json
    assert field in answer.json["errors"]["json"], answer.json
    photo_id = answer.request.path.split("/")[4]
    again = phone.complete(photo_id)
    assert (again.status_code, again.json) == (answer.status_code, answer.json)
    shown = phone.api.get(f"/api/v1/photos/{photo_id}").json
    assert shown["status"] == "rejected"
    assert shown["rejection_reason"] == answer.json["message"]
    assert object_store.head(db.get(Photo, uuid.UUID(photo_id)).object_key) is None


def test_a_pdf_declared_as_a_jpeg_is_rejected_naming_the_file(phone, inspection,
                                                             object_store, db):
    answer = phone.send(inspection.id, PDF)
    assert answer.status_code == 422
    assert "not a JPEG, PNG, HEIC/HEIF or WebP image" in answer.json["message"]
    _rejected(phone, answer, "file", object_store, db)


def test_text_declared_as_a_png_is_rejected(phone, inspection, object_store, db):
    answer = phone.send(inspection.id, "检查记录\n".encode() * 50, content_type="image/png")
    _rejected(phone, answer, "file", object_store, db)


def test_jpeg_magic_bytes_before_garbage_are_rejected(phone, inspection, object_store, db):
    answer = phone.send(inspection.id, b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    assert "cannot be read" in answer.json["message"]
    _rejected(phone, answer, "file", object_store, db)


def test_a_file_over_the_limit_is_rejected_at_completion(phone, inspection, settings,
                                                         monkeypatch, object_store, db):
    data = helpers.image(size=(1600, 1200), taken_at=None)
    created = phone.create(inspection.id, data).json
    assert phone.put(created, data).status_code == 200
    monkeypatch.setattr(settings, "photo_max_bytes", len(data) - 1)  # the limit was lowered
    answer = phone.complete(created["id"])
    assert answer.status_code == 413
    _rejected(phone, answer, "size_bytes", object_store, db)


def test_a_store_that_keeps_no_checksum_is_checked_by_hashing(phone, inspection, object_store,
                                                              db):
    data = helpers.taken_now()
    created = phone.create(inspection.id, data).json
    key = db.get(Photo, uuid.UUID(created["id"])).object_key
    object_store.put(key, data, content_type="image/jpeg")  # a store without ChecksumSHA256
    assert object_store.head(key).checksum_sha256 is None
    assert phone.complete(created["id"]).json["status"] == "complete"


def test_bytes_that_differ_from_the_declared_digest_are_rejected(phone, inspection,
                                                                 object_store, db):
    data = helpers.taken_now()
    created = phone.create(inspection.id, data).json
    key = db.get(Photo, uuid.UUID(created["id"])).object_key
    object_store.put(key, helpers.taken_now(size=(64, 48)), content_type="image/jpeg")
    answer = phone.complete(created["id"])
    assert answer.status_code == 422
    _rejected(phone, answer, "sha256", object_store, db)


def test_an_emptied_object_is_rejected(phone, inspection, object_store, db):
    created = phone.create(inspection.id, helpers.taken_now()).json
    object_store.put(db.get(Photo, uuid.UUID(created["id"])).object_key, b"",
                     content_type="image/jpeg")
    _rejected(phone, phone.complete(created["id"]), "file", object_store, db)


def test_png_webp_and_heic_photos_are_read_whole(phone, inspection):
    for fmt, content_type in [("PNG", "image/png"), ("WEBP", "image/webp"),
                              ("HEIF", "image/heic")]:
        data = helpers.taken_now(fmt=fmt)
        done = phone.send(inspection.id, data, content_type=content_type)
        assert done.status_code == 200, done.json
        assert done.json["detected_type"] == content_type
        assert done.json["taken_at"] is not None
        assert done.json["distance_m"] < 1
        assert done.json["has_anomaly"] is False


def test_the_bytes_decide_the_type_when_the_phone_declared_another_image_type(
        phone, inspection):
    done = phone.send(inspection.id, helpers.taken_now(fmt="PNG"), content_type="image/jpeg")
    assert done.status_code == 200
    assert (done.json["content_type"], done.json["detected_type"]) == ("image/jpeg",
                                                                      "image/png")
    url = phone.api.get(f"/api/v1/photos/{done.json['id']}/download").json["url"]
    assert phone.http.get(url, timeout=30).headers["Content-Type"] == "image/png"


def test_a_jpeg_with_a_large_header_is_read_beyond_the_first_bytes(phone, inspection):
    data = helpers.taken_now()
    comment = b"\xff\xfe\xff\xff" + b"x" * 65533  # a 64 KiB COM segment, five times over
    padded = data[:2] + comment * 5 + data[2:]
    done = phone.send(inspection.id, padded)
    assert done.status_code == 200, done.json
    assert done.json["width"] == 640
