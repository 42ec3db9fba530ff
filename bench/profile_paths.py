"""The hot paths in-process: CPU per request and SQL statements per request, the real app on
PostgreSQL, without gunicorn or wrk — the figures a busy machine distorts least.

    .venv/bin/python bench/profile_paths.py                 # every path, 300 requests each
    .venv/bin/python bench/profile_paths.py me nearby -n 1000
    .venv/bin/python bench/profile_paths.py put --profile   # also cProfile's top functions

It makes a scratch database (as bench/run.py does, dropped at the end), then calls the WSGI
app directly with prepared requests. Per path it prints the mean CPU time of the process,
the best mean of 10-request batches (what the path costs when the process is not
interrupted: on a shared machine the one to compare), the CPU of the PostgreSQL backends
per request, and the statements one request sends.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import data  # noqa: E402
from bench.run import DEFAULT_SERVER, SECRET, submission  # noqa: E402
from service.local.databases import (  # noqa: E402
    postgresql_url_from_env,
    scratch_postgresql_database,
)


def backend_cpu_seconds(engine) -> float:
    """CPU seconds so far of the database's other PostgreSQL backends (the app's)."""
    from sqlalchemy import text

    with engine.connect() as connection:
        pids = connection.scalars(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")).all()
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["healthz", "me", "nearby", "sites", "put"])
    parser.add_argument("-n", type=int, default=300, help="requests per path")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top 30")
    args = parser.parse_args()
    server_url = postgresql_url_from_env() or DEFAULT_SERVER.replace(
        "postgresql://", "postgresql+psycopg://")
    import service.models  # noqa: F401
    from service.db import make_engine
    from service.migrate import migrate_and_seed

    with scratch_postgresql_database(server_url, "profile") as url:
        migrate_and_seed(url)
        engine = make_engine(url)
        try:
            world = data.build(engine)
            run(url, engine, world, args)
        finally:
            engine.dispose()


def run(url: str, engine, world: data.World, args) -> None:
    from flask_jwt_extended import create_access_token
    from sqlalchemy import event
    from werkzeug.test import EnvironBuilder

    from service.app import create_app

    os.environ.update({"APP_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": url,
                       "S3_ENDPOINT_URL": "http://127.0.0.1:9", "S3_ACCESS_KEY": "bench",
                       "S3_SECRET_KEY": "bench"})
    app = create_app()
    with app.app_context():
        inspector = create_access_token(identity=str(world.inspector_id))
        supervisor = create_access_token(identity=str(world.supervisor_id))
    statements: list[str] = []
    event.listen(app.extensions["db"]["engine"], "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: statements.append(statement))
    body = submission(world)
    lat, lon = data.CENTRE
    paths = {
        "healthz": ("GET", "/healthz", None, None),
        "me": ("GET", "/api/v1/me", inspector, None),
        "nearby": ("GET", f"/api/v1/sites/nearby?lat={lat}&lon={lon}&radius_m=500",
                   inspector, None),
        "sites": ("GET", "/api/v1/sites?limit=50", supervisor, None),
        "put": ("PUT", None, inspector, body),
    }

    def call(method, path, token, content) -> str:
        path = path or f"/api/v1/inspections/{uuid.uuid4()}"
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        environ = EnvironBuilder(path=path, method=method, headers=headers, data=content,
                                 content_type="application/json" if content else None
                                 ).get_environ()
        answer = {}
        chunks = app.wsgi_app(environ, lambda status, _headers, _exc=None:
                              answer.setdefault("status", status))
        b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
        return answer["status"]

    print(f"{'path':8} {'CPU ms':>7} {'best10':>7} {'PG ms':>6}  statements "
          f"(load average {os.getloadavg()[0]:.1f})")
    for name in args.paths:
        request = paths[name]
        for _ in range(20):  # warm: caches, prepared statements
            status = call(*request)
        if not status.startswith("2"):
            sys.exit(f"{name}: {status}")
        statements.clear()
        call(*request)
        sent = [statement.split(None, 1)[0] + " " + _table(statement) for statement in statements]
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        if profiler:
            profiler.enable()
        backends, started, best = backend_cpu_seconds(engine), time.process_time(), 1e9
        for _ in range(max(args.n // 10, 1)):
            batch = time.process_time()
            for _ in range(10):
                call(*request)
            best = min(best, (time.process_time() - batch) / 10)
        count = max(args.n // 10, 1) * 10
        cpu = (time.process_time() - started) / count
        backend = (backend_cpu_seconds(engine) - backends) / count
        if profiler:
            profiler.disable()
        print(f"{name:8} {cpu * 1000:7.2f} {best * 1000:7.2f} {backend * 1000:6.2f}  "
              f"{len(sent)}: {', '.join(sent)}")
        if profiler:
            stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("PROFILE_LINES", "30")))
            if os.environ.get("PROFILE_CALLERS"):
                stats.print_callers(os.environ["PROFILE_CALLERS"])


def _table(statement: str) -> str:
    import re

    found = re.search(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", statement)
    return found.group(1) if found else "?"


if __name__ == "__main__":
    main()
