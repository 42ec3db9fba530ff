from __future__ import annotations

import base64
import binascii
import re

import marshmallow as ma

from service.common.api import Schema
from service.common.geo import LocationOutSchema
from service.common.pagination import PageArgsSchema, page_schema
from service.evidence.models import CONTENT_TYPES, STATUSES

_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
EXAMPLE_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


class Sha256(ma.fields.String):
    """A SHA-256 digest as hex (64 characters) or base64 (44); loaded as lowercase hex."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if _HEX.match(text):
            return text.lower()
        try:
            raw = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ma.ValidationError("A SHA-256 digest: 64 hex characters or 44 base64.")
        return raw.hex()


class PhotoCreateSchema(Schema):
    id = ma.fields.UUID(
        load_default=None,
        metadata={"description": "Made by the phone, so a retried POST is recognised: the "
                                 "same id and body answer the same; another body is a 409.",
                  "example": "6f1c2a3e-9b7d-4c55-8a0e-2f4b6d8c1e90"})
    content_type = ma.fields.String(
        required=True, validate=ma.validate.OneOf(list(CONTENT_TYPES)),
        metadata={"example": "image/jpeg"})
    sha256 = Sha256(required=True, metadata={
        "description": "SHA-256 of the file's bytes, hex or base64; the upload URL binds it.",
        "example": EXAMPLE_SHA256})
    size_bytes = ma.fields.Integer(
        required=True, strict=True, validate=ma.validate.Range(min=1),
        metadata={"description": "The file's exact size; at most the configured limit "
                                 "(PHOTO_MAX_BYTES, 15 MiB by default).",
                  "example": 2483111})
    item_code = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(1, 48),
        metadata={"description": "The checklist item the photo is evidence for.",
                  "example": "recycling_device"})


class UploadSchema(Schema):
    url = ma.fields.String(metadata={"description": "Presigned PUT URL of the object store."})
    method = ma.fields.Constant("PUT")
    headers = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), metadata={
        "description": "Send these headers with the PUT exactly as given: the URL's "
                       "signature binds them, so a missing or changed one is refused (403) "
                       "and bytes other than the declared ones are refused (400 BadDigest).",
        "example": {"Content-Type": "image/jpeg",
                    "x-amz-checksum-sha256": "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
                    "Content-Length": "2483111"}})
    expires_at = ma.fields.AwareDateTime()


class PhotoSchema(Schema):
    id = ma.fields.UUID()
    inspection_id = ma.fields.UUID()
    region_code = ma.fields.String(metadata={"example": "310113"})
    item_code = ma.fields.String(allow_none=True, metadata={"example": "recycling_device"})
    content_type = ma.fields.String(metadata={"example": "image/jpeg"})
    sha256 = ma.fields.String(attribute="declared_sha256", metadata={"example": EXAMPLE_SHA256})
    size_bytes = ma.fields.Integer(metadata={"example": 2483111})
    status = ma.fields.String(metadata={
        "enum": list(STATUSES),
        "description": "pending (upload URL handed out), complete, rejected (bytes refused; "
                       "see rejection_reason), abandoned (never uploaded; cleaned up)."})
    rejection_reason = ma.fields.String(allow_none=True)
    detected_type = ma.fields.String(allow_none=True, metadata={
        "description": "The type the bytes really are (magic bytes), set at completion."})
    width = ma.fields.Integer(allow_none=True)
    height = ma.fields.Integer(allow_none=True)
    taken_at = ma.fields.AwareDateTime(attribute="exif_taken_at", allow_none=True, metadata={
        "description": "EXIF DateTimeOriginal; without an offset tag read as China time."})
    location = ma.fields.Nested(LocationOutSchema, allow_none=True, metadata={
        "description": "EXIF GPS position (WGS-84); null when the photo has none."})
    distance_m = ma.fields.Float(allow_none=True, metadata={
        "description": "Geodesic distance of the EXIF position from the site."})
    time_anomaly = ma.fields.Boolean(metadata={
        "description": "Taken outside the inspection's start–finish window (± allowance)."})
    location_anomaly = ma.fields.Boolean(metadata={
        "description": "Taken farther from the site than the inspection radius."})
    has_anomaly = ma.fields.Boolean()
    has_thumbnail = ma.fields.Boolean()
    uploaded_by_id = ma.fields.UUID()
    created_at = ma.fields.AwareDateTime()
    completed_at = ma.fields.AwareDateTime(allow_none=True)


class PhotoCreatedSchema(PhotoSchema):
    upload = ma.fields.Nested(UploadSchema, allow_none=True, metadata={
        "description": "Where and how to PUT the bytes; null once the photo is no longer "
                       "pending."})


class PhotoQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATUSES))
    has_anomaly = ma.fields.Boolean(load_default=None, metadata={
        "description": "true: only photos flagged for time or place; false: only the others."})


class SignedUrlSchema(Schema):
    url = ma.fields.String(metadata={"description": "Presigned GET URL; fetch it directly."})
    expires_at = ma.fields.AwareDateTime()


PhotoPageSchema = page_schema(PhotoSchema, "PhotoPage")
