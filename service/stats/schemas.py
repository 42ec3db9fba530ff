"""Shapes of the statistics API: query arguments, rates, monthly figures, the gap."""

from __future__ import annotations

import marshmallow as ma

from service.common.api import Pattern, Schema
from service.common.pagination import PageArgsSchema, page_schema
from service.registry.models import SITE_TYPES
from service.stats.casework import NO_SITE
from service.stats.models import ALL_TYPES
from service.stats.periods import MONTH, parse
from service.stats.rates import RATES


class PeriodField(ma.fields.String):
    """A period key ("2026-11", "2026-Q4", "2026"), loaded as a Period."""

    def __init__(self, *, months_only: bool = False, **kwargs):
        self.months_only = months_only
        example = "2026-11" if months_only else "2026-11, 2026-Q4 or 2026"
        super().__init__(metadata={"example": "2026-11", "description": example}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        period = parse(super()._deserialize(value, attr, data, **kwargs))
        if period is None or (self.months_only and period.kind != MONTH):
            raise ma.ValidationError(
                "A month YYYY-MM (China time)." if self.months_only else
                "A month YYYY-MM, a quarter YYYY-Qn or a year YYYY (China time).")
        return period


_REGION = ma.fields.String(load_default=None, validate=Pattern(r"^\d{6}$", error="6 digits."),
                           metadata={"example": "310113",
                                     "description": "Defaults to your jurisdiction."})
_SITE_TYPE = ma.fields.String(load_default=None,
                              validate=ma.validate.OneOf([*SITE_TYPES, ALL_TYPES, NO_SITE]),
                              metadata={"description": "A site type, all, or enterprise "
                                        "(decisions on an enterprise as a whole)."})


class CoverageQueryArgsSchema(Schema):
    period = PeriodField(required=True)
    region_code = _REGION
    rate = ma.fields.String(load_default=None, validate=ma.validate.OneOf(list(RATES)))
    site_type = _SITE_TYPE


class MonthlyTrendQueryArgsSchema(Schema):
    month = PeriodField(required=True, months_only=True)
    region_code = _REGION


class MonthlyQueryArgsSchema(MonthlyTrendQueryArgsSchema):
    campaign_id = ma.fields.UUID(load_default=None, metadata={
        "description": "A campaign (专项行动) you see: its figures instead, counted over what "
                       "carries it (inspections, cases, decisions, rectification orders, "
                       "suspensions, transfers, and the summons of its cases); no registry "
                       "stock, no rates. Another bureau's campaign is 404."})


class GapSummaryQueryArgsSchema(Schema):
    period = PeriodField(required=True)
    region_code = _REGION
    site_type = ma.fields.String(load_default=None, validate=ma.validate.OneOf(SITE_TYPES))


class GapQueryArgsSchema(PageArgsSchema, GapSummaryQueryArgsSchema):
    pass


class RecomputeRequestSchema(Schema):
    period = PeriodField(required=True)


class RecomputeSchema(Schema):
    period = ma.fields.String()
    status = ma.fields.String(metadata={"example": "queued"})


class StatsRegionSchema(Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String()


class _RegionRowFields(Schema):
    region_code = ma.fields.String()
    region_name = ma.fields.String()
    region_level = ma.fields.String()
    is_total = ma.fields.Boolean(metadata={"description": "The requested region itself "
                                           "(the subtotal of the rows below it)."})


class RateItemSchema(_RegionRowFields):
    rate = ma.fields.String()
    rate_label = ma.fields.String(metadata={"example": "检查覆盖率"})
    site_type = ma.fields.String(metadata={"description": "A site type, or all."})
    numerator = ma.fields.Integer()
    denominator = ma.fields.Integer()
    value = ma.fields.Float(allow_none=True, metadata={
        "description": "numerator / denominator; null when the denominator is 0."})
    target = ma.fields.Float(allow_none=True)
    met = ma.fields.Boolean(allow_none=True)


class CoverageReportSchema(Schema):
    period = ma.fields.String()
    period_kind = ma.fields.String()
    computed_at = ma.fields.DateTime(allow_none=True)
    region = ma.fields.Nested(StatsRegionSchema)
    items = ma.fields.List(ma.fields.Nested(RateItemSchema))


_FIGURES = ma.fields.Dict(
    keys=ma.fields.String(), values=ma.fields.Integer(allow_none=True),
    metadata={"description": "Figure name -> its count; `fines_sum_fen` is a sum of money in "
                             "fen (分, exact: 100 fen = 1 yuan), which the exports show in "
                             "yuan. Null for a month never computed."})
_RATES = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(allow_none=True))


class MonthlyItemSchema(_RegionRowFields):
    computed_at = ma.fields.DateTime(allow_none=True)
    figures = _FIGURES
    rates = _RATES


class StatsCampaignSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    region_code = ma.fields.String(metadata={"description": "The organising bureau's region."})
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()


class MonthlyReportSchema(Schema):
    month = ma.fields.String()
    computed_at = ma.fields.DateTime(allow_none=True, metadata={
        "description": "When the snapshot was computed (a campaign's figures: now, counted "
                       "live); null for a month never computed."})
    region = ma.fields.Nested(StatsRegionSchema)
    campaign = ma.fields.Nested(StatsCampaignSchema, allow_none=True, metadata={
        "description": "The campaign asked for (`campaign_id`), else null."})
    items = ma.fields.List(ma.fields.Nested(MonthlyItemSchema))
    labels = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), metadata={
        "description": "The figures reported, in report order, with their Chinese labels."})


class TrendItemSchema(Schema):
    month = ma.fields.String()
    computed_at = ma.fields.DateTime(allow_none=True)
    figures = _FIGURES
    rates = _RATES


class MonthlyTrendSchema(Schema):
    region = ma.fields.Nested(StatsRegionSchema)
    items = ma.fields.List(ma.fields.Nested(TrendItemSchema))


class GapSiteSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    site_type = ma.fields.String()
    region_code = ma.fields.String()
    address = ma.fields.String()
    status = ma.fields.String()


GapPageSchema = page_schema(GapSiteSchema, "CoverageGapPage")


class GapSummaryItemSchema(Schema):
    district = ma.fields.String()
    site_type = ma.fields.String()
    uninspected = ma.fields.Integer()


class GapSummarySchema(Schema):
    period = ma.fields.String()
    region_code = ma.fields.String()
    total = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(GapSummaryItemSchema))
