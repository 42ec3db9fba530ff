"""Two transactions writing inspections of one site at once keep the passes a rebuild from
the inspections computes (PostgreSQL, on a scratch database of its own: these commit)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service.auth.models import User
from service.db import make_engine, session_scope, utcnow
from service.local.databases import postgresql_url_from_env, scratch_postgresql_database
from service.migrate import migrate_and_seed
from service.registry.models import Site
from service.stats.models import RecyclingPass
from service.stats.recycling import rebuilt
from tests.factories import Factories
from tests.stats.factories import inspected

REGION = "320506"


@pytest.fixture
def factory() -> Iterator[sessionmaker]:
    if postgresql_url_from_env() is None:
        pytest.skip("concurrent transactions on PostgreSQL (DATABASE_URL)")
    with scratch_postgresql_database(postgresql_url_from_env(), "test_passes") as url:
        migrate_and_seed(url)
        engine = make_engine(url)
        yield sessionmaker(bind=engine, expire_on_commit=False)
        engine.dispose()


def kept(db) -> set[tuple]:
    return set(db.execute(select(RecyclingPass.inspection_id, RecyclingPass.site_id,
                                 RecyclingPass.finished_at, RecyclingPass.superseded_at)))


def test_a_later_inspection_written_while_an_earlier_one_is_uncommitted_supersedes_it(
        factory):
    with session_scope(factory) as db:
        make = Factories(db)
        site_id, user_id = make.site(region_code=REGION).id, make.user(region_code=REGION).id
    earlier, later = utcnow() - timedelta(hours=2), utcnow() - timedelta(hours=1)

    def write(db, finished):
        inspected(Factories(db), db.get(Site, site_id), finished, recycling="pass",
                  submitter=db.get(User, user_id))

    first = factory()
    write(first, earlier)  # flushed, its pass kept, not committed
    errors: list[Exception] = []

    def second() -> None:
        try:
            with session_scope(factory) as db:
                write(db, later)
        except Exception as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive(), "the second transaction did not wait for the site's lock"
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert not errors
    with factory() as db:
        passes = kept(db)
        assert passes == set(db.execute(rebuilt()))
        # the earlier pass ends where the later begins: one latest pass, not two
        assert sorted(passes, key=lambda row: row[2])[0][3] == later
        assert [row[3] for row in passes].count(None) == 1
