"""Schema migrations (Alembic) and the reference data every database needs."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.orm import sessionmaker

from service.db import make_engine, session_scope

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def seed_reference_data(db) -> None:
    """Reference data every database needs; each step adds only what is missing."""
    from service.checklists.seed import seed_checklists
    from service.matters.seed import seed_inspection_matters
    from service.regions.logic import load_gbt2260

    load_gbt2260(db)
    seed_checklists(db)
    seed_inspection_matters(db)


def migrate_and_seed(database_url: str) -> None:
    """Bring the schema to head and load the reference data."""
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with session_scope(sessionmaker(bind=engine)) as db:
            seed_reference_data(db)
    finally:
        engine.dispose()
