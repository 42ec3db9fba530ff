"""Tasks (检查任务): a site an inspector pair must inspect by a due date.

Tasks come from supervisors (manual), double-random plans (source `plan`) and, later,
rectification orders (source `re_inspection`). An inspection of the task's kind submitted
for the site by one of the assignees completes it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, new_uuid

MANUAL, FROM_PLAN, RE_INSPECTION = "manual", "plan", "re_inspection"
TASK_SOURCES = (MANUAL, FROM_PLAN, RE_INSPECTION)
TASK_OPEN, TASK_DONE, TASK_CANCELLED = "open", "done", "cancelled"
TASK_STATUSES = (TASK_OPEN, TASK_DONE, TASK_CANCELLED)

task_assignees = Table(
    "task_assignees",
    Base.metadata,
    Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Task(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "tasks"
    # The task lists' keyset order (due date, id).
    __table_args__ = (Index("ix_tasks_due_on_id", "due_on", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), index=True)
    #: the inspection kind that completes it (e.g. double_random for a plan's task)
    kind: Mapped[str] = mapped_column(String(24))
    #: one of TASK_SOURCES
    source: Mapped[str] = mapped_column(String(16), default=MANUAL)
    #: the double-random plan that drew it (plans feature); null for other sources
    plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection_plans.id"), index=True)
    #: the campaign (专项行动) it serves, if any
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    #: the China-time date by which the inspection is due
    due_on: Mapped[date] = mapped_column(Date)
    #: one of TASK_STATUSES
    status: Mapped[str] = mapped_column(String(16), default=TASK_OPEN, index=True)
    #: the inspection that completed it
    completed_by_inspection_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(512))
    #: who cancelled it, when and why (cancelled tasks are kept)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(String(512))

    assignees = relationship("User", secondary=task_assignees, lazy="selectin")
    #: the site to inspect (name, address, location for the phone)
    site = relationship("Site", lazy="selectin")
