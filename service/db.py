"""Database engine, session per request, and the declarative base shared by all features."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime

from flask import current_app, g
from sqlalchemy import DateTime, Integer, MetaData, create_engine, event
from sqlalchemy.engine import Engine
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

from service.common.request_context import bind_request

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


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets foreign keys, WAL and real SAVEPOINT support."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


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

    engine = app.config.get("DB_ENGINE") or make_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    factory = app.config.get("DB_SESSION_FACTORY") or sessionmaker(
        bind=engine, expire_on_commit=False
    )
    app.extensions["db"] = {"engine": engine, "sessionmaker": factory}

    @app.after_request
    def _commit(response):
        # One commit per request, and only for a request that succeeded.
        session = g.pop("db_session", None)
        if session is None:
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


def session() -> Session:
    """The current request's session."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db"]["sessionmaker"]()
        if "request_id" in g:  # the audit trail records it with every write
            bind_request(g.db_session, g.request_id)
    return g.db_session


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
