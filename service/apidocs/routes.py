"""Swagger UI and ReDoc served from the Python packages that ship them (swagger-ui-bundle,
flask-openapi3-redoc), so /api/docs and /api/redoc work on a bureau network without
internet. Not part of the API: a plain Flask blueprint, outside the spec."""

from __future__ import annotations

from pathlib import Path

import flask_openapi3_redoc
import swagger_ui_bundle
from flask import Blueprint, send_from_directory

SWAGGER_UI_DIR = Path(swagger_ui_bundle.swagger_ui_path)
REDOC_DIR = Path(flask_openapi3_redoc.__file__).parent / "templates" / "redoc" / "js"
#: where flask-smorest's docs pages load their scripts and styles from
SWAGGER_UI_URL = "/api/docs/assets/swagger-ui/"
REDOC_URL = "/api/docs/assets/redoc/redoc.standalone.js"
#: the assets change only with the packages' versions
MAX_AGE = 24 * 3600

blp = Blueprint("apidocs", __name__, url_prefix="/api/docs/assets")


@blp.get("/swagger-ui/<path:filename>")
def swagger_ui(filename: str):
    return send_from_directory(SWAGGER_UI_DIR, filename, max_age=MAX_AGE)


@blp.get("/redoc/<path:filename>")
def redoc(filename: str):
    return send_from_directory(REDOC_DIR, filename, max_age=MAX_AGE)
