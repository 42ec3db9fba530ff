"""Statistics and exports at scale, on PostgreSQL, each against a baseline in the same run.

Builds, with set-based SQL (generate_series) in a scratch database beside DATABASE_URL's
(bench_stats_<pid>, dropped at the end), BENCH_SITES sites over every GB/T 2260 district and
BENCH_INSPECTIONS inspections spread over 2026 (3% voided; express sites' inspections answer
`recycling_device`; the passes among them loaded into `stat_recycling_passes` as the
migration's backfill does), then prints:

  coverage   the full computation of one month (every rate and monthly figure, every region
             level x site type, replaced in one transaction) against ONE hand-written
             GROUP BY (inspection coverage per district x type, no rollup, no insert)
  casework   the monthly figures' counts over BENCH_CASES cases (and orders, summons,
             suspensions) of 2024-2026, with the date indexes and without them
  csv        the inspection-list export (service.exports: rows streamed from the database,
             Chinese labels, China time, CSV with BOM) in rows/s, against PostgreSQL's own
             COPY (same query) TO STDOUT WITH CSV into a file
  xlsx       the same rows through the XLSX writer (XlsxWriter constant_memory)
  memory     the process's peak RSS after exporting the period's rows both ways

The export covers the year's inspections up to 1.5 million, else June's (BENCH_EXPORT_PERIOD).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test_stats \\
        BENCH_SITES=1000000 BENCH_INSPECTIONS=10000000 .venv/bin/python bench/bench_stats.py

BENCH_ROUNDS (3) pairs of the baseline and every rate are measured back to back after that.
BENCH_KEEP=<name> builds into a database of that name on the same server and keeps it; a
later run with the same name (and sizes) measures again without rebuilding (drop it by hand).
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import sessionmaker

from service.local.databases import postgresql_url_from_env, scratch_postgresql_database

SITES = int(os.environ.get("BENCH_SITES", "200000"))
INSPECTIONS = int(os.environ.get("BENCH_INSPECTIONS", "1000000"))
MONTH = "2026-06"
#: the export: the first BENCH_EXPORT_ROWS (a million) inspections, by finish time, of a
#: period (the year up to 1.5 million inspections, else the second quarter)
EXPORT_PERIOD = os.environ.get("BENCH_EXPORT_PERIOD", "2026" if INSPECTIONS <= 1_500_000
                               else "2026-Q2")
EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))

ENTERPRISES_SQL = """
INSERT INTO enterprises (id, name, brand, uscc, licence_number, is_major_brand, region_code,
                         created_at, updated_at, version)
SELECT gen_random_uuid(), '压测企业' || g, '品牌' || (g % 12), 'B' || lpad(g::text, 17, '0'),
       'L' || g, g % 3 <> 0, '310000', now(), now(), 1
FROM generate_series(1, 1000) AS g
"""
# Types by i % 10: 0-1 postal outlets (0: urban), 2-4 express outlets, 5-6 terminals,
# 7 lockers, 8 sorting centres, 9 publication points hosted by the postal outlet i - 9.
SITES_SQL = """
WITH districts AS (SELECT array_agg(code ORDER BY code) AS codes FROM regions
                   WHERE level = 'district'),
     firms AS (SELECT array_agg(id ORDER BY id) AS ids FROM enterprises),
     numbered AS (
  SELECT g, lpad(to_hex(g), 32, '0')::uuid AS id,
         codes[1 + (g / 10) % array_length(codes, 1)] AS region,
         CASE g % 10 WHEN 0 THEN 'postal_outlet' WHEN 1 THEN 'postal_outlet'
              WHEN 2 THEN 'express_outlet' WHEN 3 THEN 'express_outlet'
              WHEN 4 THEN 'express_outlet' WHEN 5 THEN 'express_terminal'
              WHEN 6 THEN 'express_terminal' WHEN 7 THEN 'parcel_locker'
              WHEN 8 THEN 'sorting_center' ELSE 'publication_point' END AS site_type,
         ids[1 + g % 1000] AS enterprise_id
  FROM generate_series(0, :n - 1) AS g, districts, firms)
INSERT INTO sites (id, name, site_type, address, region_code, lat, lon, enterprise_id,
                   host_site_id, status, opened_on, closed_on, urban, registration_number,
                   created_at, updated_at, version)
SELECT id, '压测网点' || g, site_type, '压测路' || g || '号', region, 31.0, 121.0,
       CASE WHEN site_type = 'postal_outlet' THEN NULL ELSE enterprise_id END,
       CASE WHEN site_type = 'publication_point' THEN lpad(to_hex(g - 9), 32, '0')::uuid END,
       CASE WHEN g % 97 = 0 THEN 'closed' WHEN g % 89 = 0 THEN 'suspended' ELSE 'active' END,
       DATE '2019-01-01' + (g % 2500), CASE WHEN g % 97 = 0 THEN DATE '2026-07-15' END,
       g % 10 <> 1, CASE WHEN site_type = 'express_terminal' THEN 'BA' || g END,
       now(), now(), 1
FROM numbered
"""
INSPECTIONS_SQL = """
WITH fixed AS (SELECT (SELECT id FROM checklist_templates ORDER BY id LIMIT 1) AS template,
                      (SELECT id FROM users LIMIT 1) AS inspector),
     picked AS (
  SELECT g, lpad(to_hex(floor(random() * :sites)::int), 32, '0')::uuid AS site_id,
         TIMESTAMP '2025-12-31 16:00' + random() * INTERVAL '365 days' AS finished
  FROM generate_series(1, :n) AS g)
INSERT INTO inspections (id, site_id, region_code, template_id, kind, status, started_at,
                         finished_at, completed_at, location_anomaly, score, request_hash,
                         submitted_by_id, revision, enforcement_follows, enforcement_ready,
                         review_status, created_at, updated_at, version)
SELECT lpad(to_hex(p.g), 32, '0')::uuid, p.site_id, s.region_code, f.template, 'routine',
       CASE WHEN p.g % 33 = 0 THEN 'voided' ELSE 'completed' END,
       p.finished - INTERVAL '40 minutes', p.finished, p.finished, p.g % 50 = 0,
       60 + p.g % 41, 'bench', f.inspector, 0, false, false, 'none', now(), now(), 1
FROM picked p JOIN sites s ON s.id = p.site_id, fixed f
"""
ANSWERS_SQL = """
INSERT INTO inspection_answers (inspection_id, item_code, answer)
SELECT i.id, 'recycling_device', CASE WHEN random() < 0.6 THEN 'pass' ELSE 'fail' END
FROM inspections i JOIN sites s ON s.id = i.site_id
WHERE s.site_type IN ('express_outlet', 'express_terminal')
"""
# Casework over three years (2024-2026), so a month holds about 1/36 of each table: cases
# on the sites by id, filed on day g % 1096; 70% decided 20 days later (60% with a fine), half
# closed 40 days after filing, 2% transferred; orders (half as many) and summons (a tenth).
CASES = int(os.environ.get("BENCH_CASES", "300000"))
CASEWORK_FIXED = """
WITH fixed AS (SELECT (SELECT id FROM users ORDER BY id LIMIT 1) AS officer,
                      (SELECT id FROM enterprises ORDER BY id LIMIT 1) AS firm)"""
CASES_SQL = CASEWORK_FIXED + """,
     numbered AS (SELECT g, lpad(to_hex(g), 32, '0')::uuid AS id,
                         lpad(to_hex(g % :sites), 32, '0')::uuid AS site_id,
                         DATE '2024-01-01' + (g % 1096) AS opened
                  FROM generate_series(1, :n) AS g)
INSERT INTO enforcement_cases (id, region_code, bureau_code, site_id, enterprise_id, source,
                               procedure, status, title, party_kind, party_name, measures,
                               fine_fen, major, hearing_offered, extension_days, filed_on,
                               decided_on, closed_on, transferred_on, police_agency,
                               opened_by_id, created_at, updated_at, version)
SELECT n.id, s.region_code, s.region_code, s.id, COALESCE(s.enterprise_id, f.firm),
       'inspection', 'ordinary',
       CASE WHEN n.g % 50 = 0 THEN 'transferred' WHEN n.g % 2 = 0 THEN 'closed'
            WHEN n.g % 10 < 7 THEN 'executing' ELSE 'filed' END,
       '压测案件' || n.g, 'organisation', '压测当事人', '[]',
       CASE WHEN n.g % 10 < 6 AND n.g % 50 <> 0 THEN 10000 * (1 + n.g % 50) END,
       false, false, 0, n.opened,
       CASE WHEN n.g % 10 < 7 AND n.g % 50 <> 0 THEN n.opened + 20 END,
       CASE WHEN n.g % 2 = 0 THEN n.opened + 40 END,
       CASE WHEN n.g % 50 = 0 THEN n.opened + 10 END,
       CASE WHEN n.g % 50 = 0 THEN '压测公安分局' END, f.officer, now(), now(), 1
FROM numbered n JOIN sites s ON s.id = n.site_id, fixed f
"""
ORDERS_SQL = CASEWORK_FIXED + """
INSERT INTO enforcement_rectifications (id, site_id, region_code, bureau_code, items,
                                        issued_on, due_on, number, status, completed_on,
                                        issued_by_id, created_at, updated_at, version)
SELECT lpad(to_hex(g), 32, '0')::uuid, s.id, s.region_code, s.region_code, '[]',
       DATE '2024-01-01' + (g % 1096), DATE '2024-01-01' + (g % 1096) + 15, '压测改' || g,
       CASE WHEN g % 10 < 7 THEN 'completed' ELSE 'open' END,
       CASE WHEN g % 10 < 7 THEN DATE '2024-01-01' + (g % 1096) + (g % 20) END,
       f.officer, now(), now(), 1
FROM generate_series(1, :n) AS g
JOIN sites s ON s.id = lpad(to_hex((g * 7) % :sites), 32, '0')::uuid, fixed f
"""
SUMMONS_SQL = CASEWORK_FIXED + """
INSERT INTO enforcement_summons (id, enterprise_id, site_id, region_code, bureau_code, held_on,
                                 subject, number, recorded_by_id, created_at, updated_at)
SELECT lpad(to_hex(g), 32, '0')::uuid, COALESCE(s.enterprise_id, f.firm), s.id,
       s.region_code, s.region_code, DATE '2024-01-01' + (g % 1096), '压测约谈', '压测约' || g,
       f.officer, now(), now()
FROM generate_series(1, :n) AS g
JOIN sites s ON s.id = lpad(to_hex((g * 13) % :sites), 32, '0')::uuid, fixed f
"""
# decisions without a fine (a tenth of the cases) suspend their site
SUSPENSIONS_SQL = """
INSERT INTO enforcement_suspensions (id, case_id, site_id, starts_on, ends_on, applied, lifted,
                                     created_at, updated_at)
SELECT gen_random_uuid(), id, site_id, decided_on, decided_on + 30, true, false, now(), now()
FROM enforcement_cases WHERE decided_on IS NOT NULL AND fine_fen IS NULL
"""
#: the indexes serving the monthly figures' date ranges (migration 0014)
CASEWORK_INDEXES = ("ix_enforcement_cases_filed_on", "ix_enforcement_cases_decided_on",
                    "ix_enforcement_cases_closed_on", "ix_enforcement_cases_transferred_on",
                    "ix_enforcement_rectifications_issued_on")
BASELINE_SQL = """
SELECT substr(s.region_code, 1, 6) AS region, s.site_type, count(i.site_id), count(*)
FROM sites s
LEFT JOIN (SELECT DISTINCT site_id FROM inspections
           WHERE status = 'completed' AND finished_at >= :start AND finished_at < :end) i
       ON i.site_id = s.id
WHERE s.opened_on <= :last AND (s.closed_on IS NULL OR s.closed_on >= :first)
GROUP BY 1, 2
"""


def timed(label: str, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"  {label:<44} {seconds:8.2f} s", flush=True)
    return seconds


def build(engine) -> None:
    import service.models  # noqa: F401
    from service.auth.models import User
    from service.db import Base, session_scope
    from service.migrate import migrate_and_seed
    from service.stats.recycling import rebuild

    migrate_and_seed(engine.url.render_as_string(hide_password=False))
    with session_scope(sessionmaker(bind=engine)) as db:
        db.add(User(username="bench", full_name="压测", password_hash="x", role="inspector",
                    region_code="310000"))
    print(f"building {SITES:,} sites and {INSPECTIONS:,} inspections (set-based SQL)")
    # A bulk load: sequential ids, foreign-key triggers off (the data is consistent by
    # construction), secondary indexes built once at the end instead of row by row.
    tables = [Base.metadata.tables[name] for name in ("sites", "inspections")]
    passes = Base.metadata.tables["stat_recycling_passes"]
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table in [*tables, passes]:
            for index in table.indexes:
                index.drop(connection)
        timed("enterprises", lambda: connection.execute(text(ENTERPRISES_SQL)))
        timed("sites", lambda: connection.execute(text(SITES_SQL), {"n": SITES}))
        timed("inspections", lambda: connection.execute(
            text(INSPECTIONS_SQL), {"n": INSPECTIONS, "sites": SITES}))
        timed("recycling answers", lambda: connection.execute(text(ANSWERS_SQL)))
        connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        timed("indexes", lambda: [index.create(connection) for table in tables
                                  for index in table.indexes])
        # what the migration's backfill (and from then on the hook) keeps, from the rows
        timed("recycling passes (service.stats.recycling.rebuild)",
              lambda: connection.execute(rebuild()))
        timed("their indexes", lambda: [index.create(connection) for index in passes.indexes])
    build_casework(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        timed("VACUUM ANALYZE", lambda: connection.execute(text("VACUUM ANALYZE")))


def build_casework(engine) -> None:
    print(f"building {CASES:,} cases, {CASES // 2:,} orders, {CASES // 10:,} summons")
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        timed("cases", lambda: connection.execute(text(CASES_SQL),
                                                  {"n": CASES, "sites": SITES}))
        timed("rectification orders", lambda: connection.execute(
            text(ORDERS_SQL), {"n": CASES // 2, "sites": SITES}))
        timed("summons", lambda: connection.execute(text(SUMMONS_SQL),
                                                    {"n": CASES // 10, "sites": SITES}))
        timed("suspensions", lambda: connection.execute(text(SUSPENSIONS_SQL)))


def bench_casework(engine) -> None:
    """The monthly figures' casework counts (service.stats.casework) for MONTH, with the
    date indexes and without them (dropped inside a transaction that is rolled back)."""
    from service.stats import casework
    from service.stats.figures import GROUPS
    from service.stats.periods import parse

    period = parse(MONTH)
    statements = [group.base(period) for group in GROUPS
                  if group.base.__module__ == casework.__name__]
    print(f"\ncasework counts of {MONTH} ({len(statements)} queries; warm)")
    with engine.connect() as connection:
        def run():
            for statement in statements:
                connection.execute(statement).all()

        run()
        cpu = time.process_time()
        indexed = timed("with the date indexes (0014)", run)
        cpu = time.process_time() - cpu
        connection.commit()
        for name in CASEWORK_INDEXES:
            connection.execute(text(f"DROP INDEX {name}"))
        run()
        scanned = timed("without them (whole-table scans)", run)
        connection.rollback()
    print(f"  ratio without / with the indexes: {scanned / indexed:.2f}x"
          f" (this process's CPU {cpu:.3f} s; load average {os.getloadavg()[0]:.1f}"
          f" on {os.cpu_count()} cores)")


def bench_coverage(engine) -> None:
    from service.config import Settings
    from service.db import session_scope, utcnow
    from service.stats.compute import (
        _store_rate,
        _store_rates,
        compute_period,
        targets_from,
    )
    from service.stats.models import CoverageSnapshot, MonthlyFigure
    from service.stats.periods import parse
    from service.stats.rates import RATES

    period, targets = parse(MONTH), targets_from(Settings())
    start, end = period.utc_bounds()
    params = {"start": start.replace(tzinfo=None), "end": end.replace(tzinfo=None),
              "first": period.first, "last": period.last}
    factory = sessionmaker(bind=engine)
    print(f"\ncoverage of {MONTH} (warm: each measured after one unmeasured run;"
          f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    with engine.connect() as connection:
        connection.execute(text(BASELINE_SQL), params).all()
        baseline = timed("baseline: one hand-written GROUP BY",
                         lambda: connection.execute(text(BASELINE_SQL), params).all())

    def full():
        with session_scope(factory) as db:
            compute_period(db, period=period, targets=targets, now=utcnow())

    full()
    total = timed("full: every rate, figure, level and type", full)
    def emptied(db):
        db.execute(delete(CoverageSnapshot).where(CoverageSnapshot.period_key == MONTH))
        db.execute(delete(MonthlyFigure).where(MonthlyFigure.month == MONTH))

    with factory() as db:  # each part again, on emptied tables, then rolled back
        emptied(db)
        rates = timed("  of which every rate (one query)", lambda: _store_rates(
            db, list(RATES.values()), period, targets, utcnow()))
        figures = timed("  of which monthly figures",
                        lambda: _figures_as_computed(db, period))
        db.rollback()
        emptied(db)
        for name, rate in RATES.items():
            timed(f"  each rate alone: {name}", lambda r=rate, t=targets.get(name): _store_rate(
                db, r, period, t, utcnow()))
        db.rollback()
        rows = db.scalar(text("SELECT count(*) FROM coverage_snapshots WHERE period_key = :p"),
                         {"p": MONTH})
    print(f"  snapshot rows stored: {rows:,}")
    print(f"  ratio every rate, level and type / baseline: {rates / baseline:.2f}x"
          f" (target <= 1.3x)")
    print(f"  ratio monthly figures / baseline: {figures / baseline:.2f}x")
    print(f"  ratio full (rates and figures, one transaction) / baseline:"
          f" {total / baseline:.2f}x")
    paired_rounds(engine, factory, params, lambda db: _store_rates(
        db, list(RATES.values()), period, targets, utcnow()), emptied)


def paired_rounds(engine, factory, params, every_rate, emptied) -> None:
    """BENCH_ROUNDS pairs, each the baseline then every rate (rolled back), back to back so
    that both see the same neighbours: on a shared machine the ratio of a pair moves less
    than either time."""
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    if rounds <= 0:
        return
    print(f"  {rounds} pairs (baseline, every rate), back to back:")
    pairs = []
    with engine.connect() as connection, factory() as db:
        for _ in range(rounds):
            started = time.perf_counter()
            connection.execute(text(BASELINE_SQL), params).all()
            baseline = time.perf_counter() - started
            emptied(db)
            started = time.perf_counter()
            every_rate(db)
            rates = time.perf_counter() - started
            db.rollback()
            pairs.append((baseline, rates))
            print(f"    baseline {baseline:6.2f} s, every rate {rates:6.2f} s:"
                  f" {rates / baseline:.2f}x (load average {os.getloadavg()[0]:.1f}"
                  f" on {os.cpu_count()} cores)", flush=True)
    ratios = sorted(rates / baseline for baseline, rates in pairs)
    print(f"  median ratio of the pairs {ratios[len(ratios) // 2]:.2f}x, best {ratios[0]:.2f}x;"
          f" ratio of the fastest of each"
          f" {min(r for _, r in pairs) / min(b for b, _ in pairs):.2f}x"
          f" (target <= 1.3x)")


def _figures_as_computed(db, period) -> None:
    """The monthly figures' INSERT as compute_period runs it (without JIT on PostgreSQL)."""
    from service.db import utcnow
    from service.stats.compute import _insert_figures, _without_jit

    with _without_jit(db):
        db.execute(_insert_figures(period, utcnow()))


def bench_exports(engine) -> None:
    from service.exports.runner import reading_session, write_file
    from service.exports.sources import INSPECTIONS, _count, _streamed, inspections_statement

    def statement(params):
        return inspections_statement(params).limit(EXPORT_ROWS)

    # the inspection list's source, limited to EXPORT_ROWS rows
    source = replace(INSPECTIONS, statement=statement, batches=_streamed(statement),
                     count=_count(statement))
    params = {"period": EXPORT_PERIOD, "region_code": "000000"}
    factory = sessionmaker(bind=engine)
    with factory() as db:
        n = source.count(db, params)
    print(f"\nexports of the inspections of {EXPORT_PERIOD} (at most {EXPORT_ROWS:,}):"
          f" {n:,} rows")
    query = statement(params)
    sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    directory = tempfile.mkdtemp(prefix="bench-export-")

    def copy():
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cursor, open(f"{directory}/copy.csv", "wb") as out, \
                    cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as copy:
                for chunk in copy:
                    out.write(chunk)
        finally:
            raw.close()

    def export(fmt):
        # what a job runs: service.exports.runner.write_file on a reading session
        with reading_session(factory) as db:
            write_file(db, source, params, fmt, f"{directory}/export.{fmt}", lambda n: None,
                       total=n)

    copy()   # warm: the rows' pages in the cache for all three
    copy_s = timed("baseline: COPY (same query) TO STDOUT", copy)
    cpu = time.process_time()
    csv_s = timed("csv: service.exports (COPY inside, BOM)", lambda: export("csv"))
    csv_cpu, cpu = time.process_time() - cpu, time.process_time()
    xlsx_s = timed("xlsx: service.exports.xlsx (streamed)", lambda: export("xlsx"))
    xlsx_cpu = time.process_time() - cpu
    print(f"  COPY {n / copy_s:,.0f} rows/s; csv {n / csv_s:,.0f} rows/s:"
          f" ratio {copy_s / csv_s:.2f}x of COPY (target >= 0.5x)")
    print(f"  xlsx {n / xlsx_s:,.0f} rows/s (target >= 25,000);"
          f" file {os.path.getsize(f'{directory}/export.xlsx') / 2**20:.0f} MiB")
    print(f"  this process's CPU per row: csv {n / max(csv_cpu, 1e-9):,.0f} rows/CPU-s,"
          f" xlsx {n / xlsx_cpu:,.0f} rows/CPU-s (load average {os.getloadavg()[0]:.1f}"
          f" on {os.cpu_count()} cores)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process after both exports: {peak:.0f} MiB (target < 200)")


@contextmanager
def kept_database(server: str, name: str):
    """The database `name` on the server, created when missing; kept afterwards."""
    from sqlalchemy.engine import make_url

    from service.db import make_engine

    admin = make_engine(server).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    yield make_url(server).set(database=name).render_as_string(hide_password=False)


def built(engine) -> bool:
    with engine.connect() as connection:
        if connection.scalar(text("SELECT to_regclass('inspections')")) is None:
            return False
        return bool(connection.scalar(text("SELECT EXISTS (SELECT 1 FROM inspections)")))


def main() -> None:
    server = postgresql_url_from_env()
    if server is None:
        sys.exit("DATABASE_URL must name a PostgreSQL server")
    import service.models  # noqa: F401  (every model mapped, also when the data is reused)
    from service.db import make_engine

    keep = os.environ.get("BENCH_KEEP")
    place = (kept_database(server, keep) if keep
             else scratch_postgresql_database(server, "bench_stats"))
    with place as url:
        engine = make_engine(url)
        try:
            if keep and built(engine):
                print(f"reusing the data built in {keep}")
            else:
                build(engine)
            if os.environ.get("BENCH_ONLY") != "exports":
                bench_coverage(engine)
                bench_casework(engine)
            if os.environ.get("BENCH_ONLY") != "coverage":
                bench_exports(engine)
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
