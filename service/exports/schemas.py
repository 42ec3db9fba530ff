"""Shapes of export jobs."""

from __future__ import annotations

import marshmallow as ma

from service.common.api import Schema
from service.common.pagination import page_schema
from service.enforcement.procedure import STATES as CASE_STATES
from service.exports.models import FORMATS, STATUSES
from service.exports.sources import SOURCES


class ExportCreateSchema(Schema):
    id = ma.fields.UUID(load_default=None, metadata={
        "description": "Optional, made by the client: the same id and body again answer the "
                       "same job."})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(list(SOURCES)))
    format = ma.fields.String(load_default="xlsx", validate=ma.validate.OneOf(FORMATS))
    period = ma.fields.String(load_default=None, metadata={
        "description": "For coverage and inspections: YYYY-MM, YYYY-Qn or YYYY; for cases "
                       "(optional): opened in that period."})
    month = ma.fields.String(load_default=None, metadata={
        "description": "For monthly_statistics and campaign_statistics: YYYY-MM."})
    region_code = ma.fields.String(load_default=None, metadata={
        "example": "310113", "description": "Defaults to your jurisdiction (for plan_results: "
                                            "the plan's region)."})
    plan_id = ma.fields.UUID(load_default=None, metadata={
        "description": "For plan_results: the plan (双随机抽查计划) whose results to export."})
    campaign_id = ma.fields.UUID(load_default=None, metadata={
        "description": "For campaign_statistics: a campaign (专项行动) you see (else 404)."})
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(CASE_STATES),
                              metadata={"description": "For cases (optional): only this status."})


class ExportJobSchema(Schema):
    id = ma.fields.UUID()
    kind = ma.fields.String()
    format = ma.fields.String()
    params = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), metadata={
        "description": "The period (or month) and region the export covers."})
    region_code = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    rows_written = ma.fields.Integer()
    rows_total = ma.fields.Integer(allow_none=True)
    percent = ma.fields.Float(allow_none=True)
    attempts = ma.fields.Integer()
    filename = ma.fields.String(allow_none=True)
    size_bytes = ma.fields.Integer(allow_none=True)
    error = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    started_at = ma.fields.DateTime(allow_none=True)
    finished_at = ma.fields.DateTime(allow_none=True)
    expires_at = ma.fields.DateTime()
    download_url = ma.fields.String(allow_none=True, metadata={
        "description": "A short-lived link to the file, once the job is done."})


ExportJobPageSchema = page_schema(ExportJobSchema, "ExportJobPage")
