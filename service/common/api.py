"""flask-smorest subclassed once, so API-wide customisation has one home."""

from __future__ import annotations

from collections.abc import Mapping

import marshmallow as ma
from flask_smorest import Api as _Api
from flask_smorest import Blueprint as _Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict

#: text stored as given: no control characters (PostgreSQL refuses NUL in text)
PLAIN_TEXT = ma.validate.Regexp(r"^[^\x00-\x1f\x7f]*\Z", error="No control characters.")


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
    """Base schema: unknown fields are an error, so typos are named instead of ignored, and
    text with NUL characters (which PostgreSQL cannot store) is refused by field name."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def _refuse_nul_characters(self, data, **_kwargs):
        if isinstance(data, Mapping):
            bad = [key for key, value in data.items() if _holds_nul(value)]
            if bad:
                raise ma.ValidationError(
                    {key: ["Text may not contain NUL (\\u0000) characters."] for key in bad}
                )
        return data


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_holds_nul(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_nul(item) for item in value)
    return False


def version_tag(obj) -> dict:
    """What a resource's ETag is computed from: its identity and version counter."""
    identity = getattr(obj, "id", None) or getattr(obj, "code", None)
    return {"id": str(identity), "version": obj.version}
