"""Shapes of a plan's verification, progress and results."""

from __future__ import annotations

import marshmallow as ma

from service.common.api import Schema
from service.plans.outcomes import OUTCOMES


class DrawCandidateSchema(Schema):
    site_id = ma.fields.String()
    region_code = ma.fields.String(metadata={"example": "310113"})
    stratum = ma.fields.String(metadata={"example": "310113"})
    enterprise_id = ma.fields.String(allow_none=True)


class DrawInspectorSchema(Schema):
    user_id = ma.fields.String()
    region_prefix = ma.fields.String(metadata={
        "example": "310113", "description": "Covers sites whose region code starts with it."})
    role = ma.fields.String(metadata={
        "example": "inspector", "description": "inspector or supervisor (draws before "
                                               "sha256-rank-v2 recorded inspectors only)."})


class DrawConflictSchema(Schema):
    user_id = ma.fields.String()
    enterprise_id = ma.fields.String()


class DrawStratumSchema(Schema):
    stratum = ma.fields.String()
    candidates = ma.fields.Integer()
    quota = ma.fields.Integer()


class DrawnPairSchema(Schema):
    rank = ma.fields.Integer()
    site_id = ma.fields.String()
    stratum = ma.fields.String()
    inspector_ids = ma.fields.List(ma.fields.String())


class DrawParametersSchema(Schema):
    region_code = ma.fields.String()
    site_types = ma.fields.List(ma.fields.String())
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    sample_mode = ma.fields.String()
    sample_value = ma.fields.Float()
    sample_ratio_per_10000 = ma.fields.Integer(allow_none=True)
    sample_count = ma.fields.Integer(allow_none=True)
    stratify_by = ma.fields.String()
    pairing = ma.fields.String()
    workload_cap = ma.fields.Integer(allow_none=True)


class PlanVerificationSchema(Schema):
    plan_id = ma.fields.UUID()
    status = ma.fields.String()
    algorithm = ma.fields.String(metadata={"example": "sha256-rank-v1"})
    description = ma.fields.String()
    seed_hash = ma.fields.String()
    seed = ma.fields.String(allow_none=True, metadata={"description": "Null until drawn."})
    drawn_at = ma.fields.AwareDateTime(allow_none=True)
    parameters = ma.fields.Nested(DrawParametersSchema)
    candidates = ma.fields.List(ma.fields.Nested(DrawCandidateSchema), allow_none=True)
    inspectors = ma.fields.List(ma.fields.Nested(DrawInspectorSchema), allow_none=True)
    conflicts = ma.fields.List(ma.fields.Nested(DrawConflictSchema), allow_none=True)
    strata = ma.fields.List(ma.fields.Nested(DrawStratumSchema), allow_none=True)
    result = ma.fields.List(ma.fields.Nested(DrawnPairSchema), allow_none=True)


class _Counts(Schema):
    total = ma.fields.Integer()
    done = ma.fields.Integer()
    open = ma.fields.Integer()
    overdue = ma.fields.Integer(metadata={"description": "Open past the due date (China time)."})
    cancelled = ma.fields.Integer()


class PlanDistrictProgressSchema(_Counts):
    region_code = ma.fields.String(metadata={"example": "310113"})
    region_name = ma.fields.String(allow_none=True, metadata={"example": "宝山区"})


class PlanProgressSchema(_Counts):
    plan_id = ma.fields.UUID()
    status = ma.fields.String()
    as_of = ma.fields.Date(metadata={"description": "Today in China time."})
    districts = ma.fields.List(ma.fields.Nested(PlanDistrictProgressSchema))


class PlanMatterResultSchema(Schema):
    code = ma.fields.String(metadata={"example": "delivery_safety_three_systems"})
    name = ma.fields.String(metadata={"example": "寄递安全“三项制度”落实情况检查"})
    outcome = ma.fields.String(metadata={"enum": list(OUTCOMES)})
    outcome_label = ma.fields.String(metadata={"example": "未发现问题"})


class PlanResultItemSchema(Schema):
    rank = ma.fields.Integer()
    site_id = ma.fields.UUID()
    site_name = ma.fields.String()
    site_type = ma.fields.String()
    address = ma.fields.String()
    region_code = ma.fields.String()
    region_name = ma.fields.String(allow_none=True)
    enterprise_name = ma.fields.String(allow_none=True)
    enterprise_uscc = ma.fields.String(allow_none=True)
    task_id = ma.fields.UUID()
    task_status = ma.fields.String()
    due_on = ma.fields.Date()
    inspection_id = ma.fields.UUID(allow_none=True)
    inspection_date = ma.fields.Date(allow_none=True, metadata={
        "description": "China-time date the inspection finished."})
    matters = ma.fields.List(ma.fields.Nested(PlanMatterResultSchema), metadata={
        "description": "The result per matter of the plan that applies to the site's type, "
                       "judged only on that matter's checklist items."})
    outcome = ma.fields.String(metadata={
        "enum": list(OUTCOMES), "description": "The strongest of the matters' outcomes."})
    outcome_label = ma.fields.String(metadata={"example": "未发现问题"})
    score = ma.fields.Float(allow_none=True, metadata={
        "description": "The whole checklist's score (量化百分制); null when not inspected."})


class PlanResultsSchema(Schema):
    plan_id = ma.fields.UUID()
    plan_name = ma.fields.String()
    status = ma.fields.String()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    matters = ma.fields.List(ma.fields.String())
    items = ma.fields.List(ma.fields.Nested(PlanResultItemSchema))
