"""The registry (名录库): enterprises and sites."""

from __future__ import annotations

from service.common.api import Blueprint

blp = Blueprint("registry", __name__, url_prefix="/api/v1",
                description="The registry (检查对象名录库): enterprises and sites.")
