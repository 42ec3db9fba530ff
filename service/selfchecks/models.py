"""Enterprise self-checks (企业自查, one of 三查一评): the results an enterprise reports about
its own site, recorded or imported by the bureau against the same checklists its inspectors
use. They are kept apart from `inspections` on purpose: a self-check is never the bureau's
own inspection, so no inspection count, coverage rate or task ever sees one."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, TimestampMixin, new_uuid

#: how the bureau got it: typed in from the enterprise's report, or from a file
SOURCES = ("recorded", "imported")


class SelfCheck(TimestampMixin, Base):
    __tablename__ = "self_checks"
    __table_args__ = (Index("ix_self_checks_region_checked", "region_code", "checked_on"),
                      # the keyset order of the self-check list
                      Index("ix_self_checks_checked_on_id", "checked_on", "id"))

    #: may be made by the client, so a retried recording is recognised
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sites.id"), index=True)
    #: the site's region when recorded; jurisdiction reads it
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    #: the enterprise that checked itself (the site's operator)
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("enterprises.id"),
                                                            index=True)
    #: the checklist version the answers follow
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklist_templates.id"))
    #: the China-time day the enterprise checked
    checked_on: Mapped[date] = mapped_column(Date)
    #: 0–100 like an inspection's (量化百分制); null when nothing applies
    score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(String(1000))
    #: one of SOURCES
    source: Mapped[str] = mapped_column(String(16))
    #: SHA-256 of the canonical body: a retry with the same body is recognised
    request_hash: Mapped[str] = mapped_column(String(64))
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    answers: Mapped[list[SelfCheckAnswer]] = relationship(
        lazy="selectin", order_by="SelfCheckAnswer.item_code", cascade="all, delete-orphan")


class SelfCheckAnswer(Base):
    __tablename__ = "self_check_answers"

    self_check_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("self_checks.id", ondelete="CASCADE"), primary_key=True)
    #: the checklist item's stable code
    item_code: Mapped[str] = mapped_column(String(48), primary_key=True)
    #: pass, fail or not_applicable, as the enterprise reported it
    answer: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(1000))
