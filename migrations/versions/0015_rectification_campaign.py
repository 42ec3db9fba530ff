"""rectification orders carry the campaign (专项行动) they serve; indexes for the monthly
figures' date ranges over cases, orders and summons

Orders issued before this revision get the campaign of their case, else of their findings'
inspection (as new orders do), and so do their re-inspection tasks and queue items.

Revision ID: 0015
Revises: 0014
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDERS = "enforcement_rectifications"
FK = f"fk_{ORDERS}_campaign_id_campaigns"
#: (index, table, columns)
INDEXES = [
    ("ix_enforcement_cases_filed_on", "enforcement_cases", ["filed_on"]),
    ("ix_enforcement_cases_decided_on", "enforcement_cases", ["decided_on"]),
    ("ix_enforcement_cases_closed_on", "enforcement_cases", ["closed_on"]),
    ("ix_enforcement_cases_transferred_on", "enforcement_cases", ["transferred_on"]),
    ("ix_enforcement_rectifications_issued_on", ORDERS, ["issued_on"]),
    ("ix_enforcement_rectifications_campaign_id", ORDERS, ["campaign_id"]),
    ("ix_enforcement_summons_case_id", "enforcement_summons", ["case_id"]),
]

orders = sa.table(ORDERS, sa.column("id", sa.Uuid()), sa.column("case_id", sa.Uuid()),
                  sa.column("items", sa.JSON()), sa.column("task_id", sa.Uuid()),
                  sa.column("campaign_id", sa.Uuid()))
cases = sa.table("enforcement_cases", sa.column("id", sa.Uuid()),
                 sa.column("campaign_id", sa.Uuid()))
findings = sa.table("findings", sa.column("id", sa.Uuid()), sa.column("inspection_id", sa.Uuid()))
inspections = sa.table("inspections", sa.column("id", sa.Uuid()),
                       sa.column("campaign_id", sa.Uuid()))
tasks = sa.table("tasks", sa.column("id", sa.Uuid()), sa.column("campaign_id", sa.Uuid()))
queue_items = sa.table("enforcement_queue_items", sa.column("item_id", sa.Uuid()),
                       sa.column("queue", sa.String()), sa.column("campaign_id", sa.Uuid()))


def _add_campaign() -> None:
    """SQLite adds the reference with the column (as in 0010: it cannot add one later)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {ORDERS} ADD COLUMN campaign_id CHAR(32) "
                   f"CONSTRAINT {FK} REFERENCES campaigns (id)")
    else:
        op.add_column(ORDERS, sa.Column("campaign_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(FK, ORDERS, "campaigns", ["campaign_id"], ["id"])


def _campaign_of(bind, case_id, items) -> uuid.UUID | None:
    """The case's campaign, else the first (by id) of the findings' inspections'."""
    if case_id is not None:
        found = bind.execute(sa.select(cases.c.campaign_id).where(cases.c.id == case_id))
        campaign = found.scalar()
        if campaign is not None:
            return campaign
    ids = [uuid.UUID(item["finding_id"]) for item in items or [] if item.get("finding_id")]
    if not ids:
        return None
    served = bind.execute(sa.select(inspections.c.campaign_id)
                          .join(findings, findings.c.inspection_id == inspections.c.id)
                          .where(findings.c.id.in_(ids), inspections.c.campaign_id.is_not(None)))
    return min(served.scalars(), key=str, default=None)


def _backfill() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(orders.c.id, orders.c.case_id, orders.c["items"],
                                  orders.c.task_id)).all()
    for order_id, case_id, items, task_id in rows:
        campaign = _campaign_of(bind, case_id, items)
        if campaign is None:
            continue
        bind.execute(orders.update().where(orders.c.id == order_id)
                     .values(campaign_id=campaign))
        if task_id is not None:
            bind.execute(tasks.update().where(tasks.c.id == task_id,
                                              tasks.c.campaign_id.is_(None))
                         .values(campaign_id=campaign))
        bind.execute(queue_items.update().where(queue_items.c.queue == "rectification",
                                                queue_items.c.item_id == order_id)
                     .values(campaign_id=campaign))


def upgrade() -> None:
    _add_campaign()
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    _backfill()


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(FK, ORDERS, type_="foreignkey")
    op.drop_column(ORDERS, "campaign_id")
