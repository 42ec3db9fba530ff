"""indexes serving the keyset orders of the campaign, self-check and evaluation lists

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW = [
    ("ix_campaigns_period_start_id", "campaigns", ["period_start", "id"]),
    ("ix_self_checks_checked_on_id", "self_checks", ["checked_on", "id"]),
    ("ix_rectification_evaluations_evaluated_on_id", "rectification_evaluations",
     ["evaluated_on", "id"]),
]


def upgrade() -> None:
    for name, table, columns in NEW:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(NEW):
        op.drop_index(name, table_name=table)
