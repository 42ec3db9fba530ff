"""Reading the snapshots: a region with its children, and a region's 12 months; and a
campaign's monthly figures (专项行动), counted live."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.campaigns.logic import get_campaign
from service.regions.logic import get_region
from service.regions.models import Region
from service.stats.figures import CAMPAIGN_FIGURES, FIGURES, counted
from service.stats.models import ALL_TYPES, CoverageSnapshot, MonthlyFigure, StatPeriod
from service.stats.periods import Period, trailing_months
from service.stats.rates import POSTAL_OUTLET, RATES

REPORTED_LEVELS = ("national", "province", "city", "district")


def _default_type(rate: str) -> str:
    return ALL_TYPES if RATES[rate].with_all else POSTAL_OUTLET


def _region_and_children(db: Session, *, scope: str, code: str) -> list[Region]:
    region = get_region(db, scope=scope, code=code)
    children = db.scalars(select(Region).where(Region.parent_code == region.code,
                                               Region.level.in_(REPORTED_LEVELS))
                          .order_by(Region.code))
    return [region, *children]


def _computed_at(db: Session, key: str):
    row = db.get(StatPeriod, key)
    return row.computed_at if row else None


def coverage_report(db: Session, *, scope: str, period: Period, region_code: str | None,
                    rate: str | None, site_type: str | None,
                    targets: dict[str, float]) -> dict:
    """The rates of a region and of each region directly below it, for one period."""
    regions = _region_and_children(db, scope=scope, code=region_code or scope)
    rates = [rate] if rate else list(RATES)
    stmt = select(CoverageSnapshot).where(
        CoverageSnapshot.period_key == period.key,
        CoverageSnapshot.region_code.in_([region.code for region in regions]),
        CoverageSnapshot.rate.in_(rates))
    if site_type:
        stmt = stmt.where(CoverageSnapshot.site_type == site_type)
    stored = {(row.region_code, row.rate, row.site_type): row for row in db.scalars(stmt)}
    items = []
    for region in regions:
        for name in rates:
            types = sorted({key[2] for key in stored if key[:2] == (region.code, name)}
                           | {site_type or _default_type(name)})
            for kind in types:
                items.append(_rate_item(region, name, kind, stored.get((region.code, name, kind)),
                                        targets.get(name), total=region is regions[0]))
    return {"period": period.key, "period_kind": period.kind,
            "computed_at": _computed_at(db, period.key), "region": regions[0],
            "items": items}


def _rate_item(region: Region, rate: str, site_type: str, row, target, *, total: bool) -> dict:
    """A stored rate, or the empty one (no sites counted: no value) where none is stored."""
    base = {"region_code": region.code, "region_name": region.name,
            "region_level": region.level, "is_total": total, "rate": rate,
            "rate_label": RATES[rate].label, "site_type": site_type}
    if row is None:
        return {**base, "numerator": 0, "denominator": 0, "value": None, "target": target,
                "met": None}
    return {**base, "numerator": row.numerator, "denominator": row.denominator,
            "value": row.value, "target": row.target, "met": row.met}


def _figures(db: Session, months: list[str], codes: list[str]) -> dict:
    rows = db.execute(select(MonthlyFigure.month, MonthlyFigure.region_code,
                             MonthlyFigure.figure, MonthlyFigure.value)
                      .where(MonthlyFigure.month.in_(months),
                             MonthlyFigure.region_code.in_(codes)))
    out: dict = {}
    for month, code, figure, value in rows:
        out.setdefault((month, code), {})[figure] = value
    return out


def _rates(db: Session, months: list[str], codes: list[str]) -> dict:
    rows = db.execute(select(CoverageSnapshot.period_key, CoverageSnapshot.region_code,
                             CoverageSnapshot.rate, CoverageSnapshot.site_type,
                             CoverageSnapshot.value)
                      .where(CoverageSnapshot.period_key.in_(months),
                             CoverageSnapshot.region_code.in_(codes)))
    out: dict = {}
    for month, code, rate, site_type, value in rows:
        if site_type == _default_type(rate):
            out.setdefault((month, code), {})[rate] = value
    return out


def _month_entry(computed_at, figures: dict | None, rates: dict | None) -> dict:
    """Figures of a computed month (absent = 0); all null when it was never computed."""
    done = computed_at is not None
    return {"computed_at": computed_at,
            "figures": {name: ((figures or {}).get(name, 0) if done else None)
                        for name in FIGURES},
            "rates": {name: (rates or {}).get(name) for name in RATES}}


def monthly_report(db: Session, *, scope: str, month: Period, region_code: str | None,
                   campaign_id: uuid.UUID | None = None, now: datetime | None = None) -> dict:
    """The monthly statistics of a region (the subtotal) and of each region below it; with
    `campaign_id`, the campaign's figures (`campaign_report`)."""
    if campaign_id is not None:
        return campaign_report(db, scope=scope, month=month, region_code=region_code,
                               campaign_id=campaign_id, now=now)
    regions = _region_and_children(db, scope=scope, code=region_code or scope)
    codes = [region.code for region in regions]
    computed_at = _computed_at(db, month.key)
    figures, rates = _figures(db, [month.key], codes), _rates(db, [month.key], codes)
    items = [{"region_code": region.code, "region_name": region.name,
              "region_level": region.level, "is_total": index == 0,
              **_month_entry(computed_at, figures.get((month.key, region.code)),
                             rates.get((month.key, region.code)))}
             for index, region in enumerate(regions)]
    return {"month": month.key, "computed_at": computed_at, "region": regions[0],
            "items": items, "labels": dict(FIGURES), "campaign": None}


def campaign_report(db: Session, *, scope: str, month: Period, region_code: str | None,
                    campaign_id: uuid.UUID, now: datetime | None) -> dict:
    """A campaign's monthly figures (专项行动) in a region and each region below it: the
    figures of the monthly statistics that rows carry a campaign for (inspections and
    casework, not the registry stock, no rates), counted now over what carries it. A
    campaign the caller does not see is 404; a region outside the jurisdiction too.

    Counted live, not from snapshots: a campaign's rows are few and found by their
    `campaign_id` index, and the figures stay current while the campaign runs."""
    campaign = get_campaign(db, scope=scope, campaign_id=campaign_id)
    regions = _region_and_children(db, scope=scope, code=region_code or scope)
    codes = [region.code for region in regions]
    rows = counted(month, campaign.id).subquery("campaign_figures")
    found: dict = {}
    for code, figure, value in db.execute(select(rows.c.region_code, rows.c.figure,
                                                 rows.c.value)
                                          .where(rows.c.region_code.in_(codes))):
        found.setdefault(code, {})[figure] = int(value)
    items = [{"region_code": region.code, "region_name": region.name,
              "region_level": region.level, "is_total": index == 0, "computed_at": now,
              "figures": {name: found.get(region.code, {}).get(name, 0)
                          for name in CAMPAIGN_FIGURES},
              "rates": {}}
             for index, region in enumerate(regions)]
    return {"month": month.key, "computed_at": now, "region": regions[0], "items": items,
            "labels": dict(CAMPAIGN_FIGURES),
            "campaign": {"id": campaign.id, "name": campaign.name,
                         "region_code": campaign.region_code,
                         "period_start": campaign.period_start,
                         "period_end": campaign.period_end}}


def monthly_trend(db: Session, *, scope: str, month: Period, region_code: str | None,
                  count: int = 12) -> dict:
    """A region's monthly statistics over the `count` months ending with `month`."""
    region = get_region(db, scope=scope, code=region_code or scope)
    keys = [period.key for period in trailing_months(month, count)]
    computed = dict(db.execute(select(StatPeriod.period_key, StatPeriod.computed_at)
                               .where(StatPeriod.period_key.in_(keys))).all())
    figures, rates = _figures(db, keys, [region.code]), _rates(db, keys, [region.code])
    items = [{"month": key, **_month_entry(computed.get(key), figures.get((key, region.code)),
                                           rates.get((key, region.code)))} for key in keys]
    return {"region": region, "items": items}
