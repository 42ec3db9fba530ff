"""Enterprise self-checks (企业自查): recorded by the bureau, never counted as inspections."""

from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView

from service import db
from service.auth.models import ADMIN, INSPECTOR, SUPERVISOR
from service.common import uploads
from service.common.access import caller, requires, scope
from service.common.api import Blueprint
from service.common.bodies import body_limit
from service.common.chinatime import china_today
from service.registry.importing import MAX_IMPORT_BYTES
from service.selfchecks import importing, logic
from service.selfchecks.schemas import (
    SelfCheckCreateSchema,
    SelfCheckImportResultSchema,
    SelfCheckImportSchema,
    SelfCheckPageSchema,
    SelfCheckQueryArgsSchema,
    SelfCheckSchema,
)

blp = Blueprint("selfchecks", __name__, url_prefix="/api/v1",
                description="Enterprise self-checks (企业自查): what enterprises report about "
                            "their own sites, recorded by the bureau against the same "
                            "checklists; never counted as the bureau's inspections.")


@blp.route("/self-checks")
class SelfChecks(MethodView):
    @requires()
    @blp.arguments(SelfCheckQueryArgsSchema, location="query")
    @blp.response(200, SelfCheckPageSchema)
    def get(self, args):
        """List the self-checks of your jurisdiction's sites"""
        return logic.list_self_checks(db.session(), scope=scope(), **args)

    @requires(INSPECTOR, SUPERVISOR, ADMIN)
    @blp.arguments(SelfCheckCreateSchema, example={
        "site_id": "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        "template_id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "checked_on": "2026-03-02",
        "answers": [{"item_code": "real_name", "answer": "pass"}]})
    @blp.response(201, SelfCheckSchema)
    def post(self, data):
        """Record an enterprise's self-check of one of its sites

        Every item of the site type's checklist version is answered as the enterprise
        reported it; the score is computed as for inspections. A self-check is not an
        inspection: it completes no task and no inspection figure counts it.
        """
        return logic.record_self_check(db.session(), scope=scope(), user_id=caller().id,
                                       data=data, today=china_today())


@blp.route("/self-checks/import")
class SelfCheckImport(MethodView):
    @requires(SUPERVISOR, ADMIN)
    @body_limit(MAX_IMPORT_BYTES + uploads.MULTIPART_OVERHEAD)
    @blp.arguments(SelfCheckImportSchema, location="files", unknown=ma.RAISE)
    @blp.response(201, SelfCheckImportResultSchema)
    @blp.alt_response(413, description="The file is larger than 5 MiB.")
    @blp.alt_response(415, description="Neither .xlsx nor .csv.")
    def post(self, upload):
        """Import enterprises' self-check reports from an .xlsx or .csv file, all or nothing

        One row per answer: 网点编码, 自查日期, 检查项编码, 结果 (符合/不符合/不适用), 情况说明.
        The rows of one site and day are one self-check against the current checklist of
        the site's type. Any bad row imports nothing; the same file again answers the same.
        """
        filename, content = uploads.read_upload(upload, MAX_IMPORT_BYTES)
        return importing.import_self_checks(db.session(), scope=scope(), user_id=caller().id,
                                            filename=filename, content=content,
                                            today=china_today())


@blp.route("/self-checks/<uuid:self_check_id>")
class SelfCheckItem(MethodView):
    @requires()
    @blp.response(200, SelfCheckSchema)
    def get(self, self_check_id: uuid.UUID):
        """Read a self-check"""
        return logic.get_self_check(db.session(), scope=scope(), self_check_id=self_check_id)
