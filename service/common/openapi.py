"""How api_specs/openapi.json is generated: the conventions every endpoint is held to, so
that clients generated from it (openapi-python-client, openapi-typescript) read exactly what
the server sends. Each rule lives here once and applies to endpoints added later unchanged:

- a nullable field's `enum` includes null; a nullable reference is `anyOf: [$ref, null]`
  (never a free-form object branch, which swallows the object in generated clients);
- a `Constant` field is typed, with its one value as the enum;
- a response schema lists every field as `required` (marshmallow dumps every declared field)
  unless the field is declared with `metadata={"optional": True}`; it does not forbid extra
  fields, so a later server version may add some without breaking generated clients;
- a request schema keeps `additionalProperties: false` (unknown fields are a 422) and lists
  what must be sent as `required`;
- error statuses carry the error body (`ErrorSchema`), see `service.common.api.Blueprint`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

import marshmallow as ma
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.openapi import OpenAPIConverter

#: a field's metadata flag: a response may leave this field out
OPTIONAL = "optional"
_DUMPED = "x-dumped"  # the fields a dump always writes; replaced by `required` at the end
_OPTIONAL_MARK = "x-optional"
_SCHEMA_REF = "#/components/schemas/"
_RESPONSE_REF = "#/components/responses/"


# -- errors -------------------------------------------------------------------------------

class TransitionErrorSchema(ma.Schema):
    current = ma.fields.String(required=True, metadata={"description": "The object's state."})
    allowed = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "The moves allowed from that state (empty: a final state)."})


class ImportRowErrorSchema(ma.Schema):
    row = ma.fields.Integer(required=True, metadata={"description": "Row number in the file."})
    field = ma.fields.String(required=True)
    column = ma.fields.String(allow_none=True, metadata={
        "description": "The file's column (its header as written)."})
    message = ma.fields.String(required=True)


class ImportErrorsSchema(ma.Schema):
    rows = ma.fields.List(ma.fields.Nested(ImportRowErrorSchema), required=True)


class ClaimErrorSchema(ma.Schema):
    """Who holds the claim a refused claim ran into, and until when."""

    claimed_by_id = ma.fields.UUID(required=True)
    claim_expires_at = ma.fields.AwareDateTime(required=True)


class ErrorDetailsSchema(ma.Schema):
    """`errors` of an error body: location (`json`, `query`, `files`, `headers`, `path`) →
    field → messages; a refused state change also names `state`, a refused import `file`,
    a refused queue claim `claim`."""

    state = ma.fields.Nested(TransitionErrorSchema, metadata={
        OPTIONAL: True, "description": "A move the object's lifecycle does not allow (409)."})
    file = ma.fields.Nested(ImportErrorsSchema, metadata={
        OPTIONAL: True, "description": "An import refused as a whole: every bad row (422)."})
    claim = ma.fields.Nested(ClaimErrorSchema, metadata={
        OPTIONAL: True, "description": "A queue item someone else holds (409)."})


class ErrorSchema(ma.Schema):
    """The one error body: `{code, status, message, errors}`."""

    code = ma.fields.Integer(required=True, metadata={"description": "The HTTP status.",
                                                      "example": 404})
    status = ma.fields.String(required=True, metadata={"description": "Its name.",
                                                       "example": "Not Found"})
    message = ma.fields.String(metadata={
        OPTIONAL: True, "description": "For a person to read (a 422 of the schemas may have "
                                      "only `errors`)."})
    errors = ma.fields.Nested(ErrorDetailsSchema, metadata={
        OPTIONAL: True, "description": "What was wrong, by location and field."})


#: descriptions of the error responses every operation may declare (components/responses)
ERROR_DESCRIPTIONS = {
    400: "Bad request (e.g. a body that is not JSON).",
    401: "No valid access token (log in, or refresh the token).",
    403: "Your role may not do this.",
    404: "Not found, or outside your jurisdiction (the two look the same).",
    409: "Conflicts with what is stored (e.g. the same id with another body, or a state "
         "that does not allow the move); `message` says which.",
    412: "The resource changed since you read it (If-Match is stale): read it again.",
    413: "The body is too large.",
    415: "The media type is not accepted.",
    422: "Invalid input: `errors` names each bad field.",
    428: "This update needs an If-Match header with the resource's ETag.",
    429: "Too many attempts: wait the Retry-After seconds.",
    503: "A backing service is unavailable; nothing was stored. Retry after Retry-After.",
}
RETRY_AFTER = {"description": "Seconds to wait before trying again.",
               "schema": {"type": "integer", "minimum": 0}}


#: messages per field of one location; recursive, which marshmallow cannot declare
FIELD_ERRORS = {
    "type": "object",
    "description": "Messages per field: a list of messages, or for a nested object or list "
                   "the same shape one level down (`{\"lat\": [...]}`, `{\"0\": {...}}`).",
    "additionalProperties": {"anyOf": [{"type": "array", "items": {"type": "string"}},
                                       {"$ref": _SCHEMA_REF + "FieldErrors"}]},
}


def _finish_error_details(schemas: dict) -> None:
    """`ErrorDetails` holds FieldErrors per location beside its named properties."""
    if "ErrorDetails" in schemas:
        schemas["ErrorDetails"]["additionalProperties"] = {"$ref": _SCHEMA_REF + "FieldErrors"}
        schemas["FieldErrors"] = FIELD_ERRORS


# -- fields -------------------------------------------------------------------------------

def _null_only() -> dict:
    """The branch of a nullable reference that admits only null."""
    return {"type": "object", "nullable": True, "enum": [None]}


def _single_ref(ret: dict) -> str | None:
    """The $ref of a nested field documented as `allOf: [$ref]` (it has a description)."""
    all_of = ret.get("allOf")
    if all_of and len(all_of) == 1 and set(all_of[0]) == {"$ref"}:
        return all_of[0]["$ref"]
    return None


class ContractConverter(OpenAPIConverter):
    """apispec's converter with this project's field rules (see the module docstring)."""

    def init_attribute_functions(self):
        super().init_attribute_functions()
        last = self.attribute_functions.pop()  # field2nullable runs last: it wraps $refs
        self.attribute_functions += [self.constant2properties, self.optional2properties, last]

    def constant2properties(self, field, ret) -> dict:
        if not isinstance(field, ma.fields.Constant) or "type" in ret:
            return {}
        value = field.constant
        kind = {bool: "boolean", int: "integer", float: "number", str: "string"}[type(value)]
        return {"type": kind, "enum": [value]}

    def optional2properties(self, field, ret) -> dict:
        return {_OPTIONAL_MARK: True} if field.metadata.get(OPTIONAL) else {}

    def field2nullable(self, field, ret) -> dict:
        if not field.allow_none:
            return {}
        ref = ret.pop("$ref", None) or _single_ref(ret)
        if ref is not None:
            # "This object or null", in the OAS 3.0.3 form all three tools read right. Not
            # `allOf: [$ref]` + `nullable`: without a `type` beside it Redocly refuses it, and
            # with one openapi-python-client 0.29 drops the null (and fails on every null).
            ret.pop("allOf", None)
            return {"anyOf": [{"$ref": ref}, _null_only()]}
        attributes: dict = {"nullable": True}
        if "enum" in ret and None not in ret["enum"]:
            attributes["enum"] = [*ret["enum"], None]
        return attributes

    def schema2jsonschema(self, schema):
        jsonschema = super().schema2jsonschema(schema)
        properties = jsonschema.get("properties", {})
        dumped = [name for name, prop in properties.items()
                  if not prop.get("writeOnly") and not prop.get(_OPTIONAL_MARK)]
        jsonschema[_DUMPED] = sorted(dumped)
        return jsonschema


class ContractPlugin(MarshmallowPlugin):
    Converter = ContractConverter


# -- the whole document -------------------------------------------------------------------

class ContractSpec(APISpec):
    """The spec with the rules that need the whole document (which schemas are responses)."""

    def to_dict(self) -> dict:
        spec = copy.deepcopy(super().to_dict())  # apispec's dict holds its own components
        finish(spec)
        return spec


def finish(spec: dict) -> None:
    """Response schemas: every dumped field required, extra fields tolerated; parameters
    never null."""
    for operation in operations(spec):
        for parameter in operation.get("parameters", []):
            _not_null(parameter.get("schema", {}))
    schemas = spec.get("components", {}).get("schemas", {})
    requests, responses = schema_usage(spec)
    for name, schema in schemas.items():
        dumped = schema.pop(_DUMPED, None)
        for prop in schema.get("properties", {}).values():
            prop.pop(_OPTIONAL_MARK, None)
        if name in responses and name not in requests:
            if dumped:
                schema["required"] = dumped
            schema.pop("additionalProperties", None)
    _finish_error_details(schemas)


def _not_null(schema: dict) -> None:
    """A parameter is sent or left out, never null (`load_default=None` means "absent")."""
    if schema.pop("nullable", False):
        if schema.get("default", ...) is None:
            del schema["default"]
        if "enum" in schema:
            schema["enum"] = [value for value in schema["enum"] if value is not None]


def schema_usage(spec: dict) -> tuple[set[str], set[str]]:
    """Names of the component schemas reachable from requests, and from responses."""
    components = spec.get("components", {})
    requests: set[str] = set()
    responses: set[str] = set()
    for operation in operations(spec):
        for parameter in operation.get("parameters", []):
            _collect_refs(parameter, components, requests)
        _collect_refs(operation.get("requestBody", {}), components, requests)
        for response in operation.get("responses", {}).values():
            _collect_refs(response, components, responses)
    return requests, responses


def operations(spec: dict) -> Iterator[dict]:
    for path_item in spec.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in {"get", "put", "post", "patch", "delete", "head", "options"}:
                yield operation


def _collect_refs(node, components: dict, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
            name = ref.removeprefix(_SCHEMA_REF)
            if name not in found:
                found.add(name)
                _collect_refs(components.get("schemas", {}).get(name), components, found)
        elif isinstance(ref, str) and ref.startswith(_RESPONSE_REF):
            response = components.get("responses", {}).get(ref.removeprefix(_RESPONSE_REF))
            _collect_refs(response, components, found)
        for key, value in node.items():
            if key != "$ref":
                _collect_refs(value, components, found)
    elif isinstance(node, list):
        for item in node:
            _collect_refs(item, components, found)
