"""The bureaus' own rules: what an inspector found at the site, per-matter results

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 06:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.db

revision: str = '0008'
down_revision: str | None = '0007'
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


def _fk(table: str, column: str, target: str, **kw) -> sa.ForeignKeyConstraint:
    target_table = target.split('.')[0]
    return sa.ForeignKeyConstraint([column], [target],
                                   name=op.f(f'fk_{table}_{column}_{target_table}'), **kw)


def _timestamps() -> tuple[sa.Column, sa.Column]:
    return (sa.Column('created_at', service.db.UTCDateTime(), nullable=False),
            sa.Column('updated_at', service.db.UTCDateTime(), nullable=False))


def _create_self_checks_and_evaluations() -> None:
    """Enterprises' self-checks (企业自查) and rectification evaluations (整改评价)."""
    op.create_table(
        'self_checks',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('site_id', sa.Uuid(), nullable=False),
        sa.Column('region_code', sa.String(length=12), nullable=False),
        sa.Column('enterprise_id', sa.Uuid(), nullable=True),
        sa.Column('template_id', sa.Uuid(), nullable=False),
        sa.Column('checked_on', sa.Date(), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('note', sa.String(length=1000), nullable=True),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('recorded_by_id', sa.Uuid(), nullable=True),
        *_timestamps(),
        _fk('self_checks', 'enterprise_id', 'enterprises.id'),
        _fk('self_checks', 'recorded_by_id', 'users.id'),
        _fk('self_checks', 'region_code', 'regions.code'),
        _fk('self_checks', 'site_id', 'sites.id'),
        _fk('self_checks', 'template_id', 'checklist_templates.id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_self_checks')),
    )
    for name, columns in (('ix_self_checks_enterprise_id', ['enterprise_id']),
                          ('ix_self_checks_region_checked', ['region_code', 'checked_on']),
                          ('ix_self_checks_site_id', ['site_id']),
                          ('ix_self_checks_updated_at', ['updated_at'])):
        op.create_index(name, 'self_checks', columns)
    op.create_table(
        'self_check_answers',
        sa.Column('self_check_id', sa.Uuid(), nullable=False),
        sa.Column('item_code', sa.String(length=48), nullable=False),
        sa.Column('answer', sa.String(length=16), nullable=False),
        sa.Column('note', sa.String(length=1000), nullable=True),
        _fk('self_check_answers', 'self_check_id', 'self_checks.id', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('self_check_id', 'item_code',
                                name=op.f('pk_self_check_answers')),
    )
    table = 'rectification_evaluations'
    op.create_table(
        table,
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('site_id', sa.Uuid(), nullable=False),
        sa.Column('region_code', sa.String(length=12), nullable=False),
        sa.Column('enterprise_id', sa.Uuid(), nullable=True),
        sa.Column('inspection_id', sa.Uuid(), nullable=True),
        sa.Column('self_check_id', sa.Uuid(), nullable=True),
        sa.Column('evaluated_on', sa.Date(), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('note', sa.String(length=1000), nullable=True),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('evaluated_by_id', sa.Uuid(), nullable=False),
        *_timestamps(),
        sa.CheckConstraint('score >= 0 AND score <= 100',
                           name=op.f('ck_rectification_evaluations_score_range')),
        _fk(table, 'enterprise_id', 'enterprises.id'),
        _fk(table, 'evaluated_by_id', 'users.id'),
        _fk(table, 'inspection_id', 'inspections.id'),
        _fk(table, 'region_code', 'regions.code'),
        _fk(table, 'self_check_id', 'self_checks.id'),
        _fk(table, 'site_id', 'sites.id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_evaluations')),
    )
    for column in ('enterprise_id', 'inspection_id', 'region_code', 'self_check_id', 'site_id',
                   'updated_at'):
        op.create_index(op.f(f'ix_{table}_{column}'), table, [column])


def upgrade() -> None:
    _correct_matters(forward=True)
    _create_campaigns()
    _create_partner_officers()
    _create_self_checks_and_evaluations()
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
    for table in ('rectification_evaluations', 'self_check_answers', 'self_checks'):
        op.drop_table(table)
    _drop_campaigns()
    op.add_column('sites', sa.Column('outlet_kind', sa.String(length=24), nullable=True))
    _join_outlet_kinds()
    op.drop_index(op.f('ix_sites_registration_status'), table_name='sites')
    for name in _NEW_SITE_COLUMNS:
        op.drop_column('sites', name)
    op.drop_column('inspection_plans', 'pairing')
    op.drop_column('inspections', 'site_condition')
