"""Reading the matters catalogue, and checking that a body names matters that exist."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.checklists.logic import latest_template
from service.common.errors import field_error
from service.common.pagination import Page, paginate
from service.matters.models import InspectionMatter


def list_matters(db: Session, *, limit: int, cursor: str | None) -> Page:
    """The checklist of inspection matters (随机抽查事项清单), in code order."""
    return paginate(db, select(InspectionMatter), [InspectionMatter.code],
                    limit=limit, cursor=cursor)


def require_matters(db: Session, *, codes: list[str],
                    field: str = "matter_codes") -> list[InspectionMatter]:
    """The matters named, in the order given; an unknown code is a 422 naming the field."""
    found = {matter.code: matter for matter in db.scalars(
        select(InspectionMatter).where(InspectionMatter.code.in_(codes)))}
    missing = sorted(set(codes) - set(found))
    if missing:
        raise field_error(field, f"Unknown inspection matters (随机抽查事项): "
                                 f"{', '.join(missing)}; see GET /api/v1/matters.")
    return [found[code] for code in dict.fromkeys(codes)]


def missing_items(db: Session) -> list[tuple[str, str, str]]:
    """(matter, site type, item) for each item a matter names that the site type's current
    checklist lacks; empty when matters and checklists agree."""
    items: dict[str, set[str]] = {}
    for site_type in {t for m in db.scalars(select(InspectionMatter)) for t in m.site_types}:
        template = latest_template(db, site_type=site_type)
        items[site_type] = {item.code for item in template.items} if template else set()
    return [(matter.code, site_type, code)
            for matter in db.scalars(select(InspectionMatter).order_by(InspectionMatter.code))
            for site_type in matter.site_types
            for code in matter.item_codes if code not in items[site_type]]
