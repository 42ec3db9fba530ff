"""Shapes of enforcement in the API: catalogue, cases and steps, payments, rectification
orders, summons, queues, records and the public list of decisions."""

from __future__ import annotations

import marshmallow as ma

from service.common import fields
from service.common.api import Derived, Schema
from service.common.chinatime import china_today
from service.common.pagination import PageArgsSchema, page_schema
from service.db import utcnow
from service.enforcement.measures import service_due
from service.enforcement.models import (
    CIRCUMSTANCES,
    MEASURES,
    PARTY_KINDS,
    PROCEDURES,
    QUEUES,
    RECTIFICATION_STATUSES,
    SOURCES,
)
from service.enforcement.payments import balance_of
from service.enforcement.procedure import MOVES, STATES, lifecycle
from service.regions.schemas import REGION_CODE

FEN = {"validate": ma.validate.Range(0, 10**12), "strict": True}

# --- catalogue --------------------------------------------------------------------------


class BandOutSchema(Schema):
    min_fen = ma.fields.Integer()
    max_fen = ma.fields.Integer()
    measures = ma.fields.List(ma.fields.String())


class ViolationSchema(Schema):
    code = ma.fields.String()
    title = ma.fields.String()
    law = ma.fields.String()
    article = ma.fields.String()
    item_codes = ma.fields.List(ma.fields.String())
    bands = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(BandOutSchema))


class CatalogueSchema(Schema):
    id = ma.fields.UUID()
    number = ma.fields.Integer(metadata={"description": "The version: 1, 2, 3 … in load order."})
    label = ma.fields.String()
    sha256 = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    violations = ma.fields.List(ma.fields.Nested(ViolationSchema))


class CatalogueQueryArgsSchema(Schema):
    version = ma.fields.Integer(load_default=None, validate=ma.validate.Range(1))


# --- cases ------------------------------------------------------------------------------

class EvidenceSchema(Schema):
    documents = ma.fields.List(ma.fields.String(validate=ma.validate.Length(1, 256)),
                               load_default=list, validate=ma.validate.Length(max=50),
                               metadata={"example": ["现场检查笔录", "询问笔录"]})
    finding_ids = ma.fields.List(ma.fields.UUID(), load_default=list)
    photo_ids = ma.fields.List(ma.fields.UUID(), load_default=list)


class CaseCreateSchema(Schema):
    id = ma.fields.UUID(load_default=None, metadata={
        "description": "Made by the client so a retried request opens one case."})
    source = ma.fields.String(required=True, validate=ma.validate.OneOf(SOURCES))
    procedure = ma.fields.String(load_default="ordinary", validate=ma.validate.OneOf(PROCEDURES))
    finding_ids = ma.fields.List(ma.fields.UUID(), load_default=list)
    site_id = ma.fields.UUID(load_default=None)
    enterprise_id = ma.fields.UUID(load_default=None)
    source_note = ma.fields.String(load_default=None, validate=ma.validate.Length(max=1000))
    title = ma.fields.String(required=True, validate=ma.validate.Length(1, 256))
    party_kind = ma.fields.String(load_default="organisation",
                                  validate=ma.validate.OneOf(PARTY_KINDS))
    party_name = ma.fields.String(load_default=None, validate=ma.validate.Length(1, 128))
    party_id_number = ma.fields.String(load_default=None, validate=ma.validate.Length(1, 32))
    reason = ma.fields.String(load_default=None, validate=ma.validate.Length(max=2000))
    on = fields.Date(load_default=None, metadata={
        "description": "China-time date the lead was recorded; today when omitted."})
    campaign_id = ma.fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "The campaign (专项行动) the case serves: one your bureau sees, "
                       "covering the case's region on its date. Omitted or null: the campaign of "
                       "the inspection whose findings it cites (none for other sources)."})


class CaseUpdateSchema(Schema):
    title = ma.fields.String(validate=ma.validate.Length(1, 256))
    party_name = ma.fields.String(validate=ma.validate.Length(1, 128))
    party_id_number = ma.fields.String(allow_none=True, validate=ma.validate.Length(1, 32))
    assignee_id = ma.fields.UUID(allow_none=True)


class StepCreateSchema(Schema):
    on = fields.Date(load_default=None, metadata={
        "description": "China-time date the step happened; today when omitted."})
    reason = ma.fields.String(load_default=None, validate=ma.validate.Length(max=2000))
    evidence = ma.fields.Nested(EvidenceSchema, load_default=None)
    violation_code = ma.fields.String(load_default=None)
    circumstance = ma.fields.String(load_default=None, validate=ma.validate.OneOf(CIRCUMSTANCES))
    measures = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(MEASURES)),
                              load_default=None)
    fine_fen = ma.fields.Integer(load_default=None, **FEN)
    confiscation_fen = ma.fields.Integer(load_default=None, **FEN)
    suspension_from = fields.Date(load_default=None)
    suspension_until = fields.Date(load_default=None)
    hearing_waived = ma.fields.Boolean(load_default=False)
    police_agency = ma.fields.String(load_default=None, validate=ma.validate.Length(1, 128))


class StepEvidenceSchema(Schema):
    documents = ma.fields.List(ma.fields.String(), dump_default=list)
    finding_ids = ma.fields.List(ma.fields.UUID(), dump_default=list)
    photo_ids = ma.fields.List(ma.fields.UUID(), dump_default=list)
    days = ma.fields.Integer(allow_none=True, dump_default=None,
                             metadata={"description": "An extension's days."})


class StepSchema(Schema):
    seq = ma.fields.Integer()
    move = ma.fields.String()
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String()
    actor_id = ma.fields.UUID()
    on = fields.Date()
    reason = ma.fields.String(allow_none=True)
    evidence = ma.fields.Nested(StepEvidenceSchema, metadata={
        "description": "What the step cites (an extension: its days)."})
    document_number = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class PaymentCreateSchema(Schema):
    amount_fen = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 10**12),
                                   strict=True, metadata={"example": 1500000})
    paid_on = fields.Date(required=True)
    reference = ma.fields.String(required=True, validate=ma.validate.Length(1, 64),
                                 metadata={"description": "The payment's reference (缴款书号); "
                                                          "a retry with it adds nothing."})


class PaymentSchema(Schema):
    id = ma.fields.UUID()
    amount_fen = ma.fields.Integer()
    paid_on = fields.Date()
    reference = ma.fields.String()


class BalanceSchema(Schema):
    fine_fen = ma.fields.Integer()
    surcharge_fen = ma.fields.Integer(metadata={
        "description": "3% of the fine per day after the 15-day period, at most the fine."})
    paid_fen = ma.fields.Integer()
    outstanding_fen = ma.fields.Integer()


class CaseSchema(Schema):
    id = ma.fields.UUID()
    region_code = ma.fields.String()
    bureau_code = ma.fields.String()
    site_id = ma.fields.UUID(allow_none=True)
    enterprise_id = ma.fields.UUID(allow_none=True)
    source = ma.fields.String()
    source_note = ma.fields.String(allow_none=True)
    procedure = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(STATES)})
    allowed_moves = ma.fields.Method("_allowed_moves", metadata={
        "type": "array", "items": {"type": "string"},
        "description": "Moves the procedure allows from this state (for some role)."})
    title = ma.fields.String()
    party_kind = ma.fields.String()
    party_name = ma.fields.String()
    party_id_number = ma.fields.String(allow_none=True)
    finding_ids = ma.fields.Method("_finding_ids", metadata={
        "type": "array", "items": {"type": "string", "format": "uuid"}})
    catalogue_version = ma.fields.Integer(allow_none=True)
    violation_code = ma.fields.String(allow_none=True)
    circumstance = ma.fields.String(allow_none=True)
    measures = ma.fields.List(ma.fields.String())
    fine_fen = ma.fields.Integer(allow_none=True)
    confiscation_fen = ma.fields.Integer(allow_none=True)
    suspension_from = fields.Date(allow_none=True)
    suspension_until = fields.Date(allow_none=True)
    major = ma.fields.Boolean()
    hearing_offered = ma.fields.Boolean()
    notice_served_on = fields.Date(allow_none=True)
    hearing_requested_on = fields.Date(allow_none=True)
    hearing_held_on = fields.Date(allow_none=True)
    reviewed_on = fields.Date(allow_none=True)
    filed_on = fields.Date(allow_none=True)
    decision_due_on = fields.Date(allow_none=True)
    extension_days = ma.fields.Integer()
    decided_on = fields.Date(allow_none=True)
    decision_number = ma.fields.String(allow_none=True)
    service_due_on = ma.fields.Method("_service_due_on", metadata={
        "type": "string", "format": "date", "nullable": True,
        "description": "The decision is served (送达) within 7 days of being made."})
    served_on = fields.Date(allow_none=True)
    served_late = ma.fields.Method("_served_late", metadata={
        "type": "boolean", "nullable": True,
        "description": "Served after the 7-day limit (null until served)."})
    payment_due_on = fields.Date(allow_none=True)
    publish_due_on = fields.Date(allow_none=True)
    published_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    dismissal_reason = ma.fields.String(allow_none=True)
    police_agency = ma.fields.String(allow_none=True)
    transferred_on = fields.Date(allow_none=True)
    assignee_id = ma.fields.UUID(allow_none=True)
    campaign_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The campaign (专项行动) the case serves, if any."})
    balance = Derived(BalanceSchema, balance_of, allow_none=True, metadata={
        "description": "For a served fine: fine, surcharge, paid, outstanding (fen)."})
    payments = ma.fields.List(ma.fields.Nested(PaymentSchema))
    steps = ma.fields.List(ma.fields.Nested(StepSchema))
    version = ma.fields.Integer()

    def _finding_ids(self, case) -> list[str]:
        return [str(finding.id) for finding in case.findings]

    def _service_due_on(self, case) -> str | None:
        due = service_due(case.decided_on)
        return due and due.isoformat()

    def _served_late(self, case) -> bool | None:
        if case.served_on is None:
            return None
        return case.served_on > service_due(case.decided_on)

    def _allowed_moves(self, case) -> list[str]:
        return lifecycle(case.procedure).allowed(case.status)


CasePageSchema = page_schema(CaseSchema, "CasePage")


class CaseSummarySchema(CaseSchema):
    """A case without its steps, as records list them."""

    class Meta:
        exclude = ("steps",)


class CaseQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATES))
    site_id = ma.fields.UUID(load_default=None)
    enterprise_id = ma.fields.UUID(load_default=None)
    assignee_id = ma.fields.UUID(load_default=None)
    campaign_id = ma.fields.UUID(load_default=None, metadata={
        "description": "Cases serving this campaign (专项行动)."})


class ExtensionCreateSchema(Schema):
    days = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 90), strict=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 2000))


class PublicationCreateSchema(Schema):
    published_on = fields.Date(load_default=None, metadata={
        "description": "China-time date of publication; today when omitted."})


MOVE_DESCRIPTION = f"One of: {', '.join(MOVES)}."

# --- rectification orders ---------------------------------------------------------------


class RectificationCreateSchema(Schema):
    site_id = ma.fields.UUID(required=True)
    finding_ids = ma.fields.List(ma.fields.UUID(), required=True,
                                 validate=ma.validate.Length(min=1))
    due_on = fields.Date(required=True)
    inspector_ids = ma.fields.List(ma.fields.UUID(), required=True,
                                   validate=ma.validate.Length(min=1), metadata={
                                       "description": "Who re-inspects (复查): the task's "
                                                      "assignees."})
    case_id = ma.fields.UUID(load_default=None)


class RectificationItemSchema(Schema):
    finding_id = ma.fields.String()
    item_code = ma.fields.String()
    description = ma.fields.String()


class RectificationSchema(Schema):
    id = ma.fields.UUID()
    number = ma.fields.String()
    site_id = ma.fields.UUID()
    region_code = ma.fields.String()
    case_id = ma.fields.UUID(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(RectificationItemSchema))
    issued_on = fields.Date()
    due_on = fields.Date()
    status = ma.fields.String(metadata={"enum": list(RECTIFICATION_STATUSES)})
    task_id = ma.fields.UUID(allow_none=True)
    reinspection_id = ma.fields.UUID(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    escalated_case_id = ma.fields.UUID(allow_none=True)
    campaign_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The campaign (专项行动) the order serves, if any: its case's, else "
                       "that of the inspection its findings come from. Its re-inspection "
                       "task serves it too."})
    version = ma.fields.Integer()


RectificationPageSchema = page_schema(RectificationSchema, "RectificationPage")


class RectificationQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(load_default=None,
                              validate=ma.validate.OneOf(RECTIFICATION_STATUSES))
    site_id = ma.fields.UUID(load_default=None)
    campaign_id = ma.fields.UUID(load_default=None, metadata={
        "description": "Orders serving this campaign (专项行动)."})


class ReinspectionSchema(Schema):
    inspection_id = ma.fields.UUID(required=True, metadata={
        "description": "The completed re-inspection (kind re_inspection) of the site."})


# --- summons ----------------------------------------------------------------------------

class SummonsCreateSchema(Schema):
    enterprise_id = ma.fields.UUID(required=True)
    site_id = ma.fields.UUID(load_default=None)
    case_id = ma.fields.UUID(load_default=None)
    held_on = fields.Date(required=True)
    subject = ma.fields.String(required=True, validate=ma.validate.Length(1, 512),
                               metadata={"example": "末端网点未备案问题约谈"})
    attendees = ma.fields.String(load_default=None, validate=ma.validate.Length(max=512))


class SummonsSchema(Schema):
    id = ma.fields.UUID()
    number = ma.fields.String()
    enterprise_id = ma.fields.UUID()
    site_id = ma.fields.UUID(allow_none=True)
    case_id = ma.fields.UUID(allow_none=True)
    region_code = ma.fields.String()
    held_on = fields.Date()
    subject = ma.fields.String()
    attendees = ma.fields.String(allow_none=True)


SummonsPageSchema = page_schema(SummonsSchema, "SummonsPage")


class SummonsQueryArgsSchema(PageArgsSchema):
    enterprise_id = ma.fields.UUID(load_default=None)


# --- queues -----------------------------------------------------------------------------



class QueueQueryArgsSchema(PageArgsSchema):
    region_code = ma.fields.String(load_default=None, validate=REGION_CODE)
    assignee_id = ma.fields.UUID(load_default=None, metadata={
        "description": "Items assigned to this officer (a case's assignee)."})
    claimed_by_id = ma.fields.UUID(load_default=None, metadata={
        "description": "Items claimed by this officer."})
    type = ma.fields.String(load_default=None, metadata={
        "description": "The item's type: a violation code, a case source, a site type or an "
                       "inspection kind."})
    claimed = ma.fields.Boolean(load_default=None)
    campaign_id = ma.fields.UUID(load_default=None, metadata={
        "description": "Items of cases (or flagged inspections) serving this campaign "
                       "(专项行动); rectification orders carry none."})


class QueueItemSchema(Schema):
    id = ma.fields.UUID()
    queue = ma.fields.String(metadata={"enum": list(QUEUES)})
    item_id = ma.fields.UUID()
    region_code = ma.fields.String()
    type = ma.fields.String(attribute="item_type")
    title = ma.fields.String()
    due_on = fields.Date()
    assignee_id = ma.fields.UUID(allow_none=True)
    campaign_id = ma.fields.UUID(allow_none=True, metadata={
        "description": "The campaign (专项行动) the case or inspection serves, if any."})
    claimed_by_id = ma.fields.Method("_claimed_by_id", metadata={
        "type": "string", "format": "uuid", "nullable": True,
        "description": "Who holds a live claim (none once it expired)."})
    claim_expires_at = ma.fields.Method("_claim_expires_at", metadata={
        "type": "string", "format": "date-time", "nullable": True})
    overdue = ma.fields.Method("_overdue", metadata={"type": "boolean",
                                                     "description": "Due before today."})

    def _overdue(self, item) -> bool:
        return item.due_on < china_today()

    def _live(self, item) -> bool:
        return item.claimed_by_id is not None and item.claim_expires_at > utcnow()

    def _claimed_by_id(self, item) -> str | None:
        return str(item.claimed_by_id) if self._live(item) else None

    def _claim_expires_at(self, item) -> str | None:
        return item.claim_expires_at.isoformat() if self._live(item) else None


QueuePageSchema = page_schema(QueueItemSchema, "QueuePage")


class ClaimCreateSchema(Schema):
    minutes = ma.fields.Integer(load_default=None, validate=ma.validate.Range(1, 24 * 60),
                                metadata={"description": "How long the claim lasts; the "
                                                         "configured default when omitted."})


# --- records and the public list --------------------------------------------------------

class FindingBriefSchema(Schema):
    id = ma.fields.UUID()
    inspection_id = ma.fields.UUID()
    site_id = ma.fields.UUID()
    item_code = ma.fields.String()
    description = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class RecordSchema(Schema):
    subject_type = ma.fields.String()
    subject_id = ma.fields.UUID()
    name = ma.fields.String()
    findings = ma.fields.List(ma.fields.Nested(FindingBriefSchema))
    cases = ma.fields.List(ma.fields.Nested(CaseSummarySchema))
    rectifications = ma.fields.List(ma.fields.Nested(RectificationSchema))
    summons = ma.fields.List(ma.fields.Nested(SummonsSchema))


class PublicDecisionSchema(Schema):
    id = ma.fields.UUID()
    decision_number = ma.fields.String()
    title = ma.fields.String()
    party_kind = ma.fields.String()
    party_name = ma.fields.String(metadata={"description": "A person's name is masked (张**)."})
    party_id_number = ma.fields.String(allow_none=True, metadata={
        "description": "A person's ID number is masked (310113********1234)."})
    violation_code = ma.fields.String(allow_none=True)
    measures = ma.fields.List(ma.fields.String())
    fine_fen = ma.fields.Integer(allow_none=True)
    decided_on = fields.Date()
    published_on = fields.Date()
    region_code = ma.fields.String()


PublicDecisionPageSchema = page_schema(PublicDecisionSchema, "PublicDecisionPage")


class PublicDecisionQueryArgsSchema(PageArgsSchema):
    region_code = ma.fields.String(load_default=None, validate=REGION_CODE)
