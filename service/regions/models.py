"""Administrative divisions (行政区划, GB/T 2260) and the towns/villages bureaus add below."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, VersionedMixin

LEVELS = ("national", "province", "city", "district", "town", "village")


class Region(VersionedMixin, Base):
    __tablename__ = "regions"

    #: six-digit GB/T 2260 code (PPCCDD), or 9/12 digits for towns and villages
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    #: official name, e.g. 宝山区
    name: Mapped[str] = mapped_column(String(64))
    #: one of LEVELS
    level: Mapped[str] = mapped_column(String(16))
    #: the region directly above; null only for the national root
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("regions.code"), index=True, nullable=True
    )
    #: urban (城区) or rural (农村); null where the flag means nothing (provinces, cities)
    urban: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
