"""`make bench`: the hot paths under gunicorn against baselines measured in the same run.

    make bench                       # PostgreSQL at DATABASE_URL, else 127.0.0.1:5432
    BENCH_SECONDS=20 make bench      # longer runs per path (default 10 s)

In one run it
1. makes a scratch database on the PostgreSQL server (dropped at the end), migrates it with
   the project's migrations and fills it with set-based SQL (bench/data.py: 120k sites …);
2. serves bench/baseline_app.py (one INSERT + COMMIT per request) with gunicorn, 2 sync
   workers, and drives it with wrk, 16 connections;
3. serves the project's API as the Dockerfile does (gunicorn, `service:create_app()`,
   APP_ENV=production, WEB_CONCURRENCY=2) and drives each path with the same wrk settings;
4. prints requests/s, p50 and p99 per path, each ratio against its baseline, whether each
   target of docs/performance.md is met, and the peak RSS of each API worker.
wrk comes from Debian's packages; the bench installs it with apt-get when it is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import data  # noqa: E402
from service.local.databases import (  # noqa: E402
    postgresql_url_from_env,
    scratch_postgresql_database,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = 16
WORKERS = 2
SECRET = "bench-secret-" + "x" * 40
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


@dataclass
class Load:
    """What wrk measured for one path."""

    name: str
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    #: CPU time of the server's workers and their PostgreSQL backends per request
    cpu_ms: float = 0.0


# --- wrk ----------------------------------------------------------------------------------

def ensure_wrk() -> str:
    """The wrk binary; installed from Debian's packages when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get update && apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def wrk(name: str, url: str, *, connections: int = CONNECTIONS, seconds: int = SECONDS,
        script: str | None = None, env: dict | None = None) -> Load:
    """Drive `url` for `seconds` with `connections` connections; rate and latencies."""
    threads = min(2, connections)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
               "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(ROOT / "bench" / "wrk" / script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True,
                            env={**os.environ, **(env or {})}).stdout
    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.MULTILINE))
    if len(latency) != 2:
        sys.exit(f"wrk gave no latencies for {name} ({url}):\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: .*", output)
    if socket_errors:
        print(f"  {name}: {socket_errors.group(0)}", flush=True)
    return Load(name=name, rate=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
                p50_ms=_ms(latency["50"]), p99_ms=_ms(latency["99"]),
                errors=int(errors.group(1)) if errors else 0,
                requests=int(re.search(r"(\d+) requests in", output).group(1)))


# --- servers ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """A gunicorn master with WORKERS sync workers, as the Dockerfile starts the API."""

    def __init__(self, app: str, env: dict, logs: Path, probe: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(logs / f"{app.split(':')[0]}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [GUNICORN, "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
             "--access-logfile", str(logs / f"{app.split(':')[0]}.access.log"),
             "--timeout", "60", app],
            cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait(probe)

    def _wait(self, probe: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited; see {self.log.name}")
            try:
                urllib.request.urlopen(self.base + probe, timeout=2)
                if len(self.workers()) == WORKERS:
                    return
            except OSError as exc:
                if getattr(exc, "code", None) and exc.code < 500:
                    return  # the app answers (e.g. 405 for GET on a POST route)
            time.sleep(0.2)
        sys.exit(f"gunicorn did not answer on {self.base}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def peak_rss_mib(self) -> list[float]:
        """VmHWM (peak resident set) of each worker, MiB."""
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
        return peaks

    def cpu_seconds(self, engine) -> dict[int, float]:
        """CPU seconds so far of each worker and of each PostgreSQL backend of the database."""
        from sqlalchemy import text

        with engine.connect() as connection:
            backends = connection.scalars(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")).all()
        seconds = {}
        for pid in [*self.workers(), *backends]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return seconds

    def measured(self, engine, *args, **kwargs) -> Load:
        """wrk(*args, **kwargs), with the CPU it cost the server side per request."""
        before = self.cpu_seconds(engine)
        load = wrk(*args, **kwargs)
        after = self.cpu_seconds(engine)
        spent = sum(value - before.get(pid, 0.0) for pid, value in after.items())
        load.cpu_ms = spent * 1000 / max(load.requests, 1)
        return load

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


# --- the run ------------------------------------------------------------------------------

def submission(world: data.World, site: str | None = None) -> str:
    """A completed inspection as a phone sends it: 9 answers, the first failed; of
    `site` (put_inspection.lua puts one of the submission sites for `__SITE__`)."""
    now = datetime.now(UTC)
    answers = [{"item_code": code, "answer": "pass"} for code in world.item_codes]
    answers[0] = {"item_code": world.item_codes[0], "answer": "fail", "note": "未核验身份"}
    return json.dumps({
        "site_id": site or str(world.site_id), "template_id": str(world.template_id),
        "kind": "routine", "status": "completed",
        "started_at": (now - timedelta(minutes=40)).isoformat(),
        "finished_at": (now - timedelta(minutes=5)).isoformat(),
        "location": {"lat": 31.398, "lon": 121.4845, "crs": "gcj02", "accuracy_m": 15},
        "answers": answers}, ensure_ascii=False)


def tokens(url: str, world: data.World) -> tuple[str, str]:
    """Access tokens of the inspector and the supervisor, signed as the API will check."""
    from flask_jwt_extended import create_access_token

    from service.app import create_app
    from service.config import Settings

    app = create_app(Settings(database_url=url, secret_key=SECRET), OBJECT_STORE=object())
    with app.app_context():
        return (create_access_token(identity=str(world.inspector_id)),
                create_access_token(identity=str(world.supervisor_id)))


def measure_baseline(url: str, engine, body: str, logs: Path) -> Load:
    server = Gunicorn("bench.baseline_app:create_app()", {"DATABASE_URL": url}, logs, "/rows")
    try:
        wrk("warm-up", server.base + "/rows", seconds=2, script="post_row.lua",
            env={"BENCH_BODY": body})
        return server.measured(engine, "baseline INSERT+COMMIT", server.base + "/rows",
                               script="post_row.lua", env={"BENCH_BODY": body})
    finally:
        server.stop()


def capture_put(url: str, world: data.World, body: str, logs: Path) -> Path:
    """The SQL statements one PUT of `body` sends, from the real app in-process (the second
    of two PUTs, so that caches are warm and the site already has a pass), pickled for
    bench/put_sql_app.py."""
    import pickle
    import uuid

    from flask_jwt_extended import create_access_token
    from sqlalchemy import event

    from service.app import create_app
    from service.config import Settings

    app = create_app(Settings(database_url=url, secret_key=SECRET), OBJECT_STORE=object())
    with app.app_context():
        token = create_access_token(identity=str(world.inspector_id))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    statements: list = []
    event.listen(app.extensions["db"]["engine"], "before_cursor_execute",
                 lambda _c, _cur, statement, parameters, _ctx, _many:
                 statements.append((statement, parameters)))
    client = app.test_client()
    for _ in range(2):
        statements.clear()
        inspection_id = uuid.uuid4()
        answer = client.put(f"/api/v1/inspections/{inspection_id}", data=body, headers=headers)
        if answer.status_code != 201:
            sys.exit(f"the PUT to capture answered {answer.status_code}: {answer.get_data()}")
    app.extensions["db"]["engine"].dispose()
    kept = {world.inspector_id, world.supervisor_id, world.site_id, world.template_id,
            world.plan_id}
    path = logs / "put_statements.pickle"
    path.write_bytes(pickle.dumps({"inspection_id": inspection_id, "site_id": world.site_id,
                                   "kept_ids": kept,
                                   "statements": statements}))
    return path


def measure_put_floor(url: str, engine, puts: dict, logs: Path, statements: Path) -> Load:
    """The PUT's own SQL replayed by a minimal app (bench/put_sql_app.py), then VACUUM
    ANALYZE, so that the rows it added do not wake autovacuum during the API's runs."""
    from sqlalchemy import text

    server = Gunicorn("bench.put_sql_app:create_app()",
                      {"DATABASE_URL": url, "BENCH_PUT_STATEMENTS": str(statements),
                       "BENCH_SUBMISSION_SITES": puts["BENCH_SUBMISSION_SITES"]},
                      logs, "/api/v1/inspections/probe")
    env = {**puts, "BENCH_TOKEN": "none"}
    try:
        load = warm_and_measure(server, engine, "PUT's SQL replayed", "/api/v1/inspections",
                                "put_inspection.lua", env)
    finally:
        server.stop()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    return load


def measure_api(url: str, engine, world: data.World, puts: dict, logs: Path) -> dict:
    inspector, supervisor = tokens(url, world)
    env = {"APP_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": url,
           "WEB_CONCURRENCY": str(WORKERS), "S3_ENDPOINT_URL": "http://127.0.0.1:9",
           "S3_ACCESS_KEY": "bench", "S3_SECRET_KEY": "bench"}
    server = Gunicorn("service:create_app()", env, logs, "/healthz")
    as_inspector = {"BENCH_TOKEN": inspector}
    as_supervisor = {"BENCH_TOKEN": supervisor}
    lat, lon = data.CENTRE
    paths = {
        "healthz": ("/healthz", None, {}),
        "me": ("/api/v1/me", "bearer.lua", as_inspector),
        "nearby": (f"/api/v1/sites/nearby?lat={lat}&lon={lon}&radius_m=500", "bearer.lua",
                   as_inspector),
    }
    results = {}
    try:
        for key, (path, script, env_) in paths.items():
            results[key] = warm_and_measure(server, engine, key, path, script, env_)
        results["sites"] = server.measured(
            engine, "sites first page", server.base + "/api/v1/sites?limit=50",
            connections=1, script="bearer.lua", env=as_supervisor)
        # The writes come after the reads: the thousands of inspections a PUT run adds wake
        # autovacuum, whose CPU would otherwise be counted against the next read path.
        results["put"] = warm_and_measure(server, engine, "put", "/api/v1/inspections",
                                          "put_inspection.lua", {**as_inspector, **puts})
        export = f"{server.base}/api/v1/plans/{world.plan_id}/results.csv"
        results["export_small"] = wrk("export", export, connections=1, seconds=5,
                                      script="bearer.lua", env=as_supervisor)
        results["answers_before"] = count_answers(engine)
        results["answers_after"] = data.add_other_plans_answers(engine, world)
        results["export_large"] = wrk("export", export, connections=1, seconds=5,
                                      script="bearer.lua", env=as_supervisor)
        results["rss"] = server.peak_rss_mib()
    finally:
        server.stop()
    return results


def warm_and_measure(server: Gunicorn, engine, key: str, path: str, script, env) -> Load:
    """A 2 s warm-up of `path` (connections, caches), then the measured run."""
    wrk("warm-up", server.base + path, seconds=2, script=script, env=env)
    return server.measured(engine, key, server.base + path, script=script, env=env)


def failed_requests(access_log: Path) -> dict[tuple[str, str, str], int]:
    """How many answers of each status ≥ 400 gunicorn logged, by method and route (ids
    replaced by `{id}`); the bench counts them too, this says which they were."""
    request = re.compile(r'"(\w+) (\S+) HTTP/[\d.]+" (\d{3}) ')
    found: dict[tuple[str, str, str], int] = {}
    for line in access_log.read_text(errors="replace").splitlines():
        match = request.search(line)
        if match and match.group(3) >= "400":
            route = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "{id}", match.group(2).split("?")[0])
            key = (match.group(1), route, match.group(3))
            found[key] = found.get(key, 0) + 1
    return found


def count_answers(engine) -> int:
    from sqlalchemy import text

    with engine.connect() as connection:
        return connection.scalar(text("SELECT count(*) FROM inspection_answers"))


def report(baseline: Load, floor: Load, api: dict, server_url: str,
           started: float) -> None:
    """The table of docs/performance.md, with each target and whether it is met."""
    from sqlalchemy.engine import make_url

    healthz, put = api["healthz"], api["put"]
    export_growth = api["export_large"].p50_ms / api["export_small"].p50_ms
    rows = [
        ("baseline POST (1 INSERT+COMMIT)", baseline, "", "", None),
        ("GET /healthz", healthz, "", "", None),
        ("PUT's own SQL replayed (floor)", floor, f"{floor.rate / baseline.rate:.2f}× baseline",
         "", None),
        ("PUT /inspections/{id}", put, f"{put.rate / baseline.rate:.2f}× baseline",
         "≥ 0.5×, p99 < 150 ms", put.rate / baseline.rate >= 0.5 and put.p99_ms < 150),
        ("GET /me", api["me"], f"{api['me'].rate / healthz.rate:.2f}× healthz", "≥ 0.6×",
         api["me"].rate / healthz.rate >= 0.6),
        ("GET /sites/nearby 500 m", api["nearby"],
         f"{api['nearby'].rate / healthz.rate:.2f}× healthz", "≥ 0.4×",
         api["nearby"].rate / healthz.rate >= 0.4),
        ("GET /sites first page, 1 conn", api["sites"], "", "p50 ≤ 5 ms",
         api["sites"].p50_ms <= 5),
        (f"export CSV, {api['answers_before']:,} answers", api["export_small"], "", "", None),
        (f"export CSV, {api['answers_after']:,} answers", api["export_large"],
         f"{export_growth:.2f}× the small", "≈ 1× (≤ 1.5×)", export_growth <= 1.5),
    ]
    print(f"\nPostgreSQL {make_url(server_url).host}; gunicorn {WORKERS} sync workers; "
          f"wrk {CONNECTIONS} connections, {SECONDS} s per path; {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'path':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>7}  {'ratio':20} "
          f"{'target':22} met")
    for name, load, ratio, target, met in rows:
        verdict = "" if met is None else ("yes" if met else "NO")
        errors = f"  ({load.errors} non-2xx!)" if load.errors else ""
        cpu = f"{load.cpu_ms:7.2f}" if load.cpu_ms else " " * 7
        print(f"{name:38} {load.rate:8.1f} {load.p50_ms:8.2f} {load.p99_ms:8.2f} {cpu}  "
              f"{ratio:20} {target:22} {verdict}{errors}")
    # What a busy machine cannot hide: CPU per request, server side (workers and their
    # PostgreSQL backends). On an idle machine, CPU-bound, throughput follows its inverse.
    print("CPU-time ratios (reference CPU ms / path CPU ms): "
          f"PUT {baseline.cpu_ms / put.cpu_ms:.2f}× baseline, "
          f"PUT's SQL replayed {baseline.cpu_ms / floor.cpu_ms:.2f}× baseline, "
          f"/me {healthz.cpu_ms / api['me'].cpu_ms:.2f}× healthz, "
          f"nearby {healthz.cpu_ms / api['nearby'].cpu_ms:.2f}× healthz")
    peaks = ", ".join(f"{peak:.0f}" for peak in api["rss"])
    print(f"peak RSS per API worker: {peaks} MiB; whole run {time.monotonic() - started:.0f} s")


def main() -> None:
    started = time.monotonic()
    ensure_wrk()
    server_url = postgresql_url_from_env() or DEFAULT_SERVER.replace(
        "postgresql://", "postgresql+psycopg://")
    import service.models  # noqa: F401  (every table known to the ORM)
    from service.db import make_engine
    from service.migrate import migrate_and_seed

    print(f"load average {os.getloadavg()[0]:.1f} at the start (the machine may be shared)",
          flush=True)
    with scratch_postgresql_database(server_url, "bench") as url, \
            tempfile.TemporaryDirectory(prefix="bench-logs-") as logs:
        migrate_and_seed(url)
        engine = make_engine(url)
        try:
            world = data.build(engine)
            print(f"data ready after {time.monotonic() - started:.0f} s", flush=True)
            body = submission(world)
            puts = {"BENCH_BODY": submission(world, site="__SITE__"),
                    "BENCH_SUBMISSION_SITES": ",".join(map(str, world.submission_site_ids))}
            plain_url = url.replace("postgresql+psycopg://", "postgresql://")
            baseline = measure_baseline(plain_url, engine, body, Path(logs))
            statements = capture_put(url, world, body, Path(logs))
            floor = measure_put_floor(plain_url, engine, puts, Path(logs), statements)
            api = measure_api(url, engine, world, puts, Path(logs))
            failures = failed_requests(Path(logs) / "service.access.log")
        finally:
            engine.dispose()
    report(baseline, floor, api, server_url, started)
    for (method, path, status), count in sorted(failures.items()):
        print(f"non-2xx answers of the API: {count} × {status} to {method} {path}")


if __name__ == "__main__":
    main()
