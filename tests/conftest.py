"""Test harness: a real database migrated once per run (SQLite by default, PostgreSQL when
DATABASE_URL says so), a transaction rolled back around each test, a real SeaweedFS."""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import event, text
from sqlalchemy.orm import sessionmaker

from service.app import create_app
from service.auth.models import INSPECTOR, SUPERVISOR
from service.config import Settings
from service.db import Base, make_engine, refusing_writes
from service.local import seaweed as seaweed_launcher
from service.storage import ObjectStore
from tests import factories

TMP = Path(tempfile.mkdtemp(prefix="postal-tests-"))


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{TMP / 'test.db'}"
    url = Settings(database_url=url).database_url if "://" in url else url
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and not url.startswith("sqlite"):
        url = _worker_database(url, worker)  # SQLite: TMP is already the worker's own
        # what reads the environment (Celery tasks, a worker over Redis) meets it too
        os.environ["DATABASE_URL"] = url
    return url


def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist each worker migrates and empties a database of its own on the
    same server (`test_gw0`, …), created when missing."""
    from sqlalchemy.engine import make_url

    server = make_url(url)
    name = f"{server.database}_{worker}"
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                   {"name": name})
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def reset_database(url: str) -> None:
    """Empty the database so the run starts from nothing."""
    engine = make_engine(url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            Base.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url() -> str:
    from service.migrate import migrate_and_seed

    url = _database_url()
    reset_database(url)
    if os.environ.get("TEST_SCHEMA") == "models":
        _schema_from_models(url)  # while a feature's migration is not written yet
    else:
        migrate_and_seed(url)
    return url


def _schema_from_models(url: str) -> None:
    import service.models  # noqa: F401
    from service.db import session_scope
    from service.migrate import seed_reference_data

    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with session_scope(sessionmaker(bind=engine)) as session:
        seed_reference_data(session)
    engine.dispose()


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def seaweed():
    server = seaweed_launcher.start(TMP / "seaweed", access_key="test-key",
                                    secret_key="test-secret-0123456789")
    yield server
    server.stop(graceful=False)


@pytest.fixture(scope="session")
def object_store(seaweed) -> ObjectStore:
    store = ObjectStore(endpoint_url=seaweed.endpoint_url, public_endpoint_url=None,
                        access_key=seaweed.access_key, secret_key=seaweed.secret_key,
                        region="us-east-1", bucket="test-photos")
    for attempt in range(30):  # the filer may need a moment after the gateway answers
        try:
            store.ensure_bucket()
            break
        except Exception:
            if attempt == 29:
                raise
            time.sleep(0.5)
    return store


@pytest.fixture(scope="session")
def app(engine, object_store):
    settings = Settings(database_url=str(engine.url), secret_key="t" * 40,
                        login_max_failures=3, login_lock_minutes=15)
    app = create_app(settings, TESTING=True, DB_ENGINE=engine, OBJECT_STORE=object_store)
    _check_answers_against_the_spec(app)
    return app


def _check_answers_against_the_spec(app) -> None:
    """Every JSON answer in the suite is checked against api_specs' rules (the app's own
    spec): what differs is recorded and fails the test that caused it."""
    import json

    from flask import request

    from service.cli import openapi_document
    from tests.spec_conformance import Conformance

    conformance = Conformance(json.loads(openapi_document()))
    problems = app.extensions["spec_problems"] = []

    @app.after_request
    def _record(response):
        if response.is_json and response.status_code not in (204, 304):
            problems.extend(conformance.problems(request.method.lower(), request.path,
                                                 response.status_code, response.get_json()))
        return response


@pytest.fixture(autouse=True)
def _answers_follow_the_spec(request):
    """Fails a test whose requests were answered otherwise than the spec says."""
    if "app" not in request.fixturenames:
        yield
        return
    problems = request.getfixturevalue("app").extensions["spec_problems"]
    problems.clear()
    yield
    assert not problems, "answers differ from api_specs/openapi.json:\n" + "\n".join(
        sorted(set(problems))[:20])


@pytest.fixture
def connection(engine, app):
    """One connection per test in a transaction that is rolled back at the end; the app's
    commits become savepoints inside it."""
    connection = engine.connect()
    transaction = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                           expire_on_commit=False)
    reads = refusing_writes(sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                         expire_on_commit=False))
    original = dict(app.extensions["db"])
    app.extensions["db"].update(sessionmaker=factory, read_sessionmaker=reads)
    yield connection, factory
    app.extensions["db"].update(original)
    transaction.rollback()
    connection.close()


@pytest.fixture
def sql_log(connection):
    """`with sql_log() as seen:` collects (statement, parameters) of each SQL statement the
    test's connection runs inside the block, the app's requests included."""
    sql, _ = connection

    @contextmanager
    def recording():
        seen: list[tuple[str, object]] = []

        def record(_conn, _cursor, statement, parameters, _context, _many):
            seen.append((statement, parameters))

        event.listen(sql, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            event.remove(sql, "before_cursor_execute", record)

    return recording


@pytest.fixture
def db(connection):
    """A session for arranging data and checking what was stored."""
    _, factory = connection
    session = factory()
    yield session
    session.close()


class ApiClient:
    """The Flask test client, logged in as one user."""

    def __init__(self, client, token: str | None):
        self._client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __getattr__(self, method):
        def call(url, headers=None, **kwargs):
            return getattr(self._client, method)(url, headers={**self.headers, **(headers or {})},
                                                 **kwargs)
        return call


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def as_user(app, client):
    """as_user(user) -> an ApiClient sending that user's access token."""

    def login(user) -> ApiClient:
        with app.app_context():
            token = create_access_token(identity=str(user.id))
        return ApiClient(client, token)

    return login


@pytest.fixture
def inspector(make):
    """A certified inspector of 上海市宝山区 (310113)."""
    return make.user(role=INSPECTOR, region_code="310113", full_name="张伟")


@pytest.fixture
def phone(as_user, inspector):
    """The inspector's phone: an API client logged in as them."""
    return as_user(inspector)


@pytest.fixture
def supervisor(make, as_user):
    """An API client logged in as a supervisor of 上海市宝山区 (310113)."""
    return as_user(make.user(role=SUPERVISOR, region_code="310113"))


@pytest.fixture
def make(db):
    """Factories bound to the test's session: make.user(...), make.site(...), …"""
    return factories.Factories(db)
