"""The coverage rates (覆盖率), each one set-based query counted per district and site type.

Every rate is a `Rate`: a function building, for a period, a SELECT of
(region, site_type, numerator, denominator) grouped by district and type. `compute` sums it
up the region tree and stores it. The enforcement rates (整改按期完成率 over rectification
orders, 执法信息及时公开率 over decisions) are built in `service.stats.casework`, with the
same four columns.

Counting rules (the same for every figure): an inspection counts when it is completed (a
voided one is not) and belongs to the China-time period holding its finish time; a site is
active during a period when it opened on or before the last day and did not close before the
first; active at the end when it opened on or before the last day and did not close on or
before it. Suspension (停业整顿) changes neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from service.inspections.models import COMPLETED, PASS, Inspection, InspectionAnswer
from service.registry.models import Enterprise, Site
from service.stats import casework
from service.stats.periods import Period
from service.stats.rollup import site_district

POSTAL_OUTLET, PUBLICATION_POINT = "postal_outlet", "publication_point"
RECYCLING_TYPES = ("express_outlet", "express_terminal")
RECYCLING_ITEM = "recycling_device"


@dataclass(frozen=True)
class Rate:
    name: str
    label: str
    #: period -> SELECT region, site_type, numerator, denominator (per district and type)
    base: Callable[[Period], Select]
    #: the Settings attribute holding its target, or None
    target_setting: str | None = None
    #: also store a row over all the types it counts (site_type "all")
    with_all: bool = True


def active_during(site, period: Period):
    return and_(site.opened_on <= period.last,
                or_(site.closed_on.is_(None), site.closed_on >= period.first))


def active_at_end(site, period: Period):
    return and_(site.opened_on <= period.last,
                or_(site.closed_on.is_(None), site.closed_on > period.last))


def counting_in(period: Period):
    """SQL: the inspection counts and finished within the period (China time)."""
    start, end = period.utc_bounds()
    return and_(Inspection.status == COMPLETED, Inspection.finished_at >= start,
                Inspection.finished_at < end)


def inspection_coverage(period: Period) -> Select:
    """检查覆盖率: sites active during the period with ≥1 counting inspection in it."""
    inspected = (select(Inspection.site_id).where(counting_in(period)).distinct()
                 .subquery("inspected"))
    stmt = (select(site_district().label("region"), Site.site_type.label("site_type"),
                   func.count(inspected.c.site_id).label("numerator"),
                   func.count().label("denominator"))
            .select_from(Site).outerjoin(inspected, inspected.c.site_id == Site.id))
    return stmt.where(active_during(Site, period)).group_by(site_district(), Site.site_type)


def publication_point_coverage(period: Period) -> Select:
    """扫黄打非工作点覆盖率: urban postal outlets active at the end hosting a publication
    point active at the end."""
    point = aliased(Site)
    hosting = (select(point.host_site_id).where(point.site_type == PUBLICATION_POINT,
                                                active_at_end(point, period))
               .distinct().subquery("hosting"))
    stmt = (select(site_district().label("region"), Site.site_type.label("site_type"),
                   func.count(hosting.c.host_site_id).label("numerator"),
                   func.count().label("denominator"))
            .select_from(Site).outerjoin(hosting, hosting.c.host_site_id == Site.id))
    condition = and_(Site.site_type == POSTAL_OUTLET, Site.urban.is_(True),
                     active_at_end(Site, period))
    return stmt.where(condition).group_by(site_district(), Site.site_type)


def recycling_device_coverage(period: Period) -> Select:
    """包装废弃物回收装置覆盖率: major brands' express outlets and terminals active at the end
    whose latest counting inspection up to the end passed `recycling_device`."""
    _start, end = period.utc_bounds()
    # One backward step on the (site_id, finished_at) index per site. Two counting
    # inspections of one site finishing in the same microsecond would tie: either is taken.
    latest = (select(Inspection.id)
              .where(Inspection.site_id == Site.id, Inspection.status == COMPLETED,
                     Inspection.finished_at < end)
              .order_by(Inspection.finished_at.desc())
              .limit(1).correlate(Site).scalar_subquery())
    passed = exists().where(InspectionAnswer.inspection_id == latest,
                            InspectionAnswer.item_code == RECYCLING_ITEM,
                            InspectionAnswer.answer == PASS)
    stmt = (select(site_district().label("region"), Site.site_type.label("site_type"),
                   func.coalesce(func.sum(case((passed, 1), else_=0)), 0).label("numerator"),
                   func.count().label("denominator"))
            .select_from(Site).join(Enterprise, Enterprise.id == Site.enterprise_id))
    condition = and_(Site.site_type.in_(RECYCLING_TYPES), Enterprise.is_major_brand.is_(True),
                     active_at_end(Site, period))
    return stmt.where(condition).group_by(site_district(), Site.site_type)


RATES: dict[str, Rate] = {rate.name: rate for rate in (
    Rate("inspection_coverage", "检查覆盖率", inspection_coverage),
    Rate("publication_point_coverage", "扫黄打非工作点覆盖率", publication_point_coverage,
         target_setting="publication_point_target", with_all=False),
    Rate("recycling_device_coverage", "包装废弃物回收装置覆盖率", recycling_device_coverage,
         target_setting="recycling_device_target"),
    Rate("rectification_on_time", "整改按期完成率", casework.rectification_on_time,
         target_setting="rectification_on_time_target"),
    Rate("disclosure_timeliness", "执法信息及时公开率", casework.disclosure_timeliness,
         target_setting="disclosure_timeliness_target"),
)}
