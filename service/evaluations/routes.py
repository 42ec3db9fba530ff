"""Rectification evaluations (整改评价), scored 0–100 (量化百分制)."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from service import db
from service.auth.models import SUPERVISOR
from service.common.access import caller, requires, scope
from service.common.api import Blueprint
from service.common.chinatime import china_today
from service.evaluations import logic
from service.evaluations.schemas import (
    EvaluationCreateSchema,
    EvaluationPageSchema,
    EvaluationQueryArgsSchema,
    EvaluationSchema,
)

blp = Blueprint("evaluations", __name__, url_prefix="/api/v1",
                description="Rectification evaluations (整改评价): the bureau's 0–100 score of "
                            "how a site put right what was found.")


@blp.route("/rectification-evaluations")
class Evaluations(MethodView):
    @requires()
    @blp.arguments(EvaluationQueryArgsSchema, location="query")
    @blp.response(200, EvaluationPageSchema)
    def get(self, args):
        """List the rectification evaluations of your jurisdiction's sites"""
        return logic.list_evaluations(db.session(), scope=scope(), **args)

    @requires(SUPERVISOR)
    @blp.arguments(EvaluationCreateSchema, example={
        "site_id": "8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        "inspection_id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
        "evaluated_on": "2026-04-15", "score": 85.5, "note": "实名收寄已整改到位，台账待完善"})
    @blp.response(201, EvaluationSchema)
    def post(self, data):
        """Evaluate a site's rectification, 0–100 (量化百分制)"""
        return logic.evaluate(db.session(), scope=scope(), user_id=caller().id, data=data,
                              today=china_today())


@blp.route("/rectification-evaluations/<uuid:evaluation_id>")
class EvaluationItem(MethodView):
    @requires()
    @blp.response(200, EvaluationSchema)
    def get(self, evaluation_id: uuid.UUID):
        """Read a rectification evaluation"""
        return logic.get_evaluation(db.session(), scope=scope(), evaluation_id=evaluation_id)
