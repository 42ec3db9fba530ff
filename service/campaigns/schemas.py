"""Shapes of campaigns (专项行动)."""

from __future__ import annotations

from datetime import timedelta

import marshmallow as ma

from service.common import fields
from service.common.api import PLAIN_TEXT, Schema
from service.common.pagination import PageArgsSchema, page_schema
from service.regions.schemas import CODE_FIELD, REGION_CODE

#: the longest campaign, as for plans
MAX_PERIOD_DAYS = 366
REGION = ma.fields.String(validate=REGION_CODE)
#: how a body names the campaign it serves (inspections, tasks, plans)
CAMPAIGN_ID = ma.fields.UUID(load_default=None, allow_none=True, metadata={
    "description": "The campaign (专项行动) this serves: one your bureau sees, covering the "
                   "site's region and the dates; null for none."})


class CampaignSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": "2026年“清风·实名寄递”专项行动"})
    region_code = ma.fields.String(metadata={"example": "310000",
                                             "description": "The organising bureau's region."})
    region_codes = ma.fields.List(ma.fields.String(), metadata={
        "description": "The regions it covers (and the regions below them)."})
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    matter_codes = ma.fields.List(ma.fields.String())
    created_by_id = ma.fields.UUID()
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer()


class CampaignCreateSchema(Schema):
    id = ma.fields.UUID(load_default=None, metadata={
        "description": "Optional client-made id: the same body again answers the same "
                       "campaign; another body is a 409."})
    name = ma.fields.String(required=True, validate=[ma.validate.Length(1, 128), PLAIN_TEXT])
    region_code = CODE_FIELD
    region_codes = ma.fields.List(REGION, load_default=None, validate=ma.validate.Length(1, 50),
                                  metadata={"description": "Default: the organiser's region."})
    period_start = fields.Date(required=True, metadata={"example": "2026-03-01"})
    period_end = fields.Date(required=True, metadata={"example": "2026-06-30"})
    matter_codes = ma.fields.List(ma.fields.String(validate=ma.validate.Length(1, 48)),
                                  required=True,
                                  validate=ma.validate.Length(1, 20),
                                  metadata={"example": ["delivery_safety_three_systems"]})

    @ma.validates_schema
    def _period(self, data, **_kwargs):
        if data["period_end"] < data["period_start"]:
            raise ma.ValidationError("The period ends before it starts.", "period_end")
        if data["period_end"] - data["period_start"] > timedelta(days=MAX_PERIOD_DAYS - 1):
            raise ma.ValidationError(f"A period spans at most {MAX_PERIOD_DAYS} days.",
                                     "period_end")


class CampaignQueryArgsSchema(PageArgsSchema):
    active_on = fields.Date(load_default=None, metadata={
        "description": "Only campaigns running on that day."})


CampaignPageSchema = page_schema(CampaignSchema, "CampaignPage")
