"""The counts of the monthly statistics (月度执法统计), each one set-based query per district.

A `Figure` builds, for a month, a SELECT of (region, value) grouped by district; `compute`
sums it up the region tree. Counts over other features' tables (cases filed 立案数 and
closed 结案数, fines 罚款笔数/金额, rectification orders 责令整改, suspensions 停业整顿家数,
transfers 移送, summons 约谈) are further `Figure`s of the same shape, built on the
enforcement tables.

Inspections are counted in the region recorded on them (the site's region when submitted);
registry stock counts sites active at the month's end, by type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import aliased

from service.inspections.models import Inspection
from service.registry.models import Enterprise, Site
from service.stats.periods import Period
from service.stats.rates import POSTAL_OUTLET, PUBLICATION_POINT, active_at_end, counting_in
from service.stats.rollup import district_of, site_district


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    #: month -> SELECT region, value (per district)
    base: Callable[[Period], Select]


def _inspections(month: Period) -> Select:
    region = district_of(Inspection.region_code)
    return (select(region.label("region"), func.count().label("value"))
            .where(counting_in(month)).group_by(region))


def _sites_inspected(month: Period) -> Select:
    region = district_of(Inspection.region_code)
    return (select(region.label("region"),
                   func.count(func.distinct(Inspection.site_id)).label("value"))
            .where(counting_in(month)).group_by(region))


def _stock(*conditions) -> Callable[[Period], Select]:
    def base(month: Period) -> Select:
        return (select(site_district().label("region"), func.count().label("value"))
                .where(active_at_end(Site, month), *conditions).group_by(site_district()))
    return base


def _publication(hosted_by_postal_outlet: bool) -> Callable[[Period], Select]:
    """工作点 are hosted by postal outlets, 工作站 by a major express enterprise's site."""
    host = aliased(Site)

    def base(month: Period) -> Select:
        hosted = (host.site_type == POSTAL_OUTLET) if hosted_by_postal_outlet \
            else (host.site_type != POSTAL_OUTLET)
        return (select(site_district().label("region"), func.count().label("value"))
                .join(host, host.id == Site.host_site_id)
                .where(Site.site_type == PUBLICATION_POINT, active_at_end(Site, month), hosted)
                .group_by(site_district()))
    return base


def _licensed_enterprises(month: Period) -> Select:
    """Enterprises with a licence number recorded by the month's end (the registry keeps no
    licence dates, so the record's creation stands in for the grant)."""
    _start, end = month.utc_bounds()
    region = district_of(Enterprise.region_code)
    return (select(region.label("region"), func.count().label("value"))
            .where(and_(Enterprise.licence_number.is_not(None), Enterprise.created_at < end))
            .group_by(region))


FIGURES: dict[str, Figure] = {figure.name: figure for figure in (
    Figure("inspections", "检查次数", _inspections),
    Figure("sites_inspected", "检查网点数", _sites_inspected),
    Figure("licensed_enterprises", "持证寄递企业数", _licensed_enterprises),
    Figure("stock_postal_outlets", "邮政普遍服务网点数", _stock(Site.site_type == POSTAL_OUTLET)),
    Figure("stock_express_outlets", "快递营业网点数", _stock(Site.site_type == "express_outlet")),
    Figure("stock_registered_terminals", "已备案末端网点数",
           _stock(Site.site_type == "express_terminal", Site.registration_number.is_not(None))),
    Figure("stock_parcel_lockers", "智能快件箱数", _stock(Site.site_type == "parcel_locker")),
    Figure("stock_sorting_centers", "邮件快件处理场所数",
           _stock(Site.site_type == "sorting_center")),
    Figure("stock_publication_stations", "扫黄打非工作站数", _publication(False)),
    Figure("stock_publication_points", "扫黄打非工作点数", _publication(True)),
)}

#: figures that rest on the enforcement tables (cases, decisions, orders); not yet counted
PENDING_FIGURES = {
    "cases_filed": "立案数", "cases_closed": "结案数", "fines_count": "罚款笔数",
    "fines_sum_fen": "罚款金额", "orders_issued": "责令整改数",
    "orders_issued_sites": "责令整改家数",
    "orders_completed_on_time": "按期完成整改数", "suspended_sites": "停业整顿家数",
    "transfers": "移送数", "summons": "约谈数", "stock_green_outlets": "绿色网点数",
}
