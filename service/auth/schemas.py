from __future__ import annotations

import marshmallow as ma

from service.common import fields
from service.common.access import ROLES
from service.common.api import Pattern, Schema
from service.common.pagination import PageArgsSchema, page_schema
from service.regions.schemas import CODE_FIELD, REGION_CODE

#: 执法证号: the inspector's enforcement certificate number
CERTIFICATE_NUMBER = Pattern(r"^[0-9A-Za-z-]{4,32}$")
PASSWORD = ma.fields.String(
    load_only=True, validate=ma.validate.Length(10, 128),
    metadata={"description": "At least 10 characters."},
)


class TokenRequestSchema(Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(1, 64))
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(1, 128))


class UserSchema(Schema):
    id = ma.fields.UUID()
    username = ma.fields.String(metadata={"example": "bs_inspector1"})
    full_name = ma.fields.String(metadata={"example": "张伟"})
    role = ma.fields.String(metadata={"enum": list(ROLES)})
    region_code = ma.fields.String(metadata={"example": "310113"})
    bureau_name = ma.fields.String(allow_none=True,
                                   metadata={"example": "上海市宝山区邮政管理局"})
    certificate_number = ma.fields.String(allow_none=True, metadata={"example": "31011300123"})
    certificate_valid_from = ma.fields.Date(allow_none=True)
    certificate_valid_until = ma.fields.Date(allow_none=True)
    is_active = ma.fields.Boolean()
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer()


class TokenSchema(Schema):
    access_token = ma.fields.String()
    refresh_token = ma.fields.String()
    token_type = ma.fields.String(metadata={"example": "Bearer"})
    expires_in = ma.fields.Integer(metadata={"description": "Access token lifetime, seconds."})
    user = ma.fields.Nested(UserSchema)


class AccessTokenSchema(Schema):
    access_token = ma.fields.String()
    token_type = ma.fields.String(metadata={"example": "Bearer"})
    expires_in = ma.fields.Integer()


class UserCreateSchema(Schema):
    username = ma.fields.String(
        required=True,
        validate=Pattern(r"^[A-Za-z0-9_.-]{3,64}$",
                                    error="3-64 letters, digits, '_', '.' or '-'."),
    )
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(10, 128))
    full_name = ma.fields.String(required=True, validate=ma.validate.Length(1, 64))
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))
    region_code = CODE_FIELD
    bureau_name = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=128))
    certificate_number = ma.fields.String(
        allow_none=True, validate=CERTIFICATE_NUMBER
    )
    certificate_valid_from = fields.Date(allow_none=True)
    certificate_valid_until = fields.Date(allow_none=True)


class UserUpdateSchema(Schema):
    password = PASSWORD
    full_name = ma.fields.String(validate=ma.validate.Length(1, 64))
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    region_code = ma.fields.String(validate=REGION_CODE)
    bureau_name = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=128))
    certificate_number = ma.fields.String(
        allow_none=True, validate=CERTIFICATE_NUMBER
    )
    certificate_valid_from = fields.Date(allow_none=True)
    certificate_valid_until = fields.Date(allow_none=True)
    is_active = ma.fields.Boolean()


class UserQueryArgsSchema(PageArgsSchema):
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    region_code = ma.fields.String(validate=REGION_CODE)
    is_active = ma.fields.Boolean()


UserPageSchema = page_schema(UserSchema, "UserPage")
