"""flask-smorest subclassed once, so API-wide customisation has one home."""

from __future__ import annotations

from collections.abc import Mapping

import marshmallow as ma
from flask_smorest import Api as _Api
from flask_smorest import Blueprint as _Blueprint
from marshmallow.utils import missing
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import MethodNotAllowed

from service.common.bodies import parse_json, read_body

#: text stored as given: no control characters (PostgreSQL refuses NUL in text)
PLAIN_TEXT = ma.validate.Regexp(r"^[^\x00-\x1f\x7f]*\Z", error="No control characters.")


class Api(_Api):
    def handle_http_exception(self, error):
        """flask-smorest's and werkzeug's own errors (404, 405, 412, 428, 400, 413, 422, 500)
        in the API's one shape, always with a readable message; 405 keeps its Allow."""
        payload, status, headers = super().handle_http_exception(error)
        payload.setdefault("message", http_error_message(error, payload.get("errors")))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers = {**headers, "Allow": ", ".join(sorted(error.valid_methods))}
        return payload, status, headers

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        self.spec.components.security_scheme(
            "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        )
        self.spec.options["security"] = [{"bearerAuth": []}]


class UploadParser(FlaskParser):
    """webargs reading location `files` as the whole multipart/form-data body (its files and
    its fields), so one schema reads and documents an upload together with its options; and
    JSON bodies through `service.common.bodies.parse_json` (depth limit, no lone surrogates)."""

    __location_map__ = {**FlaskParser.__location_map__, "files": "load_multipart"}

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        data = read_body(req)
        return parse_json(data) if data.strip() else missing

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


#: what the API says for werkzeug's and flask-smorest's errors raised without a message
HTTP_MESSAGES = {
    400: "The request cannot be read.",
    404: "No such resource here. Ids in paths are UUIDs (or region codes); check the URL "
         "against /api/openapi.json.",
    405: "This method is not allowed here; see the Allow header.",
    412: "The resource changed since you read it (the If-Match ETag is stale); fetch it again "
         "and retry with the new ETag.",
    413: "The request body is too large.",
    428: "Send the resource's ETag (from a GET) in the If-Match header to change it.",
    500: "An internal error; it has been logged.",
}


def http_error_message(error, errors: dict | None) -> str:
    """A readable message: the fields at fault when there are some, else what went wrong."""
    if errors:
        return f"Invalid input in: {', '.join(_field_paths(errors))}."
    return HTTP_MESSAGES.get(error.code) or error.description or error.name


def _field_paths(errors: dict, prefix: str = "") -> list[str]:
    """{"json": {"site": {"name": [...]}}} -> ["json.site.name"]: the leaves' dotted paths."""
    paths = []
    for key, value in errors.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        paths.extend(_field_paths(value, path) if isinstance(value, Mapping) else [path])
    return paths[:20]
