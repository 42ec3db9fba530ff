"""Export jobs: a file built in the background, stored in object storage, kept for a while."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, TimestampMixin, UTCDateTime, new_uuid

QUEUED, RUNNING, DONE, FAILED, EXPIRED = "queued", "running", "done", "failed", "expired"
STATUSES = (QUEUED, RUNNING, DONE, FAILED, EXPIRED)
FORMATS = ("xlsx", "csv")


class ExportJob(TimestampMixin, Base):
    __tablename__ = "export_jobs"
    # A job's row is working state (progress written every 10,000 rows by the worker), so
    # the audit trail leaves it out (service.audit.hooks).
    __table_args__ = (Index("ix_export_jobs_status_expires_at", "status", "expires_at"),
                      {"info": {"audit": False}})

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: what is exported: one of service.exports.sources.SOURCES
    kind: Mapped[str] = mapped_column(String(32))
    #: xlsx or csv
    format: Mapped[str] = mapped_column(String(8))
    #: the request's parameters (period, region, filters), as validated
    params: Mapped[dict] = mapped_column(JSON)
    #: the region the export is limited to; who may see the job follows from it
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    #: queued, running, done, failed, expired (see service.exports.logic.LIFECYCLE)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    #: rows written so far, and how many there are in all (known once the job starts)
    rows_written: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_total: Mapped[int | None] = mapped_column(BigInteger)
    #: how often a worker started it (a restarted worker runs it again)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: the object's key in storage, once written
    object_key: Mapped[str | None] = mapped_column(String(256))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    #: the name the download is saved under
    filename: Mapped[str | None] = mapped_column(String(256))
    error: Mapped[str | None] = mapped_column(String(1000))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the job and its file go away after this (EXPORT_KEEP_HOURS after it was asked for)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
