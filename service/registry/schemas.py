"""The registry's API shapes: enterprises, sites, the nearby search and file imports."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from service.common import fields
from service.common.api import Schema
from service.common.geo import CRS_VALUES, LocationOutSchema, LocationSchema, StoredLocationField
from service.common.pagination import PageArgsSchema, page_schema
from service.regions.schemas import CODE_FIELD, REGION_CODE
from service.registry.models import (
    LICENCE_STATUSES,
    OUTLET_LOCATIONS,
    OUTLET_OPERATORS,
    PUBLICATION_KINDS,
    REGISTRATION_STATUSES,
    SITE_ACTIVE,
    SITE_STATUSES,
    SITE_SUSPENDED,
    SITE_TYPES,
)

REGION_FILTER = ma.fields.String(
    validate=REGION_CODE,
    metadata={"description": "Only this region and the regions below it."},
)
CLIENT_ID = ma.fields.UUID(
    metadata={"description": "Optional id made by the client: a retry with the same id and "
                             "body answers the same and creates nothing; another body is 409."}
)


class UsccField(ma.fields.String):
    """统一社会信用代码: checked with python-stdnum (GB 32100), kept compact and upper-case."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return uscc.validate(text)
        except InvalidLength as exc:
            raise ma.ValidationError(
                "A unified social credit code (统一社会信用代码) has 18 characters.") from exc
        except InvalidChecksum as exc:
            raise ma.ValidationError(
                "The check character is wrong (统一社会信用代码校验位错误).") from exc
        except StdnumError as exc:
            raise ma.ValidationError(
                "Not a unified social credit code (统一社会信用代码): digits and capital "
                "letters other than I, O, S, V, Z.") from exc


# --- enterprises (寄递企业) -------------------------------------------------------------

class EnterpriseSchema(Schema):
    id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": "上海顺丰速运有限公司"})
    brand = ma.fields.String(metadata={"example": "顺丰"})
    uscc = ma.fields.String(metadata={"example": "91310000MA1FL8TQ5C"})
    licence_number = ma.fields.String(allow_none=True, metadata={"example": "沪邮2009001"})
    licence_status = ma.fields.String(metadata={
        "enum": list(LICENCE_STATUSES),
        "description": "revoked (吊销) once a revocation decision is served; else valid."})
    licence_revoked_on = fields.Date(allow_none=True, metadata={
        "description": "The day the revocation decision was served."})
    licence_revoked_case_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The enforcement case that revoked the licence."})
    is_major_brand = ma.fields.Boolean()
    region_code = ma.fields.String(metadata={"example": "310000"})
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer()


class EnterpriseCreateSchema(Schema):
    id = CLIENT_ID
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 128))
    brand = ma.fields.String(required=True, validate=ma.validate.Length(1, 32),
                             metadata={"example": "顺丰"})
    uscc = UsccField(required=True, metadata={"example": "91310000MA1FL8TQ5C"})
    licence_number = ma.fields.String(load_default=None, allow_none=True,
                                      validate=ma.validate.Length(1, 64))
    is_major_brand = ma.fields.Boolean(load_default=False)
    region_code = CODE_FIELD


class EnterpriseUpdateSchema(Schema):
    name = ma.fields.String(validate=ma.validate.Length(1, 128))
    brand = ma.fields.String(validate=ma.validate.Length(1, 32))
    uscc = UsccField()
    licence_number = ma.fields.String(allow_none=True, validate=ma.validate.Length(1, 64))
    is_major_brand = ma.fields.Boolean()
    region_code = ma.fields.String(
        validate=REGION_CODE)


class EnterpriseQueryArgsSchema(PageArgsSchema):
    brand = ma.fields.String(validate=ma.validate.Length(1, 32))
    is_major_brand = ma.fields.Boolean()
    region_code = REGION_FILTER
    q = ma.fields.String(validate=ma.validate.Length(1, 64),
                         metadata={"description": "Part of the name."})


EnterprisePageSchema = page_schema(EnterpriseSchema, "EnterprisePage")


# --- sites ------------------------------------------------------------------------------

class SiteSchema(Schema):
    id = ma.fields.UUID()
    code = ma.fields.String(allow_none=True, metadata={"example": "BS-KD-0001"})
    name = ma.fields.String(metadata={"example": "顺丰速运宝山友谊路营业部"})
    site_type = ma.fields.String(metadata={"enum": list(SITE_TYPES)})
    outlet_operator = ma.fields.String(allow_none=True, metadata={"enum": list(OUTLET_OPERATORS)})
    outlet_location = ma.fields.String(allow_none=True, metadata={"enum": list(OUTLET_LOCATIONS)})
    postal_only = ma.fields.Boolean(allow_none=True)
    address = ma.fields.String(metadata={"example": "上海市宝山区友谊路100号"})
    region_code = ma.fields.String(metadata={"example": "310113"})
    location = StoredLocationField()
    enterprise_id = ma.fields.UUID(allow_none=True)
    host_site_id = ma.fields.UUID(allow_none=True)
    publication_kind = ma.fields.String(allow_none=True,
                                        metadata={"enum": list(PUBLICATION_KINDS)})
    status = ma.fields.String(metadata={"enum": list(SITE_STATUSES)})
    opened_on = ma.fields.Date()
    closed_on = ma.fields.Date(allow_none=True)
    closed_reason = ma.fields.String(allow_none=True)
    urban = ma.fields.Boolean()
    registration_status = ma.fields.String(allow_none=True,
                                           metadata={"enum": list(REGISTRATION_STATUSES)})
    registration_number = ma.fields.String(allow_none=True)
    registered_on = ma.fields.Date(allow_none=True)
    deregistered_on = ma.fields.Date(allow_none=True)
    cell_count = ma.fields.Integer(allow_none=True)
    green_since = ma.fields.Date(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer()


class _SiteFieldsSchema(Schema):
    """What a client may say about a site, on create and on update."""

    code = ma.fields.String(allow_none=True, validate=ma.validate.Length(1, 64),
                            metadata={"description": "The bureau's own code (网点编码)."})
    name = ma.fields.String(validate=ma.validate.Length(1, 128))
    site_type = ma.fields.String(validate=ma.validate.OneOf(SITE_TYPES))
    outlet_operator = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf(OUTLET_OPERATORS),
        metadata={"description": "Postal outlets only: who runs it, 自办 self_run or 代办 agency."})
    outlet_location = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf(OUTLET_LOCATIONS),
        metadata={"description": "Postal outlets only: where it is, 城区 urban, 乡镇 township "
                                 "or 村 village (村邮站)."})
    postal_only = ma.fields.Boolean(
        allow_none=True, metadata={"description": "Postal outlets only: a 纯邮网点 (postal "
                                                  "services only); default false."})
    address = ma.fields.String(validate=ma.validate.Length(1, 256))
    region_code = ma.fields.String(
        validate=REGION_CODE,
        metadata={"example": "310113"})
    location = ma.fields.Nested(LocationSchema)
    enterprise_id = ma.fields.UUID(allow_none=True)
    host_site_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "Publication points: the hosting site."})
    publication_kind = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf(PUBLICATION_KINDS),
        metadata={"description": "Publication points: work_point 工作点 (hosted by a postal "
                                 "outlet) or workstation 工作站 (at a major express "
                                 "enterprise's outlet or sorting centre); default from the "
                                 "host's type."})
    opened_on = fields.Date(metadata={"example": "2021-06-01"})
    urban = ma.fields.Boolean(
        allow_none=True, metadata={"description": "Default: the region's urban flag."})
    registration_status = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf(REGISTRATION_STATUSES),
        metadata={"description": "Express terminals: registered (备案, with number and date), "
                                 "unregistered (未备案) or deregistered (注销, with date); "
                                 "default registered when a number is given."})
    registration_number = ma.fields.String(
        allow_none=True, validate=ma.validate.Length(1, 64),
        metadata={"description": "Express terminals: 末端网点备案号."})
    registered_on = fields.Date(allow_none=True, metadata={
        "description": "Express terminals: the registration date (备案日期)."})
    deregistered_on = fields.Date(allow_none=True, metadata={
        "description": "Express terminals: the day the registration was cancelled (注销)."})
    green_since = fields.Date(allow_none=True, metadata={
        "description": "Designated a green outlet (绿色网点) on this day; null when not."})
    cell_count = ma.fields.Integer(
        allow_none=True, validate=ma.validate.Range(min=1, error="At least one cell (格口)."),
        metadata={"description": "Parcel lockers: number of cells."})


class SiteCreateSchema(_SiteFieldsSchema):
    id = CLIENT_ID
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 128))
    site_type = ma.fields.String(required=True, validate=ma.validate.OneOf(SITE_TYPES))
    address = ma.fields.String(required=True, validate=ma.validate.Length(1, 256))
    region_code = CODE_FIELD
    location = ma.fields.Nested(LocationSchema, required=True)
    opened_on = fields.Date(required=True, metadata={"example": "2021-06-01"})
    status = ma.fields.String(
        validate=ma.validate.OneOf(SITE_STATUSES),
        metadata={"description": "Default active; closed only together with closed_on."})
    closed_on = fields.Date(allow_none=True,
                               metadata={"description": "For sites already closed."})
    closed_reason = ma.fields.String(allow_none=True, validate=ma.validate.Length(1, 256))


class UnregisteredTerminalSchema(Schema):
    """An express terminal an inspector found operating without registration (未备案)."""

    id = CLIENT_ID
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 128),
                            metadata={"example": "无名快递代收点（友谊路）"})
    address = ma.fields.String(required=True, validate=ma.validate.Length(1, 256))
    region_code = CODE_FIELD
    location = ma.fields.Nested(LocationSchema, required=True, metadata={
        "description": "Where it is, as the phone has it (any crs)."})
    enterprise_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "The brand it delivers for, when known."})
    found_on = fields.Date(required=True, metadata={
        "example": "2026-03-02", "description": "The day it was found; kept as its opening "
                                                "day until the bureau knows better."})


class SiteUpdateSchema(_SiteFieldsSchema):
    status = ma.fields.String(validate=ma.validate.OneOf(
        (SITE_ACTIVE, SITE_SUSPENDED),
        error="Status moves between active and suspended (停业整顿) here; "
              "close a site with POST /sites/<site_id>/close."))


class SiteCloseSchema(Schema):
    closed_on = fields.Date(required=True, metadata={"example": "2026-03-31"})
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 256),
                              metadata={"example": "经营者申请注销"})


class SiteQueryArgsSchema(PageArgsSchema):
    site_type = ma.fields.String(validate=ma.validate.OneOf(SITE_TYPES))
    status = ma.fields.String(validate=ma.validate.OneOf(SITE_STATUSES))
    region_code = REGION_FILTER
    enterprise_id = ma.fields.UUID()
    urban = ma.fields.Boolean()
    q = ma.fields.String(validate=ma.validate.Length(1, 64),
                         metadata={"description": "Part of the name, address or 网点编码."})
    active_on = fields.Date(
        metadata={"description": "Sites active on that day: opened on or before it and not "
                                 "closed on or before it (suspended sites count)."})


SitePageSchema = page_schema(SiteSchema, "SitePage")


# --- nearby -----------------------------------------------------------------------------

class NearbyQueryArgsSchema(LocationSchema):
    radius_m = ma.fields.Float(load_default=1000, validate=ma.validate.Range(min=1),
                               metadata={"description": "At most NEARBY_MAX_RADIUS_M."})
    site_type = ma.fields.String(validate=ma.validate.OneOf(SITE_TYPES))
    include_closed = ma.fields.Boolean(load_default=False)
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(1, 500))


class NearbySiteSchema(SiteSchema):
    distance_m = ma.fields.Float(metadata={"description": "Geodesic distance, metres."})


class NearbySchema(Schema):
    center = ma.fields.Nested(LocationOutSchema)
    radius_m = ma.fields.Float()
    items = ma.fields.Nested(NearbySiteSchema, many=True,
                             metadata={"description": "Nearest first."})


# --- imports ----------------------------------------------------------------------------

class EnterpriseImportSchema(Schema):
    """A multipart/form-data upload."""

    file = Upload(required=True, metadata={"description": ".xlsx or .csv (UTF-8 or GB18030)"})


class SiteImportSchema(EnterpriseImportSchema):
    crs = ma.fields.String(
        load_default="wgs84", validate=ma.validate.OneOf(CRS_VALUES),
        metadata={"description": "Datum of the coordinates when the file has no 坐标系 column."})


class ImportResultSchema(Schema):
    batch_id = ma.fields.UUID()
    kind = ma.fields.String(metadata={"enum": ["sites", "enterprises"]})
    filename = ma.fields.String()
    sha256 = ma.fields.String()
    rows = ma.fields.Integer(metadata={"description": "Data rows read."})
    created = ma.fields.Integer(metadata={"description": "Records created."})
    created_at = ma.fields.AwareDateTime()
