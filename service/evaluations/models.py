"""Rectification evaluations (整改评价, the 一评 of 三查一评): the bureau's 0–100 score
(量化百分制) of how a site put right what an inspection or a self-check found."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, TimestampMixin, new_uuid


class RectificationEvaluation(TimestampMixin, Base):
    __tablename__ = "rectification_evaluations"
    __table_args__ = (CheckConstraint("score >= 0 AND score <= 100", name="score_range"),
                      # the keyset order of the evaluation list
                      Index("ix_rectification_evaluations_evaluated_on_id", "evaluated_on",
                            "id"))

    #: may be made by the client, so a retried evaluation is recognised
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), index=True)
    #: the site's region when evaluated; jurisdiction reads it
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("enterprises.id"),
                                                            index=True)
    #: what found the problems being put right: an inspection of the site …
    inspection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspections.id"),
                                                            index=True)
    #: … or the enterprise's own self-check
    self_check_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("self_checks.id"),
                                                            index=True)
    #: the China-time day of the evaluation
    evaluated_on: Mapped[date] = mapped_column(Date)
    #: 0–100, at most one decimal (量化百分制)
    score: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(String(1000))
    #: SHA-256 of the canonical body: a retry with the same body is recognised
    request_hash: Mapped[str] = mapped_column(String(64))
    evaluated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
