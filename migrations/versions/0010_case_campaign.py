"""cases carry the campaign (专项行动) they serve; queue items too, for the campaign filter

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("enforcement_cases", "enforcement_queue_items")
QUEUE_INDEX = "ix_enforcement_queue_items_queue_campaign_due"


def _add_campaign(table: str) -> None:
    """A nullable campaign_id referring to campaigns. SQLite adds the reference with the
    column (it cannot add constraints later, and a batch would copy tables others refer to)."""
    name = f"fk_{table}_campaign_id_campaigns"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN campaign_id CHAR(32) "
                   f"CONSTRAINT {name} REFERENCES campaigns (id)")
    else:
        op.add_column(table, sa.Column("campaign_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(name, table, "campaigns", ["campaign_id"], ["id"])


def upgrade() -> None:
    for table in TABLES:
        _add_campaign(table)
    op.create_index("ix_enforcement_cases_campaign_id", "enforcement_cases", ["campaign_id"])
    op.create_index(QUEUE_INDEX, "enforcement_queue_items",
                    ["queue", "campaign_id", "due_on", "id"])


def downgrade() -> None:
    op.drop_index(QUEUE_INDEX, table_name="enforcement_queue_items")
    op.drop_index("ix_enforcement_cases_campaign_id", table_name="enforcement_cases")
    for table in reversed(TABLES):
        if op.get_bind().dialect.name != "sqlite":
            op.drop_constraint(f"fk_{table}_campaign_id_campaigns", table, type_="foreignkey")
        op.drop_column(table, "campaign_id")
