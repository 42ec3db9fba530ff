"""Campaigns (专项行动, e.g. “清风·实名寄递”, 末端网点清理整顿, 两会安保): a named period with
its inspection matters and the regions it covers. Inspections, tasks and plans carry the
campaign they serve (`campaign_id`), so figures can be counted per campaign."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, TimestampMixin, VersionedMixin, new_uuid


class Campaign(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "campaigns"
    __table_args__ = (CheckConstraint("period_end >= period_start", name="period_order"),
                      # the keyset order of the campaign list
                      Index("ix_campaigns_period_start_id", "period_start", "id"))

    #: may be made by the client, so a retried creation is recognised
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: e.g. 2026年“清风·实名寄递”专项行动
    name: Mapped[str] = mapped_column(String(128))
    #: the organising bureau's region: bureaus below and above it see the campaign
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    #: the regions it covers, each in the organiser's subtree; sites there may be served
    region_codes: Mapped[list[str]] = mapped_column(JSON)
    #: China-time dates, both included
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    #: codes of the inspection matters (随机抽查事项) it checks
    matter_codes: Mapped[list[str]] = mapped_column(JSON)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
