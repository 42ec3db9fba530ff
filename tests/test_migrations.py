"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL, from an
empty database, undo cleanly, and form one line of history (one head)."""

from __future__ import annotations

import pprint
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import service.models  # noqa: F401  (every table in the metadata)
from service.db import Base, make_engine
from service.local.databases import postgresql_url_from_env, scratch_postgresql_database
from service.migrate import alembic_config, downgrade, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    if postgresql_url_from_env() is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    with scratch_postgresql_database(postgresql_url_from_env(), "test_migrations") as url:
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
