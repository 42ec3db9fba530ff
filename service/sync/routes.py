"""Phone sync: a changes feed over sites and checklists for an offline copy."""

from __future__ import annotations

from flask.views import MethodView

from service import db
from service.common.access import requires, scope
from service.common.api import Blueprint
from service.sync import logic
from service.sync.schemas import ChangesQueryArgsSchema, ChangesSchema

blp = Blueprint(
    "sync", __name__, url_prefix="/api/v1",
    description="Phone sync: what changed since the phone's last sync (sites of your "
                "jurisdiction and checklist templates). Tasks: GET /me/tasks; sites near a "
                "point: GET /sites/nearby.",
)


@blp.route("/sync/changes")
class Changes(MethodView):
    @requires()
    @blp.arguments(ChangesQueryArgsSchema, location="query")
    @blp.response(200, ChangesSchema)
    @blp.operation_id("listChanges")
    def get(self, args):
        """Changes feed: sites and checklists changed since your last sync

        Without `since`, everything. Store `next_since` and send it next time; while
        `has_more` is true, call again at once. Entries may repeat (the feed re-reads the
        last minute to catch late commits): keep the highest `version` per (type, id), and
        drop sites whose status is `closed`.
        """
        return logic.list_changes(db.session(), scope=scope(), **args)
