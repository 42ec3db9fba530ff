"""Inspections (检查) recorded on phones, their answers, inspectors and findings."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.common.vocabulary import INSPECTION_KINDS
from service.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, new_uuid

KINDS = INSPECTION_KINDS
#: 非现场检查 through video links (绿盾): no location check, photos are video snapshots
REMOTE = "remote"
#: a joint inspection (联合检查) with another department, whose officers are named
JOINT = "joint"
#: the departments that join postal inspections: 公安, 国家安全, 海关, 应急管理
PARTNER_DEPARTMENTS = ("police", "state_security", "customs", "emergency_management")
#: what the inspector found at the site's address: the site, nothing (未找到检查对象), or the
#: site closed (已关闭); only a present site is checked item by item
CONDITION_PRESENT = "present"
CONDITION_NOT_FOUND = "not_found"
CONDITION_CLOSED = "closed"
SITE_CONDITIONS = (CONDITION_PRESENT, CONDITION_NOT_FOUND, CONDITION_CLOSED)
#: an inspection's status; moves between them: `service.inspections.lifecycle.INSPECTION`
DRAFT, COMPLETED, VOIDED = "draft", "completed", "voided"
STATUSES = (DRAFT, COMPLETED, VOIDED)
PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "not_applicable"
ANSWERS = (PASS, FAIL, NOT_APPLICABLE)
#: the review of a flagged inspection; moves: `service.inspections.lifecycle.REVIEW`
REVIEW_NONE, REVIEW_PENDING = "none", "pending"
REVIEW_ACCEPTED, REVIEW_REJECTED = "accepted", "rejected"
REVIEW_STATUSES = (REVIEW_NONE, REVIEW_PENDING, REVIEW_ACCEPTED, REVIEW_REJECTED)

inspection_inspectors = Table(
    "inspection_inspectors",
    Base.metadata,
    Column("inspection_id", ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Inspection(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "inspections"
    __table_args__ = (
        # Statistics count completed inspections by region and finish time.
        Index("ix_inspections_region_status_finished", "region_code", "status", "finished_at"),
        Index("ix_inspections_site_finished", "site_id", "finished_at"),
        # Coverage and monthly counts over every region read one period of counting
        # inspections and their sites: a range of this index, without the table.
        Index("ix_inspections_status_finished_site", "status", "finished_at", "site_id"),
        # The recycling-device rate reads each site's latest counting inspection up to a
        # period's end: one backward step of this index per site, without the table.
        Index("ix_inspections_site_status_finished_id", "site_id", "status", "finished_at",
              "id"),
        # Keyset orders of the inspections list and of the flagged list.
        Index("ix_inspections_started_at_id", "started_at", "id"),
        Index("ix_inspections_finished_at_id", "finished_at", "id"),
    )

    #: made by the phone, so a retried submission is recognised
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"))
    #: the site's region when submitted; jurisdiction and statistics read it
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    #: the checklist version used; kept even when newer versions appear
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklist_templates.id"))
    #: one of KINDS
    kind: Mapped[str] = mapped_column(String(24))
    #: draft, completed (immutable), voided (作废, with a reason; never deleted)
    status: Mapped[str] = mapped_column(String(16))
    #: the phone's start and finish times (UTC); the finish time decides the period
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: where the phone was, WGS-84, and its reported accuracy
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    #: geodesic distance from the site, metres
    distance_m: Mapped[float | None] = mapped_column(Float)
    #: farther than the allowed radius (widened by accuracy): a supervisor reviews it
    location_anomaly: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the campaign (专项行动) it serves, if any
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    #: one of SITE_CONDITIONS; not_found and closed inspections answer no items
    site_condition: Mapped[str] = mapped_column(String(16), default=CONDITION_PRESENT)
    #: 0–100: passed weight over applicable weight (量化百分制); null when nothing applies
    score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(String(2000))
    #: SHA-256 of the canonical submitted body: a retry with the same body is recognised
    request_hash: Mapped[str] = mapped_column(String(64))
    submitted_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    #: how often the phone replaced the draft with a different body; 0 = as first submitted
    revision: Mapped[int] = mapped_column(Integer, default=0)
    #: when the server received the completed inspection (UTC)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the phone says an enforcement step follows: needs two certified inspectors (rule of two)
    enforcement_follows: Mapped[bool] = mapped_column(Boolean, default=False)
    #: two or more inspectors held a valid certificate (执法证) on the finish date (China time)
    enforcement_ready: Mapped[bool] = mapped_column(Boolean, default=False)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(String(512))
    #: review of location/photo anomalies: none, pending, accepted, rejected
    review_status: Mapped[str] = mapped_column(String(16), default=REVIEW_NONE, index=True)
    review_note: Mapped[str | None] = mapped_column(String(1000))
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    inspectors = relationship("User", secondary=inspection_inspectors, lazy="selectin",
                              order_by="User.id")
    answers: Mapped[list[InspectionAnswer]] = relationship(
        back_populates="inspection", lazy="selectin", order_by="InspectionAnswer.item_code",
        cascade="all, delete-orphan",
    )
    findings: Mapped[list[Finding]] = relationship(
        back_populates="inspection", lazy="selectin", order_by="Finding.item_code"
    )
    #: officers of other departments in a joint inspection, in the order given
    partner_officers: Mapped[list[PartnerOfficer]] = relationship(
        lazy="selectin", order_by="PartnerOfficer.position", cascade="all, delete-orphan",
    )


class InspectionAnswer(Base):
    __tablename__ = "inspection_answers"

    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True
    )
    #: the checklist item's stable code (e.g. recycling_device)
    item_code: Mapped[str] = mapped_column(String(48), primary_key=True)
    #: pass, fail or not_applicable
    answer: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(1000))

    inspection: Mapped[Inspection] = relationship(back_populates="answers")


class PartnerOfficer(Base):
    """An officer of another department taking part in a joint inspection (联合检查); not a
    user of this system, so named as they introduced themselves."""

    __tablename__ = "inspection_partner_officers"

    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True
    )
    #: 0, 1, 2 … in the order the phone listed them
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: one of PARTNER_DEPARTMENTS
    department: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(64))
    #: their own enforcement certificate (执法证 / 警官证) number
    certificate_number: Mapped[str] = mapped_column(String(32))


class Finding(TimestampMixin, Base):
    """A failed checklist item (发现问题), which an enforcement case can later cite."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("inspection_id", "item_code"),
                      # the findings list's keyset order
                      Index("ix_findings_created_at_id", "created_at", "id"))

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    item_code: Mapped[str] = mapped_column(String(48))
    #: the item's question and the inspector's note, kept as they were
    description: Mapped[str] = mapped_column(String(2000))

    inspection: Mapped[Inspection] = relationship(back_populates="findings", lazy="joined")
