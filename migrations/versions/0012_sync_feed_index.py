"""an index serving the phones' changes feed's keyset order over checklist templates

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_checklist_templates_updated_at_id", "checklist_templates",
                    ["updated_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_checklist_templates_updated_at_id", table_name="checklist_templates")
