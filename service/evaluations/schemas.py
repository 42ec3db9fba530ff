"""Shapes of rectification evaluations (整改评价)."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma

from service.common import fields
from service.common.api import PLAIN_TEXT, Schema
from service.common.pagination import PageArgsSchema, page_schema


class EvaluationCreateSchema(Schema):
    id = ma.fields.UUID(load_default=None, metadata={
        "description": "Optional client-made id: the same body again answers the same "
                       "evaluation; another body is a 409."})
    site_id = ma.fields.UUID(required=True)
    inspection_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "The completed inspection of the site whose findings were put right."})
    self_check_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "Or the enterprise's self-check of the site that found them."})
    evaluated_on = fields.Date(required=True, metadata={"example": "2026-04-15"})
    score = ma.fields.Float(required=True, allow_nan=False, metadata={
        "example": 85.5, "description": "0–100 with at most one decimal (量化百分制)."})
    note = ma.fields.String(load_default=None, allow_none=True,
                            validate=[ma.validate.Length(max=1000), PLAIN_TEXT])

    @ma.validates("score")
    def _percent(self, value, **_kwargs):
        exact = Decimal(repr(value))
        if not (0 <= exact <= 100 and exact == exact.quantize(Decimal("0.1"))):
            raise ma.ValidationError("A score from 0 to 100 with at most one decimal.")

    @ma.validates_schema
    def _one_basis(self, data, **_kwargs):
        if data.get("inspection_id") and data.get("self_check_id"):
            raise ma.ValidationError("Name the inspection or the self-check, not both.",
                                     "self_check_id")


class EvaluationSchema(Schema):
    id = ma.fields.UUID()
    site_id = ma.fields.UUID()
    region_code = ma.fields.String()
    enterprise_id = ma.fields.UUID(allow_none=True)
    inspection_id = ma.fields.UUID(allow_none=True)
    self_check_id = ma.fields.UUID(allow_none=True)
    evaluated_on = ma.fields.Date()
    score = ma.fields.Float()
    note = ma.fields.String(allow_none=True)
    evaluated_by_id = ma.fields.UUID()
    created_at = ma.fields.AwareDateTime()


class EvaluationQueryArgsSchema(PageArgsSchema):
    site_id = ma.fields.UUID(load_default=None)
    enterprise_id = ma.fields.UUID(load_default=None)


EvaluationPageSchema = page_schema(EvaluationSchema, "RectificationEvaluationPage")
