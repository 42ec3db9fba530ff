"""The coverage rates (覆盖率), each one set-based query counted per district and site type.

Every rate is a `Rate`: a function building, for a period, a SELECT of
(region, site_type, numerator, denominator) grouped by district and type. `compute` sums it
up the region tree and stores it. A rate resting on other tables (the enforcement rates:
整改按期完成率 over rectification orders, 执法信息及时公开率 over decisions) is one more `Rate`
here, with the same four columns. The rates over the registry's sites say instead, per site,
whom they count and who meets them (`per_site`), so that all of them are one scan of
`sites` (`site_pass`) rather than one scan each.

Counting rules (the same for every figure): an inspection counts when it is completed (a
voided one is not) and belongs to the China-time period holding its finish time; a site is
active during a period when it opened on or before the last day and did not close before the
first; active at the end when it opened on or before the last day and did not close on or
before it. Suspension (停业整顿) changes neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from service.inspections.models import COMPLETED, Inspection
from service.registry.models import Enterprise, Site
from service.stats import casework, recycling
from service.stats.periods import Period
from service.stats.rollup import site_district

POSTAL_OUTLET, PUBLICATION_POINT = "postal_outlet", "publication_point"
RECYCLING_TYPES = ("express_outlet", "express_terminal")


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
    #: for a rate over the registry's sites: (period, SitePass) -> (the sites it counts, those
    #: of them that meet it), two SQL conditions on one row of the site pass. Such rates are
    #: computed together in ONE scan of `sites` (`site_pass`); `base` then is that scan for
    #: this rate alone.
    per_site: Callable[[Period, SitePass], tuple] | None = None


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


class SitePass:
    """What one row of the site pass sees beside the site, as SQL conditions on it: whether
    it had a counting inspection in the period (`inspected`), whether it hosts a publication
    point active at the end (`hosting`), whether its latest counting inspection up to the
    end passed `recycling_device` (`recycling_passed`), and its enterprise (outer joined).

    Each of the first three is a test of the site's id against a set (a *flag*): an `EXISTS`
    subquery (two for the recycling rate, one per range of the passes), never a join.
    PostgreSQL runs each as a *hashed subplan*: the set is read once (a range of an index,
    or one scan) into a hash table of site ids, and each site probes it only when the rate
    counts that site (the `met` test sits inside the rate's CASE, `_met_among`) — no
    grouping of the sets by site, no estimate of how many sites they hold. `EXISTS` also
    gives the planner a per-site index probe to fall back on should
    the set not fit in memory (a period of many million inspections)."""

    def __init__(self, period: Period):
        self.period = period

    @property
    def inspected(self):
        """The site had a counting inspection in the period."""
        return (select(Inspection.id)
                .where(Inspection.site_id == Site.id, counting_in(self.period)).exists())

    @property
    def hosting(self):
        """The site hosts a publication point active at the end."""
        point = aliased(Site)
        return (select(point.id)
                .where(point.host_site_id == Site.id, point.site_type == PUBLICATION_POINT,
                       active_at_end(point, self.period)).exists())

    @property
    def recycling_passed(self):
        """The site's latest counting inspection before the end passed `recycling_device`
        (`service.stats.recycling`)."""
        return recycling.passed_at(Site.id, self.period.utc_bounds()[1])


def _counted_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _met_among(whom, met):
    """SQL: how many rows are counted and meet the rate. A nested CASE, so the `met` test
    (a subquery) runs only for the rows counted."""
    return func.coalesce(func.sum(case((whom, case((met, 1), else_=0)), else_=0)), 0)


def site_pass(period: Period, rates: list[Rate]) -> Select:
    """ONE scan of `sites` active during the period (outer-joined to the enterprises, each
    site tested against the flags its rates ask for), grouped by district and type, with
    `<rate>_numerator` and `<rate>_denominator` for each rate given."""
    seen = SitePass(period)
    columns = []
    for rate in rates:
        whom, met = rate.per_site(period, seen)
        columns += [_met_among(whom, met).label(f"{rate.name}_numerator"),
                    _counted_if(whom).label(f"{rate.name}_denominator")]
    return (select(site_district().label("region"), Site.site_type.label("site_type"),
                   *columns).select_from(Site)
            .outerjoin(Enterprise, Enterprise.id == Site.enterprise_id)
            .where(active_during(Site, period))   # active at the end is a part of it
            .group_by(site_district(), Site.site_type))


def _alone(name: str) -> Callable[[Period], Select]:
    """A site rate's `base`: the site pass for it alone, as (region, site_type, numerator,
    denominator)."""
    def base(period: Period) -> Select:
        rows = site_pass(period, [RATES[name]]).subquery("site_pass")
        return (select(rows.c.region, rows.c.site_type,
                       rows.c[f"{name}_numerator"].label("numerator"),
                       rows.c[f"{name}_denominator"].label("denominator"))
                .where(rows.c[f"{name}_denominator"] > 0))
    return base


def inspection_coverage(period: Period, seen: SitePass) -> tuple:
    """检查覆盖率: sites active during the period with ≥1 counting inspection in it."""
    return active_during(Site, period), seen.inspected


def publication_point_coverage(period: Period, seen: SitePass) -> tuple:
    """扫黄打非工作点覆盖率: urban postal outlets active at the end hosting a publication
    point active at the end."""
    whom = and_(Site.site_type == POSTAL_OUTLET, Site.urban.is_(True),
                active_at_end(Site, period))
    return whom, seen.hosting


def recycling_device_coverage(period: Period, seen: SitePass) -> tuple:
    """包装废弃物回收装置覆盖率: major brands' express outlets and terminals active at the end
    whose latest counting inspection up to the end passed `recycling_device`."""
    whom = and_(Site.site_type.in_(RECYCLING_TYPES), Enterprise.is_major_brand.is_(True),
                active_at_end(Site, period))
    return whom, seen.recycling_passed


RATES: dict[str, Rate] = {rate.name: rate for rate in (
    Rate("inspection_coverage", "检查覆盖率", _alone("inspection_coverage"),
         per_site=inspection_coverage),
    Rate("publication_point_coverage", "扫黄打非工作点覆盖率",
         _alone("publication_point_coverage"), target_setting="publication_point_target",
         with_all=False, per_site=publication_point_coverage),
    Rate("recycling_device_coverage", "包装废弃物回收装置覆盖率",
         _alone("recycling_device_coverage"), target_setting="recycling_device_target",
         per_site=recycling_device_coverage),
    Rate("rectification_on_time", "整改按期完成率", casework.rectification_on_time,
         target_setting="rectification_on_time_target"),
    Rate("disclosure_timeliness", "执法信息及时公开率", casework.disclosure_timeliness,
         target_setting="disclosure_timeliness_target"),
)}
