"""Shapes of tasks (检查任务) for supervisors' consoles and inspectors' phones."""

from __future__ import annotations

import marshmallow as ma

from service.assignments.models import TASK_OPEN, TASK_SOURCES, TASK_STATUSES
from service.campaigns.schemas import CAMPAIGN_ID
from service.common import fields
from service.common.api import Schema
from service.common.geo import StoredLocationField
from service.common.pagination import PageArgsSchema, page_schema
from service.common.vocabulary import INSPECTION_KINDS, ROUTINE
from service.registry.models import SITE_STATUSES, SITE_TYPES


class TaskSiteSchema(Schema):
    """What a phone shows of the site to visit."""

    id = ma.fields.UUID()
    name = ma.fields.String(metadata={"example": "顺丰速运宝山友谊路营业部"})
    site_type = ma.fields.String(metadata={"enum": list(SITE_TYPES)})
    address = ma.fields.String(metadata={"example": "上海市宝山区友谊路1号"})
    region_code = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(SITE_STATUSES)})
    location = StoredLocationField()


class AssigneeSchema(Schema):
    id = ma.fields.UUID()
    full_name = ma.fields.String(metadata={"example": "张伟"})


class TaskSchema(Schema):
    id = ma.fields.UUID()
    site_id = ma.fields.UUID()
    site = ma.fields.Nested(TaskSiteSchema)
    kind = ma.fields.String(metadata={"enum": list(INSPECTION_KINDS),
                                      "description": "The inspection kind that completes it."})
    source = ma.fields.String(metadata={"enum": list(TASK_SOURCES)})
    plan_id = ma.fields.UUID(allow_none=True)
    campaign_id = ma.fields.UUID(allow_none=True)
    due_on = ma.fields.Date(metadata={"description": "China-time date."})
    status = ma.fields.String(metadata={"enum": list(TASK_STATUSES)})
    assignees = ma.fields.List(ma.fields.Nested(AssigneeSchema))
    completed_by_inspection_id = ma.fields.UUID(allow_none=True)
    completed_at = ma.fields.AwareDateTime(allow_none=True)
    created_by_id = ma.fields.UUID(allow_none=True)
    note = ma.fields.String(allow_none=True)
    cancelled_at = ma.fields.AwareDateTime(allow_none=True)
    cancelled_by_id = ma.fields.UUID(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    version = ma.fields.Integer()


class TaskCreateSchema(Schema):
    id = ma.fields.UUID(load_default=None, metadata={
        "description": "Optional, made by the client: sending the same id and body again "
                       "answers the same task and creates nothing; another body is 409."})
    site_id = ma.fields.UUID(required=True)
    assignee_ids = ma.fields.List(ma.fields.UUID(), required=True,
                                  validate=ma.validate.Length(1, 10))
    kind = ma.fields.String(load_default=ROUTINE,
                            validate=ma.validate.OneOf(INSPECTION_KINDS))
    due_on = fields.Date(required=True, metadata={"example": "2026-03-31"})
    campaign_id = CAMPAIGN_ID
    note = ma.fields.String(load_default=None, allow_none=True,
                            validate=ma.validate.Length(max=512))

    @ma.validates("assignee_ids")
    def _distinct(self, value, **_kwargs):
        if len(set(value)) != len(value):
            raise ma.ValidationError("An assignee is listed twice.")


class TaskCancelSchema(Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 512),
                              metadata={"example": "网点已停业"})


class TaskQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(TASK_STATUSES))
    site_id = ma.fields.UUID(load_default=None)
    assignee_id = ma.fields.UUID(load_default=None)
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(INSPECTION_KINDS))
    plan_id = ma.fields.UUID(load_default=None)
    campaign_id = ma.fields.UUID(load_default=None)


class MyTaskQueryArgsSchema(PageArgsSchema):
    status = ma.fields.String(load_default=TASK_OPEN, validate=ma.validate.OneOf(TASK_STATUSES))


TaskPageSchema = page_schema(TaskSchema, "TaskPage")
