"""Inspections (检查) submitted from phones, their findings, voiding and review of flags."""

from __future__ import annotations

import uuid

from flask import current_app
from flask.views import MethodView

from service import db
from service.common.access import INSPECTOR, SUPERVISOR, caller, requires, scope
from service.common.api import Blueprint, version_tag
from service.common.vocabulary import ROUTINE
from service.inspections import lifecycle, queries
from service.inspections.logic import Limits, submit_inspection
from service.inspections.models import COMPLETED, FAIL, NOT_APPLICABLE, PASS
from service.inspections.schemas import (
    FindingPageSchema,
    FindingQueryArgsSchema,
    FindingSchema,
    FlaggedInspectionPageSchema,
    FlaggedInspectionSchema,
    FlaggedQueryArgsSchema,
    InspectionPageSchema,
    InspectionQueryArgsSchema,
    InspectionSchema,
    InspectionSubmitSchema,
    ReviewSchema,
    VoidSchema,
)

blp = Blueprint(
    "inspections", __name__, url_prefix="/api/v1",
    description="Inspections (检查) from phones: one idempotent PUT per inspection, scored on "
                "the server, location-checked; findings; voiding; review of flagged ones.",
)

SUBMIT_EXAMPLE = {
    "site_id": "0b7f3c1e-5d8a-4c1b-9a51-2f1f0f6d3a10",
    "template_id": "6a1d9e2b-7c3f-4e8a-b1d2-3c4e5f6a7b8c",
    "kind": ROUTINE, "status": COMPLETED,
    "started_at": "2026-03-02T10:05:00+08:00", "finished_at": "2026-03-02T10:40:00+08:00",
    "location": {"lat": 31.40311, "lon": 121.48567, "crs": "gcj02", "accuracy_m": 12},
    "answers": [{"item_code": "real_name", "answer": PASS},
                {"item_code": "xray_check", "answer": FAIL, "note": "安检机未开启"},
                {"item_code": "e_tricycle", "answer": NOT_APPLICABLE}],
    "inspector_ids": ["4f0c2a9e-1b3d-4e5f-8a7b-6c5d4e3f2a1b"],
    "enforcement_follows": False, "note": "网点负责人在场",
}


def _limits() -> Limits:
    settings = current_app.config["SETTINGS"]
    return Limits(radius_m=settings.inspection_radius_m,
                  clock_skew_s=settings.clock_skew_seconds)


@blp.route("/inspections")
class Inspections(MethodView):
    @requires()
    @blp.arguments(InspectionQueryArgsSchema, location="query")
    @blp.response(200, InspectionPageSchema)
    @blp.operation_id("listInspections")
    def get(self, args):
        """List inspections of your jurisdiction (filters; oldest start first)"""
        return queries.list_inspections(db.session(), scope=scope(), **args)


@blp.route("/inspections/<uuid:inspection_id>")
class InspectionItem(MethodView):
    @requires()
    @blp.etag
    @blp.response(200, InspectionSchema)
    @blp.operation_id("getInspection")
    def get(self, inspection_id: uuid.UUID):
        """Read an inspection with its answers, inspectors and findings"""
        inspection = queries.get_inspection(db.session(), scope=scope(),
                                            inspection_id=inspection_id)
        blp.set_etag(version_tag(inspection))
        return inspection

    @requires(INSPECTOR)
    @blp.arguments(InspectionSubmitSchema, example=SUBMIT_EXAMPLE)
    @blp.response(201, InspectionSchema)
    @blp.alt_response(200, schema=InspectionSchema, success=True,
                      description="A draft was replaced, or a retry of a body that answered "
                                  "200 the first time.")
    @blp.alt_response(409, description="The id exists with a different body and is no "
                                       "longer a draft.")
    @blp.operation_id("submitInspection")
    def put(self, data, inspection_id: uuid.UUID):
        """Submit an inspection under the id the phone made (create, replace a draft, complete)

        Idempotent: the same id with the same body answers as the first time (201 for the
        body that created it) and stores nothing new; a different body is a 409 unless the
        inspection is still a draft of yours. The server computes the score, the distance
        from the site (flagging `location_anomaly` beyond the allowed radius plus the
        reported accuracy) and whether two certified inspectors took part. Completing
        records failed items as findings and completes your matching tasks.
        """
        result = submit_inspection(db.session(), scope=scope(), submitter=caller(),
                                   inspection_id=inspection_id, data=data, limits=_limits())
        return result.inspection, 201 if result.created else 200


@blp.route("/inspections/<uuid:inspection_id>/void")
class InspectionVoid(MethodView):
    @requires(SUPERVISOR)
    @blp.arguments(VoidSchema, example={"reason": "误选检查对象，已重新检查"})
    @blp.response(200, InspectionSchema)
    @blp.operation_id("voidInspection")
    def post(self, data, inspection_id: uuid.UUID):
        """Void an inspection (作废) with a reason: it stays stored and stops counting"""
        return lifecycle.void_inspection(db.session(), scope=scope(), user=caller(),
                                         inspection_id=inspection_id, reason=data["reason"])


@blp.route("/inspections/flagged")
class FlaggedInspections(MethodView):
    @requires(SUPERVISOR)
    @blp.arguments(FlaggedQueryArgsSchema, location="query")
    @blp.response(200, FlaggedInspectionPageSchema)
    @blp.operation_id("listFlaggedInspections")
    def get(self, args):
        """List completed inspections flagged for location or photo anomalies"""
        return queries.list_flagged(db.session(), scope=scope(), **args)


@blp.route("/inspections/<uuid:inspection_id>/review")
class InspectionReview(MethodView):
    @requires(SUPERVISOR)
    @blp.arguments(ReviewSchema, example={"decision": "accept",
                                          "note": "地下分拨场所信号差，现场照片可证实到场"})
    @blp.response(200, FlaggedInspectionSchema)
    @blp.operation_id("reviewInspection")
    def post(self, data, inspection_id: uuid.UUID):
        """Accept or reject a flagged inspection, with a note"""
        return lifecycle.review_inspection(db.session(), scope=scope(), user=caller(),
                                           inspection_id=inspection_id, **data)


@blp.route("/findings")
class Findings(MethodView):
    @requires()
    @blp.arguments(FindingQueryArgsSchema, location="query")
    @blp.response(200, FindingPageSchema)
    @blp.operation_id("listFindings")
    def get(self, args):
        """List findings (failed checklist items) that cases may cite"""
        return queries.list_findings(db.session(), scope=scope(), **args)


@blp.route("/findings/<uuid:finding_id>")
class FindingItem(MethodView):
    @requires()
    @blp.response(200, FindingSchema)
    @blp.operation_id("getFinding")
    def get(self, finding_id: uuid.UUID):
        """Read one finding"""
        return queries.get_finding(db.session(), scope=scope(), finding_id=finding_id)
