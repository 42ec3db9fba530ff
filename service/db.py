"""Database engine, session per request, and the declarative base shared by all features."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from flask import current_app, g, has_request_context, request
from sqlalchemy import DateTime, Integer, MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

from service.common.request_context import bind_actor, bind_request

# Constraint names are fixed here so Alembic names them the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: the same on SQLite (no time zones) and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    @property
    def python_type(self) -> type:
        return datetime  # so keyset cursors (service.common.pagination) decode times

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()


class TimestampMixin:
    #: when the row was created (UTC)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the row last changed (UTC); the phones' changes feed reads it
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, index=True
    )


class VersionedMixin:
    """Optimistic locking: a stale concurrent update fails at flush (answered as 412)."""

    #: bumped by SQLAlchemy on every update; part of the ETag
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


def make_engine(url: str, *, pre_ping: bool = False) -> Engine:
    """An engine; SQLite gets foreign keys, WAL and real SAVEPOINT support.

    No pre-ping by default: it costs a round trip on every request. After a database restart
    each worker's first request fails (503) and SQLAlchemy then replaces the whole pool;
    DATABASE_PRE_PING=1 trades that round trip for never failing that request."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=pre_ping, pool_recycle=1800)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy's documented fix.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # IMMEDIATE takes the write lock up front (waiting up to busy_timeout), so two
        # concurrent writers queue instead of one failing with "database is locked".
        # Autocommit connections (probes) read without any lock.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_app(app) -> None:
    """Bind an engine and a session factory to the app; one session per request."""
    from service.common.errors import database_error_payload, unavailable_payload

    settings = app.config["SETTINGS"]
    engine = app.config.get("DB_ENGINE") or make_engine(
        app.config["SQLALCHEMY_DATABASE_URI"], pre_ping=settings.database_pre_ping)
    factory = app.config.get("DB_SESSION_FACTORY") or sessionmaker(
        bind=engine, expire_on_commit=False
    )
    app.extensions["db"] = {"engine": engine, "sessionmaker": factory,
                            "read_sessionmaker": read_only_sessionmaker(engine)}

    @app.after_request
    def _commit(response):
        # One commit per request, and only for a request that succeeded.
        session = g.pop("db_session", None)
        if session is None:
            return response
        if g.pop("db_reading", False):
            session.close()  # autocommit and refusing writes: nothing to commit or roll back
            return response
        try:
            if response.status_code >= 400 and not g.pop("keep_changes", False):
                session.rollback()
                return response
            session.commit()
            return response
        except (IntegrityError, StaleDataError) as exc:
            session.rollback()
            return app.make_response(database_error_payload(exc))
        except (OperationalError, InterfaceError) as exc:
            # The connection was lost at COMMIT (server restarted, failover, network):
            # nothing was stored, as in any other outage; the pool drops the dead
            # connection and pre-pings the next one.
            _discard(session)
            return app.make_response(unavailable_payload(exc))
        finally:
            session.close()

    @app.teardown_request
    def _close(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()


def _discard(session: Session) -> None:
    """Roll back a session whose connection may be gone; a failure there changes nothing."""
    with suppress(OperationalError, InterfaceError):
        session.rollback()


def read_only_sessionmaker(engine: Engine) -> sessionmaker:
    """Sessions for GET and HEAD: autocommit, so a read costs no BEGIN and no COMMIT round
    trip. Reads see what they saw before (READ COMMITTED takes a snapshot per statement);
    a write in such a session is a bug, refused at flush."""
    return refusing_writes(sessionmaker(
        bind=engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False))


def refusing_writes(factory: sessionmaker) -> sessionmaker:
    """`factory`, whose sessions raise at any flush (the tests' GET sessions use it too)."""

    @event.listens_for(factory, "before_flush")
    def _refuse_writes(session, _context, _instances):
        raise RuntimeError("GET and HEAD requests read only; this one tried to write.")

    return factory


def session() -> Session:
    """The current request's session (read-only, without a transaction, for GET and HEAD)."""
    if "db_session" not in g:
        factories = current_app.extensions["db"]
        reading = has_request_context() and request.method in ("GET", "HEAD")
        kind = "read_sessionmaker" if reading else "sessionmaker"
        g.db_session = factories[kind]()
        g.db_reading = reading
        if "request_id" in g:  # the audit trail records it with every write
            bind_request(g.db_session, g.request_id)
        if "db_caller" in g:
            bind_actor(g.db_session, g.db_caller)
    return g.db_session


@contextmanager
def reading() -> Iterator[Connection]:
    """A connection for a GET's Core reads, without an ORM session: the request's own
    session's when it has one, else one of the read-only sessions' bind (autocommit),
    returned to the pool at the end of the block. What a read of a few Core rows needs;
    making and closing a Session around it cost about as much as the read's statement."""
    if "db_session" in g:
        yield g.db_session.connection()
        return
    if not (has_request_context() and request.method in ("GET", "HEAD")):
        raise RuntimeError("db.reading() is for GET and HEAD requests; use db.session().")
    bind = current_app.extensions["db"]["read_sessionmaker"].kw["bind"]
    if isinstance(bind, Connection):  # sessions bound to one connection (the tests')
        yield bind
        return
    with bind.connect() as connection:
        yield connection


def bind_caller(user) -> None:
    """The authenticated caller writes through the request's session from now on: bound to
    it now if it exists, else when it is made, so a request that reads nothing from the
    database (GET /me) makes no session at all."""
    g.db_caller = user
    if "db_session" in g:
        bind_actor(g.db_session, user)


def row_dicts(result) -> list[dict]:
    """A Core result's rows as plain dicts of column name to value: what an answer dumps
    from. Cheaper to build (one zip per row) and to read (`dict.get`) than SQLAlchemy's
    `RowMapping`, whose lookups run through Python-level `Mapping` methods."""
    keys = tuple(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def engine() -> Engine:
    return current_app.extensions["db"]["engine"]


@contextmanager
def session_scope(factory: sessionmaker) -> Iterator[Session]:
    """A unit of work outside a request (tasks, commands): commit once or roll back."""
    db = factory()
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()
