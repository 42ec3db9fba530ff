"""Completing a photo: the phone says "uploaded"; the server checks the stored bytes.

The presigned PUT already bound the type, SHA-256 and length, so this needs a HEAD and a
ranged GET of the first bytes (type, EXIF): never the whole file through the API, except
for the formats whose EXIF may sit after the pixels (PNG, WebP, HEIC/HEIF), and when the
store keeps no checksum.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from service.common.errors import Conflict, DomainError
from service.common.geo import distance_m
from service.common.jobs import enqueue_after_commit
from service.config import Settings
from service.db import utcnow
from service.evidence import imaging
from service.evidence.logic import get_photo, require_on_inspection, sha256_base64
from service.evidence.models import ABANDONED, COMPLETE, REJECTED, Photo
from service.inspections.lifecycle import flag_for_review
from service.inspections.models import Inspection
from service.inspections.rules import checks_location
from service.registry.models import Site
from service.storage import ObjectInfo, ObjectStore

IMAGE_TYPES = "a JPEG, PNG, HEIC/HEIF or WebP image"
#: the background job making a completed photo's thumbnail (`service/evidence/tasks.py`)
THUMBNAIL_JOB = "service.evidence.tasks.make_thumbnail"


class PhotoRejected(DomainError):
    """The stored bytes are refused for good; the photo is marked rejected (kept so)."""

    keeps_changes = True

    def __init__(self, message: str, *, field: str):
        super().__init__(message, field=field)
        self.status = 413 if field == "size_bytes" else 422


def complete_photo(db: Session, store: ObjectStore, *, scope: str, settings: Settings,
                   user_id: uuid.UUID, photo_id: uuid.UUID,
                   now: datetime | None = None) -> Photo:
    """Check the uploaded bytes, read EXIF, flag anomalies; a repeat answers the same."""
    photo = get_photo(db, scope=scope, photo_id=photo_id)
    require_on_inspection(db.get(Inspection, photo.inspection_id), user_id)
    if photo.status == COMPLETE:
        return photo
    if photo.status == REJECTED:
        raise PhotoRejected(photo.rejection_reason, field=photo.rejection_field)
    if photo.status == ABANDONED:
        raise Conflict("The upload was abandoned and its URL cleaned up; POST the photo "
                       "again (same id and body) for a fresh upload URL.")
    info = store.head(photo.object_key)
    if info is None:
        raise Conflict("The photo has not been uploaded yet: PUT its bytes to the upload "
                       "URL, then complete it again.")
    try:
        facts = _verify(store, photo, info, settings)
    except PhotoRejected as rejection:
        _reject(db, store, photo, rejection)
        raise
    _record(db, photo, facts, settings, now or utcnow())
    enqueue_after_commit(db, THUMBNAIL_JOB, str(photo.id))
    return photo


def _verify(store: ObjectStore, photo: Photo, info: ObjectInfo,
            settings: Settings) -> imaging.ImageFacts:
    photo.actual_size = info.size
    if info.size > settings.photo_max_bytes:
        raise PhotoRejected(f"The uploaded file is {info.size} bytes; a photo may be at most "
                            f"{settings.photo_max_bytes} bytes.", field="size_bytes")
    if info.size == 0:
        raise PhotoRejected(f"Photo {photo.id}: the uploaded file is empty.", field="file")
    stored = info.checksum_sha256
    if not stored or "-" in stored:  # none kept, or a multipart composite: hash it ourselves
        stored = store.sha256_base64(photo.object_key)
    if stored != sha256_base64(photo.declared_sha256):
        raise PhotoRejected("The uploaded bytes' SHA-256 differs from the declared sha256.",
                            field="sha256")
    head = store.read_range(photo.object_key, min(info.size, imaging.PREFIX_BYTES))
    photo.detected_type = imaging.sniff_type(head)
    if photo.detected_type is None:
        raise PhotoRejected(f"Photo {photo.id}: the uploaded file is not {IMAGE_TYPES} "
                            "(judged by its bytes, not by its declared type).", field="file")
    return _facts(store, photo, head, info.size)


def _facts(store: ObjectStore, photo: Photo, head: bytes, size: int) -> imaging.ImageFacts:
    """EXIF from the first bytes of a JPEG; the whole file otherwise (EXIF may come last)."""
    data, whole = head, len(head) >= size
    if not whole and photo.detected_type != "image/jpeg":
        data, whole = store.read(photo.object_key), True
    try:
        return imaging.read_facts(data, photo.detected_type)
    except imaging.NotAnImage:
        if whole:
            raise _unreadable(photo) from None
    try:  # a JPEG with more than the first bytes before its frame header
        return imaging.read_facts(store.read(photo.object_key), photo.detected_type)
    except imaging.NotAnImage:
        raise _unreadable(photo) from None


def _unreadable(photo: Photo) -> PhotoRejected:
    return PhotoRejected(f"Photo {photo.id}: the uploaded file starts like {IMAGE_TYPES} but "
                         "cannot be read as one.", field="file")


def _reject(db: Session, store: ObjectStore, photo: Photo, rejection: PhotoRejected) -> None:
    """Keep the row and why; delete the refused bytes (they are evidence of nothing)."""
    photo.status = REJECTED
    photo.rejection_reason, photo.rejection_field = rejection.message, rejection.field
    db.flush()
    store.delete(photo.object_key)


def _record(db: Session, photo: Photo, facts: imaging.ImageFacts, settings: Settings,
            now: datetime) -> None:
    """Store what the bytes say, and flag (never drop) a photo from another time or place."""
    inspection = db.get(Inspection, photo.inspection_id)
    photo.width, photo.height = facts.width, facts.height
    photo.exif_taken_at, photo.exif_lat, photo.exif_lon = facts.taken_at, facts.lat, facts.lon
    photo.time_anomaly = _outside_window(facts.taken_at, inspection, settings, now)
    photo.location_anomaly = False
    # a remote inspection's photos are video snapshots: where they were saved says nothing
    if facts.lat is not None and checks_location(inspection.kind):
        site = db.get(Site, inspection.site_id)
        photo.distance_m = round(distance_m((facts.lat, facts.lon), (site.lat, site.lon)), 1)
        photo.location_anomaly = photo.distance_m > settings.inspection_radius_m
    photo.has_anomaly = photo.time_anomaly or photo.location_anomaly
    photo.status, photo.completed_at = COMPLETE, now
    db.flush()
    if photo.has_anomaly:  # new evidence reopens a decided review
        flag_for_review(db, inspection_id=inspection.id)


def _outside_window(taken_at: datetime | None, inspection: Inspection, settings: Settings,
                    now: datetime) -> bool:
    """True when taken before start − allowance or after finish (or now) + allowance."""
    if taken_at is None:
        return False
    allowance = timedelta(minutes=settings.photo_time_allowance_minutes)
    end = inspection.finished_at or now
    return not inspection.started_at - allowance <= taken_at <= end + allowance
