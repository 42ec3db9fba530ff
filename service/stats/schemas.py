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


class MonthlyQueryArgsSchema(Schema):
    month = PeriodField(required=True, months_only=True)
    region_code = _REGION


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


_FIGURES = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(allow_none=True))
_RATES = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(allow_none=True))


class MonthlyItemSchema(_RegionRowFields):
    computed_at = ma.fields.DateTime(allow_none=True)
    figures = _FIGURES
    rates = _RATES


class MonthlyReportSchema(Schema):
    month = ma.fields.String()
    computed_at = ma.fields.DateTime(allow_none=True)
    region = ma.fields.Nested(StatsRegionSchema)
    items = ma.fields.List(ma.fields.Nested(MonthlyItemSchema))
    labels = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


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
