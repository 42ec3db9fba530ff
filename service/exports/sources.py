"""What can be exported: each source names its columns, counts its rows and streams them.

`batches` yields lists of rows straight from the database (streamed on PostgreSQL,
`yield_per` on SQLite), so a million-row export never holds more than one batch in memory.
The database already shapes each row for the file — China wall-clock time, Chinese labels
(CASE), text that could pass for a formula quoted — so Python only hands batches on. A
source receives the job's period and region; it reads only that subtree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Select, String, case, cast, func, literal, select
from sqlalchemy.orm import Session

from service.common.chinatime import china_wall_clock
from service.common.regions import in_subtree
from service.exports.writers import DATETIME, DECIMAL, INTEGER, PERCENT, TEXT, Column
from service.inspections.models import COMPLETED, VOIDED, Inspection
from service.regions.models import Region
from service.registry.models import Enterprise, Site
from service.stats.figures import FIGURES
from service.stats.models import CoverageSnapshot
from service.stats.periods import Period, parse
from service.stats.rates import RATES
from service.stats.reports import monthly_report

BATCH = 2000
SITE_TYPE_LABELS = {
    "postal_outlet": "邮政普遍服务网点", "express_outlet": "快递营业网点",
    "express_terminal": "快递末端网点", "sorting_center": "邮件快件处理场所",
    "parcel_locker": "智能快件箱", "publication_point": "“扫黄打非”工作点", "all": "全部",
}
KIND_LABELS = {"routine": "日常检查", "double_random": "双随机抽查", "special": "专项检查",
               "unannounced": "三不一直", "joint": "联合检查", "cross_district": "互查",
               "re_inspection": "复查", "complaint": "申诉举报"}
RATE_LABELS = {name: rate.label for name, rate in RATES.items()}


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    #: the parameter naming the period ("period" or "month") and whether it must be a month
    period_param: str
    columns: list[Column]
    count: Callable[[Session, Period, str], int]
    batches: Callable[[Session, Period, str], Iterator[list]]


def _stream(db: Session, stmt: Select) -> Iterator[list]:
    """The statement's rows in batches of BATCH, never all at once."""
    connection = db.connection()
    if connection.dialect.name == "postgresql":
        yield from _streamed_by_psycopg(connection, stmt)
        return
    result = connection.execute(stmt.execution_options(yield_per=BATCH))
    yield from result.partitions()


def _streamed_by_psycopg(connection, stmt: Select) -> Iterator[list]:
    """PostgreSQL: psycopg's streaming mode (rows arrive in chunks as the server makes them)
    instead of a server-side cursor, which the planner may not run in parallel and which
    measured at less than half the speed (docs/scaling.md). The connection stays busy until
    the last row: nothing else may run on it meanwhile (progress goes through its own
    session)."""
    compiled = stmt.compile(dialect=connection.dialect,
                            compile_kwargs={"render_postcompile": True})
    cursor = connection.connection.driver_connection.cursor()
    try:
        batch = []
        for row in cursor.stream(str(compiled), compiled.params, size=BATCH):
            batch.append(row)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch
    finally:
        cursor.close()


def _streamed(stmt_for: Callable[[Period, str], Select]):
    def batches(db: Session, period: Period, region: str) -> Iterator[list]:
        return _stream(db, stmt_for(period, region))
    return batches


def labelled(column, labels: dict[str, str]):
    """SQL: the Chinese label of a code (the code itself when it has none)."""
    return case(labels, value=column, else_=column)


def as_text(column):
    """SQL: user text starting like a formula (= + - @) gets a leading quote, so Excel
    shows it instead of running it (formula injection)."""
    return case((func.substr(column, 1, 1).in_(("=", "+", "-", "@")), "'" + column),
                else_=column)


def _count(stmt_for: Callable[[Period, str], Select]):
    def count(db: Session, period: Period, region: str) -> int:
        return db.scalar(select(func.count()).select_from(stmt_for(period, region).subquery()))
    return count


# --- inspections (检查记录) ---------------------------------------------------------------

def _inspections(period: Period, region: str) -> Select:
    start, end = period.utc_bounds()
    return (select(china_wall_clock(Inspection.finished_at), as_text(Site.name),
                   labelled(Site.site_type, SITE_TYPE_LABELS), Site.region_code,
                   func.coalesce(Region.name, ""), as_text(func.coalesce(Enterprise.name, "")),
                   labelled(Inspection.kind, KIND_LABELS),
                   labelled(Inspection.status, {COMPLETED: "已完成", VOIDED: "已作废"}),
                   Inspection.score,
                   case((Inspection.location_anomaly.is_(True), "是"), else_="否"),
                   cast(Inspection.id, String))
            .join(Site, Site.id == Inspection.site_id)
            .outerjoin(Enterprise, Enterprise.id == Site.enterprise_id)
            .outerjoin(Region, Region.code == Site.region_code)
            .where(in_subtree(Inspection.region_code, region),
                   Inspection.finished_at >= start, Inspection.finished_at < end,
                   Inspection.status.in_((COMPLETED, VOIDED)))
            .order_by(Inspection.finished_at, Inspection.id))


INSPECTIONS = Source("inspections", "检查记录", "period", [
    Column("完成时间", DATETIME, 17), Column("检查对象名称", TEXT, 30),
    Column("检查对象类型", TEXT, 16), Column("所属区域代码", TEXT, 12),
    Column("所属区域", TEXT, 12), Column("寄递企业", TEXT, 28), Column("检查类型", TEXT, 12),
    Column("状态", TEXT, 8), Column("得分", DECIMAL, 8), Column("位置异常", TEXT, 8),
    Column("检查编号", TEXT, 38)],
    _count(_inspections), _streamed(_inspections))


# --- coverage rates (覆盖率) -------------------------------------------------------------

def _coverage(period: Period, region: str) -> Select:
    met = CoverageSnapshot.met
    return (select(CoverageSnapshot.region_code, Region.name,
                   labelled(CoverageSnapshot.rate, RATE_LABELS),
                   labelled(CoverageSnapshot.site_type, SITE_TYPE_LABELS),
                   CoverageSnapshot.numerator, CoverageSnapshot.denominator,
                   CoverageSnapshot.value, CoverageSnapshot.target,
                   case((met.is_(None), literal("")), (met.is_(True), "达标"), else_="未达标"))
            .join(Region, Region.code == CoverageSnapshot.region_code)
            .where(CoverageSnapshot.period_key == period.key,
                   in_subtree(CoverageSnapshot.region_code, region))
            .order_by(CoverageSnapshot.region_code, CoverageSnapshot.rate,
                      CoverageSnapshot.site_type))


COVERAGE = Source("coverage", "覆盖率", "period", [
    Column("区域代码", TEXT, 10), Column("区域", TEXT, 14), Column("指标", TEXT, 22),
    Column("检查对象类型", TEXT, 16), Column("分子", INTEGER, 10), Column("分母", INTEGER, 10),
    Column("覆盖率", PERCENT, 10), Column("目标", PERCENT, 8), Column("是否达标", TEXT, 8)],
    _count(_coverage), _streamed(_coverage))


# --- monthly statistics (月度执法统计) -------------------------------------------------------

def _monthly_rows(db: Session, month: Period, region: str) -> Iterator[list]:
    """The region's direct children, one row each (a few thousand at most: one batch)."""
    report = monthly_report(db, scope=region, month=month, region_code=region)
    yield [(item["region_code"], item["region_name"],
            *[item["figures"][name] for name in FIGURES],
            *[item["rates"][name] for name in RATES]) for item in report["items"][1:]]


def _monthly_count(db: Session, month: Period, region: str) -> int:
    return db.scalar(select(func.count()).select_from(Region)
                     .where(Region.parent_code == region,
                            Region.level.in_(("province", "city", "district"))))


MONTHLY = Source("monthly_statistics", "月度执法统计", "month", [
    Column("区域代码", TEXT, 10), Column("区域", TEXT, 14),
    *[Column(label, INTEGER, 12, total=True) for label in FIGURES.values()],
    *[Column(rate.label, PERCENT, 14) for rate in RATES.values()]],
    _monthly_count, _monthly_rows)

SOURCES: dict[str, Source] = {source.name: source for source in (MONTHLY, COVERAGE,
                                                                 INSPECTIONS)}


def period_of(source: Source, params: dict) -> Period:
    return parse(params[source.period_param])
