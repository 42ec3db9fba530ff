from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import marshmallow as ma

from service.campaigns.schemas import CAMPAIGN_ID
from service.common import fields
from service.common.api import PLAIN_TEXT, Pattern, Schema
from service.common.pagination import PageArgsSchema, page_schema
from service.plans.draw import JURISDICTION, PAIRINGS
from service.plans.models import PLAN_DRAWN, PLAN_STATUSES, SAMPLE_MODES, STRATIFY_BY
from service.regions.schemas import CODE_FIELD
from service.registry.models import SITE_TYPES

MAX_PERIOD_DAYS = 366
MATTER_CODE = Pattern(r"^[a-z0-9_]{1,48}$", error="Lower-case letters, digits, _.")


class InspectionPlanSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": "2026年第四季度宝山区寄递企业双随机抽查"})
    region_code = ma.fields.String(metadata={"example": "310113"})
    site_types = ma.fields.List(ma.fields.String())
    matter_codes = ma.fields.List(ma.fields.String())
    campaign_id = ma.fields.UUID(allow_none=True)
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    due_on = ma.fields.Date(metadata={"description": "Due date of the plan's tasks."})
    sample_mode = ma.fields.String(metadata={"enum": list(SAMPLE_MODES)})
    sample_value = ma.fields.Float(metadata={"example": 0.2})
    stratify_by = ma.fields.String(metadata={"enum": list(STRATIFY_BY)})
    pairing = ma.fields.String(metadata={"enum": list(PAIRINGS)})
    workload_cap = ma.fields.Integer(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(PLAN_STATUSES)})
    seed_hash = ma.fields.String(metadata={
        "description": "SHA-256 (hex) of the seed, fixed and published before the draw."})
    seed = ma.fields.Method("_seed", allow_none=True, metadata={"type": "string",
        "description": "The draw's seed: null until the plan is drawn, then revealed."})
    drawn_at = ma.fields.AwareDateTime(allow_none=True)
    drawn_by_id = ma.fields.UUID(allow_none=True)
    created_by_id = ma.fields.UUID()
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer()

    def _seed(self, plan):
        return plan.seed if plan.status == PLAN_DRAWN else None


class InspectionPlanCreateSchema(Schema):
    id = ma.fields.UUID(load_default=None, metadata={
        "description": "Optional client-made id: sending the same body again answers the "
                       "same plan; the same id with another body is a 409."})
    name = ma.fields.String(required=True,
                            validate=[ma.validate.Length(1, 128), PLAIN_TEXT])
    region_code = CODE_FIELD
    matter_codes = ma.fields.List(
        ma.fields.String(validate=MATTER_CODE), required=True,
        validate=ma.validate.Length(1, 20),
        metadata={"example": ["delivery_safety_three_systems", "packaging_management"]})
    site_types = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(SITE_TYPES)), load_default=None,
        validate=ma.validate.Length(min=1),
        metadata={"description": "Default: every site type the matters apply to."})
    campaign_id = CAMPAIGN_ID
    period_start = fields.Date(required=True, metadata={"example": "2026-10-01"})
    period_end = fields.Date(required=True, metadata={"example": "2026-12-31"})
    due_on = fields.Date(load_default=None, metadata={
        "description": "Due date of the tasks, within the period; default period_end."})
    sample_mode = ma.fields.String(required=True, validate=ma.validate.OneOf(SAMPLE_MODES))
    sample_value = ma.fields.Float(required=True, allow_nan=False, metadata={
        "description": "ratio: 0 < r <= 1, at most 4 decimals; count: a whole number >= 1."})
    stratify_by = ma.fields.String(load_default="none", validate=ma.validate.OneOf(STRATIFY_BY))
    pairing = ma.fields.String(
        load_default=JURISDICTION, validate=ma.validate.OneOf(PAIRINGS), metadata={
            "description": "jurisdiction (default): each site gets officers whose jurisdiction "
                           "covers it; cross_district (县区互查): only officers of another "
                           "district, who see and inspect the site for that task only."})
    workload_cap = ma.fields.Integer(load_default=None, allow_none=True,
                                     validate=ma.validate.Range(1, 10000))

    @ma.validates_schema
    def _check(self, data, **_kwargs):
        _check_period(data)
        _check_sample(data["sample_mode"], data["sample_value"])


def _check_period(data: dict) -> None:
    start, end, due = data["period_start"], data["period_end"], data.get("due_on")
    if end < start:
        raise ma.ValidationError("The period ends before it starts.", "period_end")
    if end - start > timedelta(days=MAX_PERIOD_DAYS - 1):
        raise ma.ValidationError(f"A period spans at most {MAX_PERIOD_DAYS} days.", "period_end")
    if due is not None and not start <= due <= end:
        raise ma.ValidationError("The due date lies within the period.", "due_on")


def _check_sample(mode: str, value: float) -> None:
    exact = Decimal(repr(value))
    if mode == "ratio" and not (0 < exact <= 1 and exact == exact.quantize(Decimal("0.0001"))):
        raise ma.ValidationError("A ratio lies in (0, 1] with at most 4 decimals.",
                                 "sample_value")
    if mode == "count" and not (1 <= exact <= 100000 and exact == exact.to_integral_value()):
        raise ma.ValidationError("A count is a whole number from 1 to 100000.", "sample_value")


class InspectionPlanQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(PLAN_STATUSES))
    campaign_id = ma.fields.UUID(load_default=None)


class PlanDrawRequestSchema(Schema):
    draw_id = ma.fields.UUID(required=True, metadata={
        "description": "Client-made id of this draw: a retry with the same id answers the "
                       "same result; a plan is drawn once, another id is a 409."})
    seed_hash = ma.fields.String(required=True, validate=Pattern(r"^[0-9a-f]{64}$"),
                                 metadata={"description": "The seed hash you published; the "
                                                          "draw runs only if it matches."})


class PlanDrawnSiteSchema(Schema):
    rank = ma.fields.Integer()
    site_id = ma.fields.String()
    stratum = ma.fields.String(metadata={"example": "310113"})
    inspector_ids = ma.fields.List(ma.fields.String())
    task_id = ma.fields.String()


class PlanDrawResultSchema(InspectionPlanSchema):
    drawn_sites = ma.fields.List(ma.fields.Nested(PlanDrawnSiteSchema))


class InspectorConflictSchema(Schema):
    id = ma.fields.UUID()
    user_id = ma.fields.UUID()
    enterprise_id = ma.fields.UUID()
    reason = ma.fields.String(metadata={"example": "配偶在该企业任网点负责人"})
    declared_by_id = ma.fields.UUID()
    created_at = ma.fields.AwareDateTime()


class InspectorConflictCreateSchema(Schema):
    user_id = ma.fields.UUID(required=True)
    enterprise_id = ma.fields.UUID(required=True)
    reason = ma.fields.String(required=True, validate=[ma.validate.Length(1, 512), PLAIN_TEXT])


class InspectorConflictQueryArgsSchema(PageArgsSchema):
    user_id = ma.fields.UUID(load_default=None)
    enterprise_id = ma.fields.UUID(load_default=None)


InspectionPlanPageSchema = page_schema(InspectionPlanSchema, "InspectionPlanPage")
InspectorConflictPageSchema = page_schema(InspectorConflictSchema,
                                          "InspectorConflictPage")
