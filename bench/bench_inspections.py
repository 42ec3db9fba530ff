"""Inspections submitted per second through the API, against a raw single-row INSERT.

Needs PostgreSQL: DATABASE_URL names the server (e.g.
postgresql://postgres@127.0.0.1:5432/test_inspections). The bench creates its own scratch
database beside that one (bench_inspections_<pid>), builds the schema from the models,
loads the reference data, and drops the database at the end, so it never touches data.

Measured in one process, one request or transaction at a time:
  api      PUT /api/v1/inspections/<id> through the Flask test client: the full request
           path (JWT, schema, validation queries, score, location, findings, tasks, commit)
           of a completed inspection with every item of the seeded express_outlet checklist
  retry    the same PUT again with the same body (a phone's duplicate): answered, nothing new
  baseline one INSERT of an inspections row per transaction (SQLAlchemy Core, no ORM)

    BENCH_N=1000 .venv/bin/python bench/bench_inspections.py
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_jwt_extended import create_access_token
from sqlalchemy import insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from service.local.databases import postgresql_url_from_env, scratch_postgresql_database

N = int(os.environ.get("BENCH_N", "500"))
WARM_UP = 20


def prepare(engine) -> dict:
    """Schema from the models, reference data, and one inspector, site and checklist."""
    import service.models  # noqa: F401
    from service.auth.models import User
    from service.checklists.logic import latest_template
    from service.db import Base, session_scope
    from service.migrate import seed_reference_data
    from service.registry.models import Site

    Base.metadata.create_all(engine)
    with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as db:
        seed_reference_data(db)
        inspector = User(username="bench_inspector", full_name="压测检查员", role="inspector",
                         password_hash="x", region_code="310113",
                         certificate_number="BENCH0001",
                         certificate_valid_from=date(2024, 1, 1),
                         certificate_valid_until=date(2030, 12, 31))
        site = Site(name="压测网点", site_type="express_outlet", address="友谊路1号",
                    region_code="310113", lat=31.40, lon=121.48, status="active",
                    opened_on=date(2020, 1, 1), urban=True)
        db.add_all([inspector, site])
        db.flush()
        template = latest_template(db, site_type="express_outlet")
        codes = [item.code for item in template.items]
        return {"inspector_id": inspector.id, "site": site, "template_id": template.id,
                "codes": codes}


def submission(world: dict) -> dict:
    """A completed inspection as a phone sends it: one failed item, GCJ-02, 15 m accuracy."""
    now = datetime.now(UTC)
    answers = [{"item_code": code, "answer": "pass"} for code in world["codes"]]
    answers[0] = {"item_code": world["codes"][0], "answer": "fail", "note": "未核验身份"}
    return {
        "site_id": str(world["site"].id), "template_id": str(world["template_id"]),
        "kind": "routine", "status": "completed",
        "started_at": (now - timedelta(minutes=40)).isoformat(),
        "finished_at": (now - timedelta(minutes=5)).isoformat(),
        "location": {"lat": 31.398, "lon": 121.4845, "crs": "gcj02", "accuracy_m": 15},
        "answers": answers,
    }


def bench_api(app, world: dict, n: int) -> tuple[float, float]:
    """(inspections/s, retries/s) through the full request path."""
    client = app.test_client()
    with app.app_context():
        headers = {"Authorization": "Bearer " + create_access_token(
            identity=str(world["inspector_id"]))}
    body = submission(world)

    def put(ids: list[uuid.UUID], expected: int) -> float:
        started = time.perf_counter()
        for inspection_id in ids:
            response = client.put(f"/api/v1/inspections/{inspection_id}", json=body,
                                  headers=headers)
            if response.status_code != expected:
                raise SystemExit(f"unexpected {response.status_code}: {response.get_json()}")
        return len(ids) / (time.perf_counter() - started)

    put([uuid.uuid4() for _ in range(WARM_UP)], 201)
    ids = [uuid.uuid4() for _ in range(n)]
    return put(ids, 201), put(ids, 201)


def bench_baseline(engine, world: dict, n: int) -> float:
    """Rows/s of one raw INSERT per transaction into the same table."""
    from service.inspections.models import Inspection

    table = Inspection.__table__
    now = datetime.now(UTC)
    row = {"site_id": world["site"].id, "region_code": "310113",
           "template_id": world["template_id"], "kind": "routine", "status": "completed",
           "started_at": now, "finished_at": now, "location_anomaly": False,
           "request_hash": "0" * 64, "submitted_by_id": world["inspector_id"],
           "review_status": "none", "revision": 0, "enforcement_follows": False,
           "enforcement_ready": False, "created_at": now, "updated_at": now, "version": 1}
    statement = insert(table)
    for _ in range(WARM_UP):
        with engine.begin() as connection:
            connection.execute(statement, {**row, "id": uuid.uuid4()})
    started = time.perf_counter()
    for _ in range(n):
        with engine.begin() as connection:
            connection.execute(statement, {**row, "id": uuid.uuid4()})
    return n / (time.perf_counter() - started)


def main() -> None:
    server_url = postgresql_url_from_env()
    if server_url is None:
        print("bench_inspections: skipped; set DATABASE_URL to a PostgreSQL server "
              "(e.g. postgresql://postgres@127.0.0.1:5432/test_inspections).")
        return
    from service.app import create_app
    from service.config import Settings
    from service.db import make_engine

    with scratch_postgresql_database(server_url, "bench_inspections") as url:
        engine = make_engine(url)
        try:
            world = prepare(engine)
            app = create_app(Settings(database_url=url, secret_key="bench-" + "x" * 40),
                             DB_ENGINE=engine, OBJECT_STORE=object())
            api_rate, retry_rate = bench_api(app, world, N)
            baseline = bench_baseline(engine, world, N)
        finally:
            engine.dispose()
    print(f"PostgreSQL {make_url(server_url).host}, N={N}, one request/transaction at a time")
    print(f"  inspections submitted through the API  {api_rate:8.1f} /s")
    print(f"  retries of the same body (no new rows) {retry_rate:8.1f} /s")
    print(f"  raw single-row INSERT + COMMIT         {baseline:8.1f} rows/s")
    print(f"  API / baseline                         {api_rate / baseline:8.3f}")


if __name__ == "__main__":
    main()
