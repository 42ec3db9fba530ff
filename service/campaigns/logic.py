"""Campaigns: creating and reading them, and checking what claims to serve one."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from service.auth.models import User
from service.campaigns.models import Campaign
from service.common.errors import NotFound, field_error
from service.common.idempotency import differs, insert_once
from service.common.pagination import Page, paginate
from service.common.regions import contains, in_subtree
from service.db import new_uuid
from service.matters.logic import require_matters
from service.regions.logic import require_region_in_scope
from service.registry.logic import ancestor_codes


def campaign_visible(scope: str) -> ColumnElement[bool]:
    """SQL: a campaign organised in the caller's subtree or by a bureau above it."""
    return or_(in_subtree(Campaign.region_code, scope),
               Campaign.region_code.in_(ancestor_codes(scope)))


def create_campaign(db: Session, *, scope: str, user: User, data: dict) -> Campaign:
    """A campaign of the caller's bureau (or a region below it); the same id and body again
    answer the same campaign."""
    data = dict(data)
    require_region_in_scope(db, scope=scope, code=data["region_code"])
    data["region_codes"] = list(dict.fromkeys(data["region_codes"] or [data["region_code"]]))
    for code in data["region_codes"]:
        if not contains(data["region_code"], code):
            raise field_error("region_codes", f"Region {code} is not in the organiser's "
                                              f"region {data['region_code']}.")
        require_region_in_scope(db, scope=scope, code=code, field="region_codes")
    data["matter_codes"] = list(dict.fromkeys(data["matter_codes"]))
    require_matters(db, codes=data["matter_codes"])
    fields = {key: value for key, value in data.items() if key != "id"}
    campaign = Campaign(id=data["id"] or new_uuid(), created_by_id=user.id, **fields)
    return insert_once(db, campaign, same=lambda stored: not differs(stored, fields),
                       what="Campaign")


def get_campaign(db: Session, *, scope: str, campaign_id: uuid.UUID) -> Campaign:
    """A campaign the caller sees (else 404)."""
    campaign = db.scalar(select(Campaign).where(Campaign.id == campaign_id,
                                                campaign_visible(scope)))
    if campaign is None:
        raise NotFound("No such campaign (专项行动) for your bureau.")
    return campaign


def list_campaigns(db: Session, *, scope: str, active_on: date | None, limit: int,
                   cursor: str | None) -> Page:
    """Campaigns the caller sees, by the day they start."""
    stmt = select(Campaign).where(campaign_visible(scope))
    if active_on is not None:
        stmt = stmt.where(Campaign.period_start <= active_on, Campaign.period_end >= active_on)
    return paginate(db, stmt, [Campaign.period_start, Campaign.id], limit=limit,
                    cursor=cursor)


def require_serving(db: Session, *, scope: str, campaign_id: uuid.UUID | None,
                    region_code: str, first: date, last: date) -> Campaign | None:
    """The campaign something claims to serve: visible to the caller, covering the region
    and the dates first..last (China time); None when no campaign is named. 422 otherwise."""
    if campaign_id is None:
        return None
    campaign = db.scalar(select(Campaign).where(Campaign.id == campaign_id,
                                                campaign_visible(scope)))
    if campaign is None:
        raise field_error("campaign_id", "No such campaign (专项行动) for your bureau.")
    if not any(contains(code, region_code) for code in campaign.region_codes):
        raise field_error("campaign_id", f"The campaign “{campaign.name}” does not cover "
                                         f"region {region_code}.")
    if first < campaign.period_start or last > campaign.period_end:
        raise field_error("campaign_id", f"The campaign “{campaign.name}” runs from "
                                         f"{campaign.period_start} to {campaign.period_end}.")
    return campaign
