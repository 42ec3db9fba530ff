"""flask-smorest subclassed once, so API-wide customisation has one home."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest import Api as _Api
from flask_smorest import Blueprint as _Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict


class Api(_Api):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        self.spec.components.security_scheme(
            "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        )
        self.spec.options["security"] = [{"bearerAuth": []}]


class UploadParser(FlaskParser):
    """webargs reading location `files` as the whole multipart/form-data body (its files and
    its fields), so one schema reads and documents an upload together with its options."""

    __location_map__ = {**FlaskParser.__location_map__, "files": "load_multipart"}

    def load_multipart(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class Blueprint(_Blueprint):
    """The project's blueprint: uploads with options parse as one multipart body."""

    ARGUMENTS_PARSER = UploadParser()


class Schema(ma.Schema):
    """Base schema: unknown fields are an error, so typos are named instead of ignored."""

    class Meta:
        unknown = ma.RAISE


def version_tag(obj) -> dict:
    """What a resource's ETag is computed from: its identity and version counter."""
    identity = getattr(obj, "id", None) or getattr(obj, "code", None)
    return {"id": str(identity), "version": obj.version}
