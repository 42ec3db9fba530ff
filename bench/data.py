"""The bench's data, made with set-based SQL (INSERT … SELECT generate_series) in seconds.

- 120,000 sites scattered over Shanghai's 16 districts (about 40 per km²), 200 enterprises;
- an inspector pair of 宝山区 (310113), certified, and a city supervisor (310000);
- one site at a known point for the submissions, and the express_outlet checklist;
- a drawn plan of 200 sites, each inspected (9 answers), whose results are exported;
- `add_other_plans_answers`: 100,000 more inspections and 900,000 answers of other work, so
  the export can be timed again with the answers table 500× larger.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import sessionmaker

SITES = 120_000
ENTERPRISES = 200
PLAN_SITES = 200
OTHER_INSPECTIONS = 100_000
SHANGHAI_DISTRICTS = ("310101", "310104", "310105", "310106", "310107", "310109", "310110",
                      "310112", "310113", "310114", "310115", "310116", "310117", "310118",
                      "310120", "310151")
#: where the submissions' site stands (宝山区) and the nearby search looks
CENTRE = (31.40, 121.48)
#: a province's inspectors submit for many sites at once, not all for one: the PUTs
#: spread over this many outlets of the inspectors' district
SUBMISSION_SITES = 500


@dataclass
class World:
    inspector_id: uuid.UUID
    supervisor_id: uuid.UUID
    site_id: uuid.UUID
    template_id: uuid.UUID
    item_codes: list[str]
    plan_id: uuid.UUID
    #: the sites the bench's PUTs spread over: the district's outlets, the above first
    submission_site_ids: list[uuid.UUID] = field(default_factory=list)


def build(engine: Engine) -> World:
    """Everything but the other plans' answers; returns the ids the load needs."""
    with engine.begin() as connection:
        connection.execute(text("SELECT setseed(0.42)"))
        _enterprises(connection)
        _sites(connection)
        connection.execute(text("CREATE TABLE bench_baseline_rows "
                                "(id uuid PRIMARY KEY, body text, created_at timestamptz "
                                "DEFAULT now())"))
    world = _people_and_checklist(engine)
    with engine.begin() as connection:
        _plan(connection, world)
        world.submission_site_ids = [world.site_id, *connection.scalars(text(
            "SELECT id FROM sites WHERE region_code = '310113' AND code LIKE 'BENCH%' "
            "ORDER BY id LIMIT :n"), {"n": SUBMISSION_SITES - 1})]
        connection.execute(text("ANALYZE"))
    return world


def _enterprises(connection) -> None:
    connection.execute(text("""
        INSERT INTO enterprises (id, name, brand, uscc, licence_number, is_major_brand,
                                 region_code, created_at, updated_at, version)
        SELECT gen_random_uuid(), '压测快递有限公司' || g, '压测',
               '91310000' || lpad(g::text, 10, '0'), 'EXP' || g, true, '310000', now(), now(), 1
        FROM generate_series(1, :n) AS g"""), {"n": ENTERPRISES})


def _sites(connection) -> None:
    connection.execute(text("""
        INSERT INTO sites (id, code, name, site_type, address, region_code, lat, lon,
                           enterprise_id, status, opened_on, urban, created_at, updated_at,
                           version)
        SELECT gen_random_uuid(), 'BENCH' || g, '压测网点' || lpad(g::text, 6, '0'),
               'express_outlet', '压测路' || g || '号',
               (CAST(:districts AS text[]))[1 + g % 16],
               30.90 + random() * 0.60, 121.10 + random() * 0.80,
               e.id, 'active', DATE '2020-01-01', true, now(), now(), 1
        FROM generate_series(1, :n) AS g
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM enterprises) AS e
          ON e.n = g % :enterprises"""),
        {"n": SITES, "districts": list(SHANGHAI_DISTRICTS), "enterprises": ENTERPRISES})


def _people_and_checklist(engine: Engine) -> World:
    """The few rows made through the models: users, the submissions' site."""
    from service.auth.logic import hash_password
    from service.auth.models import INSPECTOR, SUPERVISOR, User
    from service.checklists.logic import latest_template
    from service.db import session_scope
    from service.registry.models import Enterprise, Site

    with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as db:
        password = hash_password("bench-2026")
        inspectors = [User(username=f"bench_inspector{n}", full_name=f"压测检查员{n}",
                           role=INSPECTOR, password_hash=password, region_code="310113",
                           bureau_name="上海市宝山区邮政管理局",
                           certificate_number=f"BENCH000{n}",
                           certificate_valid_from=date(2024, 1, 1),
                           certificate_valid_until=date(2030, 12, 31)) for n in (1, 2)]
        supervisor = User(username="bench_supervisor", full_name="压测科长", role=SUPERVISOR,
                          password_hash=password, region_code="310000",
                          bureau_name="上海市邮政管理局")
        enterprise = db.scalars(select(Enterprise).limit(1)).one()
        site = Site(name="压测提交网点", site_type="express_outlet", address="友谊路1号",
                    region_code="310113", lat=CENTRE[0], lon=CENTRE[1], status="active",
                    enterprise_id=enterprise.id, opened_on=date(2020, 1, 1), urban=True)
        db.add_all([*inspectors, supervisor, site])
        db.flush()
        template = latest_template(db, site_type="express_outlet")
        return World(inspector_id=inspectors[0].id, supervisor_id=supervisor.id,
                     site_id=site.id, template_id=template.id,
                     item_codes=[item.code for item in template.items], plan_id=uuid.uuid4())


def _plan(connection, world: World) -> None:
    """A drawn plan of PLAN_SITES sites, a done task and a completed inspection for each."""
    connection.execute(text("""
        INSERT INTO inspection_plans (id, name, region_code, site_types, matter_codes,
            period_start, period_end, due_on, sample_mode, sample_value, stratify_by, status,
            seed, seed_hash, request_hash, created_by_id, created_at, updated_at, version)
        VALUES (:plan, '压测抽查计划', '310000', '["express_outlet"]',
            (SELECT json_agg(code) FROM inspection_matters), DATE '2026-01-01',
            DATE '2026-12-31', DATE '2026-12-31', 'count', :n, 'none', 'drawn',
            repeat('0', 64), repeat('0', 64), repeat('0', 64), :user, now(), now(), 1)"""),
        {"plan": world.plan_id, "n": PLAN_SITES, "user": world.supervisor_id})
    connection.execute(text("""
        CREATE TEMP TABLE bench_drawn ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) AS rank, id AS site_id, region_code,
               gen_random_uuid() AS task_id, gen_random_uuid() AS inspection_id
        FROM sites WHERE code LIKE 'BENCH%' ORDER BY id LIMIT :n"""), {"n": PLAN_SITES})
    _inspections(connection, "bench_drawn", world)
    connection.execute(text("""
        INSERT INTO tasks (id, site_id, kind, source, plan_id, due_on, status,
                           completed_by_inspection_id, completed_at, created_at, updated_at,
                           version)
        SELECT task_id, site_id, 'double_random', 'plan', :plan, DATE '2026-12-31', 'done',
               inspection_id, now(), now(), now(), 1 FROM bench_drawn"""),
        {"plan": world.plan_id})
    connection.execute(text("""
        INSERT INTO plan_sites (plan_id, site_id, rank, stratum, task_id)
        SELECT :plan, site_id, rank, 'all', task_id FROM bench_drawn"""),
        {"plan": world.plan_id})


def _inspections(connection, source: str, world: World) -> None:
    """A completed inspection with every item answered (the first failed) per source row."""
    connection.execute(text(f"""
        INSERT INTO inspections (id, site_id, region_code, template_id, kind, status,
            started_at, finished_at, location_anomaly, score, request_hash, submitted_by_id,
            revision, completed_at, enforcement_follows, enforcement_ready, review_status,
            created_at, updated_at, version)
        SELECT inspection_id, site_id, region_code, :template, 'routine', 'completed',
               now() - interval '1 hour', now() - interval '30 minutes', false, 80.0,
               repeat('0', 64), :user, 0, now(), false, false, 'none', now(), now(), 1
        FROM {source}"""), {"template": world.template_id, "user": world.inspector_id})
    connection.execute(text(f"""
        INSERT INTO inspection_answers (inspection_id, item_code, answer)
        SELECT s.inspection_id, c.code, CASE WHEN c.n = 1 THEN 'fail' ELSE 'pass' END
        FROM {source} AS s CROSS JOIN unnest(CAST(:codes AS text[])) WITH ORDINALITY
             AS c(code, n)"""), {"codes": world.item_codes})


def add_other_plans_answers(engine: Engine, world: World) -> int:
    """OTHER_INSPECTIONS more inspections of random sites, with all their answers."""
    with engine.begin() as connection:
        connection.execute(text("""
            CREATE TEMP TABLE bench_other ON COMMIT DROP AS
            SELECT id AS site_id, region_code, gen_random_uuid() AS inspection_id
            FROM sites LIMIT :n"""), {"n": OTHER_INSPECTIONS})
        _inspections(connection, "bench_other", world)
        connection.execute(text("ANALYZE"))
        return connection.scalar(text("SELECT count(*) FROM inspection_answers"))
