"""The bureaus' own rules: what an inspector found at the site, per-matter results

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-01 06:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.db

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


_sites = sa.table(
    "sites", sa.column("id", sa.Uuid), sa.column("site_type", sa.String),
    sa.column("outlet_kind", sa.String), sa.column("outlet_operator", sa.String),
    sa.column("outlet_location", sa.String), sa.column("postal_only", sa.Boolean),
    sa.column("urban", sa.Boolean), sa.column("host_site_id", sa.Uuid),
    sa.column("publication_kind", sa.String), sa.column("registration_status", sa.String),
    sa.column("registration_number", sa.String), sa.column("registered_on", sa.Date),
    sa.column("opened_on", sa.Date))
_NEW_SITE_COLUMNS = {
    'outlet_operator': sa.String(length=16), 'outlet_location': sa.String(length=16),
    'postal_only': sa.Boolean(), 'publication_kind': sa.String(length=16),
    'registration_status': sa.String(length=16), 'registered_on': sa.Date(),
    'deregistered_on': sa.Date(), 'green_since': sa.Date(),
}


def _split_outlet_kinds() -> None:
    """The one outlet kind (self_run, agency, township, village_station) becomes who runs it
    and where it is: a 乡镇局所 was self-run, a 村邮站 an agency in a village, and a self-run
    or agency outlet is urban where the site is urban, else in a township."""
    kind = _sites.c.outlet_kind
    op.execute(_sites.update().where(_sites.c.site_type == "postal_outlet").values(
        outlet_operator=sa.case((kind.in_(("agency", "village_station")), "agency"),
                                else_="self_run"),
        outlet_location=sa.case((kind == "village_station", "village"),
                                (kind == "township", "township"),
                                (_sites.c.urban.is_(True), "urban"), else_="township"),
        postal_only=False))


def _join_outlet_kinds() -> None:
    operator, location = _sites.c.outlet_operator, _sites.c.outlet_location
    op.execute(_sites.update().where(_sites.c.site_type == "postal_outlet").values(
        outlet_kind=sa.case((location == "village", "village_station"),
                            (sa.and_(location == "township", operator == "self_run"),
                             "township"), else_=operator)))


def _registry_statuses() -> None:
    """Terminals had to carry a number: they were registered, on a day not kept (their
    opening day stands in). A publication point's kind follows its host."""
    op.execute(_sites.update().where(_sites.c.site_type == "express_terminal").values(
        registration_status=sa.case((_sites.c.registration_number.is_(None), "unregistered"),
                                    else_="registered"),
        registered_on=sa.case((_sites.c.registration_number.is_(None), None),
                              else_=_sites.c.opened_on)))
    host = _sites.alias("host")
    host_type = (sa.select(host.c.site_type).where(host.c.id == _sites.c.host_site_id)
                 .scalar_subquery())
    op.execute(_sites.update().where(_sites.c.site_type == "publication_point").values(
        publication_kind=sa.case((host_type == "postal_outlet", "work_point"),
                                 else_="workstation")))


#: the tables whose rows name the campaign they serve
_SERVING = ('inspection_plans', 'inspections', 'tasks')


def _create_campaigns() -> None:
    op.create_table(
        'campaigns',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('name', sa.String(length=128), nullable=False),
        sa.Column('region_code', sa.String(length=12), nullable=False),
        sa.Column('region_codes', sa.JSON(), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('matter_codes', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Uuid(), nullable=False),
        sa.Column('created_at', service.db.UTCDateTime(), nullable=False),
        sa.Column('updated_at', service.db.UTCDateTime(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('period_end >= period_start', name=op.f('ck_campaigns_period_order')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_campaigns_created_by_id_users')),
        sa.ForeignKeyConstraint(['region_code'], ['regions.code'],
                                name=op.f('fk_campaigns_region_code_regions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    )
    op.create_index(op.f('ix_campaigns_region_code'), 'campaigns', ['region_code'])
    op.create_index(op.f('ix_campaigns_updated_at'), 'campaigns', ['updated_at'])
    for table in _SERVING:
        _add_campaign_column(table)


def _add_campaign_column(table: str) -> None:
    """A nullable campaign_id referring to campaigns. SQLite adds the reference with the
    column (it cannot add constraints later, and a batch would copy tables others refer to)."""
    name = f'fk_{table}_campaign_id_campaigns'
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE {table} ADD COLUMN campaign_id CHAR(32) '
                   f'CONSTRAINT {name} REFERENCES campaigns (id)')
    else:
        op.add_column(table, sa.Column('campaign_id', sa.Uuid(), nullable=True))
        op.create_foreign_key(name, table, 'campaigns', ['campaign_id'], ['id'])
    op.create_index(op.f(f'ix_{table}_campaign_id'), table, ['campaign_id'])


def _drop_campaigns() -> None:
    for table in _SERVING:
        op.drop_index(op.f(f'ix_{table}_campaign_id'), table_name=table)
        if op.get_bind().dialect.name != 'sqlite':
            op.drop_constraint(f'fk_{table}_campaign_id_campaigns', table, type_='foreignkey')
        op.drop_column(table, 'campaign_id')
    op.drop_table('campaigns')


def _create_partner_officers() -> None:
    op.create_table(
        'inspection_partner_officers',
        sa.Column('inspection_id', sa.Uuid(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('department', sa.String(length=24), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('certificate_number', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ['inspection_id'], ['inspections.id'], ondelete='CASCADE',
            name=op.f('fk_inspection_partner_officers_inspection_id_inspections')),
        sa.PrimaryKeyConstraint('inspection_id', 'position',
                                name=op.f('pk_inspection_partner_officers')),
    )


def upgrade() -> None:
    _correct_matters(forward=True)
    _create_campaigns()
    _create_partner_officers()
    op.add_column('inspection_plans', sa.Column('pairing', sa.String(length=16),
                                                nullable=False, server_default='jurisdiction'))
    # Plain ALTER TABLE (SQLite ≥ 3.35 drops columns itself): a batch would copy `sites`,
    # which other tables' foreign keys refer to.
    for name, type_ in _NEW_SITE_COLUMNS.items():
        op.add_column('sites', sa.Column(name, type_, nullable=True))
    op.create_index(op.f('ix_sites_registration_status'), 'sites', ['registration_status'])
    _split_outlet_kinds()
    _registry_statuses()
    op.drop_column('sites', 'outlet_kind')
    # existing inspections were all of a site that was there
    op.add_column('inspections', sa.Column('site_condition', sa.String(length=16),
                                           nullable=False, server_default='present'))


def downgrade() -> None:
    _correct_matters(forward=False)
    op.drop_table('inspection_partner_officers')
    _drop_campaigns()
    op.add_column('sites', sa.Column('outlet_kind', sa.String(length=24), nullable=True))
    _join_outlet_kinds()
    op.drop_index(op.f('ix_sites_registration_status'), table_name='sites')
    for name in _NEW_SITE_COLUMNS:
        op.drop_column('sites', name)
    op.drop_column('inspection_plans', 'pairing')
    op.drop_column('inspections', 'site_condition')
