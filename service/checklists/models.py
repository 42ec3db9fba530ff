"""Checklist templates (检查表): versioned, per site type, items weighted to 100 (量化百分制)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, TimestampMixin, new_uuid


class ChecklistTemplate(TimestampMixin, Base):
    """One version of a site type's checklist; never changed once created."""

    __tablename__ = "checklist_templates"
    __table_args__ = (
        UniqueConstraint("site_type", "version"),
        # the phones' changes feed pages templates in (updated_at, id) order
        Index("ix_checklist_templates_updated_at_id", "updated_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    #: the registry site type it applies to
    site_type: Mapped[str] = mapped_column(String(24), index=True)
    #: 1, 2, 3 … per site type; the highest is current
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(128))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="template", order_by="ChecklistItem.position", lazy="selectin"
    )


class ChecklistItem(Base):
    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("template_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklist_templates.id"))
    #: stable identifier rates can name: real_name, acceptance_check, xray_check, …
    code: Mapped[str] = mapped_column(String(48))
    #: the question, e.g. 是否落实实名收寄制度
    text: Mapped[str] = mapped_column(String(512))
    #: points of the item; a template's weights add up to 100
    weight: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)

    template: Mapped[ChecklistTemplate] = relationship(back_populates="items")
