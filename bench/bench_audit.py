"""Inspections submitted per second with the audit trail and without it, 16 writers at once.

Needs PostgreSQL: DATABASE_URL names the server. The bench makes a scratch database
(bench_audit_<pid>) migrated to head (the append-only triggers included), serves the app
with gunicorn as in production (`-k gthread`, WEB_CONCURRENCY workers × 8 threads) and
sends PUT /api/v1/inspections/<new id> (a completed inspection, every item of the seeded
express_outlet checklist, one failed) from 16 client threads, each its own inspector and
site, over keep-alive connections, for BENCH_SECONDS per round.

First it counts the SQL statements of a submission with the trail and without it, and
measures the CPU time of each kind (in this process, Flask's test client, same app and data,
the two kinds interleaved). Then rounds alternate, A/B/A/B, on the
same database and writers: with the trail (entries written in each request's transaction,
a sealer sealing every 5 s in a process of its own, as a beat-driven worker would;
BENCH_SEALING=0 leaves it out, as when workers run elsewhere), then without (the hook
switched off by a session flag only this bench uses), BENCH_PAIRS (3) times. It prints each
round, each pair's ratio and their median (the figure to read: a pair's two rounds are
next to each other in time, so they share most of the machine's other load), the medians
of the rates, and the CPU time the app's workers, the database's backends and the sealer
spent per submission (Linux /proc), which other load disturbs far less than the rate.
Then it times sealing the backlog and verifying.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_audit.py
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WRITERS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
PAIRS = int(os.environ.get("BENCH_PAIRS", "3"))
WARM_UP_SECONDS = 3
SEAL_EVERY_SECONDS = 5
#: BENCH_SEALING=0: no sealer during the rounds (as when workers run on other machines)
SEALING = os.environ.get("BENCH_SEALING", "1") != "0"
SECRET = "bench-audit-" + "x" * 40


def server_app(trail: bool = True):
    """The app gunicorn serves; `trail=False` switches the audit hook off (bench only)."""
    from sqlalchemy.orm import sessionmaker

    from service.app import create_app
    from service.audit.hooks import DISABLED
    from service.config import Settings
    from service.db import make_engine

    settings = Settings(database_url=os.environ["DATABASE_URL"], secret_key=SECRET)
    engine = make_engine(settings.database_url)
    info = {} if trail else {DISABLED: True}
    return create_app(settings, DB_ENGINE=engine, OBJECT_STORE=object(),
                      DB_SESSION_FACTORY=sessionmaker(bind=engine, expire_on_commit=False,
                                                      info=info))


def prepare(url: str) -> list[dict]:
    """Migrations, reference data, and one certified inspector and site per writer."""
    from sqlalchemy.orm import sessionmaker

    from service.auth.models import User
    from service.checklists.logic import latest_template
    from service.db import make_engine, session_scope
    from service.migrate import migrate_and_seed
    from service.registry.models import Site

    migrate_and_seed(url)
    engine = make_engine(url)
    writers = []
    with session_scope(sessionmaker(bind=engine, expire_on_commit=False)) as db:
        template = latest_template(db, site_type="express_outlet")
        for n in range(WRITERS):
            inspector = User(username=f"bench_inspector{n}", full_name="压测检查员",
                             role="inspector", password_hash="x", region_code="310113",
                             certificate_number=f"BENCH{n:04d}",
                             certificate_valid_from=date(2024, 1, 1),
                             certificate_valid_until=date(2030, 12, 31))
            site = Site(name=f"压测网点{n}", site_type="express_outlet", address="友谊路1号",
                        region_code="310113", lat=31.40, lon=121.48, status="active",
                        opened_on=date(2020, 1, 1), urban=True)
            db.add_all([inspector, site])
            db.flush()
            writers.append({"inspector_id": str(inspector.id), "site_id": str(site.id),
                            "template_id": str(template.id),
                            "codes": [item.code for item in template.items]})
    engine.dispose()
    return writers


def _body(writer: dict) -> bytes:
    now = datetime.now(UTC)
    answers = [{"item_code": code, "answer": "pass"} for code in writer["codes"]]
    answers[0] = {"item_code": writer["codes"][0], "answer": "fail", "note": "未核验身份"}
    return json.dumps({
        "site_id": writer["site_id"], "template_id": writer["template_id"],
        "kind": "routine", "status": "completed",
        "started_at": (now - timedelta(minutes=40)).isoformat(),
        "finished_at": (now - timedelta(minutes=5)).isoformat(),
        "location": {"lat": 31.398, "lon": 121.4845, "crs": "gcj02", "accuracy_m": 15},
        "answers": answers}).encode()


def _tokens(writers: list[dict]) -> list[str]:
    from flask import Flask
    from flask_jwt_extended import JWTManager, create_access_token

    app = Flask("tokens")
    app.config.update(JWT_SECRET_KEY=SECRET, JWT_ACCESS_TOKEN_EXPIRES=timedelta(hours=2))
    JWTManager(app)
    with app.app_context():
        return [create_access_token(identity=w["inspector_id"]) for w in writers]


def _cpu_seconds(pids) -> float:
    """User + system CPU of these processes so far (Linux /proc); gone ones count 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return children


def _backends(url: str, *, exclude: str | None = None, only: str | None = None) -> list[int]:
    """The PostgreSQL server processes serving the bench database (by application_name)."""
    from sqlalchemy import text

    from service.db import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        pids = list(connection.scalars(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND (CAST(:exclude AS text) IS NULL OR "
            "application_name <> :exclude) AND (CAST(:only AS text) IS NULL OR "
            "application_name = :only)"), {"exclude": exclude, "only": only}))
    engine.dispose()
    return pids


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(url: str, port: int, trail: bool) -> subprocess.Popen:
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT), "-k", "gthread", "--preload",
         "-w", workers, "--threads", "8", "--bind", f"127.0.0.1:{port}", "--log-level",
         "warning", f"bench.bench_audit:server_app(trail={trail})"],
        env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)})
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def _drive(port: int, writers: list[dict], tokens: list[str], seconds: float,
           cpu_of) -> tuple[float, ...]:
    """(submissions/s, app and database CPU ms per submission) from WRITERS threads during
    `seconds` (after a warm-up), then the sealer's CPU ms per submission; `cpu_of()` reads
    (app, database, sealer) CPU seconds so far."""
    counts = [0] * len(writers)
    measuring, stop = threading.Event(), threading.Event()
    failures = []

    def run(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {tokens[index]}",
                   "Content-Type": "application/json"}
        body = _body(writers[index])
        while not stop.is_set():
            connection.request("PUT", f"/api/v1/inspections/{uuid.uuid4()}", body, headers)
            response = connection.getresponse()
            text = response.read()
            if response.status != 201:
                failures.append(f"{response.status}: {text[:200]!r}")
                stop.set()
            elif measuring.is_set():
                counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(writers))]
    for thread in threads:
        thread.start()
    time.sleep(WARM_UP_SECONDS)
    measuring.set()
    started, before = time.perf_counter(), cpu_of()
    time.sleep(seconds)
    measuring.clear()
    elapsed = time.perf_counter() - started
    after = cpu_of()
    stop.set()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"a submission failed: {failures[0]}")
    done = max(sum(counts), 1)
    return (sum(counts) / elapsed, *((now - then) * 1000 / done
                                     for now, then in zip(after, before, strict=True)))


def keep_sealing(url: str) -> None:
    """The sealer as beat and a worker would run it: its own process, a round every
    SEAL_EVERY_SECONDS, until stdin closes (`python -c` from `_start_sealer`)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.orm import sessionmaker

    from service.audit.logic import seal_pending
    from service.db import make_engine, session_scope

    named = make_url(url).update_query_dict({"application_name": "audit_sealer"})
    engine = make_engine(named.render_as_string(hide_password=False))
    factory = sessionmaker(bind=engine)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    ready = False
    while True:  # a round at once: its connection (and backend) exists from the start
        with session_scope(factory) as db:
            seal_pending(db, wait=False)
        if not ready:  # imports and the first round done: their CPU is not the rounds'
            print("ready", flush=True)
            ready = True
        if stop.wait(SEAL_EVERY_SECONDS):
            break
    engine.dispose()


def _start_sealer(url: str) -> subprocess.Popen:
    # A process of its own: as a thread of this one it would take the client threads' GIL.
    # Waits until it is ready, so its start (imports: a second or more of CPU) is not
    # counted as sealing.
    sealer = subprocess.Popen(
        [sys.executable, "-c", f"from bench.bench_audit import keep_sealing; "
                               f"keep_sealing({url!r})"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=str(ROOT),
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    if sealer.stdout.readline().strip() != "ready":
        raise SystemExit("the sealer did not start")
    return sealer


def _round(url: str, writers, tokens, trail: bool) -> tuple[float, float, float]:
    port = _free_port()
    server = _serve(url, port, trail)
    sealer = _start_sealer(url) if trail and SEALING else None
    processes = []

    def cpu_of() -> tuple[float, float, float]:  # the app's workers, the database's
        if not processes:                         # backends, the sealer (its backend too)
            sealers = [] if sealer is None else [sealer.pid]
            processes.extend([_children(server.pid), _backends(url, exclude="audit_sealer"),
                              sealers + _backends(url, only="audit_sealer")])
        return tuple(_cpu_seconds(pids) for pids in processes)

    try:
        return _drive(port, writers, tokens, SECONDS, cpu_of)
    finally:
        if sealer is not None:
            sealer.stdin.close()
            sealer.wait(60)
        server.terminate()
        server.wait(30)


def statements_per_submission(url: str, writers, tokens, trail: bool,
                              count: int = 20) -> tuple[float, list[str]]:
    """SQL statements per submission, counted in this process (Flask's test client, the
    same app and data), and the statements of the last one."""
    from sqlalchemy import event

    os.environ["DATABASE_URL"] = url
    app = server_app(trail=trail)
    engine = app.config["DB_ENGINE"]
    client = app.test_client()
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_rest: seen.append(statement))

    def submit(index: int) -> None:
        writer = index % len(writers)
        response = client.put(f"/api/v1/inspections/{uuid.uuid4()}", data=_body(writers[writer]),
                              headers={"Authorization": f"Bearer {tokens[writer]}",
                                       "Content-Type": "application/json"})
        if response.status_code != 201:
            raise SystemExit(f"a submission failed: {response.status_code} {response.data[:200]!r}")

    for index in range(len(writers)):  # every caller's state and the checklist are cached
        submit(index)                  # from here on, as in a long run
    seen.clear()
    for index in range(count):
        last = len(seen)
        submit(index)
    engine.dispose()
    kinds = [" ".join(statement.split()[:3]) for statement in seen[last:]]
    return len(seen) / count, kinds


def in_process_cpu(url: str, writers, tokens, count: int = 200) -> tuple[float, float]:
    """Median thread CPU ms of a submission with the trail and without it, in this process
    (Flask's test client), the two kinds interleaved so both see the same other load: the
    app's own cost, without gunicorn's threads or the client's."""
    os.environ["DATABASE_URL"] = url
    apps = {trail: server_app(trail=trail) for trail in (True, False)}
    clients = {trail: app.test_client() for trail, app in apps.items()}
    times: dict[bool, list[float]] = {True: [], False: []}
    for index in range(count + 2 * len(writers)):  # the first ones warm the caches
        writer = index % len(writers)
        for trail in (True, False):
            started = time.thread_time()
            response = clients[trail].put(
                f"/api/v1/inspections/{uuid.uuid4()}", data=_body(writers[writer]),
                headers={"Authorization": f"Bearer {tokens[writer]}",
                         "Content-Type": "application/json"})
            if response.status_code != 201:
                raise SystemExit(f"a submission failed: {response.status_code}")
            if index >= 2 * len(writers):
                times[trail].append(time.thread_time() - started)
    for app in apps.values():
        app.config["DB_ENGINE"].dispose()
    return tuple(statistics.median(times[trail]) * 1000 for trail in (True, False))


def _seal_and_verify(url: str) -> tuple[int, float, int, float]:
    """(entries sealed, entries/s), (links verified, links/s) over the run's backlog."""
    from sqlalchemy.orm import sessionmaker

    from service.audit.logic import seal_pending, verify_chain
    from service.db import make_engine, session_scope

    engine = make_engine(url)
    factory = sessionmaker(bind=engine)
    started = time.perf_counter()
    with session_scope(factory) as db:
        sealed = seal_pending(db, everything=True)
    seal_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with session_scope(factory) as db:
        result = verify_chain(db)
    verify_seconds = time.perf_counter() - started
    engine.dispose()
    if not result.ok:
        raise SystemExit(f"the chain does not verify: {result.problem}")
    return (sealed, sealed / max(seal_seconds, 1e-9), result.checked,
            result.checked / verify_seconds)


def main() -> None:
    from sqlalchemy import func, select
    from sqlalchemy.engine import make_url

    from service.audit.models import AuditEntry
    from service.db import make_engine
    from service.local.databases import postgresql_url_from_env, scratch_postgresql_database

    server_url = postgresql_url_from_env()
    if server_url is None:
        print("bench_audit: skipped; set DATABASE_URL to a PostgreSQL server.")
        return
    with scratch_postgresql_database(server_url, "bench_audit") as url:
        writers = prepare(url)
        tokens = _tokens(writers)
        statements = {trail: statements_per_submission(url, writers, tokens, trail)
                      for trail in (True, False)}
        in_process = in_process_cpu(url, writers, tokens)
        rates = {True: [], False: []}
        for _ in range(PAIRS):  # A/B/A/B …, the same database and writers throughout
            for trail in (True, False):
                rates[trail].append(_round(url, writers, tokens, trail))
        engine = make_engine(url)
        with engine.connect() as connection:
            entries = connection.scalar(select(func.count()).select_from(AuditEntry))
        engine.dispose()
        sealed, seal_rate, checked, verify_rate = _seal_and_verify(url)

    def median(trail: bool, index: int) -> float:
        return statistics.median(figures[index] for figures in rates[trail])

    with_trail, without = median(True, 0), median(False, 0)
    pair_ratios = [a[0] / b[0] for a, b in zip(rates[True], rates[False], strict=True)]
    cpu_with, cpu_without = median(True, 1) + median(True, 2), median(False, 1) + median(False, 2)
    print(f"PostgreSQL {make_url(server_url).host}; gunicorn gthread "
          f"{os.environ.get('WEB_CONCURRENCY', '2')}x8; {WRITERS} writers; "
          f"{SECONDS:.0f} s per round, {PAIRS} pairs; sealing during the rounds: {SEALING}; "
          f"load average {os.getloadavg()[0]:.1f}")
    for trail, label in ((True, "with the trail"), (False, "without it    ")):
        per, kinds = statements[trail]
        print(f"  SQL statements per submission {label}: {per:.2f}  ({', '.join(kinds)})")
    print(f"  in-process CPU per submission      with {in_process[0]:.2f} ms, without "
          f"{in_process[1]:.2f} ms (median, interleaved): ratio "
          f"{in_process[1] / in_process[0]:.3f}")
    for trail, label in ((True, "with the trail"), (False, "without it    ")):
        print(f"  rounds {label}     " + "  ".join(
            f"{rate:5.1f}/s {app:4.1f}+{db:4.1f}+{seal:3.1f} ms"
            for rate, app, db, seal in rates[trail]))
    print("  ratio of each pair                 " + "  ".join(f"{r:.3f}" for r in pair_ratios))
    print(f"  submissions with the audit trail   {with_trail:8.1f} /s (median)")
    print(f"  submissions without it             {without:8.1f} /s (median)")
    print(f"  median of the pairs' ratios        {statistics.median(pair_ratios):8.3f}  "
          "(target >= 0.85)")
    print(f"  ratio of the medians               {with_trail / without:8.3f}")
    print(f"  CPU per submission, app + PostgreSQL: with {median(True, 1):.1f} + "
          f"{median(True, 2):.1f} ms, without {median(False, 1):.1f} + {median(False, 2):.1f} ms")
    print(f"  CPU-bound ratio without / with     {cpu_without / cpu_with:8.3f}  "
          "(what the ratio tends to on a machine with no other load; the sealer not counted)")
    sealer = median(True, 3)
    print(f"  sealer CPU per submission          {sealer:8.1f} ms (its process and backend); "
          f"counted: {cpu_without / (cpu_with + sealer):.3f}")
    print(f"  audit entries written              {entries:8d}")
    print(f"  backlog sealed at the end          {sealed:8d} entries, {seal_rate:8.0f} /s")
    print(f"  whole chain verified               {checked:8d} links,   {verify_rate:8.0f} /s")


if __name__ == "__main__":
    main()
