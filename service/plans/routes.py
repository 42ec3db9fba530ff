"""Double-random inspection (双随机、一公开): matters, plans, draws, progress, publication."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from service import db
from service.common.access import ADMIN, ANALYST, SUPERVISOR, caller, requires, scope
from service.common.api import Blueprint, version_tag
from service.common.chinatime import china_today
from service.common.downloads import attachment
from service.plans import drawing, exports, logic, reports
from service.plans.report_schemas import (
    PlanProgressSchema,
    PlanResultsSchema,
    PlanVerificationSchema,
)
from service.plans.schemas import (
    InspectionPlanCreateSchema,
    InspectionPlanPageSchema,
    InspectionPlanQueryArgsSchema,
    InspectionPlanSchema,
    InspectorConflictCreateSchema,
    InspectorConflictPageSchema,
    InspectorConflictQueryArgsSchema,
    InspectorConflictSchema,
    PlanDrawRequestSchema,
    PlanDrawResultSchema,
)
from service.plans.verification import verification

blp = Blueprint(
    "plans", __name__, url_prefix="/api/v1",
    description="Double-random inspection (双随机、一公开): plans that draw sites and "
                "inspector pairs verifiably under the matters of the catalogue, their "
                "progress and published results, and conflicts of interest (回避).",
)

PLAN_EXAMPLE = {
    "id": "0b6f3a52-6a59-4c55-9d0e-2b1d5f1e7c11",
    "name": "2026年第四季度宝山区寄递企业双随机抽查",
    "region_code": "310113", "matter_codes": ["delivery_safety_three_systems"],
    "period_start": "2026-10-01", "period_end": "2026-12-31",
    "sample_mode": "ratio", "sample_value": 0.2, "stratify_by": "district",
    "workload_cap": 5,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("/plans")
class Plans(MethodView):
    @requires()
    @blp.arguments(InspectionPlanQueryArgsSchema, location="query")
    @blp.response(200, InspectionPlanPageSchema)
    @blp.operation_id("listPlans")
    def get(self, args):
        """List the double-random plans of your jurisdiction"""
        return logic.list_plans(db.session(), scope=scope(), **args)

    @requires(SUPERVISOR)
    @blp.arguments(InspectionPlanCreateSchema, example=PLAN_EXAMPLE)
    @blp.response(201, InspectionPlanSchema)
    @blp.operation_id("createPlan")
    def post(self, data):
        """Create a plan (draft): scope, matters, period and sample

        The seed is made now and kept secret; its SHA-256 (`seed_hash`) is shown at once so
        it can be published before the draw. Sending the same `id` and body again answers
        the same plan.
        """
        return logic.create_plan(db.session(), scope=scope(), user=caller(), data=data)


@blp.route("/plans/<uuid:plan_id>")
class PlanItem(MethodView):
    @requires()
    @blp.etag
    @blp.response(200, InspectionPlanSchema)
    @blp.operation_id("getPlan")
    def get(self, plan_id: uuid.UUID):
        """Read a plan (the seed stays null until the draw)"""
        plan = logic.get_plan(db.session(), scope=scope(), plan_id=plan_id)
        blp.set_etag(version_tag(plan))
        return plan


@blp.route("/plans/<uuid:plan_id>/draw")
class PlanDraw(MethodView):
    @requires(SUPERVISOR)
    @blp.arguments(PlanDrawRequestSchema, example={
        "draw_id": "5d2c7e0a-3f7b-4d0e-8a43-0c2f9b1d6e55",
        "seed_hash": "326eaa548e7bb1b3e97ff8e26929630fa0c04a21179ec71afe5f6b62d0796b81"})
    @blp.response(200, PlanDrawResultSchema)
    @blp.alt_response(409, description="Already drawn with another draw_id, or no inspector "
                                        "pair can be formed for a site (nothing is drawn).")
    @blp.operation_id("drawPlan")
    def post(self, data, plan_id: uuid.UUID):
        """Draw the plan's sites and inspector pairs, and make their tasks

        Runs once: the seed is revealed and one task per drawn site is assigned to its
        pair. A retry with the same `draw_id` answers the same result.
        """
        return drawing.draw_plan(db.session(), scope=scope(), user=caller(), plan_id=plan_id,
                                 **data)


@blp.route("/plans/<uuid:plan_id>/verification")
class PlanVerification(MethodView):
    @requires()
    @blp.response(200, PlanVerificationSchema)
    @blp.operation_id("getPlanVerification")
    def get(self, plan_id: uuid.UUID):
        """What anyone needs to re-run the draw: seed, hash, algorithm, inputs, result"""
        return verification(db.session(), scope=scope(), plan_id=plan_id)


@blp.route("/plans/<uuid:plan_id>/progress")
class PlanProgress(MethodView):
    @requires(SUPERVISOR, ANALYST, ADMIN)
    @blp.response(200, PlanProgressSchema)
    @blp.operation_id("getPlanProgress")
    def get(self, plan_id: uuid.UUID):
        """A plan's progress: tasks done, open and overdue, in total and per district"""
        return reports.progress(db.session(), scope=scope(), plan_id=plan_id,
                                today=china_today())


def _results(plan_id: uuid.UUID) -> dict:
    return reports.results(db.session(), scope=scope(), plan_id=plan_id)


@blp.route("/plans/<uuid:plan_id>/results")
class PlanResults(MethodView):
    @requires()
    @blp.response(200, PlanResultsSchema)
    @blp.operation_id("getPlanResults")
    def get(self, plan_id: uuid.UUID):
        """A plan's results for publication (一公开): site, enterprise, date, outcome"""
        return _results(plan_id)


@blp.route("/plans/<uuid:plan_id>/results.xlsx")
class PlanResultsXlsx(MethodView):
    @requires()
    @blp.response(200, content_type=XLSX, description="The results as an Excel workbook.")
    @blp.operation_id("getPlanResultsXlsx")
    def get(self, plan_id: uuid.UUID):
        """Export a plan's results as XLSX (Chinese headers)

        Built during the request from the plan's own rows. The same file as a background
        job with a download link: `POST /exports` with `kind` `plan_results`.
        """
        report = _results(plan_id)
        return attachment(exports.to_xlsx(report), mimetype=XLSX,
                          filename=exports.filename(report, "xlsx"),
                          ascii_filename=exports.ascii_filename(report, "xlsx"))


@blp.route("/plans/<uuid:plan_id>/results.csv")
class PlanResultsCsv(MethodView):
    @requires()
    @blp.response(200, content_type="text/csv", description="UTF-8 with a byte-order mark.")
    @blp.operation_id("getPlanResultsCsv")
    def get(self, plan_id: uuid.UUID):
        """Export a plan's results as CSV (UTF-8 with BOM, Chinese headers), streamed

        The same rows as a background job with a download link: `POST /exports` with `kind`
        `plan_results`.
        """
        report = _results(plan_id)
        return attachment(exports.csv_chunks(report), mimetype="text/csv",
                          filename=exports.filename(report, "csv"),
                          ascii_filename=exports.ascii_filename(report, "csv"))


@blp.route("/conflicts")
class Conflicts(MethodView):
    @requires(ADMIN, SUPERVISOR)
    @blp.arguments(InspectorConflictQueryArgsSchema, location="query")
    @blp.response(200, InspectorConflictPageSchema)
    @blp.operation_id("listConflicts")
    def get(self, args):
        """List conflict-of-interest declarations (回避) of your inspectors"""
        return logic.list_conflicts(db.session(), scope=scope(), **args)

    @requires(ADMIN, SUPERVISOR)
    @blp.arguments(InspectorConflictCreateSchema, example={
        "user_id": "3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b",
        "enterprise_id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
        "reason": "配偶在该企业任网点负责人"})
    @blp.response(201, InspectorConflictSchema)
    @blp.operation_id("declareConflict")
    def post(self, data):
        """Declare a conflict of interest (回避): never draw the inspector for the enterprise

        Declaring the same pair with the same reason again answers the same declaration.
        """
        return logic.declare_conflict(db.session(), scope=scope(), user=caller(), data=data)
