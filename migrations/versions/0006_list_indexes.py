"""Indexes matching every keyset list's order (and its equality filters), so a page reads
its rows in order from an index instead of sorting the table.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (index, table, columns) added; each list's ORDER BY, after its equality filters
ADDED = (
    ("ix_sites_name_id", "sites", ["name", "id"]),
    ("ix_enterprises_name_id", "enterprises", ["name", "id"]),
    ("ix_inspections_started_at_id", "inspections", ["started_at", "id"]),
    ("ix_inspections_finished_at_id", "inspections", ["finished_at", "id"]),
    ("ix_findings_created_at_id", "findings", ["created_at", "id"]),
    ("ix_tasks_due_on_id", "tasks", ["due_on", "id"]),
    ("ix_inspection_plans_created_at_id", "inspection_plans", ["created_at", "id"]),
    ("ix_inspector_conflicts_created_at_id", "inspector_conflicts", ["created_at", "id"]),
    ("ix_photos_inspection_id_created_at_id", "photos", ["inspection_id", "created_at", "id"]),
    ("ix_photos_status_created_at_id", "photos", ["status", "created_at", "id"]),
)
#: single-column indexes that the composite ones above make redundant
REPLACED = (
    ("ix_tasks_due_on", "tasks", ["due_on"]),
    ("ix_photos_inspection_id", "photos", ["inspection_id"]),
)


def upgrade() -> None:
    for name, table, columns in ADDED:
        op.create_index(name, table, columns)
    for name, table, _columns in REPLACED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns)
    for name, table, _columns in ADDED:
        op.drop_index(name, table_name=table)
