"""the recycling passes: each passing counting inspection and when its site's next one came

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The inspections already stored: every counting inspection that answered recycling_device
# with pass, with the finish time of the next counting inspection of its site in the order
# (finish time, id) — what service.stats.recycling keeps from now on.
PASSES = """
SELECT counting.id, counting.site_id, counting.finished_at, counting.superseded_at
FROM (SELECT id, site_id, finished_at,
             lead(finished_at) OVER (PARTITION BY site_id ORDER BY finished_at, id)
               AS superseded_at
      FROM inspections
      WHERE status = 'completed' AND finished_at IS NOT NULL) AS counting
JOIN inspection_answers ON inspection_answers.inspection_id = counting.id
WHERE inspection_answers.item_code = 'recycling_device' AND inspection_answers.answer = 'pass'
"""
BACKFILL = ("INSERT INTO stat_recycling_passes (inspection_id, site_id, finished_at,"
            " superseded_at)" + PASSES)


def upgrade() -> None:
    op.create_table(
        "stat_recycling_passes",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("site_id", sa.Uuid(), nullable=False),
        sa.Column("finished_at", service.db.UTCDateTime(), nullable=False),
        sa.Column("superseded_at", service.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["inspection_id"], ["inspections.id"],
                                name=op.f("fk_stat_recycling_passes_inspection_id_inspections"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_stat_recycling_passes_site_id_sites")),
        sa.PrimaryKeyConstraint("inspection_id", name=op.f("pk_stat_recycling_passes")),
    )
    op.execute(BACKFILL)
    # after the load: each index built once
    op.create_index("ix_stat_recycling_passes_superseded_finished_site",
                    "stat_recycling_passes", ["superseded_at", "finished_at", "site_id"],
                    unique=False)
    op.create_index("ix_stat_recycling_passes_site_finished", "stat_recycling_passes",
                    ["site_id", "finished_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_stat_recycling_passes_site_finished", table_name="stat_recycling_passes")
    op.drop_index("ix_stat_recycling_passes_superseded_finished_site",
                  table_name="stat_recycling_passes")
    op.drop_table("stat_recycling_passes")
