"""`postal-service`: migrate, load demo data, run the embedded default, export the API spec."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from service.config import PROJECT_ROOT, VAR_DIR, Settings

SPEC_PATH = PROJECT_ROOT / "api_specs" / "openapi.json"
#: fixed credentials of the local SeaweedFS; it enforces them (identity file)
LOCAL_S3_ACCESS_KEY = "postal-local"
LOCAL_S3_SECRET_KEY = "postal-local-secret-0123456789"


@click.group()
def main() -> None:
    """Postal inspection and enforcement service (邮政行业监督检查与执法)."""


@main.command()
def migrate() -> None:
    """Bring the database (DATABASE_URL) to the newest schema and load the region codes."""
    from service.migrate import migrate_and_seed

    settings = Settings()
    migrate_and_seed(settings.database_url)
    click.echo(f"Schema at head, reference data loaded ({_safe_url(settings)}).")


@main.command("audit-verify")
def audit_verify() -> None:
    """Seal pending audit entries, then verify the whole chain (exit 1 when it is broken)."""
    from service.audit.logic import verify_chain

    with _session(Settings().database_url) as db:
        result = verify_chain(db)
    click.echo(f"Sealed {result.sealed_now} pending entries; verified {result.checked} links "
               f"({result.entries_checked} entries); head {result.head_seq} {result.head_hash}; "
               f"{result.unsealed} unsealed.")
    if result.problem is not None:
        raise click.ClickException(f"The audit chain is broken at link {result.problem.seq} "
                                   f"({result.problem.kind}): {result.problem.message}")
    click.echo("The audit chain is intact.")


@main.command("demo-data")
def demo_data() -> None:
    """Load the Shanghai demo users, enterprises and sites (safe to run again)."""
    settings = Settings()
    if settings.is_production:
        raise click.ClickException("Refusing to load demo logins with APP_ENV=production.")
    counts = _load_demo(settings.database_url)
    click.echo("Demo data: " + ", ".join(f"{n} {what} added" for what, n in counts.items()))


@main.command("catalogue-load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def catalogue_load(file: Path) -> None:
    """Load a violation catalogue (违法行为目录) JSON file as the new version, all-or-nothing."""
    from sqlalchemy.orm import sessionmaker

    import service.models  # noqa: F401  (every mapper known)
    from service.common.errors import DomainError
    from service.db import make_engine, session_scope
    from service.enforcement.catalogue import load_catalogue

    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{file} is not UTF-8 JSON: {exc}") from None
    engine = make_engine(Settings().database_url)
    try:
        with session_scope(sessionmaker(bind=engine)) as db:
            loaded = load_catalogue(db, raw=raw, user_id=None)
            number, count = loaded.catalogue.number, len(loaded.catalogue.violations)
    except DomainError as exc:
        raise click.ClickException(
            f"{exc.message}\n{json.dumps(exc.errors, ensure_ascii=False, indent=2)}") from None
    finally:
        engine.dispose()
    click.echo(f"Catalogue version {number}: {count} violations"
               + ("" if loaded.created else " (this file was already loaded)") + ".")


@main.command()
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=SPEC_PATH,
              show_default=True, help="Where to write the spec.")
def openapi(output: Path) -> None:
    """Write the OpenAPI document of the app (sorted keys, so diffs stay small)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(openapi_document(), encoding="utf-8")
    click.echo(f"Wrote {output}")


def openapi_document() -> str:
    """The app's spec as the exact text stored in api_specs/openapi.json."""
    from service.app import create_app

    app = create_app(Settings(env="development", database_url="sqlite://",
                              secret_key="openapi-" + "x" * 40))
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    return json.dumps(api.spec.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@main.command("run-local")
def run_local() -> None:
    """The embedded default: SQLite under var/, SeaweedFS, in-process tasks, demo data.

    Serves on 127.0.0.1:$PORT (8000); SeaweedFS's S3 on 127.0.0.1:$LOCAL_S3_PORT (8333).
    Ctrl-C stops everything it started.
    """
    port, s3_port = _int_env("PORT", 8000), _int_env("LOCAL_S3_PORT", 8333)
    _require_free_port(port, "PORT", "the API")
    _require_free_port(s3_port, "LOCAL_S3_PORT", "SeaweedFS's S3 gateway")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    deferred = _DeferredSignal.install()  # SeaweedFS is only stoppable once start() returns
    seaweed = _start_seaweed(s3_port)
    try:
        _stop_on_signals()
        deferred.raise_if_received()
        _configure_local_environment(seaweed.endpoint_url)
        app = _prepare_local(Settings())
        _print_welcome(port, seaweed.endpoint_url)
        _serve(app, port)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not orphan it
        click.echo("Stopping SeaweedFS (its graceful stop can take 15 s) …")
        seaweed.stop()


# -- run-local, step by step ----------------------------------------------------------------

def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit():
        raise click.ClickException(f"{name} must be a port number, not {value!r}.")
    return int(value)


def _require_free_port(port: int, variable: str, what: str) -> None:
    with socket.socket() as sock:
        # SO_REUSEADDR: connections closed a moment ago (TIME_WAIT) do not count as taken
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise click.ClickException(
                f"Port {port} on 127.0.0.1 ({what}) is already in use: {exc.strerror}. "
                f"Stop whatever holds it (another `make run`?) or choose another port, "
                f"e.g. {variable}={port + 1} make run"
            ) from None


class _DeferredSignal:
    """Remembers Ctrl-C/kill while SeaweedFS starts, to act on it once it can be stopped."""

    def __init__(self) -> None:
        self.signum: int | None = None

    @classmethod
    def install(cls) -> _DeferredSignal:
        deferred = cls()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, deferred._remember)
        return deferred

    def _remember(self, signum: int, _frame) -> None:
        self.signum = signum
        click.echo("Stopping as soon as SeaweedFS has started …", err=True)

    def raise_if_received(self) -> None:
        if self.signum is not None:
            raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """Ctrl-C, `kill` and a closed terminal all unwind through `finally` (SeaweedFS stops).
    SIGINT is set explicitly: a shell may start background jobs with it ignored."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))


def _start_seaweed(s3_port: int):
    from service.local import seaweed

    click.echo(f"Starting SeaweedFS (data in {VAR_DIR / 'seaweedfs'}) …")
    try:
        return seaweed.start(VAR_DIR / "seaweedfs", s3_port=s3_port,
                             access_key=LOCAL_S3_ACCESS_KEY, secret_key=LOCAL_S3_SECRET_KEY)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None


def _configure_local_environment(s3_endpoint_url: str) -> None:
    """Point every Settings() of this process (app, in-process tasks) at the local parts."""
    os.environ.update(
        APP_ENV="development",
        DATABASE_URL=f"sqlite:///{VAR_DIR / 'postal.db'}",
        S3_ENDPOINT_URL=s3_endpoint_url,
        S3_ACCESS_KEY=LOCAL_S3_ACCESS_KEY,
        S3_SECRET_KEY=LOCAL_S3_SECRET_KEY,
        CELERY_BROKER_URL="",  # no broker: Celery runs tasks in-process
    )
    os.environ.pop("S3_PUBLIC_ENDPOINT_URL", None)
    celery_app = sys.modules.get("workers.celery_app")
    if celery_app is not None:  # already configured from the old environment
        celery_app.celery.conf.update(task_always_eager=True, task_eager_propagates=True)


def _prepare_local(settings: Settings):
    """Migrate, create the photo bucket, load demo data; the app, ready to serve."""
    from service.app import create_app
    from service.migrate import migrate_and_seed

    click.echo(f"Migrating {_safe_url(settings)} …")
    migrate_and_seed(settings.database_url)
    app = create_app(settings)
    _ensure_bucket(app.extensions["object_store"])
    counts = _load_demo(settings.database_url)
    click.echo("Demo data: " + ", ".join(f"{n} {what} added" for what, n in counts.items()))
    return app


def _ensure_bucket(store, attempts: int = 30) -> None:
    for attempt in range(attempts):  # the filer may need a moment after the gateway answers
        try:
            store.ensure_bucket()
            return
        except Exception as exc:
            if attempt == attempts - 1:
                raise click.ClickException(
                    f"Could not create bucket {store.bucket}: {exc}") from exc
            time.sleep(0.5)


def _print_welcome(port: int, s3_endpoint_url: str) -> None:
    from service.local.demo import demo_logins

    base = f"http://127.0.0.1:{port}"
    click.echo(f"""
  Postal inspection service — embedded default
  Console:       {base}/console/  (supervisors' web console, sign in with a demo login)
  API docs:      {base}/api/docs
  OpenAPI spec:  {base}/api/openapi.json
  Health:        {base}/healthz   {base}/readyz
  S3 (photos):   {s3_endpoint_url}  (SeaweedFS)
  Log in:        POST {base}/api/v1/auth/token  {{"username": …, "password": …}}

  Demo logins:""")
    click.echo(f"    {'username':<22}{'password':<18}{'role':<16}bureau")
    for login in demo_logins():
        click.echo(f"    {login.username:<22}{login.password:<18}{login.role:<16}"
                   f"{login.bureau_name} ({login.region_code})")
    click.echo("\n  Ctrl-C stops the API and SeaweedFS.\n")


def _serve(app, port: int) -> None:
    from werkzeug.serving import run_simple

    try:
        run_simple("127.0.0.1", port, app, use_reloader=False, use_debugger=False,
                   threaded=True)
    except OSError as exc:
        raise click.ClickException(f"Cannot serve on 127.0.0.1:{port}: {exc}") from None


# -- shared -------------------------------------------------------------------------------

@contextmanager
def _session(database_url: str) -> Iterator:
    """One unit of work on `database_url` (committed at the end), as the `system` actor."""
    from sqlalchemy.orm import sessionmaker

    from service.db import make_engine, session_scope

    engine = make_engine(database_url)
    try:
        with session_scope(sessionmaker(bind=engine)) as db:
            yield db
    finally:
        engine.dispose()


def _load_demo(database_url: str) -> dict[str, int]:
    from sqlalchemy.exc import DatabaseError
    from sqlalchemy.orm import sessionmaker

    import service.models  # noqa: F401  (every table known: the demo activity writes many)
    from service.console import demo as console_demo
    from service.db import make_engine, session_scope
    from service.local import demo

    engine = make_engine(database_url)
    try:
        with session_scope(sessionmaker(bind=engine)) as db:
            counts = demo.load(db)
            db.flush()
            # the console's demo work: inspections, cases in its queues, computed figures
            return {**counts, **console_demo.load(db)}
    except DatabaseError as exc:
        raise click.ClickException(
            f"Could not load demo data ({type(exc).__name__}); "
            "run `postal-service migrate` first."
        ) from exc
    finally:
        engine.dispose()


def _safe_url(settings: Settings) -> str:
    """The database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


if __name__ == "__main__":
    main()
