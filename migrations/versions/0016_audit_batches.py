"""the audit chain seals a transaction's batch of entries as one link

Entries get the batch they were written in; a link names its batch and lists the batch's
entries with their digests. Links sealed before keep their format (one entry each) and
verify as they did. The append-only triggers of 0002 stay on both tables (adding a column
does not touch them).

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_entries", sa.Column("batch_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_audit_entries_batch_id"), "audit_entries", ["batch_id"],
                    unique=False)
    op.add_column("audit_seals", sa.Column("batch_id", sa.Uuid(), nullable=True))
    op.add_column("audit_seals", sa.Column("entries", sa.JSON(), nullable=True))
    op.create_index(op.f("ix_audit_seals_batch_id"), "audit_seals", ["batch_id"], unique=True)


def downgrade() -> None:
    # Batch links cannot be expressed in the older format: refuse rather than cut the chain.
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM audit_seals WHERE batch_id IS NOT NULL LIMIT 1")
                    ).first() is not None:
        raise RuntimeError("The audit chain holds batch links (0014); it cannot be downgraded "
                           "without cutting the chain.")
    op.drop_index(op.f("ix_audit_seals_batch_id"), table_name="audit_seals")
    op.drop_index(op.f("ix_audit_entries_batch_id"), table_name="audit_entries")
    # A plain DROP COLUMN (SQLite has it since 3.35): a batch operation would copy the
    # tables and lose their append-only triggers.
    op.drop_column("audit_seals", "entries")
    op.drop_column("audit_seals", "batch_id")
    op.drop_column("audit_entries", "batch_id")
