"""The checklist of inspection matters (随机抽查事项清单)."""

from __future__ import annotations

from flask.views import MethodView

from service import db
from service.common.access import requires
from service.common.api import Blueprint
from service.common.pagination import PageArgsSchema
from service.matters import logic
from service.matters.schemas import InspectionMatterPageSchema

blp = Blueprint("matters", __name__, url_prefix="/api/v1",
                description="The checklist of inspection matters (随机抽查事项清单): what plans "
                            "draw under and campaigns check, each with its checklist items.")


@blp.route("/matters")
class Matters(MethodView):
    @requires()
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, InspectionMatterPageSchema)
    @blp.operation_id("listMatters")
    def get(self, args):
        """List the checklist of inspection matters (随机抽查事项清单)"""
        return logic.list_matters(db.session(), **args)
