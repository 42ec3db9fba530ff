"""indexes serving the keyset orders of the enforcement, export and coverage-gap lists

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW = [
    ("ix_enforcement_cases_created_at_id", "enforcement_cases", ["created_at", "id"]),
    ("ix_enforcement_cases_published_on_id", "enforcement_cases", ["published_on", "id"]),
    ("ix_enforcement_rectifications_due_on_id", "enforcement_rectifications", ["due_on", "id"]),
    ("ix_enforcement_summons_held_on_id", "enforcement_summons", ["held_on", "id"]),
    ("ix_export_jobs_created_at_id", "export_jobs", ["created_at", "id"]),
    ("ix_sites_region_code_site_type_id", "sites", ["region_code", "site_type", "id"]),
]


def upgrade() -> None:
    for name, table, columns in NEW:
        op.create_index(name, table, columns, unique=False)
    op.drop_index("ix_sites_region_code_site_type", table_name="sites")


def downgrade() -> None:
    op.create_index("ix_sites_region_code_site_type", "sites", ["region_code", "site_type"],
                    unique=False)
    for name, table, _columns in reversed(NEW):
        op.drop_index(name, table_name=table)
