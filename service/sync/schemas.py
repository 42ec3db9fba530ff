"""Shapes of the phones' changes feed."""

from __future__ import annotations

import marshmallow as ma

from service.checklists.schemas import ChecklistTemplateSchema
from service.common.api import Schema
from service.common.geo import StoredLocationField
from service.registry.models import (
    LICENCE_STATUSES,
    OUTLET_LOCATIONS,
    OUTLET_OPERATORS,
    PUBLICATION_KINDS,
    SITE_STATUSES,
    SITE_TYPES,
)

MAX_LIMIT = 500


class SyncSiteSchema(Schema):
    """A site as a phone keeps it offline."""

    id = ma.fields.UUID()
    code = ma.fields.String(allow_none=True)
    name = ma.fields.String(metadata={"example": "顺丰速运宝山友谊路营业部"})
    site_type = ma.fields.String(metadata={"enum": list(SITE_TYPES)})
    outlet_operator = ma.fields.String(allow_none=True, metadata={"enum": list(OUTLET_OPERATORS)})
    outlet_location = ma.fields.String(allow_none=True, metadata={"enum": list(OUTLET_LOCATIONS)})
    postal_only = ma.fields.Boolean(allow_none=True)
    address = ma.fields.String()
    region_code = ma.fields.String()
    location = StoredLocationField()
    enterprise_id = ma.fields.UUID(allow_none=True)
    enterprise_licence_status = ma.fields.String(allow_none=True, metadata={
        "enum": list(LICENCE_STATUSES),
        "description": "The operating enterprise's licence: revoked (吊销) or valid; null "
                       "when no enterprise is known."})
    host_site_id = ma.fields.UUID(allow_none=True)
    publication_kind = ma.fields.String(allow_none=True,
                                        metadata={"enum": list(PUBLICATION_KINDS)})
    status = ma.fields.String(metadata={"enum": list(SITE_STATUSES)})
    opened_on = ma.fields.Date()
    closed_on = ma.fields.Date(allow_none=True)
    urban = ma.fields.Boolean()
    registration_status = ma.fields.String(allow_none=True)
    registration_number = ma.fields.String(allow_none=True)
    cell_count = ma.fields.Integer(allow_none=True)
    green_since = ma.fields.Date(allow_none=True)
    version = ma.fields.Integer()
    updated_at = ma.fields.AwareDateTime()


class ChangeSchema(Schema):
    type = ma.fields.String(metadata={"enum": ["site", "checklist"]})
    id = ma.fields.UUID()
    version = ma.fields.Integer(metadata={
        "description": "Site: its row version; checklist: its version number. Keep the entry "
                       "with the highest version per (type, id); entries may come twice."})
    updated_at = ma.fields.AwareDateTime()
    status = ma.fields.String(allow_none=True, metadata={
        "description": "For sites: active, suspended or closed (drop closed ones); null "
                       "when `removed`."})
    removed = ma.fields.Boolean(metadata={
        "description": "True: the site left your reach (the cross-district task that lent "
                       "it to you is done or cancelled): delete it from the offline copy, "
                       "whatever version you hold; `site` is null. A later entry may bring "
                       "it back."})
    site = ma.fields.Nested(SyncSiteSchema, allow_none=True)
    checklist = ma.fields.Nested(ChecklistTemplateSchema, allow_none=True)


class ChangesSchema(Schema):
    items = ma.fields.List(ma.fields.Nested(ChangeSchema))
    next_since = ma.fields.String(metadata={
        "description": "Send as `since` next time. When `has_more` is true, call again at once."})
    has_more = ma.fields.Boolean()


class ChangesQueryArgsSchema(Schema):
    since = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200), metadata={
        "description": "`next_since` of the previous answer; omit for everything."})
    limit = ma.fields.Integer(load_default=200, validate=ma.validate.Range(1, MAX_LIMIT))
