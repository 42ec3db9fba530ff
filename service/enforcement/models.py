"""Enforcement (执法): the violation catalogue, cases and their steps, document numbers,
payments, rectification orders, summons, and the supervisors' work queues.

Status strings live in `service.enforcement.procedure` (cases) and here (the others), as
named constants; nothing compares a literal status elsewhere.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, new_uuid

# --- the violation catalogue (违法行为目录 and 裁量基准) -----------------------------------

CIRCUMSTANCES = ("minor", "ordinary", "serious")  # 轻微 / 一般 / 严重
WARNING, FINE, CONFISCATION, SUSPENSION, REVOCATION, RECTIFICATION = (
    "warning", "fine", "confiscation", "suspension", "revocation", "rectification")
MEASURES = (WARNING, FINE, CONFISCATION, SUSPENSION, REVOCATION, RECTIFICATION)


class CatalogueVersion(TimestampMixin, Base):
    """One loaded catalogue file; the newest is current, older ones stay for old cases."""

    __tablename__ = "enforcement_catalogue_versions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: 1, 2, 3 … in load order
    number: Mapped[int] = mapped_column(Integer, unique=True)
    #: the file's own label, e.g. "2026-01 (SAMPLE)"
    label: Mapped[str] = mapped_column(String(128))
    #: SHA-256 of the file's bytes: loading the same file again adds no version
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    loaded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    violations: Mapped[list[Violation]] = relationship(
        back_populates="catalogue", lazy="selectin", order_by="Violation.code")


class Violation(Base):
    """A violation (违法行为) of one catalogue version, with its discretion benchmark."""

    __tablename__ = "enforcement_violations"
    __table_args__ = (UniqueConstraint("catalogue_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    catalogue_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enforcement_catalogue_versions.id"))
    #: stable code, e.g. real_name_not_enforced
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(256))
    #: the law and article the violation breaks and the penalty rests on
    law: Mapped[str] = mapped_column(String(128))
    article: Mapped[str] = mapped_column(String(64))
    #: {"minor": {"min_fen": …, "max_fen": …, "measures": [...]}, "ordinary": …, "serious": …}
    bands: Mapped[dict] = mapped_column(JSON)
    #: checklist item codes a finding of which may lead to this violation
    item_codes: Mapped[list[str]] = mapped_column(JSON)

    catalogue: Mapped[CatalogueVersion] = relationship(back_populates="violations")


# --- cases (案件) -------------------------------------------------------------------------

SOURCES = ("inspection", "complaint", "transfer")  # 检查发现 / 申诉举报 / 移送
PROCEDURES = ("ordinary", "summary")                # 普通程序 / 简易程序
PARTY_KINDS = ("organisation", "person")

case_findings = Table(
    "enforcement_case_findings",
    Base.metadata,
    Column("case_id", ForeignKey("enforcement_cases.id", ondelete="CASCADE"), primary_key=True),
    Column("finding_id", ForeignKey("findings.id"), primary_key=True, index=True),
)


class Case(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "enforcement_cases"
    __table_args__ = (
        Index("ix_enforcement_cases_region_status", "region_code", "status"),
        Index("ix_enforcement_cases_site_id", "site_id"),
        Index("ix_enforcement_cases_enterprise_id", "enterprise_id"),
        Index("ix_enforcement_cases_published", "published_on", "decided_on", "id"),
        # keyset orders of the case list and the public list of decisions
        Index("ix_enforcement_cases_created_at_id", "created_at", "id"),
        Index("ix_enforcement_cases_published_on_id", "published_on", "id"),
        # the monthly figures' date ranges (service.stats.casework): each date is one range
        Index("ix_enforcement_cases_filed_on", "filed_on"),
        Index("ix_enforcement_cases_decided_on", "decided_on"),
        Index("ix_enforcement_cases_closed_on", "closed_on"),
        Index("ix_enforcement_cases_transferred_on", "transferred_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: the site's region: jurisdiction reads it
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    #: the bureau handling the case (the opener's administration): numbers its documents
    bureau_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    site_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sites.id"))
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("enterprises.id"))
    #: one of SOURCES; for complaints and transfers, `source_note` says from whom
    source: Mapped[str] = mapped_column(String(16))
    source_note: Mapped[str | None] = mapped_column(String(1000))
    #: one of PROCEDURES
    procedure: Mapped[str] = mapped_column(String(16))
    #: see service.enforcement.procedure
    status: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(256))
    #: the party (当事人): an organisation or a person; names and ID numbers are masked
    #: in the public list
    party_kind: Mapped[str] = mapped_column(String(16))
    party_name: Mapped[str] = mapped_column(String(128))
    party_id_number: Mapped[str | None] = mapped_column(String(32))
    #: the catalogue version the case is decided under (kept when newer ones are loaded)
    catalogue_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("enforcement_catalogue_versions.id"))
    #: that version's number, as the API shows it
    catalogue_version: Mapped[int | None] = mapped_column(Integer)
    violation_code: Mapped[str | None] = mapped_column(String(64))
    #: minor, ordinary or serious
    circumstance: Mapped[str | None] = mapped_column(String(16))
    #: the measures proposed at the advance notice and decided (list of MEASURES)
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    fine_fen: Mapped[int | None] = mapped_column(BigInteger)
    confiscation_fen: Mapped[int | None] = mapped_column(BigInteger)
    suspension_from: Mapped[date | None] = mapped_column(Date)
    suspension_until: Mapped[date | None] = mapped_column(Date)
    #: a major decision (重大执法决定) needs legal review before it is made
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_offered: Mapped[bool] = mapped_column(Boolean, default=False)
    notice_served_on: Mapped[date | None] = mapped_column(Date)
    hearing_requested_on: Mapped[date | None] = mapped_column(Date)
    hearing_held_on: Mapped[date | None] = mapped_column(Date)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    #: China-time dates of the procedure
    filed_on: Mapped[date | None] = mapped_column(Date)
    #: 90 days after filing plus recorded extensions
    decision_due_on: Mapped[date | None] = mapped_column(Date)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    served_on: Mapped[date | None] = mapped_column(Date)
    #: the 15-day payment period ends on this date (served_on + 15)
    payment_due_on: Mapped[date | None] = mapped_column(Date)
    #: publicity (公示): due on the 7th working day after the decision; published when
    publish_due_on: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    dismissal_reason: Mapped[str | None] = mapped_column(String(1000))
    #: transfer to police (移送公安)
    police_agency: Mapped[str | None] = mapped_column(String(128))
    transferred_on: Mapped[date | None] = mapped_column(Date)
    #: the officer working the case
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    #: a rectification order that escalated into this case
    rectification_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    #: the campaign (专项行动) it serves, if any: by default the originating inspection's
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"), index=True)

    findings = relationship("Finding", secondary=case_findings, lazy="selectin",
                            order_by="Finding.id")
    steps: Mapped[list[CaseStep]] = relationship(
        back_populates="case", lazy="selectin", order_by="CaseStep.seq")
    payments: Mapped[list[Payment]] = relationship(
        back_populates="case", lazy="selectin", order_by="Payment.paid_on")


class CaseStep(TimestampMixin, Base):
    """One transition of a case (全过程记录): who, when, why, with which evidence."""

    __tablename__ = "enforcement_case_steps"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enforcement_cases.id"))
    #: 1, 2, 3 … within the case
    seq: Mapped[int] = mapped_column(Integer)
    #: the move's name (open, approve_filing, decide, …)
    move: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    #: the China-time date the step happened (may precede the recording by a few days)
    on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(2000))
    #: {"documents": [...], "finding_ids": [...], "photo_ids": [...]}
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    #: the document number issued with the step, if any
    document_number: Mapped[str | None] = mapped_column(String(64))

    case: Mapped[Case] = relationship(back_populates="steps")


# --- document numbers (文书编号) ------------------------------------------------------------

DOCUMENT_KINDS = {
    "filing": "立",          # 立案审批表
    "notice": "告",          # 行政处罚事先告知书
    "decision": "罚",        # 行政处罚决定书
    "summary": "简罚",       # 当场处罚决定书
    "rectification": "改",   # 责令整改通知书
    "transfer": "移",        # 涉嫌犯罪案件移送书
    "summons": "约",         # 约谈通知书
    "dismissal": "不罚",     # 不予行政处罚决定书
}


class DocumentCounter(Base):
    """The last number issued per bureau, year and document kind; locked while issuing."""

    __tablename__ = "enforcement_document_counters"

    bureau_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


class Document(TimestampMixin, Base):
    """An issued enforcement document with its number (沪宝邮管罚〔2026〕12号)."""

    __tablename__ = "enforcement_documents"
    __table_args__ = (UniqueConstraint("bureau_code", "year", "kind", "seq"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    bureau_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("enforcement_cases.id"),
                                                       index=True)
    subject_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)


# --- payments (缴款) ----------------------------------------------------------------------

class Payment(TimestampMixin, Base):
    __tablename__ = "enforcement_payments"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enforcement_cases.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date)
    #: the bank's or the payment system's reference; unique, so a retry adds nothing
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="payments")


# --- rectification orders (责令整改) ---------------------------------------------------------

RECT_OPEN, RECT_COMPLETED, RECT_ESCALATED = "open", "completed", "escalated"
RECTIFICATION_STATUSES = (RECT_OPEN, RECT_COMPLETED, RECT_ESCALATED)


class Rectification(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "enforcement_rectifications"
    __table_args__ = (Index("ix_enforcement_rectifications_region_status_due",
                            "region_code", "status", "due_on"),
                      # the keyset order of the rectification list (and the monthly
                      # figures' orders due in a month)
                      Index("ix_enforcement_rectifications_due_on_id", "due_on", "id"),
                      # the monthly figures' orders issued in a month
                      Index("ix_enforcement_rectifications_issued_on", "issued_on"))

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    bureau_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    #: the case it belongs to, when ordered within one
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("enforcement_cases.id"),
                                                       index=True)
    #: [{"finding_id": …, "item_code": …, "description": …}]
    items: Mapped[list[dict]] = mapped_column(JSON)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    #: one of RECTIFICATION_STATUSES
    status: Mapped[str] = mapped_column(String(16), default=RECT_OPEN)
    #: the re-inspection task (source re_inspection) it created, and the inspection that
    #: answered it
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    reinspection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspections.id"))
    completed_on: Mapped[date | None] = mapped_column(Date)
    escalated_case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    issued_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    #: the campaign (专项行动) it serves, if any: its case's, else its findings' inspection's
    #: (`rectification.issue_rectification`); its re-inspection task carries it too
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"), index=True)


# --- summons (约谈) ------------------------------------------------------------------------

class Summons(TimestampMixin, Base):
    __tablename__ = "enforcement_summons"
    # the keyset order of the summons list
    __table_args__ = (Index("ix_enforcement_summons_held_on_id", "held_on", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.id"), index=True)
    site_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sites.id"), index=True)
    #: where it counts: the site's region, else the summoning bureau's
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    bureau_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    held_on: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(512))
    attendees: Mapped[str | None] = mapped_column(String(512))
    number: Mapped[str] = mapped_column(String(64), unique=True)
    #: the case it was held in, if any; a campaign's summons are those of its cases
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("enforcement_cases.id"),
                                                       index=True)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


# --- suspensions (停业整顿) applied to the registry -----------------------------------------

class Suspension(TimestampMixin, Base):
    """A decided suspension: the site is shown suspended from `starts_on` to `ends_on`."""

    __tablename__ = "enforcement_suspensions"
    __table_args__ = (Index("ix_enforcement_suspensions_dates", "starts_on", "ends_on"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enforcement_cases.id"), unique=True)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    #: the registry status was set to suspended / set back (by the daily job or at once)
    applied: Mapped[bool] = mapped_column(Boolean, default=False)
    lifted: Mapped[bool] = mapped_column(Boolean, default=False)


# --- the work queues -----------------------------------------------------------------------

QUEUES = ("filing_approval", "legal_review", "decision_deadline", "publication",
          "rectification", "payment", "flagged_inspection")


class QueueItem(Base):
    """An open item of work in one queue; removed when the work is done.

    One row per (queue, item): the listing is one index range scan in due-date order, and
    a claim is one conditional UPDATE of this row.
    """

    __tablename__ = "enforcement_queue_items"
    __table_args__ = (
        UniqueConstraint("queue", "item_id"),
        Index("ix_enforcement_queue_items_queue_due", "queue", "due_on", "id"),
        # one index per filter, each in due-date order (bench/bench_enforcement.py)
        Index("ix_enforcement_queue_items_queue_region_due", "queue", "region_code",
              "due_on", "id"),
        Index("ix_enforcement_queue_items_queue_assignee_due", "queue", "assignee_id",
              "due_on", "id"),
        Index("ix_enforcement_queue_items_queue_claimed_due", "queue", "claimed_by_id",
              "due_on", "id"),
        Index("ix_enforcement_queue_items_queue_type_due", "queue", "item_type", "due_on",
              "id"),
        Index("ix_enforcement_queue_items_queue_campaign_due", "queue", "campaign_id",
              "due_on", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: one of QUEUES
    queue: Mapped[str] = mapped_column(String(24))
    #: the case, rectification order or inspection the work is about
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    #: what kind of item (a violation code, a procedure, an inspection kind): the type filter
    item_type: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(256))
    due_on: Mapped[date] = mapped_column(Date)
    #: the officer the item is assigned to (a case's assignee)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    #: a claim: who works it now, until when
    claimed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the campaign (专项行动) the case behind the item serves: the campaign filter
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"))
