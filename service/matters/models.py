"""The checklist of inspection matters (随机抽查事项清单): what a plan or a campaign checks,
each matter naming the checklist items that check it."""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, TimestampMixin


class InspectionMatter(TimestampMixin, Base):
    """One entry of the checklist of inspection matters (随机抽查事项清单)."""

    __tablename__ = "inspection_matters"

    #: stable identifier, e.g. delivery_safety_three_systems
    code: Mapped[str] = mapped_column(String(48), primary_key=True)
    #: e.g. 寄递安全“三项制度”落实情况检查
    name: Mapped[str] = mapped_column(String(128))
    #: the laws and rules the matter is checked against (检查依据)
    legal_basis: Mapped[str] = mapped_column(String(512))
    #: the registry site types the matter applies to
    site_types: Mapped[list[str]] = mapped_column(JSON)
    #: the checklist item codes that check it (e.g. real_name, xray_check)
    item_codes: Mapped[list[str]] = mapped_column(JSON)
