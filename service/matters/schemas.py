"""Shapes of the matters catalogue."""

from __future__ import annotations

import marshmallow as ma

from service.common.api import Schema
from service.common.pagination import page_schema


class InspectionMatterSchema(Schema):
    code = ma.fields.String(metadata={"example": "delivery_safety_three_systems"})
    name = ma.fields.String(metadata={"example": "寄递安全“三项制度”落实情况检查"})
    legal_basis = ma.fields.String(metadata={"example": "《快递暂行条例》第三十一条"})
    site_types = ma.fields.List(ma.fields.String())
    item_codes = ma.fields.List(ma.fields.String(), metadata={"example": ["real_name"]})


InspectionMatterPageSchema = page_schema(InspectionMatterSchema, "InspectionMatterPage")
