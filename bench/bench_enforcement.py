"""Work-queue listing latency with 100,000 open items in a province, and case transitions
per second, each against a baseline measured in the same run.

Needs PostgreSQL: DATABASE_URL names the server. The bench works in a scratch database
(bench_enforcement_<pid>) built from the models, and drops it at the end.

Measured on one connection, one request at a time:
  queue    list_queue (the logic behind GET /enforcement/queues/<queue>): first page of 50,
           for a province, a city and a district bureau, with region / assignee / type /
           campaign filters, and a later page by cursor
  api      the same listing through the Flask test client (JWT, schema, JSON)
  baseline a primary-key SELECT of one queue row on the same connection
  moves    case transitions through steps.move_case, one transaction each (approve_filing,
           investigate, give_notice, request_legal_review, approve_review, decide, serve)
  update   baseline: one single-row UPDATE + COMMIT

    BENCH_ITEMS=100000 BENCH_N=200 .venv/bin/python bench/bench_enforcement.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_jwt_extended import create_access_token
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import sessionmaker

from service.local.databases import postgresql_url_from_env, scratch_postgresql_database

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
N = int(os.environ.get("BENCH_N", "200"))
CASES = int(os.environ.get("BENCH_CASES", "60"))
QUEUE_NAMES = ("filing_approval", "legal_review", "decision_deadline", "publication",
               "rectification", "payment")
OFFICERS = (("inspector", "inspector", "310113"), ("partner", "inspector", "310113"),
            ("supervisor", "supervisor", "310113"), ("province", "supervisor", "310000"),
            ("legal_reviewer", "legal_reviewer", "310113"))
TYPES = ("inspection", "complaint", "transfer", "real_name_not_enforced", "express_outlet")


def prepare(engine) -> dict:
    """Schema, reference data, officers, and ITEMS open queue items across 上海's districts
    (plus a tenth as many in 江苏, outside the province)."""
    import service.models  # noqa: F401
    from service.auth.models import User
    from service.campaigns.models import Campaign
    from service.db import Base, session_scope
    from service.enforcement.catalogue import load_sample
    from service.enforcement.models import QueueItem
    from service.migrate import seed_reference_data
    from service.regions.models import Region

    Base.metadata.create_all(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with session_scope(factory) as db:
        seed_reference_data(db)
        load_sample(db)
        districts = list(db.scalars(select(Region.code).where(
            Region.code.like("31%"), Region.code != "310000", Region.level == "district")))
        jiangsu = list(db.scalars(select(Region.code).where(Region.code.like("3205%"),
                                                            Region.level == "district")))
        officers = {key: User(username=f"bench_{key}", full_name="压测", role=role,
                              password_hash="x", region_code=code,
                              certificate_number=f"BENCH-{key}",
                              certificate_valid_from=date(2024, 1, 1),
                              certificate_valid_until=date(2030, 12, 31))
                    for key, role, code in OFFICERS}
        db.add_all(officers.values())
        db.flush()
        assignees = [officers["inspector"].id, officers["partner"].id, None, None]
        campaign = Campaign(name="压测专项行动", region_code="310000", region_codes=["310000"],
                            period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                            matter_codes=[], created_by_id=officers["province"].id)
        db.add(campaign)
        db.flush()
        campaigns = [campaign.id, None, None, None, None]  # a fifth serve the campaign
    rng = random.Random(7)
    today = date.today()

    def rows(count, codes):
        for n in range(count):
            yield {"id": uuid.UUID(int=rng.getrandbits(128)), "queue": rng.choice(QUEUE_NAMES),
                   "item_id": uuid.UUID(int=rng.getrandbits(128)), "region_code": rng.choice(codes),
                   "item_type": rng.choice(TYPES), "title": f"压测事项{n}",
                   "due_on": today + timedelta(days=rng.randint(-60, 120)),
                   "assignee_id": rng.choice(assignees), "campaign_id": rng.choice(campaigns)}

    with engine.begin() as connection:
        batch = []
        for row in [*rows(ITEMS, districts), *rows(ITEMS // 10, jiangsu)]:
            batch.append(row)
            if len(batch) == 5000:
                connection.execute(insert(QueueItem), batch)
                batch = []
        if batch:
            connection.execute(insert(QueueItem), batch)
        connection.execute(text("ANALYZE enforcement_queue_items"))
    return {"officers": officers, "factory": factory, "campaign_id": campaign.id}


def timed(fn, n: int = N) -> list[float]:
    for _ in range(10):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def line(label: str, samples: list[float], baseline: float, plan: str = "") -> None:
    p50 = statistics.median(samples)
    p95 = sorted(samples)[int(len(samples) * 0.95) - 1]
    print(f"  {label:<40} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  ×baseline {p50 / baseline:5.1f}"
          f"  {plan}")


def bench_queues(world: dict) -> None:
    from service.enforcement import queues
    from service.enforcement.measures import Policy
    from service.enforcement.models import QueueItem

    factory, officers = world["factory"], world["officers"]
    db = factory()  # one session, one connection for every listing
    policy = Policy()
    some_id = db.scalar(select(QueueItem.id).limit(1))
    base = timed(lambda: db.execute(select(QueueItem).where(QueueItem.id == some_id)).all())
    baseline = statistics.median(base)
    print(f"  {'baseline: SELECT one queue row by key':<44} p50 {baseline:7.2f} ms")

    def filters_of(**given):
        return queues.Filters(region_code=given.get("region_code"),
                              assignee_id=given.get("assignee_id"),
                              item_type=given.get("item_type"), claimed=None,
                              campaign_id=given.get("campaign_id"))

    def listing(scope, queue="publication", cursor=None, **given):
        return lambda: queues.list_queue(db, scope=scope, queue=queue, policy=policy,
                                         limit=50, cursor=cursor, filters=filters_of(**given))

    def explained(scope, queue="publication", **given) -> str:
        stmt = queues.queue_statement(scope=scope, queue=queue, policy=policy,
                                      filters=filters_of(**given))
        sql = stmt.order_by(*queues.ORDER).limit(51).compile(
            dialect=db.get_bind().dialect, compile_kwargs={"literal_binds": True})
        plan = db.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")).scalar()[0]
        node = plan["Plan"]
        while node.get("Plans") and "Index" not in node["Node Type"]:
            node = node["Plans"][0]
        index = node.get("Index Name", "")
        return f"db {plan['Execution Time']:5.2f} ms, {node['Node Type']} {index}"

    page = listing("310000")()
    cases = [
        ("province 310000, publication", ("310000",), {}),
        ("province, filing_approval", ("310000", "filing_approval"), {}),
        ("province, decision_deadline (window)", ("310000", "decision_deadline"), {}),
        ("province, payment (overdue only)", ("310000", "payment"), {}),
        ("province, filter region_code=310113", ("310000",), {"region_code": "310113"}),
        ("district bureau 310113", ("310113",), {}),
        ("province, assignee filter", ("310000",),
         {"assignee_id": officers["inspector"].id}),
        ("province, type filter", ("310000",), {"item_type": "complaint"}),
        ("province, campaign filter", ("310000",), {"campaign_id": world["campaign_id"]}),
    ]
    for label, args, given in cases:
        line(label, timed(listing(*args, **given)), baseline, explained(*args, **given))
    line("province, page 2 by cursor", timed(listing("310000", cursor=page.next_cursor)),
         baseline)
    db.close()


def bench_api(world: dict, engine) -> None:
    from service.app import create_app
    from service.config import Settings

    app = create_app(Settings(database_url=str(engine.url.render_as_string(False)),
                              secret_key="b" * 40), DB_ENGINE=engine)
    client = app.test_client()
    with app.app_context():
        token = create_access_token(identity=str(world["officers"]["province"].id))
    headers = {"Authorization": f"Bearer {token}"}
    health = timed(lambda: client.get("/healthz"), n=N // 2)
    baseline = statistics.median(health)
    print(f"  {'baseline: GET /healthz':<44} p50 {baseline:7.2f} ms")
    url = "/api/v1/enforcement/queues/publication?limit=50"
    assert client.get(url, headers=headers).status_code == 200
    line("API GET queues/publication (province)", timed(
        lambda: client.get(url, headers=headers), n=N // 2), baseline)


def bench_moves(world: dict, engine) -> None:
    from service.db import session_scope
    from service.enforcement import cases, steps
    from service.enforcement.measures import Policy
    from service.enforcement.models import Case
    from service.inspections.models import Finding, Inspection
    from service.registry.models import Enterprise, Site

    factory, officers = world["factory"], world["officers"]
    ago = date.today() - timedelta(days=30)
    with session_scope(factory) as db:
        enterprise = Enterprise(name="压测快递", brand="顺丰", uscc="91310113MA1G000017",
                                region_code="310000")
        db.add(enterprise)
        db.flush()
        site = Site(name="压测网点", site_type="express_outlet", address="友谊路1号",
                    region_code="310113", lat=31.4, lon=121.48, opened_on=date(2020, 1, 1),
                    urban=True, enterprise_id=enterprise.id)
        db.add(site)
        db.flush()
        from service.checklists.logic import latest_template

        template = latest_template(db, site_type="express_outlet")
        ids = []
        for n in range(CASES):
            inspection = Inspection(id=uuid.uuid4(), site_id=site.id, region_code="310113",
                                    template_id=template.id, kind="routine", status="completed",
                                    started_at=datetime.now(UTC), request_hash="x" * 64,
                                    submitted_by_id=officers["inspector"].id,
                                    enforcement_ready=True)
            db.add(inspection)
            db.flush()
            finding = Finding(inspection_id=inspection.id, site_id=site.id,
                              region_code="310113", item_code="real_name", description="x")
            db.add(finding)
            db.flush()
            case, _ = cases.open_case(db, scope="310113", user=officers["supervisor"], data={
                "source": "inspection", "procedure": "ordinary", "title": f"压测案件{n}",
                "finding_ids": [finding.id], "party_kind": "organisation", "on": ago},
                today=date.today())
            ids.append(case.id)
    plan = [("approve_filing", "supervisor", {}), ("investigate", "inspector", {}),
            ("give_notice", "inspector", {"violation_code": "real_name_not_enforced",
                                          "circumstance": "ordinary", "measures": ["fine"],
                                          "fine_fen": 1_500_000}),
            ("request_legal_review", "inspector", {}), ("approve_review", "legal_reviewer", {}),
            ("decide", "supervisor", {"hearing_waived": True}), ("serve", "inspector", {})]
    moves = 0
    start = time.perf_counter()
    for case_id in ids:
        for move, who, data in plan:
            with session_scope(factory) as db:
                user = db.get(type(officers[who]), officers[who].id)
                case = db.get(Case, case_id)
                steps.move_case(db, scope="310113", user=user, case=case, move=move,
                                data={"on": None, **data}, policy=Policy())
            moves += 1
    elapsed = time.perf_counter() - start
    with engine.connect() as connection:
        some = ids[0]
        begin = time.perf_counter()
        for _ in range(N):
            connection.execute(update(Case).where(Case.id == some)
                               .values(extension_days=Case.extension_days))
            connection.commit()
        raw = N / (time.perf_counter() - begin)
    rate = moves / elapsed
    print(f"  case transitions: {rate:7.1f} moves/s ({moves} moves, one transaction each)")
    print(f"  baseline single-row UPDATE+COMMIT: {raw:7.1f} /s   ratio {rate / raw:5.3f}")


def main() -> None:
    server = postgresql_url_from_env()
    if server is None:
        sys.exit("DATABASE_URL must point at PostgreSQL (postgresql://…).")
    from service.db import make_engine

    with scratch_postgresql_database(server, "bench_enforcement") as url:
        engine = make_engine(url)
        try:
            start = time.perf_counter()
            world = prepare(engine)
            print(f"{ITEMS:,} open queue items in 上海 (+{ITEMS // 10:,} in 苏州) loaded in "
                  f"{time.perf_counter() - start:.1f} s")
            print("queue listing, first page of 50, one connection:")
            bench_queues(world)
            bench_api(world, engine)
            print("case transitions:")
            bench_moves(world, engine)
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
