"""What to do next: the sites of a region not yet inspected in a period (the coverage gap)."""

from __future__ import annotations

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.inspections.models import Inspection
from service.regions.logic import get_region
from service.registry.models import Site
from service.stats.periods import Period
from service.stats.rates import active_during, counting_in
from service.stats.rollup import site_district


def _uninspected(period: Period, region_code: str, site_type: str | None):
    inspected = exists().where(Inspection.site_id == Site.id, counting_in(period))
    conditions = [in_subtree(Site.region_code, region_code), active_during(Site, period),
                  ~inspected]
    if site_type:
        conditions.append(Site.site_type == site_type)
    return conditions


def gap_sites(db: Session, *, scope: str, period: Period, region_code: str | None,
              site_type: str | None, limit: int, cursor: str | None) -> Page:
    """Sites active during the period with no counting inspection in it, by district and
    type (keyset paged)."""
    region = get_region(db, scope=scope, code=region_code or scope)
    stmt = select(Site).where(*_uninspected(period, region.code, site_type))
    return paginate(db, stmt, [Site.region_code, Site.site_type, Site.id], limit=limit,
                    cursor=cursor)


def gap_summary(db: Session, *, scope: str, period: Period, region_code: str | None,
                site_type: str | None) -> dict:
    """How many sites are still to inspect, per district and type (counted now)."""
    region = get_region(db, scope=scope, code=region_code or scope)
    district = site_district()
    rows = db.execute(select(district.label("district"), Site.site_type, func.count())
                      .where(*_uninspected(period, region.code, site_type))
                      .group_by(district, Site.site_type).order_by(district, Site.site_type))
    items = [{"district": d, "site_type": t, "uninspected": n} for d, t, n in rows]
    return {"period": period.key, "region_code": region.code,
            "total": sum(item["uninspected"] for item in items), "items": items}
