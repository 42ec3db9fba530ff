"""What can be exported: each source names its columns, counts its rows and streams them.

`batches` yields lists of rows straight from the database (streamed on PostgreSQL,
`yield_per` on SQLite), so a million-row export never holds more than one batch in memory.
The database already shapes each row for the file — China wall-clock time, Chinese labels
(CASE), text that could pass for a formula quoted — so Python only hands batches on. A
source receives the job's period and region; it reads only that subtree.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Numeric, Select, String, case, cast, func, literal, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from service.campaigns.logic import get_campaign
from service.common.chinatime import china_wall_clock
from service.common.errors import field_error
from service.common.regions import in_subtree
from service.enforcement.cases import visible as visible_cases
from service.enforcement.models import Case
from service.enforcement.procedure import STATES as CASE_STATES
from service.exports.writers import (
    DATE,
    DATETIME,
    DECIMAL,
    INTEGER,
    MONEY,
    PERCENT,
    TEXT,
    Column,
)
from service.inspections.models import COMPLETED, VOIDED, Inspection
from service.plans.exports import HEADERS as PLAN_HEADERS
from service.plans.exports import rows as plan_export_rows
from service.plans.logic import get_plan
from service.plans.reports import results as plan_results
from service.regions.logic import require_region_in_scope
from service.regions.models import Region
from service.registry.models import Enterprise, Site
from service.stats.figures import CAMPAIGN_FIGURES, FIGURES, MONEY_FIGURES
from service.stats.models import CoverageSnapshot
from service.stats.periods import MONTH, Period, parse
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
CASE_STATUS_LABELS = {
    "lead": "线索", "filed": "已立案", "investigation": "调查取证", "notice": "事先告知",
    "hearing": "听证申请", "heard": "已听证", "legal_review": "法制审核", "reviewed": "审核通过",
    "decided": "已作出处罚决定", "executing": "执行中", "closed": "已结案",
    "dismissed": "已撤销", "transferred": "已移送"}
PROCEDURE_LABELS = {"ordinary": "普通程序", "summary": "简易程序"}
CASE_SOURCE_LABELS = {"inspection": "检查发现", "complaint": "申诉举报", "transfer": "移送"}


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    columns: list[Column]
    #: (db, scope, request body) -> the job's parameters, checked (422 naming the field, 404
    #: for an object outside the jurisdiction); always with the job's `region_code`
    params: Callable[[Session, str, dict], dict]
    #: (db, params) -> how many rows the file will have
    count: Callable[[Session, dict], int]
    #: (db, params) -> the rows, in batches
    batches: Callable[[Session, dict], Iterator[list]]
    #: params -> what the file name says after the title and region (the period, the plan)
    label: Callable[[dict], str]
    #: on PostgreSQL a CSV can come straight from COPY: params -> the one statement, if any
    statement: Callable[[dict], Select] | None = None


def period_params(name: str, *, month_only: bool = False, required: bool = True):
    """Parameters of a source read by period: the period (a month, or any period; optional
    when not `required`) and a region of the caller's jurisdiction (default: all of it)."""
    def params(db: Session, scope: str, data: dict) -> dict:
        key = data.get(name)
        period = parse(key) if key else None
        if (key or required) and (period is None or (month_only and period.kind != MONTH)):
            raise field_error(name, f"Needs `{name}`: YYYY-MM" + (
                "" if month_only else ", YYYY-Qn or YYYY") + " (China time).")
        region = require_region_in_scope(db, scope=scope, code=data.get("region_code") or scope)
        return {**({name: period.key} if period else {}), "region_code": region.code}
    return params


def period_label(name: str):
    return lambda params: params.get(name, "all")


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


def _streamed(stmt_for: Callable[[dict], Select]):
    def batches(db: Session, params: dict) -> Iterator[list]:
        return _stream(db, stmt_for(params))
    return batches


def labelled(column, labels: dict[str, str]):
    """SQL: the Chinese label of a code (the code itself when it has none)."""
    return case(labels, value=column, else_=column)


def as_text(column):
    """SQL: user text starting like a formula (= + - @) gets a leading quote, so Excel
    shows it instead of running it (formula injection)."""
    return case((func.substr(column, 1, 1).in_(("=", "+", "-", "@")), "'" + column),
                else_=column)


class uuid_text(FunctionElement):
    """SQL: a UUID as its usual text (8-4-4-4-12 hex digits); SQLite stores the 32 digits
    alone."""

    type = String()
    inherit_cache = True


@compiles(uuid_text)
def _uuid_text(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


@compiles(uuid_text, "sqlite")
def _uuid_text_sqlite(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    parts = [f"substr({column}, {start}, {length})"
             for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))]
    return " || '-' || ".join(parts)


def _count(stmt_for: Callable[[dict], Select]):
    def count(db: Session, params: dict) -> int:
        return db.scalar(select(func.count()).select_from(stmt_for(params).subquery()))
    return count


def yuan(fen_column):
    """SQL: an amount in fen as yuan, exact to the fen (NUMERIC(20, 2): PostgreSQL's COPY
    writes 5000.00, and rows arrive as Decimal on both databases)."""
    return cast(fen_column / literal_column("100.0"), Numeric(20, 2))


def yuan_of(fen: int | None) -> Decimal | None:
    """An amount in fen as yuan, exactly (500000 -> Decimal('5000.00'))."""
    return None if fen is None else Decimal(fen).scaleb(-2)


def _period(params: dict, name: str = "period") -> Period | None:
    key = params.get(name)
    return parse(key) if key else None


# --- inspections (检查记录) ---------------------------------------------------------------

def inspections_statement(params: dict) -> Select:
    start, end = _period(params).utc_bounds()
    return (select(china_wall_clock(Inspection.finished_at), as_text(Site.name),
                   labelled(Site.site_type, SITE_TYPE_LABELS), Site.region_code,
                   func.coalesce(Region.name, ""), as_text(func.coalesce(Enterprise.name, "")),
                   labelled(Inspection.kind, KIND_LABELS),
                   labelled(Inspection.status, {COMPLETED: "已完成", VOIDED: "已作废"}),
                   Inspection.score,
                   case((Inspection.location_anomaly.is_(True), "是"), else_="否"),
                   uuid_text(Inspection.id))
            .join(Site, Site.id == Inspection.site_id)
            .outerjoin(Enterprise, Enterprise.id == Site.enterprise_id)
            .outerjoin(Region, Region.code == Site.region_code)
            .where(in_subtree(Inspection.region_code, params["region_code"]),
                   Inspection.finished_at >= start, Inspection.finished_at < end,
                   Inspection.status.in_((COMPLETED, VOIDED)))
            .order_by(Inspection.finished_at, Inspection.id))


INSPECTIONS = Source("inspections", "检查记录", [
    Column("完成时间", DATETIME, 17), Column("检查对象名称", TEXT, 30),
    Column("检查对象类型", TEXT, 16), Column("所属区域代码", TEXT, 12),
    Column("所属区域", TEXT, 12), Column("寄递企业", TEXT, 28), Column("检查类型", TEXT, 12),
    Column("状态", TEXT, 8), Column("得分", DECIMAL, 8), Column("位置异常", TEXT, 8),
    Column("检查编号", TEXT, 38)],
    period_params("period"), _count(inspections_statement), _streamed(inspections_statement),
    period_label("period"), inspections_statement)


# --- coverage rates (覆盖率) -------------------------------------------------------------

def _coverage(params: dict) -> Select:
    met = CoverageSnapshot.met
    return (select(CoverageSnapshot.region_code, Region.name,
                   labelled(CoverageSnapshot.rate, RATE_LABELS),
                   labelled(CoverageSnapshot.site_type, SITE_TYPE_LABELS),
                   CoverageSnapshot.numerator, CoverageSnapshot.denominator,
                   CoverageSnapshot.value, CoverageSnapshot.target,
                   case((met.is_(None), literal("")), (met.is_(True), "达标"), else_="未达标"))
            .join(Region, Region.code == CoverageSnapshot.region_code)
            .where(CoverageSnapshot.period_key == params["period"],
                   in_subtree(CoverageSnapshot.region_code, params["region_code"]))
            .order_by(CoverageSnapshot.region_code, CoverageSnapshot.rate,
                      CoverageSnapshot.site_type))


COVERAGE = Source("coverage", "覆盖率", [
    Column("区域代码", TEXT, 10), Column("区域", TEXT, 14), Column("指标", TEXT, 22),
    Column("检查对象类型", TEXT, 16), Column("分子", INTEGER, 10), Column("分母", INTEGER, 10),
    Column("覆盖率", PERCENT, 10), Column("目标", PERCENT, 8), Column("是否达标", TEXT, 8)],
    period_params("period"), _count(_coverage), _streamed(_coverage), period_label("period"))


# --- monthly statistics (月度执法统计) and a campaign's (专项行动统计) ---------------------------

def _figure_columns(figures: dict[str, str]) -> list[Column]:
    """One summed column per figure; money in yuan (元), exact to the fen."""
    return [Column(label.replace("（分）", "（元）"), MONEY, 14, total=True)
            if name in MONEY_FIGURES else Column(label, INTEGER, 12, total=True)
            for name, label in figures.items()]


def _figure_cells(figures: dict, names) -> list:
    return [yuan_of(figures[name]) if name in MONEY_FIGURES else figures[name]
            for name in names]


def _monthly_rows(db: Session, params: dict) -> Iterator[list]:
    """The region's direct children, one row each (a few thousand at most: one batch)."""
    region = params["region_code"]
    report = monthly_report(db, scope=region, month=_period(params, "month"),
                            region_code=region)
    yield [(item["region_code"], item["region_name"],
            *_figure_cells(item["figures"], FIGURES),
            *[item["rates"][name] for name in RATES]) for item in report["items"][1:]]


def _children_count(db: Session, params: dict) -> int:
    return db.scalar(select(func.count()).select_from(Region)
                     .where(Region.parent_code == params["region_code"],
                            Region.level.in_(("province", "city", "district"))))


MONTHLY = Source("monthly_statistics", "月度执法统计", [
    Column("区域代码", TEXT, 10), Column("区域", TEXT, 14), *_figure_columns(FIGURES),
    *[Column(rate.label, PERCENT, 14) for rate in RATES.values()]],
    period_params("month", month_only=True), _children_count, _monthly_rows,
    period_label("month"))


def _campaign_params(db: Session, scope: str, data: dict) -> dict:
    """A month, a region of the jurisdiction, and a campaign the caller sees (else 404)."""
    if not data.get("campaign_id"):
        raise field_error("campaign_id", "Needs `campaign_id`: the campaign (专项行动) whose "
                                         "figures to export.")
    params = period_params("month", month_only=True)(db, scope, data)
    # seen from the export's region (so also from the caller's, above it): the worker reads
    # the figures in that region's name
    campaign = get_campaign(db, scope=params["region_code"],
                            campaign_id=uuid.UUID(str(data["campaign_id"])))
    return {**params, "campaign_id": str(campaign.id)}


def _campaign_rows(db: Session, params: dict) -> Iterator[list]:
    """The campaign's figures in the region's direct children, one row each, counted now
    (`stats.reports.campaign_report`)."""
    region = params["region_code"]
    report = monthly_report(db, scope=region, month=_period(params, "month"),
                            region_code=region, campaign_id=uuid.UUID(params["campaign_id"]))
    yield [(item["region_code"], item["region_name"],
            *_figure_cells(item["figures"], CAMPAIGN_FIGURES))
           for item in report["items"][1:]]


CAMPAIGN = Source("campaign_statistics", "专项行动统计", [
    Column("区域代码", TEXT, 10), Column("区域", TEXT, 14), *_figure_columns(CAMPAIGN_FIGURES)],
    _campaign_params, _children_count, _campaign_rows,
    lambda params: f"{params['campaign_id'][:8]}-{params['month']}")


# --- cases (案件) ----------------------------------------------------------------------------

def _case_params(db: Session, scope: str, data: dict) -> dict:
    """The case list's filters: a period of opening (optional) and a status (optional)."""
    params = period_params("period", required=False)(db, scope, data)
    status = data.get("status")
    if status is not None and status not in CASE_STATES:
        raise field_error("status", "One of " + ", ".join(CASE_STATES) + ".")
    return {**params, **({"status": status} if status else {})}


def _cases(params: dict) -> Select:
    """The cases of the region as its case list shows them (`cases.visible`), oldest
    first, optionally opened in a period and in one status."""
    stmt = (visible_cases(params["region_code"])
            .with_only_columns(
                china_wall_clock(Case.created_at), as_text(Case.title),
                labelled(Case.status, CASE_STATUS_LABELS),
                labelled(Case.procedure, PROCEDURE_LABELS),
                labelled(Case.source, CASE_SOURCE_LABELS), as_text(Case.party_name),
                as_text(func.coalesce(Site.name, "")), Case.region_code,
                func.coalesce(Region.name, ""), func.coalesce(Case.violation_code, ""),
                Case.filed_on, Case.decided_on, func.coalesce(Case.decision_number, ""),
                yuan(Case.fine_fen), Case.closed_on, uuid_text(Case.id))
            .outerjoin(Site, Site.id == Case.site_id)
            .outerjoin(Region, Region.code == Case.region_code)
            .order_by(Case.created_at, Case.id))
    period = _period(params)
    if period is not None:
        start, end = period.utc_bounds()
        stmt = stmt.where(Case.created_at >= start, Case.created_at < end)
    if "status" in params:
        stmt = stmt.where(Case.status == params["status"])
    return stmt


CASES = Source("cases", "案件清单", [
    Column("登记时间", DATETIME, 17), Column("案件名称", TEXT, 30), Column("状态", TEXT, 12),
    Column("程序", TEXT, 10), Column("案件来源", TEXT, 10), Column("当事人", TEXT, 24),
    Column("检查对象名称", TEXT, 24), Column("所属区域代码", TEXT, 12),
    Column("所属区域", TEXT, 12), Column("违法行为代码", TEXT, 16),
    Column("立案日期", DATE, 11), Column("决定日期", DATE, 11),
    Column("处罚决定书文号", TEXT, 24), Column("罚款金额（元）", MONEY, 14, total=True),
    Column("结案日期", DATE, 11), Column("案件编号", TEXT, 38)],
    _case_params, _count(_cases), _streamed(_cases), period_label("period"), _cases)


# --- a plan's results (双随机抽查结果) -------------------------------------------------------

def _plan_params(db: Session, scope: str, data: dict) -> dict:
    """The plan, of the caller's jurisdiction (else 404); the job belongs to its region."""
    if not data.get("plan_id"):
        raise field_error("plan_id", "Needs `plan_id`: the plan whose results to export.")
    plan = get_plan(db, scope=scope, plan_id=data["plan_id"])
    return {"plan_id": str(plan.id), "region_code": plan.region_code}


def _plan_rows(db: Session, params: dict) -> list[list]:
    """The rows the plans feature publishes (`service.plans.exports.rows`): one per drawn
    site and matter. A plan's results are read from its own rows only (a few thousand)."""
    report = plan_results(db, scope=params["region_code"], plan_id=uuid.UUID(params["plan_id"]))
    return plan_export_rows(report)


def _plan_batches(db: Session, params: dict) -> Iterator[list]:
    rows = _plan_rows(db, params)
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


_PLAN_KINDS = {"序号": (INTEGER, 6), "得分": (DECIMAL, 8), "检查对象名称": (TEXT, 30),
               "地址": (TEXT, 30), "寄递企业": (TEXT, 28), "统一社会信用代码": (TEXT, 20),
               "抽查事项": (TEXT, 30), "检查结果": (TEXT, 20)}
PLAN_RESULTS = Source("plan_results", "双随机抽查结果", [
    Column(header, *_PLAN_KINDS.get(header, (TEXT, 14))) for header in PLAN_HEADERS],
    _plan_params, lambda db, params: len(_plan_rows(db, params)), _plan_batches,
    lambda params: params["plan_id"][:8])

SOURCES: dict[str, Source] = {source.name: source for source in (
    MONTHLY, CAMPAIGN, COVERAGE, INSPECTIONS, CASES, PLAN_RESULTS)}
