"""Liveness and readiness probes for the orchestrator."""

from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from sqlalchemy import text

from service import db
from service.common.api import Blueprint, Schema

blp = Blueprint("health", __name__, description="Liveness and readiness probes.")


class HealthSchema(Schema):
    status = ma.fields.String(metadata={"example": "ok"})
    checks = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.String(),
        metadata={"example": {"database": "ok", "object_storage": "ok"}},
    )


@blp.route("/healthz")
class Healthz(MethodView):
    @blp.response(200, HealthSchema)
    @blp.doc(security=[])
    @blp.operation_id("getLiveness")
    def get(self):
        """The process is up"""
        return {"status": "ok", "checks": {}}


def _database_problem() -> str | None:
    try:
        probe = db.engine().execution_options(isolation_level="AUTOCOMMIT")
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # any driver error means "not ready"
        return f"{type(exc).__name__}: {exc}"[:200]


@blp.route("/readyz")
class Readyz(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="Names what is down.")
    @blp.doc(security=[])
    @blp.operation_id("getReadiness")
    def get(self):
        """The database and object storage are reachable (503 naming what is down)"""
        problems = {
            "database": _database_problem(),
            "object_storage": current_app.extensions["object_store"].ping(),
        }
        checks = {name: problem or "ok" for name, problem in problems.items()}
        if any(problems.values()):
            return {"status": "unavailable", "checks": checks}, 503
        return {"status": "ok", "checks": checks}
