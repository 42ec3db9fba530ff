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


_OUTLETS = ["postal_outlet", "express_outlet", "express_terminal", "sorting_center"]
#: matters shipped by 0001's seed whose site types named checklists lacking their items:
#: code -> (site types as shipped, site types whose checklists have every item)
_MATTER_SITE_TYPES = {
    "express_licence": (["express_outlet", "sorting_center"], ["express_outlet"]),
    "delivery_safety_three_systems": (_OUTLETS, ["postal_outlet", "express_outlet"]),
    "packaging_management": (_OUTLETS, ["postal_outlet", "express_outlet", "express_terminal"]),
    "user_information_security": (_OUTLETS, ["postal_outlet", "express_outlet",
                                             "express_terminal", "sorting_center",
                                             "parcel_locker"]),
}
_matters = sa.table("inspection_matters", sa.column("code", sa.String),
                    sa.column("site_types", sa.JSON))


def _correct_matters(*, forward: bool) -> None:
    """Move each shipped matter's site types to the corrected ones (or back), leaving rows a
    bureau has changed since as they are."""
    connection = op.get_bind()
    for code, (shipped, corrected) in _MATTER_SITE_TYPES.items():
        before, after = (shipped, corrected) if forward else (corrected, shipped)
        stored = connection.execute(sa.select(_matters.c.site_types)
                                    .where(_matters.c.code == code)).scalar()
        if stored == before:
            connection.execute(_matters.update().where(_matters.c.code == code)
                               .values(site_types=after))


def upgrade() -> None:
    _correct_matters(forward=True)
    with op.batch_alter_table('inspection_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pairing', sa.String(length=16), nullable=False,
                                      server_default='jurisdiction'))
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        # existing inspections were all of a site that was there
        batch_op.add_column(sa.Column('site_condition', sa.String(length=16), nullable=False,
                                      server_default='present'))


def downgrade() -> None:
    _correct_matters(forward=False)
    with op.batch_alter_table('inspection_plans', schema=None) as batch_op:
        batch_op.drop_column('pairing')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_column('site_condition')
