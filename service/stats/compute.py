"""Computing a period's snapshot: every rate and figure, every region level and site type.

One call replaces the period's stored rows inside the caller's transaction: it takes the
period's lock row (FOR UPDATE on PostgreSQL; SQLite's writers already queue), deletes what
was stored and inserts the new rows with INSERT … SELECT (the rates on PostgreSQL by way of
a temporary table filled by their one query, `_store_rates`), so the work stays in the
database (GROUP BY, no rows loaded into Python). Rolled back, nothing changes; committed,
exactly one snapshot exists — the primary keys forbid a second copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import (
    Float,
    Select,
    case,
    cast,
    column,
    delete,
    insert,
    literal,
    null,
    select,
    table,
    text,
    union_all,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ClauseElement, Executable

from service.common.chinatime import china_today
from service.common.idempotency import upsert_statement
from service.db import UTCDateTime
from service.stats.figures import counted
from service.stats.models import ALL_TYPES, CoverageSnapshot, DirtyMonth, MonthlyFigure, StatPeriod
from service.stats.periods import MONTH, Period, containing, month_of, parse
from service.stats.rates import RATES, Rate, site_pass
from service.stats.rollup import rolled_up

COVERAGE_COLUMNS = ["period_key", "region_code", "site_type", "rate", "period_kind",
                    "region_level", "numerator", "denominator", "value", "target", "met",
                    "computed_at"]


def targets_from(settings) -> dict[str, float]:
    """Each rate's target from the settings (rates without one are absent)."""
    return {rate.name: getattr(settings, rate.target_setting) for rate in RATES.values()
            if rate.target_setting}


def compute_period(db: Session, *, period: Period, targets: dict[str, float],
                   now: datetime) -> None:
    """Replace the period's snapshot (rates; for a month also the monthly figures)."""
    _lock(db, period)
    db.execute(delete(CoverageSnapshot).where(CoverageSnapshot.period_key == period.key))
    _store_rates(db, list(RATES.values()), period, targets, now)
    if period.kind == MONTH:
        db.execute(delete(MonthlyFigure).where(MonthlyFigure.month == period.key))
        with _without_jit(db):
            db.execute(_insert_figures(period, now))
    db.execute(update(StatPeriod).where(StatPeriod.period_key == period.key)
               .values(computed_at=now))


@contextmanager
def _local_settings(db: Session, **values: str) -> Iterator[None]:
    """PostgreSQL: the settings given for the statements inside, the previous values back
    afterwards (SET LOCAL: the transaction's alone); elsewhere nothing."""
    if db.get_bind().dialect.name != "postgresql":
        yield
        return
    before = {name: db.scalar(text("SELECT current_setting(:name)"), {"name": name})
              for name in values}
    for name, value in values.items():
        db.execute(text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value})
    yield   # a failure rolls the transaction back, and the settings with it
    for name, value in before.items():
        db.execute(text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value})


def _without_jit(db: Session):
    """PostgreSQL: no JIT compilation for the statement inside. The figures' INSERT is
    costed above `jit_above_cost`, and compiling its few hundred expressions took 0.9-1.1 s
    of a statement that runs once (EXPLAIN ANALYZE on the bench/bench_stats.py data)."""
    return _local_settings(db, jit="off")


def _lock(db: Session, period: Period) -> None:
    """The period's row, created if missing, locked until the transaction ends."""
    dialect = db.get_bind().dialect.name
    db.execute(upsert_statement(StatPeriod.__table__,
                                {"period_key": period.key, "period_kind": period.kind},
                                keys=["period_key"], update=[], dialect=dialect))
    db.execute(select(StatPeriod.period_key).where(StatPeriod.period_key == period.key)
               .with_for_update())


#: the temporary table the rates are staged in on PostgreSQL (dropped at once, and at the
#: transaction's end whatever happens)
STAGED_RATES = "stat_rates_staged"
#: memory per sort or hash of the rates' query on PostgreSQL: the flags' hashed subplans
#: (the month's ~800,000 inspected site ids on the bench's data) must fit in it, else the
#: planner probes an index per site instead; the default 4 MB also spilled the rollup's sort
#: to disk. One snapshot is computed at a time, by a worker
RATES_WORK_MEM = "64MB"


def _store_rates(db: Session, rates: list[Rate], period: Period, targets: dict[str, float],
                 now: datetime) -> None:
    """Insert every rate's rows, computed by ONE query (`_rated`).

    On PostgreSQL that query fills a temporary table (CREATE TEMPORARY TABLE … AS) and one
    INSERT … SELECT copies its few tens of thousands of rows into the snapshot: PostgreSQL
    15 plans no parallel workers for an INSERT … SELECT, but does for the query of a CREATE
    TABLE AS, so its parts may run in parallel as a plain SELECT would (the casework rates
    do; the site pass, whose flags are subplans, runs in one process). Without JIT
    (compiling the query with inlining and optimisation took up to 3 s of the statement:
    EXPLAIN ANALYZE on the bench's data) and with `RATES_WORK_MEM`.
    Elsewhere (SQLite) the same query feeds the INSERT directly."""
    rows = _rated(rates, period)
    known = {rate.name: targets[rate.name] for rate in rates
             if targets.get(rate.name) is not None}
    if db.get_bind().dialect.name != "postgresql":
        db.execute(_insert_snapshot(rows.subquery("rated"), period, known, now))
        return
    staged = table(STAGED_RATES, *[column(c.name, c.type) for c in rows.selected_columns])
    with _local_settings(db, jit="off", work_mem=RATES_WORK_MEM):
        db.execute(_CreateTemporaryTableAs(STAGED_RATES, rows))
        db.execute(_insert_snapshot(staged, period, known, now))
    db.execute(text(f"DROP TABLE {STAGED_RATES}"))


class _CreateTemporaryTableAs(Executable, ClauseElement):
    """CREATE TEMPORARY TABLE <name> ON COMMIT DROP AS <query> (PostgreSQL)."""

    inherit_cache = False

    def __init__(self, name: str, query: Select):
        self.name, self.query = name, query


@compiles(_CreateTemporaryTableAs)
def _create_temporary_table_as(element, compiler, **kw) -> str:
    return (f"CREATE TEMPORARY TABLE {element.name} ON COMMIT DROP AS "
            f"{compiler.process(element.query, **kw)}")


def _rated(rates: list[Rate], period: Period) -> Select:
    """SQL: every rate's (region_code, region_level, rate, site_type, numerator,
    denominator) at every level. The rates over sites come from one site pass (one scan of
    `sites`), the others from their own `base`; all summed up the region tree together (one
    rollup)."""
    parts = []
    together = [rate for rate in rates if rate.per_site is not None]
    if together:
        shared = site_pass(period, together).cte("site_pass")
        # a (district, type) a rate counts nobody of is no row of that rate (as its own
        # GROUP BY over the sites it counts would have none)
        parts += [select(shared.c.region, literal(rate.name).label("rate"), shared.c.site_type,
                         shared.c[f"{rate.name}_numerator"].label("numerator"),
                         shared.c[f"{rate.name}_denominator"].label("denominator"))
                  .where(shared.c[f"{rate.name}_denominator"] > 0)
                  for rate in together]
    for index, rate in enumerate(r for r in rates if r.per_site is None):
        own = rate.base(period).subquery(f"rate_{index}")
        parts.append(select(own.c.region, literal(rate.name).label("rate"), own.c.site_type,
                            own.c.numerator, own.c.denominator))
    base = union_all(*parts).cte("rated_base")
    overall = [rate.name for rate in rates if rate.with_all]
    # the row over all types ("all") of the rates that have one, before the rollup
    with_all = union_all(
        select(base), select(base.c.region, base.c.rate, literal(ALL_TYPES).label("site_type"),
                             base.c.numerator, base.c.denominator)
        .where(base.c.rate.in_(overall)))
    return rolled_up(select(with_all.subquery("with_all")), keys=["rate", "site_type"],
                     sums=["numerator", "denominator"])


def _insert_snapshot(rows, period: Period, known: dict[str, float], now: datetime):
    """INSERT … SELECT of the snapshot's rows from `rows` (the columns of `_rated`), with
    each value, its target (`known`, by rate) and whether it is met."""
    target = (case({name: literal(value, Float) for name, value in known.items()},
                   value=rows.c.rate, else_=null()) if known else null())
    empty = rows.c.denominator == 0
    value = case((empty, null()), else_=cast(rows.c.numerator, Float) / rows.c.denominator)
    met = case((empty, null()), (target.is_(None), null()),
               else_=rows.c.numerator >= target * rows.c.denominator)
    source = select(literal(period.key), rows.c.region_code, rows.c.site_type, rows.c.rate,
                    literal(period.kind), rows.c.region_level, rows.c.numerator,
                    rows.c.denominator, value, target, met, literal(now, UTCDateTime))
    return insert(CoverageSnapshot).from_select(COVERAGE_COLUMNS, source)


def _store_rate(db: Session, rate: Rate, period: Period, target: float | None,
                now: datetime) -> None:
    """One rate alone (the bench times each part with it)."""
    _store_rates(db, [rate], period, {rate.name: target} if target is not None else {}, now)


def _insert_figures(month: Period, now: datetime):
    rows = counted(month).subquery("counted")
    source = select(literal(month.key), rows.c.region_code, rows.c.figure, rows.c.region_level,
                    rows.c.value, literal(now, UTCDateTime))
    return insert(MonthlyFigure).from_select(
        ["month", "region_code", "figure", "region_level", "value", "computed_at"], source)


def current_periods(today: datetime | None = None) -> list[Period]:
    """The periods the nightly refresh recomputes: this month, quarter and year."""
    return containing(month_of(today or china_today()))


def dirty_months(db: Session) -> list[DirtyMonth]:
    """Months marked for recomputation, oldest first."""
    return list(db.scalars(select(DirtyMonth).order_by(DirtyMonth.month)))


def clear_mark(db: Session, *, month: str, marked_at: datetime) -> None:
    """Clear a month's mark unless a newer change marked it again meanwhile."""
    db.execute(delete(DirtyMonth).where(DirtyMonth.month == month,
                                        DirtyMonth.marked_at <= marked_at))


def periods_of_marks(marks: list[DirtyMonth]) -> list[Period]:
    """The months marked, with their quarters and years, each once."""
    seen: dict[str, Period] = {}
    for mark in marks:
        for period in containing(parse(mark.month)):
            seen.setdefault(period.key, period)
    return list(seen.values())
