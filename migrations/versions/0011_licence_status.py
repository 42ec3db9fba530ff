"""an enterprise's licence status: revoked (吊销) once a revocation decision is served

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("enterprises", sa.Column("licence_status", sa.String(length=16),
                                           server_default="valid", nullable=False))
    op.add_column("enterprises", sa.Column("licence_revoked_on", sa.Date(), nullable=True))
    op.add_column("enterprises", sa.Column("licence_revoked_case_id", sa.Uuid(),
                                           nullable=True))


def downgrade() -> None:
    for column in ("licence_revoked_case_id", "licence_revoked_on", "licence_status"):
        op.drop_column("enterprises", column)
