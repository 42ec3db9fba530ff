"""The counts of the monthly statistics (月度执法统计), counted per district in a few scans.

A `FigureGroup` is one set-based query over one table for a month: a SELECT of region and
one labelled count per figure (conditional sums), so that the registry stock by type is one
scan of `sites`, not one per type. `counted` sums the groups up the region tree and
unpivots them to (region, figure, value) rows, which `compute` stores. The counts over the
enforcement tables (cases filed 立案数 and closed 结案数, fines 罚款笔数/金额, rectification
orders 责令整改, suspensions 停业整顿家数, transfers 移送, summons 约谈) are groups of the
same shape built in `service.stats.casework`.

Inspections are counted in the region recorded on them (the site's region when submitted);
registry stock counts sites active at the month's end, by type.

Campaign figures (专项行动) are the groups whose rows carry a campaign (`for_campaign`):
inspections and casework, counted the same way over what carries the campaign. The registry
stock carries none.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from service.inspections.models import Inspection
from service.registry.models import Enterprise, Site
from service.stats import casework
from service.stats.periods import Period
from service.stats.rates import POSTAL_OUTLET, PUBLICATION_POINT, active_at_end, counting_in
from service.stats.rollup import district_of, rolled_up, site_district


@dataclass(frozen=True)
class FigureGroup:
    #: figure name -> its Chinese label, in the order of the query's columns
    labels: dict[str, str]
    #: month -> SELECT region, <one column per figure> (per district)
    base: Callable[[Period], Select]
    #: its rows carry a campaign: base(month, campaign_id) counts only the campaign's
    for_campaign: bool = False


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _inspections(month: Period, campaign_id: uuid.UUID | None = None) -> Select:
    region = district_of(Inspection.region_code)
    stmt = (select(region.label("region"), func.count().label("inspections"),
                   func.count(func.distinct(Inspection.site_id)).label("sites_inspected"))
            .where(counting_in(month)).group_by(region))
    if campaign_id is not None:
        stmt = stmt.where(Inspection.campaign_id == campaign_id)
    return stmt


def _stock(month: Period) -> Select:
    """Sites active at the month's end, by type; 工作点 are hosted by postal outlets, 工作站
    by a major express enterprise's site; 绿色网点: those designated green on or before the
    month's last day. One scan of `sites` for all of them."""
    host = aliased(Site)
    kind = Site.site_type
    publication = kind == PUBLICATION_POINT
    green = and_(Site.green_since.is_not(None), Site.green_since <= month.last)
    return (select(site_district().label("region"),
                   _count_if(kind == POSTAL_OUTLET).label("stock_postal_outlets"),
                   _count_if(kind == "express_outlet").label("stock_express_outlets"),
                   _count_if(and_(kind == "express_terminal",
                                  Site.registration_number.is_not(None)))
                   .label("stock_registered_terminals"),
                   _count_if(kind == "parcel_locker").label("stock_parcel_lockers"),
                   _count_if(kind == "sorting_center").label("stock_sorting_centers"),
                   _count_if(and_(publication, host.site_type != POSTAL_OUTLET))
                   .label("stock_publication_stations"),
                   _count_if(and_(publication, host.site_type == POSTAL_OUTLET))
                   .label("stock_publication_points"),
                   _count_if(green).label("stock_green_outlets"))
            .select_from(Site).outerjoin(host, host.id == Site.host_site_id)
            .where(active_at_end(Site, month)).group_by(site_district()))


def _licensed_enterprises(month: Period) -> Select:
    """Enterprises with a licence number recorded by the month's end (the registry keeps no
    licence dates, so the record's creation stands in for the grant)."""
    _start, end = month.utc_bounds()
    region = district_of(Enterprise.region_code)
    return (select(region.label("region"), func.count().label("licensed_enterprises"))
            .where(and_(Enterprise.licence_number.is_not(None), Enterprise.created_at < end))
            .group_by(region))


GROUPS: list[FigureGroup] = [
    FigureGroup({"inspections": "检查次数", "sites_inspected": "检查网点数"}, _inspections,
                for_campaign=True),
    FigureGroup({"licensed_enterprises": "持证寄递企业数"}, _licensed_enterprises),
    FigureGroup({"stock_postal_outlets": "邮政普遍服务网点数",
                 "stock_express_outlets": "快递营业网点数",
                 "stock_registered_terminals": "已备案末端网点数",
                 "stock_parcel_lockers": "智能快件箱数",
                 "stock_sorting_centers": "邮件快件处理场所数",
                 "stock_publication_stations": "扫黄打非工作站数",
                 "stock_publication_points": "扫黄打非工作点数",
                 "stock_green_outlets": "绿色网点数"}, _stock),
    FigureGroup({"cases_filed": "立案数", "cases_closed": "结案数", "fines_count": "罚款笔数",
                  "fines_sum_fen": "罚款金额（分）", "transfers": "移送公安数"},
                casework.case_counts, for_campaign=True),
    FigureGroup({"orders_issued": "责令整改数", "orders_issued_sites": "责令整改家数",
                 "orders_completed_on_time": "按期完成整改数"}, casework.rectification_counts,
                for_campaign=True),
    FigureGroup({"suspended_sites": "停业整顿家数"}, casework.suspension_counts,
                for_campaign=True),
    FigureGroup({"summons": "约谈数"}, casework.summons_counts, for_campaign=True),
]
_LABELS = {name: label for group in GROUPS for name, label in group.labels.items()}
#: the order of the monthly statistics (月度执法统计) as bureaus report them: inspections,
#: casework, then the registry stock
REPORT_ORDER = ("inspections", "sites_inspected", "cases_filed", "cases_closed", "fines_count",
                "fines_sum_fen", "orders_issued", "orders_issued_sites",
                "orders_completed_on_time", "suspended_sites", "transfers", "summons",
                "licensed_enterprises", "stock_postal_outlets", "stock_express_outlets",
                "stock_registered_terminals", "stock_parcel_lockers", "stock_sorting_centers",
                "stock_publication_stations", "stock_publication_points",
                "stock_green_outlets")
#: every figure's Chinese label, in report order
FIGURES: dict[str, str] = {name: _LABELS[name] for name in REPORT_ORDER}
assert set(FIGURES) == set(_LABELS), "every counted figure has its place in REPORT_ORDER"
#: the figures a campaign (专项行动) has, in report order
CAMPAIGN_FIGURES: dict[str, str] = {
    name: label for name, label in FIGURES.items()
    if any(name in group.labels for group in GROUPS if group.for_campaign)}
#: the figures that are sums of money, in fen (分); reports show them in yuan
MONEY_FIGURES = ("fines_sum_fen",)


#: a figure a group does not count, typed so that the stacked rows' columns match
_NONE = cast(null(), BigInteger)


def counted(month: Period, campaign_id: uuid.UUID | None = None) -> Select:
    """SELECT region_code, region_level, figure, value: every figure of the month in every
    region, summed up the region tree. With `campaign_id`, only the campaign's figures, over
    what carries it.

    One query per group, each a row per district; the groups' rows are stacked with every
    figure as a column (null where a group does not count it), summed up the tree once as
    wide rows (a few thousand regions, not a row per figure: the GROUP BY stays in memory),
    and only then unpivoted to one row per (region, figure). A figure whose group has no row
    under a region sums to null there and is not stored (read as 0 once computed)."""
    groups = [group for group in GROUPS if campaign_id is None or group.for_campaign]
    names = [name for group in groups for name in group.labels]
    stacked = []
    for index, group in enumerate(groups):
        base = group.base(month, campaign_id) if campaign_id is not None else group.base(month)
        wide = base.subquery(f"figure_group_{index}")
        stacked.append(select(wide.c.region, *[
            (wide.c[name] if name in group.labels else _NONE).label(name)
            for name in names]))
    rows = union_all(*stacked).subquery("figure_rows")
    totals = rolled_up(select(rows), keys=[], sums=names).cte("figure_totals")
    return union_all(*[select(totals.c.region_code, totals.c.region_level,
                              literal(name).label("figure"), totals.c[name].label("value"))
                       .where(totals.c[name].is_not(None)) for name in names])
