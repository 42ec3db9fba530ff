"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL, from an
empty database, undo cleanly, and form one line of history (one head)."""

from __future__ import annotations

import os
import pprint
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

import service.models  # noqa: F401  (every table in the metadata)
from service.config import Settings
from service.db import Base, make_engine
from service.migrate import alembic_config, downgrade, upgrade


def _postgresql_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    url = Settings(database_url=url).database_url if url else None
    return url if url and url.startswith("postgresql") else None


@contextmanager
def _fresh_postgresql_database() -> Iterator[str]:
    """A new empty database beside DATABASE_URL's, dropped afterwards."""
    server = make_url(_postgresql_url())
    name = f"test_migrations_{os.getpid()}"
    admin = make_engine(server.render_as_string(hide_password=False))
    admin = admin.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    if _postgresql_url() is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    with _fresh_postgresql_database() as url:
        yield url


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_to_head_builds_exactly_the_models_schema(empty_database):
    upgrade(empty_database)
    differences = _differences(empty_database)
    assert differences == [], (
        "The migrations and the models disagree; write the missing migration with "
        '`make migration m="what changed"`:\n' + pprint.pformat(differences)
    )


def test_downgrade_to_base_removes_every_table(empty_database):
    upgrade(empty_database)
    downgrade(empty_database, "base")
    assert _tables(empty_database) == {"alembic_version"}


def test_the_migrations_have_exactly_one_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"Alembic has several heads {heads}: merge them (alembic merge)"
