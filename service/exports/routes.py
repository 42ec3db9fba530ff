"""Exports as background jobs (导出): ask, poll, download from object storage."""

from __future__ import annotations

import uuid

from flask import current_app
from flask.views import MethodView

from service import db
from service.common.access import (
    ADMIN,
    ANALYST,
    LEGAL_REVIEWER,
    SUPERVISOR,
    caller,
    requires,
    scope,
)
from service.common.api import Blueprint
from service.common.pagination import PageArgsSchema
from service.db import utcnow
from service.exports import logic
from service.exports.schemas import ExportCreateSchema, ExportJobPageSchema, ExportJobSchema

blp = Blueprint(
    "exports", __name__, url_prefix="/api/v1",
    description="Exports built by workers (monthly statistics, coverage, the inspection "
                "and case lists, a plan's results) "
                "as XLSX or CSV (UTF-8 with BOM): a request answers 202 with a job that "
                "reports its progress and, once done, a short-lived download link.",
)
EXPORTERS = (ANALYST, SUPERVISOR, ADMIN, LEGAL_REVIEWER)


def _answer(job) -> dict:
    return logic.job_view(job, current_app.extensions["object_store"],
                          link_seconds=current_app.config["SETTINGS"].export_link_seconds)


@blp.route("/exports")
class Exports(MethodView):
    @requires(*EXPORTERS)
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ExportJobPageSchema)
    def get(self, args):
        """List the export jobs of your jurisdiction"""
        page = logic.list_jobs(db.session(), scope=scope(), **args)
        return {"items": [_answer(job) for job in page.items], "next_cursor": page.next_cursor}

    @requires(*EXPORTERS)
    @blp.arguments(ExportCreateSchema, example={"kind": "monthly_statistics", "format": "xlsx",
                                                "month": "2026-11", "region_code": "310000"})
    @blp.response(202, ExportJobSchema)
    def post(self, data):
        """Start an export: 202 with the job; poll it for progress and the download link"""
        settings = current_app.config["SETTINGS"]
        job = logic.request_export(db.session(), scope=scope(), user=caller(), data=data,
                                   keep_hours=settings.export_keep_hours, now=utcnow())
        return _answer(job)


@blp.route("/exports/<uuid:job_id>")
class ExportItem(MethodView):
    @requires(*EXPORTERS)
    @blp.response(200, ExportJobSchema)
    def get(self, job_id: uuid.UUID):
        """An export job: status, rows written, percent, and the download link when done"""
        return _answer(logic.get_job(db.session(), scope=scope(), job_id=job_id))
