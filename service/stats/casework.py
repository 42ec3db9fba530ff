"""Statistics over the enforcement tables: the two enforcement rates and the monthly counts
of casework (cases, decisions, orders, suspensions, transfers, summons).

Each function builds one set-based SELECT per district (and site type, for the rates) of the
shape `rates.Rate` and `figures.FigureGroup` expect; `compute` sums it up the region tree
and stores it. Nothing here loads rows into Python.

Dates: every enforcement date (filing, decision, publication, due, completion, closing,
transfer, summons) is a China-time calendar date already, so a period holds a row when
`first <= date <= last`. Each row counts in the region recorded on it (the site's region
when the case, order or summons was recorded; a summons without a site, its bureau's).

A *decision* (处罚决定) is a case with a decision date that was not dismissed afterwards
(a dismissed decision was withdrawn: it counts nowhere).

Campaign figures (专项行动): each count takes a `campaign_id` and then counts only what
carries the campaign — cases (with their decisions, fines, transfers and suspensions) and
rectification orders by their own `campaign_id`, summons by their case's (a summons held
outside a case serves no campaign).

Every date condition is a range of an index of its own (`ix_enforcement_cases_filed_on`, …),
so a month reads its rows, not the whole table (tests/test_list_indexes.py EXPLAINs them).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, and_, case, func, literal_column, or_, select, true

from service.enforcement.models import (
    RECT_COMPLETED,
    Case,
    Rectification,
    Summons,
    Suspension,
)
from service.enforcement.procedure import DISMISSED
from service.registry.models import Site
from service.stats.periods import Period
from service.stats.rollup import district_of

#: the site type a rate row of a case without a site (an enterprise as a whole) counts under
NO_SITE = "enterprise"


def within(column, period: Period):
    """SQL: a China-time date column lies in the period."""
    return column.between(period.first, period.last)


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _decided_in(period: Period):
    return and_(within(Case.decided_on, period), Case.status != DISMISSED)


def _on_time():
    """SQL: the order was completed (not escalated) on or before its due date."""
    return and_(Rectification.status == RECT_COMPLETED,
                Rectification.completed_on.is_not(None),
                Rectification.completed_on <= Rectification.due_on)


# --- the rates -------------------------------------------------------------------------------

def rectification_on_time(period: Period) -> Select:
    """整改按期完成率: orders due in the period completed on or before their due date ÷
    orders due in the period (open and escalated ones count as not on time)."""
    region = district_of(Rectification.region_code)
    return (select(region.label("region"), Site.site_type.label("site_type"),
                   _count_if(_on_time()).label("numerator"),
                   func.count().label("denominator"))
            .select_from(Rectification).join(Site, Site.id == Rectification.site_id)
            .where(within(Rectification.due_on, period))
            .group_by(region, Site.site_type))


def disclosure_timeliness(period: Period) -> Select:
    """执法信息及时公开率: decisions made in the period published no later than the 7th
    working day after the decision date ÷ decisions made in the period.

    The 7th working day (official calendar, holidays and adjusted working days) is stored
    on the case when it is decided (`publish_due_on`, service.enforcement.publicity), so the
    comparison is one column against another; an unpublished decision is not timely.
    """
    region = district_of(Case.region_code)
    site_type = func.coalesce(Site.site_type, literal_column(f"'{NO_SITE}'"))
    timely = and_(Case.published_on.is_not(None), Case.publish_due_on.is_not(None),
                  Case.published_on <= Case.publish_due_on)
    return (select(region.label("region"), site_type.label("site_type"),
                   _count_if(timely).label("numerator"), func.count().label("denominator"))
            .select_from(Case).outerjoin(Site, Site.id == Case.site_id)
            .where(_decided_in(period))
            .group_by(region, site_type))


# --- the monthly counts --------------------------------------------------------------------

def _serving(column, campaign_id: uuid.UUID | None):
    """SQL: the row carries the campaign (true when no campaign is asked for)."""
    return column == campaign_id if campaign_id is not None else true()


def case_counts(month: Period, campaign_id: uuid.UUID | None = None) -> Select:
    """Cases filed 立案数 (filing date) and closed 结案数 (closing date: closed, dismissed
    or transferred, once it had been filed or decided — a lead dropped before filing was
    never a case); fines 罚款笔数 / 罚款金额 (decisions with a fine, by decision date: count
    and sum in fen); transfers to police 移送 (transfer date). One scan of the cases."""
    region = district_of(Case.region_code)
    was_case = or_(Case.filed_on.is_not(None), Case.decided_on.is_not(None))
    fined = and_(_decided_in(month), Case.fine_fen > 0)
    return (select(region.label("region"),
                   _count_if(within(Case.filed_on, month)).label("cases_filed"),
                   _count_if(and_(within(Case.closed_on, month), was_case))
                   .label("cases_closed"),
                   _count_if(fined).label("fines_count"),
                   func.coalesce(func.sum(case((fined, Case.fine_fen), else_=0)), 0)
                   .label("fines_sum_fen"),
                   _count_if(within(Case.transferred_on, month)).label("transfers"))
            .where(or_(within(Case.filed_on, month), within(Case.closed_on, month),
                       within(Case.decided_on, month), within(Case.transferred_on, month)),
                   _serving(Case.campaign_id, campaign_id))
            .group_by(region))


def rectification_counts(month: Period, campaign_id: uuid.UUID | None = None) -> Select:
    """Rectification orders issued 责令整改 (issue date), the distinct sites they were
    issued to (家), and orders due in the month completed by their due date."""
    region = district_of(Rectification.region_code)
    issued = within(Rectification.issued_on, month)
    return (select(region.label("region"), _count_if(issued).label("orders_issued"),
                   func.count(func.distinct(case((issued, Rectification.site_id))))
                   .label("orders_issued_sites"),
                   _count_if(and_(within(Rectification.due_on, month), _on_time()))
                   .label("orders_completed_on_time"))
            .where(or_(issued, within(Rectification.due_on, month)),
                   _serving(Rectification.campaign_id, campaign_id))
            .group_by(region))


def suspension_counts(month: Period, campaign_id: uuid.UUID | None = None) -> Select:
    """停业整顿家数: distinct sites with a suspension decision dated in the month."""
    region = district_of(Case.region_code)
    return (select(region.label("region"),
                   func.count(func.distinct(Suspension.site_id)).label("suspended_sites"))
            .select_from(Suspension).join(Case, Case.id == Suspension.case_id)
            .where(_decided_in(month), _serving(Case.campaign_id, campaign_id))
            .group_by(region))


def summons_counts(month: Period, campaign_id: uuid.UUID | None = None) -> Select:
    """约谈: summons held in the month (for a campaign: those held in its cases)."""
    region = district_of(Summons.region_code)
    stmt = (select(region.label("region"), func.count().label("summons"))
            .where(within(Summons.held_on, month)).group_by(region))
    if campaign_id is None:
        return stmt
    return (stmt.join(Case, Case.id == Summons.case_id)
            .where(Case.campaign_id == campaign_id))
