"""Every feature's models, imported once so metadata (and Alembic) sees all tables."""

