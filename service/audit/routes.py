"""The audit trail (全过程记录): an object's history, and the verification of the chain."""

from __future__ import annotations

from flask.views import MethodView

from service import db
from service.audit import logic
from service.audit.schemas import AuditPageSchema, AuditQueryArgsSchema, VerificationSchema
from service.common.access import ADMIN, LEGAL_REVIEWER, SUPERVISOR, requires, scope
from service.common.api import Blueprint

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
                description="Who changed what, when: every write's entry, hash-chained.")


@blp.route("")
class History(MethodView):
    @requires(SUPERVISOR, LEGAL_REVIEWER, ADMIN)
    @blp.arguments(AuditQueryArgsSchema, location="query")
    @blp.response(200, AuditPageSchema)
    @blp.alt_response(404, description="No such object in your jurisdiction.")
    @blp.operation_id("listAuditEntries")
    def get(self, args):
        """An object's history: its entries and its parts', newest first

        An inspection's history includes its answers, findings and photos. The object must
        be in your jurisdiction (by its region when last written), else 404.
        """
        object_type, object_id = args.pop("object").split(":", 1)
        return logic.object_history(db.session(), scope=scope(), object_type=object_type,
                                    object_id=object_id, **args)


@blp.route("/verify")
class Verify(MethodView):
    @requires(ADMIN)
    @blp.response(200, VerificationSchema)
    @blp.operation_id("verifyAuditChain")
    def post(self):
        """Seal pending entries, then verify the whole chain

        Recomputes every link; `problem` names the first entry altered, removed or out of
        order. Also `postal-service audit-verify`.
        """
        return logic.verify_chain(db.session())
