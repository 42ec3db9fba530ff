"""The bureaus' own rules: what an inspector found at the site, per-matter results

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-01 06:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        # existing inspections were all of a site that was there
        batch_op.add_column(sa.Column('site_condition', sa.String(length=16), nullable=False,
                                      server_default='present'))


def downgrade() -> None:
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_column('site_condition')
