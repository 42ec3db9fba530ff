"""Shapes of inspections as phones submit them and as the API answers them."""

from __future__ import annotations

import marshmallow as ma

from service.campaigns.schemas import CAMPAIGN_ID
from service.checklists.schemas import ITEM_CODE
from service.common import fields
from service.common.api import PLAIN_TEXT, Derived, Schema
from service.common.geo import LocationOutSchema, LocationSchema
from service.common.pagination import PageArgsSchema, page_schema
from service.inspections.models import (
    ANSWERS,
    COMPLETED,
    CONDITION_PRESENT,
    DRAFT,
    JOINT,
    KINDS,
    PARTNER_DEPARTMENTS,
    REVIEW_ACCEPTED,
    REVIEW_PENDING,
    REVIEW_REJECTED,
    REVIEW_STATUSES,
    SITE_CONDITIONS,
    STATUSES,
)
from service.regions.schemas import REGION_CODE


def rfc3339(**kwargs) -> fields.AwareDateTime:
    """An RFC 3339 time with offset; a naive time is a 422 naming the field."""
    return fields.AwareDateTime(**kwargs)


class InspectionLocationSchema(LocationSchema):
    accuracy_m = ma.fields.Float(
        load_default=None, allow_none=True, validate=ma.validate.Range(0, 100_000),
        metadata={"description": "The phone's reported horizontal accuracy, metres; it widens "
                                 "the allowed radius.", "example": 15})


class InspectionLocationOutSchema(LocationOutSchema):
    accuracy_m = ma.fields.Float(allow_none=True, metadata={
        "description": "The phone's reported horizontal accuracy, metres.", "example": 15})


class AnswerSchema(Schema):
    item_code = ma.fields.String(required=True, validate=ITEM_CODE,
                                 metadata={"example": "real_name"})
    answer = ma.fields.String(required=True, validate=ma.validate.OneOf(ANSWERS))
    note = ma.fields.String(load_default=None, allow_none=True,
                            validate=ma.validate.Length(max=1000))


class PartnerOfficerSchema(Schema):
    department = ma.fields.String(required=True, validate=ma.validate.OneOf(PARTNER_DEPARTMENTS),
                                  metadata={"description": "police 公安, state_security 国家安全, "
                                                           "customs 海关, emergency_management "
                                                           "应急管理."})
    name = ma.fields.String(required=True, validate=[ma.validate.Length(1, 64), PLAIN_TEXT],
                            metadata={"example": "王强"})
    certificate_number = ma.fields.String(
        required=True, validate=[ma.validate.Length(1, 32), PLAIN_TEXT],
        metadata={"example": "沪公0123456", "description": "Their own certificate number."})


class InspectionSubmitSchema(Schema):
    FAST_LOAD = True  # every phone's PUT: see service.common.loading

    site_id = ma.fields.UUID(required=True)
    template_id = ma.fields.UUID(required=True, metadata={
        "description": "The checklist version the phone used (any version of the site's type)."})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    campaign_id = CAMPAIGN_ID
    status = ma.fields.String(required=True, validate=ma.validate.OneOf((DRAFT, COMPLETED)),
                              metadata={"description": "`completed` makes it final."})
    started_at = rfc3339(required=True)
    finished_at = rfc3339(load_default=None, allow_none=True,
                          metadata={"description": "Required when completed."})
    location = ma.fields.Nested(InspectionLocationSchema, load_default=None, allow_none=True)
    site_condition = ma.fields.String(
        load_default=CONDITION_PRESENT, validate=ma.validate.OneOf(SITE_CONDITIONS),
        metadata={"description": "present (the default): the site was there and is checked "
                                 "item by item; not_found (未找到检查对象) or closed "
                                 "(检查对象已关闭): nothing to check, so no answers."})
    answers = ma.fields.List(ma.fields.Nested(AnswerSchema), load_default=list,
                             validate=ma.validate.Length(max=200))
    inspector_ids = ma.fields.List(ma.fields.UUID(), load_default=list,
                                   validate=ma.validate.Length(max=20), metadata={
        "description": "Everyone who inspected; the submitter is always one of them."})
    partner_officers = ma.fields.List(
        ma.fields.Nested(PartnerOfficerSchema), load_default=list,
        validate=ma.validate.Length(max=20), metadata={
            "description": "A joint inspection (kind joint) names the officers of the other "
                           "departments who took part (at least one); other kinds name none."})
    enforcement_follows = ma.fields.Boolean(load_default=False, metadata={
        "description": "An enforcement step follows: needs two or more inspectors with "
                       "certificates valid on the finish date (rule of two)."})
    note = ma.fields.String(load_default=None, allow_none=True,
                            validate=ma.validate.Length(max=2000))

    @ma.validates_schema
    def _consistent(self, data, **_kwargs):
        codes = [answer["item_code"] for answer in data.get("answers") or []]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ma.ValidationError(f"Each item is answered once; repeated: "
                                     f"{', '.join(repeated)}.", "answers")
        ids = data.get("inspector_ids") or []
        if len(set(ids)) != len(ids):
            raise ma.ValidationError("An inspector is listed twice.", "inspector_ids")
        joint, partners = data.get("kind") == JOINT, data.get("partner_officers") or []
        if joint and not partners:
            raise ma.ValidationError("A joint inspection (联合检查) names the partner officers "
                                     "who took part.", "partner_officers")
        if partners and not joint:
            raise ma.ValidationError("Only a joint inspection (kind joint) has partner "
                                     "officers.", "partner_officers")
        if data.get("status") == COMPLETED and data.get("finished_at") is None:
            raise ma.ValidationError("A completed inspection needs its finish time.",
                                     "finished_at")


class PartnerOfficerOutSchema(Schema):
    department = ma.fields.String(metadata={"enum": list(PARTNER_DEPARTMENTS)})
    name = ma.fields.String(metadata={"example": "王强"})
    certificate_number = ma.fields.String(metadata={"example": "沪公0123456"})


class AnswerOutSchema(Schema):
    item_code = ma.fields.String()
    answer = ma.fields.String(metadata={"enum": list(ANSWERS)})
    note = ma.fields.String(allow_none=True)


class InspectorSchema(Schema):
    id = ma.fields.UUID()
    full_name = ma.fields.String(metadata={"example": "张伟"})
    certificate_number = ma.fields.String(allow_none=True)


class FindingSchema(Schema):
    id = ma.fields.UUID()
    inspection_id = ma.fields.UUID()
    inspection_status = ma.fields.String(attribute="inspection.status",
                                         metadata={"enum": list(STATUSES)})
    site_id = ma.fields.UUID()
    region_code = ma.fields.String()
    item_code = ma.fields.String(metadata={"example": "real_name"})
    description = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class FindingOutSchema(Schema):
    id = ma.fields.UUID()
    item_code = ma.fields.String()
    description = ma.fields.String()


class InspectionSchema(Schema):
    id = ma.fields.UUID()
    site_id = ma.fields.UUID()
    region_code = ma.fields.String(metadata={"description": "The site's region at submission."})
    template_id = ma.fields.UUID()
    kind = ma.fields.String(metadata={"enum": list(KINDS)})
    campaign_id = ma.fields.UUID(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(STATUSES)})
    started_at = ma.fields.AwareDateTime()
    finished_at = ma.fields.AwareDateTime(allow_none=True)
    location = Derived(
        InspectionLocationOutSchema, lambda inspection: inspection if inspection.lat is not None
        else None, allow_none=True, metadata={
            "description": "Where the phone was, WGS-84, with its accuracy; null when unknown."})
    distance_m = ma.fields.Float(allow_none=True, metadata={"description": "From the site."})
    site_condition = ma.fields.String(metadata={"enum": list(SITE_CONDITIONS)})
    location_anomaly = ma.fields.Boolean()
    score = ma.fields.Float(allow_none=True, metadata={
        "description": "100 × passed weight / applicable weight; null for drafts or when "
                       "nothing applies."})
    enforcement_follows = ma.fields.Boolean()
    enforcement_ready = ma.fields.Boolean(metadata={
        "description": "Two or more inspectors with valid certificates on the finish date."})
    inspectors = ma.fields.List(ma.fields.Nested(InspectorSchema))
    partner_officers = ma.fields.List(ma.fields.Nested(PartnerOfficerOutSchema))
    answers = ma.fields.List(ma.fields.Nested(AnswerOutSchema))
    findings = ma.fields.List(ma.fields.Nested(FindingOutSchema))
    note = ma.fields.String(allow_none=True)
    submitted_by_id = ma.fields.UUID()
    revision = ma.fields.Integer()
    completed_at = ma.fields.AwareDateTime(allow_none=True)
    voided_at = ma.fields.AwareDateTime(allow_none=True)
    voided_by_id = ma.fields.UUID(allow_none=True)
    void_reason = ma.fields.String(allow_none=True)
    review_status = ma.fields.String(metadata={"enum": list(REVIEW_STATUSES)})
    review_note = ma.fields.String(allow_none=True)
    reviewed_by_id = ma.fields.UUID(allow_none=True)
    reviewed_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer()


class FlaggedInspectionSchema(InspectionSchema):
    photo_anomaly = ma.fields.Boolean(metadata={
        "description": "At least one of its photos was flagged (time or place mismatch)."})


class InspectionQueryArgsSchema(PageArgsSchema):
    site_id = ma.fields.UUID(load_default=None)
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATUSES))
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(KINDS))
    campaign_id = ma.fields.UUID(load_default=None)
    region_code = ma.fields.String(load_default=None, validate=REGION_CODE)
    finished_from = rfc3339(load_default=None)
    finished_to = rfc3339(load_default=None, metadata={"description": "Exclusive."})
    flagged = ma.fields.Boolean(load_default=None, metadata={
        "description": "Only inspections flagged for location or photos (true), or only "
                       "unflagged ones (false)."})


class VoidSchema(Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 512),
                              metadata={"example": "误选检查对象，已重新检查"})


class ReviewSchema(Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(("accept", "reject")))
    note = ma.fields.String(required=True, validate=ma.validate.Length(1, 1000),
                            metadata={"example": "地下分拨场所信号差，现场照片可证实到场"})


class FlaggedQueryArgsSchema(PageArgsSchema):
    review_status = ma.fields.String(
        load_default=REVIEW_PENDING, validate=ma.validate.OneOf(
            (REVIEW_PENDING, REVIEW_ACCEPTED, REVIEW_REJECTED, "all")),
        metadata={"description": "pending (not yet decided, the default), accepted, rejected "
                                 "or all."})


class FindingQueryArgsSchema(PageArgsSchema):
    site_id = ma.fields.UUID(load_default=None)
    inspection_id = ma.fields.UUID(load_default=None)
    item_code = ma.fields.String(load_default=None, validate=ITEM_CODE)
    include_voided = ma.fields.Boolean(load_default=False, metadata={
        "description": "Also findings of voided inspections (which no case should cite)."})


InspectionPageSchema = page_schema(InspectionSchema, "InspectionPage")
FlaggedInspectionPageSchema = page_schema(FlaggedInspectionSchema, "FlaggedInspectionPage")
FindingPageSchema = page_schema(FindingSchema, "FindingPage")
