from __future__ import annotations

import marshmallow as ma

from service.common.api import Pattern, Schema
from service.common.pagination import PageArgsSchema, page_schema

#: a region code (GB/T 2260 and below: 6, 9 or 12 digits)
REGION_CODE = Pattern(r"^(\d{6}|\d{9}|\d{12})$", error="6, 9 or 12 digits.")

CODE_FIELD = ma.fields.String(
    required=True,
    validate=REGION_CODE,
    metadata={"example": "310113"},
)


class RegionRefSchema(Schema):
    code = ma.fields.String(metadata={"example": "310000"})
    name = ma.fields.String(metadata={"example": "上海市"})


class RegionSchema(Schema):
    code = ma.fields.String(metadata={"example": "310113"})
    name = ma.fields.String(metadata={"example": "宝山区"})
    level = ma.fields.String(
        metadata={"enum": ["national", "province", "city", "district", "town", "village"]}
    )
    parent_code = ma.fields.String(allow_none=True, metadata={"example": "310000"})
    urban = ma.fields.Boolean(
        allow_none=True, metadata={"description": "Urban (城区) or rural; null for provinces."}
    )
    version = ma.fields.Integer()


class RegionDetailSchema(RegionSchema):
    path = ma.fields.List(
        ma.fields.Nested(RegionRefSchema),
        metadata={"description": "Ancestors from the country down to the parent."},
    )


class RegionCreateSchema(Schema):
    code = CODE_FIELD
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 64),
                            metadata={"example": "友谊路街道"})
    urban = ma.fields.Boolean(load_default=None, allow_none=True)


class RegionUpdateSchema(Schema):
    urban = ma.fields.Boolean(allow_none=True)
    name = ma.fields.String(validate=ma.validate.Length(1, 64))


class RegionQueryArgsSchema(PageArgsSchema):
    parent = ma.fields.String(
        load_default=None,
        validate=REGION_CODE,
        metadata={"description": "List this region's children; default: your own region's."},
    )


RegionPageSchema = page_schema(RegionSchema, "RegionPage")
