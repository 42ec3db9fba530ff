"""Double-random inspection (双随机、一公开): plans, the sites a plan drew, and inspectors'
conflicts of interest (回避). The matters plans draw under live in service/matters.

A plan's tasks are rows of `tasks` (source `plan`, kind `double_random`, `plan_id` set);
`plan_sites` records which site each drew, in draw order, and links it to its task.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, new_uuid
from service.plans.draw import JURISDICTION

SAMPLE_MODES = ("ratio", "count")
STRATIFY_BY = ("none", "district", "site_type")
PLAN_DRAFT, PLAN_DRAWN = "draft", "drawn"
PLAN_STATUSES = (PLAN_DRAFT, PLAN_DRAWN)


class InspectionPlan(TimestampMixin, VersionedMixin, Base):
    """A double-random plan: scope, period, sample rule and, once drawn, its record."""

    __tablename__ = "inspection_plans"
    # The plans list's keyset order.
    __table_args__ = (Index("ix_inspection_plans_created_at_id", "created_at", "id"),)

    #: may be made by the client, so a retried creation is recognised
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(128))
    #: the scope: sites and inspectors are drawn from this region's subtree
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    #: registry site types drawn from
    site_types: Mapped[list[str]] = mapped_column(JSON)
    #: codes of the inspection matters (随机抽查事项) the tasks check
    matter_codes: Mapped[list[str]] = mapped_column(JSON)
    #: the campaign (专项行动) it serves, if any
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    #: China-time dates; only sites active during the period are drawn
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    #: due date of the plan's tasks (defaults to period_end)
    due_on: Mapped[date] = mapped_column(Date)
    #: ratio (share of the candidates) or count (number of sites)
    sample_mode: Mapped[str] = mapped_column(String(8))
    #: 0 < ratio <= 1 with at most 4 decimals, or a whole count >= 1
    sample_value: Mapped[float] = mapped_column(Float)
    #: none, district or site_type: the sample is taken per stratum
    stratify_by: Mapped[str] = mapped_column(String(16), default="none")
    #: jurisdiction (officers inspect sites of their own jurisdiction) or cross_district
    #: (县区互查: officers inspect only sites outside their own district)
    pairing: Mapped[str] = mapped_column(String(16), default=JURISDICTION)
    #: most tasks of this plan one inspector may get; null for no cap
    workload_cap: Mapped[int | None] = mapped_column(Integer)
    #: draft, then drawn (once, for good)
    status: Mapped[str] = mapped_column(String(16), default=PLAN_DRAFT, index=True)
    #: 64 hex characters from secrets.token_hex(32); kept secret until the draw
    seed: Mapped[str] = mapped_column(String(64))
    #: SHA-256 (hex) of the seed's ASCII text, shown from creation on
    seed_hash: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of the canonical creation body: a retry with the same body is recognised
    request_hash: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    #: the client's id of the draw request, so a retried draw answers the same
    draw_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    drawn_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    #: the draw's inputs and result exactly as used (see docs/plans.md), for verification
    draw_record: Mapped[dict | None] = mapped_column(JSON)


class PlanSite(Base):
    """A site a plan drew, its place in the draw order and the task made for it."""

    __tablename__ = "plan_sites"
    __table_args__ = (UniqueConstraint("plan_id", "rank"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspection_plans.id"), primary_key=True
    )
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    #: 1, 2, 3 … in draw order
    rank: Mapped[int] = mapped_column(Integer)
    #: the stratum it was drawn in: "all", a district code or a site type
    stratum: Mapped[str] = mapped_column(String(24))
    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tasks.id"), unique=True)


class InspectorConflict(TimestampMixin, Base):
    """A conflict of interest (回避): the user is never drawn for the enterprise's sites."""

    __tablename__ = "inspector_conflicts"
    __table_args__ = (UniqueConstraint("user_id", "enterprise_id"),
                      # the conflicts list's keyset order
                      Index("ix_inspector_conflicts_created_at_id", "created_at", "id"))

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enterprises.id"), index=True)
    #: e.g. 配偶在该企业任职
    reason: Mapped[str] = mapped_column(String(512))
    declared_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
