"""Shapes of enterprises' self-checks (企业自查)."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload

from service.common import fields
from service.common.api import PLAIN_TEXT, Schema
from service.common.pagination import PageArgsSchema, page_schema
from service.inspections.schemas import AnswerOutSchema, AnswerSchema
from service.selfchecks.models import SOURCES


class SelfCheckCreateSchema(Schema):
    id = ma.fields.UUID(load_default=None, metadata={
        "description": "Optional client-made id: the same body again answers the same "
                       "record; another body is a 409."})
    site_id = ma.fields.UUID(required=True)
    template_id = ma.fields.UUID(required=True, metadata={
        "description": "The checklist version the enterprise answered (of the site's type)."})
    checked_on = fields.Date(required=True, metadata={"example": "2026-03-02"})
    answers = ma.fields.List(ma.fields.Nested(AnswerSchema), required=True,
                             validate=ma.validate.Length(1, 200), metadata={
        "description": "Every item of the checklist, as the enterprise reported it."})
    note = ma.fields.String(load_default=None, allow_none=True,
                            validate=[ma.validate.Length(max=1000), PLAIN_TEXT])

    @ma.validates("answers")
    def _once(self, answers, **_kwargs):
        # an answer the nested schema refused already names its own error
        codes = [answer["item_code"] for answer in answers if "item_code" in answer]
        if len(set(codes)) != len(codes):
            raise ma.ValidationError("Each item is answered once.")


class SelfCheckSchema(Schema):
    id = ma.fields.UUID()
    site_id = ma.fields.UUID()
    region_code = ma.fields.String()
    enterprise_id = ma.fields.UUID(allow_none=True)
    template_id = ma.fields.UUID()
    checked_on = ma.fields.Date()
    score = ma.fields.Float(allow_none=True, metadata={
        "description": "100 × passed weight / applicable weight, as for inspections."})
    answers = ma.fields.List(ma.fields.Nested(AnswerOutSchema))
    note = ma.fields.String(allow_none=True)
    source = ma.fields.String(metadata={"enum": list(SOURCES)})
    recorded_by_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class SelfCheckQueryArgsSchema(PageArgsSchema):
    site_id = ma.fields.UUID(load_default=None)
    enterprise_id = ma.fields.UUID(load_default=None)
    checked_from = fields.Date(load_default=None)
    checked_to = fields.Date(load_default=None, metadata={"description": "Inclusive."})


class SelfCheckImportSchema(Schema):
    """A multipart/form-data upload."""

    file = Upload(required=True, metadata={"description": ".xlsx or .csv (UTF-8 or GB18030)"})


class SelfCheckImportResultSchema(Schema):
    filename = ma.fields.String()
    sha256 = ma.fields.String()
    rows = ma.fields.Integer(metadata={"description": "Data rows (answers) read."})
    self_checks = ma.fields.List(ma.fields.UUID(), metadata={
        "description": "The self-checks the file holds (the same ids when uploaded again)."})


SelfCheckPageSchema = page_schema(SelfCheckSchema, "SelfCheckPage")
