"""Shapes of checklist templates (检查表) and their items."""

from __future__ import annotations

import marshmallow as ma

from service.common.api import Pattern, Schema
from service.common.pagination import PageArgsSchema, page_schema
from service.registry.models import SITE_TYPES

#: a stable item code: lower-case letters and underscores (real_name, xray_check, …)
ITEM_CODE = Pattern(r"^[a-z_]{1,48}$", error="Lower-case letters and '_', 1-48.")
TOTAL_WEIGHT = 100


class ChecklistItemSchema(Schema):
    code = ma.fields.String(metadata={"example": "real_name"})
    text = ma.fields.String(metadata={"example": "是否落实寄递实名制：核验寄件人身份并登记"})
    weight = ma.fields.Integer(metadata={"example": 20})
    position = ma.fields.Integer(metadata={"description": "Order on the form, from 0."})


class ChecklistTemplateSchema(Schema):
    id = ma.fields.UUID()
    site_type = ma.fields.String(metadata={"enum": list(SITE_TYPES)})
    version = ma.fields.Integer(metadata={"description": "1, 2, 3 … per site type."})
    title = ma.fields.String(metadata={"example": "快递营业网点监督检查表"})
    is_current = ma.fields.Boolean(
        metadata={"description": "The newest version of its site type: what new inspections "
                                 "should use. Older versions stay valid and readable."})
    items = ma.fields.List(ma.fields.Nested(ChecklistItemSchema))
    created_by_id = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()


class ChecklistItemCreateSchema(Schema):
    code = ma.fields.String(required=True, validate=ITEM_CODE,
                            metadata={"example": "real_name"})
    text = ma.fields.String(required=True, validate=ma.validate.Length(1, 512),
                            metadata={"example": "是否落实寄递实名制"})
    weight = ma.fields.Integer(required=True, strict=True,
                               validate=ma.validate.Range(1, TOTAL_WEIGHT),
                               metadata={"example": 20})


class ChecklistTemplateCreateSchema(Schema):
    site_type = ma.fields.String(required=True, validate=ma.validate.OneOf(SITE_TYPES))
    title = ma.fields.String(required=True, validate=ma.validate.Length(1, 128))
    items = ma.fields.List(ma.fields.Nested(ChecklistItemCreateSchema), required=True,
                           validate=ma.validate.Length(1, 100))

    @ma.validates_schema
    def _items_add_up(self, data, **_kwargs):
        items = data.get("items") or []
        codes = [item["code"] for item in items]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ma.ValidationError(
                f"Item codes must be unique; repeated: {', '.join(duplicates)}.", "items")
        total = sum(item["weight"] for item in items)
        if total != TOTAL_WEIGHT:
            raise ma.ValidationError(
                f"Item weights must add up to {TOTAL_WEIGHT} (量化百分制); they add up to "
                f"{total}.", "items")


class ChecklistQueryArgsSchema(PageArgsSchema):
    site_type = ma.fields.String(load_default=None, validate=ma.validate.OneOf(SITE_TYPES))
    all_versions = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Every version, not only the current one per site type."})


ChecklistTemplatePageSchema = page_schema(ChecklistTemplateSchema, "ChecklistTemplatePage")
