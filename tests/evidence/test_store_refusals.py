"""What the object store itself refuses, because the presigned PUT binds it."""

from __future__ import annotations

import time

from tests.evidence import helpers


def test_bytes_other_than_the_declared_ones_are_refused_with_bad_digest(phone, inspection):
    data = helpers.taken_now()
    created = phone.create(inspection.id, data).json
    altered = bytearray(data)
    altered[-10] ^= 0xFF  # same length, one byte changed
    refused = phone.put(created, bytes(altered))
    assert refused.status_code == 400
    assert "<Code>BadDigest</Code>" in refused.text
    assert phone.complete(created["id"]).status_code == 409  # nothing was stored


def test_another_content_type_is_refused(phone, inspection):
    data = helpers.taken_now()
    created = phone.create(inspection.id, data).json
    refused = phone.put(created, data, **{"Content-Type": "image/png"})
    assert refused.status_code == 403
    assert "SignatureDoesNotMatch" in refused.text


def test_a_put_without_the_checksum_header_is_refused(phone, inspection):
    data = helpers.taken_now()
    created = phone.create(inspection.id, data).json
    headers = {"Content-Type": "image/jpeg"}
    refused = phone.http.put(created["upload"]["url"], data=data, headers=headers, timeout=30)
    assert refused.status_code == 403


def test_a_longer_file_than_declared_is_refused(phone, inspection):
    data = helpers.taken_now()
    bigger = data + b"\0" * 4096
    payload = {"content_type": "image/jpeg", "sha256": helpers.sha256_hex(bigger),
               "size_bytes": len(data)}
    created = phone.api.post(f"/api/v1/inspections/{inspection.id}/photos", json=payload).json
    refused = phone.put(created, bigger, **{"Content-Length": str(len(bigger))})
    assert refused.status_code == 403


def test_an_expired_upload_url_is_refused(phone, inspection, settings, monkeypatch):
    monkeypatch.setattr(settings, "photo_upload_expiry_seconds", 1)
    data = helpers.taken_now()
    created = phone.create(inspection.id, data).json
    time.sleep(2.5)
    refused = phone.put(created, data)
    assert refused.status_code == 403
    assert "expired" in refused.text
    monkeypatch.setattr(settings, "photo_upload_expiry_seconds", 900)
    fresh = phone.create(inspection.id, data, photo_id=created["id"])  # the phone asks again
    assert phone.put(fresh.json, data).status_code == 200
    assert phone.complete(created["id"]).status_code == 200


def test_a_declared_size_over_the_limit_gets_no_upload_url(phone, inspection, settings):
    payload = {"content_type": "image/jpeg", "sha256": "ab" * 32,
               "size_bytes": settings.photo_max_bytes + 1}
    answer = phone.api.post(f"/api/v1/inspections/{inspection.id}/photos", json=payload)
    assert answer.status_code == 413
    assert "size_bytes" in answer.json["errors"]["json"]
    payload["size_bytes"] = settings.photo_max_bytes
    assert phone.api.post(f"/api/v1/inspections/{inspection.id}/photos",
                          json=payload).status_code == 201
