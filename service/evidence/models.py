"""Photos (检查照片) taken as evidence during inspections; the bytes live in object storage."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, TimestampMixin, UTCDateTime, VersionedMixin

#: what a phone may declare, and the file extension of the stored object
CONTENT_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",
    "image/heif": "heif",
    "image/webp": "webp",
}
PENDING, COMPLETE, REJECTED, ABANDONED = "pending", "complete", "rejected", "abandoned"
STATUSES = (PENDING, COMPLETE, REJECTED, ABANDONED)


class Photo(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "photos"
    __table_args__ = (
        # The clean-up listing: stale pending photos of a jurisdiction, oldest first.
        Index("ix_photos_region_status_created", "region_code", "status", "created_at"),
        # Keyset orders: an inspection's photos, and the abandoned (stale pending) ones.
        Index("ix_photos_inspection_id_created_at_id", "inspection_id", "created_at", "id"),
        Index("ix_photos_status_created_at_id", "status", "created_at", "id"),
    )

    #: made by the phone, so a retried POST is recognised
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"))
    #: the inspection's region, copied: jurisdiction checks need no join
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    #: the checklist item it is evidence for (e.g. recycling_device); null: the whole visit
    item_code: Mapped[str | None] = mapped_column(String(48))
    #: photos/<region>/<inspection>/<photo>.<ext> in the bucket
    object_key: Mapped[str] = mapped_column(String(255), unique=True)
    #: what the phone declared; the presigned PUT binds all three
    content_type: Mapped[str] = mapped_column(String(32))
    #: SHA-256 of the bytes, lowercase hex
    declared_sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    #: pending (URL handed out), complete, rejected (bytes refused), abandoned (never uploaded)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    #: why it was rejected, and the request field the reason names
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    rejection_field: Mapped[str | None] = mapped_column(String(32))
    #: found at completion: the type the bytes really are, their size, the pixel size
    detected_type: Mapped[str | None] = mapped_column(String(32))
    actual_size: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    #: EXIF DateTimeOriginal (with its offset; China time without one), UTC
    exif_taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: EXIF GPS position, WGS-84
    exif_lat: Mapped[float | None] = mapped_column(Float)
    exif_lon: Mapped[float | None] = mapped_column(Float)
    #: geodesic distance of the EXIF position from the site, metres
    distance_m: Mapped[float | None] = mapped_column(Float)
    #: taken outside the inspection window (± the allowance)
    time_anomaly: Mapped[bool] = mapped_column(Boolean, default=False)
    #: taken farther from the site than the inspection radius
    location_anomaly: Mapped[bool] = mapped_column(Boolean, default=False)
    #: either flag: the photo is kept and shown to a supervisor for review
    has_anomaly: Mapped[bool] = mapped_column(Boolean, default=False)
    #: thumbs/<region>/<inspection>/<photo>.jpg once the worker made it
    thumbnail_key: Mapped[str | None] = mapped_column(String(255))
    uploaded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when the clean-up removed the object of a photo never completed
    abandoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def location(self) -> dict | None:
        if self.exif_lat is None or self.exif_lon is None:
            return None
        return {"lat": self.exif_lat, "lon": self.exif_lon}

    @property
    def has_thumbnail(self) -> bool:
        return self.thumbnail_key is not None
