"""Checklist templates (检查表): read by everyone logged in, new versions by admins."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from service import db
from service.checklists import logic
from service.checklists.schemas import (
    ChecklistQueryArgsSchema,
    ChecklistTemplateCreateSchema,
    ChecklistTemplatePageSchema,
    ChecklistTemplateSchema,
)
from service.common.access import ADMIN, caller, requires
from service.common.api import Blueprint, version_tag

blp = Blueprint(
    "checklists", __name__, url_prefix="/api/v1",
    description="Checklist templates (检查表): one per site type, versioned, items weighted to "
                "100 (量化百分制). National: every logged-in user reads them.",
)

EXAMPLE = {
    "site_type": "parcel_locker", "title": "智能快件箱监督检查表",
    "items": [
        {"code": "operator_info_displayed", "text": "是否公示运营企业名称和服务电话", "weight": 20},
        {"code": "locker_fees", "text": "是否公示收费标准，未经收件人同意不得收费", "weight": 30},
        {"code": "locker_notification", "text": "投递后是否及时通知收件人取件", "weight": 30},
        {"code": "user_info_protection", "text": "是否保护用户信息安全", "weight": 20},
    ],
}


@blp.route("/checklists")
class Checklists(MethodView):
    @requires()
    @blp.arguments(ChecklistQueryArgsSchema, location="query")
    @blp.response(200, ChecklistTemplatePageSchema)
    @blp.operation_id("listChecklists")
    def get(self, args):
        """List checklist templates: the current version per site type, or all versions"""
        return logic.list_templates(db.session(), **args)

    @requires(ADMIN)
    @blp.arguments(ChecklistTemplateCreateSchema, example=EXAMPLE)
    @blp.response(201, ChecklistTemplateSchema)
    @blp.alt_response(200, schema=ChecklistTemplateSchema, success=True,
                      description="The body equals the current version: nothing new was made.")
    @blp.operation_id("createChecklist")
    def post(self, data):
        """Create a new version of a site type's checklist

        The new version becomes current; inspections keep the version they used, and older
        versions stay readable. Item weights must add up to 100; codes are unique and made of
        lower-case letters and `_`. Sending the current version's content again creates
        nothing and answers that version with 200.
        """
        result = logic.create_template(db.session(), created_by_id=caller().id, data=data)
        return result.template, 201 if result.created else 200


@blp.route("/checklists/<uuid:template_id>")
class ChecklistTemplateView(MethodView):
    @requires()
    @blp.etag
    @blp.response(200, ChecklistTemplateSchema)
    @blp.operation_id("getChecklist")
    def get(self, template_id: uuid.UUID):
        """Read one checklist version (any version, current or not)"""
        template = logic.get_template(db.session(), template_id=template_id)
        blp.set_etag(version_tag(template))
        return template
