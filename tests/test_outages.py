"""Outages answer 503 with Retry-After, quickly, and the service recovers by itself: object
storage stopped or hanging (a SeaweedFS of the test's own, a socket that never answers),
and the database connection lost at COMMIT (PostgreSQL: the backend terminated)."""

from __future__ import annotations

import socket
import time
import uuid

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import sessionmaker

from service.app import create_app
from service.auth.logic import hash_password
from service.auth.models import INSPECTOR, LoginThrottle, User
from service.config import Settings
from service.db import make_engine, session_scope
from service.local import seaweed as seaweed_launcher
from service.storage import ObjectStore, Timeouts
from tests.conftest import TMP
from tests.evidence import helpers
from workers.celery_app import celery

#: short timeouts so an outage is answered at once: 1 s to connect, 1 s to read, 2 attempts
QUICK = Timeouts(connect=1, read=1, attempts=2)


def _store(endpoint_url: str, seaweed) -> ObjectStore:
    return ObjectStore(endpoint_url=endpoint_url, public_endpoint_url=None,
                       access_key=seaweed.access_key, secret_key=seaweed.secret_key,
                       region="us-east-1", bucket="outage-photos", timeouts=QUICK)


@pytest.fixture
def own_seaweed():
    """A SeaweedFS of this test alone, which it may stop and start again."""
    server = seaweed_launcher.start(TMP / f"seaweed-outage-{uuid.uuid4().hex[:8]}",
                                    access_key="outage-key", secret_key="outage-secret-0123")
    yield server
    server.stop(graceful=False)


@pytest.fixture
def eager_tasks():
    conf = celery.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager = conf.task_eager_propagates = True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def use_store(app, monkeypatch):
    def use(store: ObjectStore) -> ObjectStore:
        monkeypatch.setitem(app.extensions, "object_store", store)
        return store
    return use


def _ready(store: ObjectStore) -> None:
    for attempt in range(60):  # the filer may need a moment after the gateway answers
        try:
            store.ensure_bucket()
            return
        except Exception:
            if attempt == 59:
                raise
            time.sleep(0.5)


def _assert_storage_503(answer, started: float, *, within: float):
    elapsed = time.monotonic() - started
    assert answer.status_code == 503, answer.json
    assert int(answer.headers["Retry-After"]) > 0
    assert "Object storage" in answer.json["message"]
    assert answer.json["code"] == 503 and answer.json["status"] == "Service Unavailable"
    assert elapsed < within, f"took {elapsed:.1f}s"


def test_photo_completion_with_the_store_stopped_is_a_quick_503_then_recovers(
        own_seaweed, use_store, eager_tasks, make, inspector, as_user):
    store = use_store(_store(own_seaweed.endpoint_url, own_seaweed))
    _ready(store)
    phone = helpers.Phone(as_user(inspector))
    found = helpers.inspection(make, inspector=inspector)
    data = helpers.taken_now()
    created = phone.create(found.id, data, item_code="recycling_device")
    assert created.status_code == 201, created.json
    assert phone.put(created.json, data).status_code == 200

    port = int(own_seaweed.endpoint_url.rsplit(":", 1)[1])
    own_seaweed.stop(graceful=False)
    started = time.monotonic()
    _assert_storage_503(phone.complete(created.json["id"]), started, within=6)

    restarted = seaweed_launcher.start(own_seaweed.log_path.parent, s3_port=port,
                                       access_key=own_seaweed.access_key,
                                       secret_key=own_seaweed.secret_key)
    own_seaweed.process = restarted.process  # the fixture stops this one
    _ready(store)
    deadline = time.monotonic() + 60  # SeaweedFS's volume server answers a little later
    while (done := phone.complete(created.json["id"])).status_code == 503 \
            and time.monotonic() < deadline:
        time.sleep(0.5)  # the client's retry; the same store object, nothing was reset
    assert done.status_code == 200, done.json
    assert done.json["status"] == "complete"


def test_a_store_that_accepts_but_never_answers_is_a_503_within_the_timeouts(
        seaweed, use_store, make, inspector, as_user):
    with socket.socket() as silent:  # the kernel accepts connections; nobody ever answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        use_store(_store(f"http://127.0.0.1:{silent.getsockname()[1]}", seaweed))
        phone = helpers.Phone(as_user(inspector))
        found = helpers.inspection(make, inspector=inspector)
        data = helpers.taken_now()
        created = phone.create(found.id, data)  # presigning needs no answer from the store
        assert created.status_code == 201, created.json
        started = time.monotonic()
        # two attempts of a 1 s read timeout, plus botocore's back-off between them
        _assert_storage_503(phone.complete(created.json["id"]), started, within=6)


def test_a_store_that_answers_with_errors_is_a_503_naming_it(seaweed, use_store, make,
                                                             inspector, as_user):
    # The real SeaweedFS, refusing every call: the app's credentials are no longer valid.
    use_store(ObjectStore(endpoint_url=seaweed.endpoint_url, public_endpoint_url=None,
                          access_key=seaweed.access_key, secret_key="rotated-meanwhile",
                          region="us-east-1", bucket="test-photos", timeouts=QUICK))
    phone = helpers.Phone(as_user(inspector))
    found = helpers.inspection(make, inspector=inspector)
    created = phone.create(found.id, helpers.taken_now())
    assert created.status_code == 201, created.json
    _assert_storage_503(phone.complete(created.json["id"]), time.monotonic(), within=6)


def test_storage_timeouts_come_from_the_settings():
    settings = Settings(s3_connect_timeout_seconds=1.5, s3_read_timeout_seconds=4,
                        s3_max_attempts=1)
    store = ObjectStore.from_settings(settings)
    config = store._client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (1.5, 4)
    assert config.retries["total_max_attempts"] == 1


# --- the database connection lost at COMMIT -----------------------------------------------

@pytest.fixture
def committing_app(database_url, object_store):
    """An app with its own engine whose requests really commit (the shared test app's
    commits are savepoints of a test transaction), and a user stored for it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("terminating the app's connection needs PostgreSQL")
    engine = make_engine(database_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    username = f"outage_{uuid.uuid4().hex[:8]}"
    with session_scope(factory) as db:
        db.add(User(username=username, full_name="停电测试", role=INSPECTOR,
                    region_code="310113", certificate_number=uuid.uuid4().hex[:12],
                    password_hash=hash_password("right-password-1")))
    app = create_app(Settings(database_url=database_url, secret_key="o" * 40,
                              login_max_failures=5), DB_ENGINE=engine,
                     OBJECT_STORE=object_store)
    yield app, engine, factory, username
    with session_scope(factory) as db:
        db.execute(User.__table__.delete().where(User.username == username))
    engine.dispose()


def _terminate_at_next_commit(engine, killer_engine) -> None:
    """Right before the next COMMIT reaches PostgreSQL, its backend is terminated."""

    @event.listens_for(engine, "commit", once=True)
    def _kill(connection):
        pid = connection.connection.dbapi_connection.info.backend_pid
        with killer_engine.connect() as killer:
            killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_connection_lost_at_commit_is_a_503_nothing_stored_then_recovers(committing_app):
    app, engine, factory, username = committing_app
    client = app.test_client()
    killer = make_engine(str(engine.url.render_as_string(hide_password=False)))
    try:
        _terminate_at_next_commit(engine, killer)
        # a wrong password is a write: the failure count is committed with the 401
        lost = client.post("/api/v1/auth/token",
                           json={"username": username, "password": "wrong-password"})
    finally:
        killer.dispose()
    assert lost.status_code == 503, lost.json
    assert int(lost.headers["Retry-After"]) > 0
    assert "database" in lost.json["message"]
    with session_scope(factory) as db:
        stored = db.scalar(select(LoginThrottle).join(User).where(User.username == username))
    assert stored is None  # the lost commit stored nothing

    again = client.post("/api/v1/auth/token",
                        json={"username": username, "password": "right-password-1"})
    assert again.status_code == 200, again.json  # a fresh connection, no restart needed
