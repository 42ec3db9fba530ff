"""Photos as evidence: upload URLs, look-ups, downloads, thumbnails and clean-up.

Completing a photo (checking its bytes) is in `service.evidence.completion`.
"""

from __future__ import annotations

import base64
import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from service.assignments.reach import inspection_in_reach
from service.checklists.models import ChecklistItem
from service.common.errors import Conflict, DomainError, Forbidden, NotFound, field_error
from service.common.idempotency import insert_once, same_values
from service.common.pagination import Page, paginate
from service.common.regions import contains, in_subtree
from service.config import Settings
from service.db import new_uuid, utcnow
from service.evidence import imaging
from service.evidence.models import ABANDONED, COMPLETE, CONTENT_TYPES, PENDING, Photo
from service.inspections.models import VOIDED, Inspection
from service.inspections.queries import get_inspection
from service.storage import ObjectStore

log = logging.getLogger(__name__)
#: the fields of a POST that must match when the same photo id is sent again
SAME_BODY_FIELDS = ("inspection_id", "content_type", "declared_sha256", "size_bytes",
                    "item_code")


class TooLarge(DomainError):
    status = 413


def sha256_base64(hex_digest: str) -> str:
    """The form S3 wants in x-amz-checksum-sha256."""
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


def get_photo(db: Session, *, scope: str, photo_id: uuid.UUID) -> Photo:
    """A photo in the caller's jurisdiction, else 404."""
    photo = db.get(Photo, photo_id)
    if photo is None or not (contains(scope, photo.region_code) or inspection_in_reach(
            db, scope=scope, inspection=db.get(Inspection, photo.inspection_id))):
        raise NotFound(f"No photo {photo_id} in your jurisdiction.")
    return photo


def create_photo(db: Session, store: ObjectStore, *, scope: str, user_id: uuid.UUID,
                 settings: Settings, inspection_id: uuid.UUID, data: dict) -> Photo:
    """Record a photo and hand out its upload URL; the same id and body answer the same."""
    inspection = get_inspection(db, scope=scope, inspection_id=inspection_id)
    require_on_inspection(inspection, user_id)
    if data["size_bytes"] > settings.photo_max_bytes:
        raise TooLarge(f"A photo may be at most {settings.photo_max_bytes} bytes; "
                       f"this one is {data['size_bytes']}.", field="size_bytes")
    if inspection.status == VOIDED:
        raise Conflict("The inspection is voided (作废); photos cannot be added to it.")
    if data.get("item_code"):
        _require_item(db, inspection, data["item_code"])
    photo = _new_photo(inspection, user_id, data)
    wanted = {name: getattr(photo, name) for name in SAME_BODY_FIELDS}
    photo = insert_once(db, photo, same=same_values(wanted), what="Photo")
    if photo.status == ABANDONED:  # the phone came back after the clean-up: start over
        photo.status, photo.abandoned_at = PENDING, None
        db.flush()
    photo.upload = upload_instructions(store, photo, settings) if photo.status == PENDING else None
    return photo


def require_on_inspection(inspection: Inspection, user_id: uuid.UUID) -> None:
    """Evidence comes from the officers who were there (全过程记录): the inspection's own."""
    present = {user.id for user in inspection.inspectors} | {inspection.submitted_by_id}
    if user_id not in present:
        raise Forbidden("Only the inspectors named on this inspection add or complete its "
                        "photos.")


def _require_item(db: Session, inspection: Inspection, item_code: str) -> None:
    found = db.scalar(select(ChecklistItem.id).where(
        ChecklistItem.template_id == inspection.template_id, ChecklistItem.code == item_code))
    if found is None:
        raise field_error("item_code", f"The inspection's checklist has no item {item_code}.")


def _new_photo(inspection: Inspection, user_id: uuid.UUID, data: dict) -> Photo:
    photo_id = data.get("id") or new_uuid()
    extension = CONTENT_TYPES[data["content_type"]]
    key = f"photos/{inspection.region_code}/{inspection.id}/{photo_id}.{extension}"
    return Photo(id=photo_id, inspection_id=inspection.id, region_code=inspection.region_code,
                 item_code=data.get("item_code"), object_key=key,
                 content_type=data["content_type"], declared_sha256=data["sha256"],
                 size_bytes=data["size_bytes"], status=PENDING, uploaded_by_id=user_id)


def upload_instructions(store: ObjectStore, photo: Photo, settings: Settings) -> dict:
    """The presigned PUT and the exact headers it binds (type, SHA-256, length)."""
    expires_in = settings.photo_upload_expiry_seconds
    checksum = sha256_base64(photo.declared_sha256)
    url = store.presigned_put_exact(photo.object_key, content_type=photo.content_type,
                                    checksum_sha256=checksum, content_length=photo.size_bytes,
                                    expires_in=expires_in)
    headers = {"Content-Type": photo.content_type, "x-amz-checksum-sha256": checksum,
               "Content-Length": str(photo.size_bytes)}
    return {"url": url, "method": "PUT", "headers": headers,
            "expires_at": utcnow() + timedelta(seconds=expires_in)}


def list_photos(db: Session, *, scope: str, inspection_id: uuid.UUID, status: str | None,
                has_anomaly: bool | None, limit: int, cursor: str | None) -> Page:
    """An inspection's photos, oldest first."""
    get_inspection(db, scope=scope, inspection_id=inspection_id)
    stmt = select(Photo).where(Photo.inspection_id == inspection_id)
    if status:
        stmt = stmt.where(Photo.status == status)
    if has_anomaly is not None:
        stmt = stmt.where(Photo.has_anomaly.is_(has_anomaly))
    return paginate(db, stmt, [Photo.created_at, Photo.id], limit=limit, cursor=cursor)


def download_url(db: Session, store: ObjectStore, *, scope: str, settings: Settings,
                 photo_id: uuid.UUID) -> dict:
    """A short-lived GET URL of a completed photo's bytes."""
    photo = get_photo(db, scope=scope, photo_id=photo_id)
    if photo.status != COMPLETE:
        raise Conflict(f"The photo is {photo.status}; only completed photos can be downloaded.")
    return _signed_get(store, photo.object_key, photo.detected_type or photo.content_type,
                       settings)


def thumbnail_url(db: Session, store: ObjectStore, *, scope: str, settings: Settings,
                  photo_id: uuid.UUID) -> dict:
    """A short-lived GET URL of the photo's thumbnail (JPEG), once the worker made it."""
    photo = get_photo(db, scope=scope, photo_id=photo_id)
    if photo.thumbnail_key is None:
        raise NotFound(f"Photo {photo_id} has no thumbnail (yet).")
    return _signed_get(store, photo.thumbnail_key, "image/jpeg", settings)


def _signed_get(store: ObjectStore, key: str, content_type: str, settings: Settings) -> dict:
    expires_in = settings.photo_download_expiry_seconds
    url = store.presigned_get_as(key, content_type=content_type, expires_in=expires_in)
    return {"url": url, "expires_at": utcnow() + timedelta(seconds=expires_in)}


def _stale_pending(now: datetime, grace_hours: int):
    cutoff = now - timedelta(hours=grace_hours)
    return select(Photo).where(Photo.status == PENDING, Photo.created_at < cutoff)


def list_abandoned(db: Session, *, scope: str, now: datetime, grace_hours: int, limit: int,
                   cursor: str | None) -> Page:
    """Photos handed an upload URL longer than the grace period ago and never completed."""
    stmt = _stale_pending(now, grace_hours).where(in_subtree(Photo.region_code, scope))
    return paginate(db, stmt, [Photo.created_at, Photo.id], limit=limit, cursor=cursor)


def clean_up_abandoned(db: Session, store: ObjectStore, *, now: datetime, grace_hours: int,
                       batch: int = 200) -> int:
    """Mark stale pending photos abandoned and delete their objects; rows stay. Returns count.

    A completed photo is never touched: each row is claimed by a version-checked update
    first, so a completion that won the race makes the claim fail and its object stays.
    """
    stmt = _stale_pending(now, grace_hours).order_by(Photo.created_at).limit(batch)
    cleaned = 0
    for photo in db.scalars(stmt.with_for_update(skip_locked=True)).all():
        try:
            with db.begin_nested():
                photo.status, photo.abandoned_at = ABANDONED, now
        except StaleDataError:
            continue
        store.delete(photo.object_key)
        cleaned += 1
    return cleaned


def make_thumbnail(db: Session, store: ObjectStore, photo_id: str) -> None:
    """Store a JPEG thumbnail of a completed photo under thumbs/; quiet when nothing to do."""
    photo = db.get(Photo, uuid.UUID(photo_id))
    if photo is None or photo.status != COMPLETE or photo.thumbnail_key:
        return
    data = store.read(photo.object_key)
    try:
        jpeg = imaging.thumbnail_jpeg(data, photo.detected_type or photo.content_type)
    except imaging.DECODE_ERRORS as exc:
        log.warning("no thumbnail for photo %s: %s", photo_id, exc)
        return
    key = "thumbs/" + photo.object_key.removeprefix("photos/").rsplit(".", 1)[0] + ".jpg"
    store.put(key, jpeg, content_type="image/jpeg")
    photo.thumbnail_key = key
    db.flush()
