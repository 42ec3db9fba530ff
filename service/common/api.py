"""flask-smorest subclassed once, so API-wide customisation has one home."""

from __future__ import annotations

import http
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Api as _Api
from flask_smorest import Blueprint as _Blueprint
from flask_smorest.utils import prepare_response
from marshmallow.utils import missing
from sqlalchemy.orm.attributes import InstrumentedAttribute
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import MethodNotAllowed

from service.common.bodies import parse_json, read_body
from service.common.loading import load_or_none, plan_for
from service.common.openapi import (
    ERROR_DESCRIPTIONS,
    RETRY_AFTER,
    ContractPlugin,
    ContractSpec,
    ErrorSchema,
)

#: error statuses whose answer says when to come back
_RETRY_STATUSES = (429, 503)

class Api(_Api):
    """flask-smorest's Api generating the spec by this project's rules
    (service.common.openapi): typed error bodies, nullable refs, required response fields."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        """flask-smorest's and werkzeug's own errors (404, 405, 412, 428, 400, 413, 422, 500)
        in the API's one shape, always with a readable message; 405 keeps its Allow."""
        payload, status, headers = super().handle_http_exception(error)
        if "errors" in payload:
            payload["errors"] = _named_keys(payload["errors"])
        payload.setdefault("message", http_error_message(error, payload.get("errors")))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers = {**headers, "Allow": ", ".join(sorted(error.valid_methods))}
        return payload, status, headers

    def _init_spec(self, **kwargs):
        kwargs.setdefault("marshmallow_plugin", ContractPlugin())
        super()._init_spec(**kwargs)
        # the rules that need the whole document run when it is written out (to_dict)
        self.spec.__class__ = ContractSpec
        self.spec.components.security_scheme(
            "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        )
        self.spec.options["security"] = [{"bearerAuth": []}]

    def _register_pagination_header(self):
        """Not used: lists page with cursors in the body (service.common.pagination)."""

    def _register_responses(self):
        """One component response per error status, each with the error body."""
        self.spec.components.header("RETRY_AFTER", RETRY_AFTER, lazy=True)
        for status in http.HTTPStatus:
            response = {"description": ERROR_DESCRIPTIONS.get(status, status.phrase)}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            if status in _RETRY_STATUSES:
                response["headers"] = {"Retry-After": "RETRY_AFTER"}
            prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error, in the same shape.",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, self.DEFAULT_RESPONSE_CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


#: the arguments schemas' instances, one per class (UploadParser._get_schema)
_ARGUMENT_SCHEMAS: dict[type, ma.Schema] = {}


class UploadParser(FlaskParser):
    """webargs reading location `files` as the whole multipart/form-data body (its files and
    its fields), so one schema reads and documents an upload together with its options; and
    JSON bodies through `service.common.bodies.parse_json` (depth limit, no lone surrogates)."""

    __location_map__ = {**FlaskParser.__location_map__, "files": "load_multipart"}

    def _get_schema(self, argmap, req):
        """An arguments schema given as a class is made once per process, not per request
        (making one deep-copies its fields): loading keeps no state on the instance."""
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = _ARGUMENT_SCHEMAS.get(argmap)
            if schema is None:
                schema = _ARGUMENT_SCHEMAS[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        data = read_body(req)
        return parse_json(data) if data.strip() else missing

    def load_multipart(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class Blueprint(_Blueprint):
    """The project's blueprint: uploads with options parse as one multipart body, and every
    operation is documented by the same rules:

    - `operationId`: given with `@blp.operation_id("submitInspection")`, else derived from the
      view (`get` on `SiteItem` -> `getSiteItem`), so it is stable and readable;
    - the error statuses each operation can answer, each with the error body: 401 unless
      `security=[]`, 403 when `requires()` names roles, 404 when the path has parameters,
      409 and 422 for authenticated writes to something (a body or an object in the path);
      `alt_response(4xx)` without a schema gets the error body.
    """

    ARGUMENTS_PARSER = UploadParser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_contract_doc)

    @staticmethod
    def operation_id(name: str):
        """Decorator naming the operation in generated clients (lowerCamelCase verb+noun)."""
        if not re.fullmatch(r"[a-z][A-Za-z0-9]*", name):
            raise ValueError(f"operationId {name!r} is not lowerCamelCase")

        def decorator(func):
            func._operation_id = name  # read in add_url_rule; wraps() carries it outwards
            return func

        return decorator

    def arguments(self, schema, **kwargs):
        """flask-smorest's, with one schema instance per operation: given a class, webargs
        made an instance per request, copying every declared field (a submission's
        nine-answer body spent a quarter of its loading there). A schema keeps no state
        between loads, so one instance serves every request."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, **kwargs)

    def alt_response(self, status_code, response=None, *, schema=None, headers=None, **kwargs):
        if int(status_code) >= 400 and response is None and schema is None:
            schema = ErrorSchema
            if int(status_code) in _RETRY_STATUSES and headers is None:
                headers = {"Retry-After": "RETRY_AFTER"}
        return super().alt_response(status_code, response, schema=schema, headers=headers,
                                    **kwargs)

    def add_url_rule(self, rule, endpoint=None, view_func=None, provide_automatic_options=None,
                     **kwargs):
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **kwargs)
        docs = self._docs[self._endpoints[-1]]
        for method, doc_info in docs.items():
            if method != "parameters":
                doc_info["contract"] = _view_contract(rule, view_func, method)

    @staticmethod
    def _prepare_contract_doc(doc, doc_info, *, method, **_kwargs):
        contract = doc_info.get("contract")
        if contract is None:
            return doc
        doc["operationId"] = contract["operation_id"]
        secured = doc_info.get("manual_doc", {}).get("security") != []
        responses = doc.setdefault("responses", {})
        declared = {str(status) for status in responses}
        has_body = "requestBody" in doc or "parameters" in doc
        for status in _implied_errors(method, contract, secured=secured, has_body=has_body):
            if str(status) not in declared:
                responses[status] = http.HTTPStatus(status).name
        return doc


def _view_contract(rule: str, view_func, method: str) -> dict:
    """What the docs need to know about one view method, read once at registration."""
    if isinstance(view_func, type) and issubclass(view_func, MethodView):
        func, name = getattr(view_func, method), view_func.__name__
        derived = method + name[:1].upper() + name[1:]
    else:
        func = view_func
        head, *rest = func.__name__.split("_")
        derived = head + "".join(part.title() for part in rest)
    return {"operation_id": getattr(func, "_operation_id", derived),
            "roles": tuple(getattr(func, "_required_roles", ())),
            "has_path_parameters": "<" in rule}


def _implied_errors(method: str, contract: dict, *, secured: bool,
                    has_body: bool) -> list[int]:
    statuses = []
    if secured:
        statuses.append(401)
    if contract["roles"]:
        statuses.append(403)
    if contract["has_path_parameters"]:
        statuses.append(404)
    # a change to stored data may conflict with it (or lose a race: 409) and break its rules
    changes_data = has_body or contract["has_path_parameters"]
    if secured and changes_data and method in ("post", "put", "patch", "delete"):
        statuses += [409, 422]
    return statuses


class Schema(ma.Schema):
    """Base schema: unknown fields are an error, so typos are named instead of ignored, and
    text with NUL characters (which PostgreSQL cannot store) is refused by field name."""

    class Meta:
        unknown = ma.RAISE

    #: load a well-formed body by a plan made once from the fields, marshmallow loading
    #: (and naming the errors of) any other (`service.common.loading`); for hot bodies
    FAST_LOAD = False

    def load(self, data, *, many=None, partial=None, unknown=None):
        if self.FAST_LOAD and many is None and partial is None and unknown in (None, ma.RAISE):
            loader = plan_for(self, allowed_pre_load=_FAST_PRE_LOADS)
            if loader is not None:
                loaded = load_or_none(loader, data)
                if loaded is not None:
                    return loaded
        return super().load(data, many=many, partial=partial, unknown=unknown)

    def _serialize(self, obj, *, many: bool = False):
        """marshmallow's dump, reading each plain field's value straight off the object.

        The same answer as marshmallow's own loop (`Field.serialize` through
        `Schema.get_attribute`), without its three calls per field, which are most of the
        cost of a page of 50 sites; a mapping's values are read by key. Fields that read
        their value their own way (`Derived`, `Method`, dotted attributes), a key a mapping
        lacks, and other sequences go the ordinary way."""
        if many and obj is not None:
            return [self._serialize(item) for item in obj]
        if type(obj) is dict and (dump := self._dict_dumper()) is not None:
            dumped = dump(obj, self.get_attribute)
            if dumped is not None:
                return dumped
        plain = not hasattr(obj, "__getitem__")
        # a mapping (a dict, a Core row's mapping) answers by key, as marshmallow reads it
        stored = _stored_values(obj) if plain else obj if isinstance(obj, Mapping) else None
        dumped = self.dict_class()
        for key, attr_name, source, field, fast in self._dump_plan():
            if source is not None and stored is not None:
                value = stored.get(source, missing)
                if value is missing and not plain:
                    stored_value = field.serialize(attr_name, obj, accessor=self.get_attribute)
                    if stored_value is not missing:
                        dumped[key] = stored_value
                    continue
                if value is missing:
                    value = getattr(obj, source, missing)
                if value is missing:
                    default = field.dump_default
                    value = default() if callable(default) else default
                    if value is missing:
                        continue
                kind = type(value)
                if kind in fast:  # what the field's own _serialize gives, without the call
                    convert = fast[kind]
                    dumped[key] = value if convert is None else convert(value)
                else:
                    dumped[key] = field._serialize(value, attr_name, obj)
                continue
            value = field.serialize(attr_name, obj, accessor=self.get_attribute)
            if value is not missing:
                dumped[key] = value
        return dumped

    def _dump_plan(self) -> list[tuple]:
        """(key, field name, attribute read directly or None, field, the field's conversions
        by value type) of each dumped field."""
        plan = self.__dict__.get("_plan")
        if plan is None:
            ordinary_schema = type(self).get_attribute is ma.Schema.get_attribute
            plan = []
            for attr_name, field in self.dump_fields.items():
                source = attr_name if field.attribute is None else field.attribute
                direct = (ordinary_schema and field._CHECK_ATTRIBUTE and "." not in source
                          and type(field).serialize is ma.fields.Field.serialize
                          and type(field).get_value is ma.fields.Field.get_value)
                key = field.data_key if field.data_key is not None else attr_name
                plan.append((key, attr_name, source if direct else None, field,
                             _conversions(field)))
            self.__dict__["_plan"] = plan
        return plan

    def _dict_dumper(self) -> Callable | None:
        """The loop above, for a dict (a Core row's columns), written out once per schema
        as straight-line code: each key read with `dict.get`, each value's type compared
        with what the field converts without a call. It gives up (None) where the loop
        would go another way — a key the dict lacks — and the loop answers."""
        dumper = self.__dict__.get("_dict_dump", missing)
        if dumper is missing:
            dumper = self.__dict__["_dict_dump"] = _compile_dict_dump(
                self._dump_plan(), self.dict_class)
        return dumper

    @ma.pre_load
    def _refuse_nul_characters(self, data, **_kwargs):
        if isinstance(data, Mapping):
            bad = [key for key, value in data.items() if _holds_nul(value)]
            if bad:
                raise ma.ValidationError(
                    {key: ["Text may not contain NUL (\\u0000) characters."] for key in bad}
                )
        return data


#: the pre_load hooks a fast load stands in for: the NUL refusal (a plan refuses any text
#: holding NUL, and marshmallow then names it)
_FAST_PRE_LOADS = frozenset({"_refuse_nul_characters"})
_NOTHING: dict = {}
_NONE = type(None)


def _compile_dict_dump(plan: list[tuple], dict_class: type) -> Callable | None:
    """`Schema._serialize`'s loop over `plan` for a dict, as one generated function
    `dump(obj, get_attribute) -> dict | None` (None: a key is missing; the loop decides)."""
    if dict_class is not dict:
        return None
    names: dict[str, object] = {"missing": missing}
    lines = ["def dump(obj, get_attribute):", "    get = obj.get", "    out = {}"]
    for index, (key, attr_name, source, field, fast) in enumerate(plan):
        names[f"field{index}"] = field
        if source is None:  # the field reads its value its own way
            lines += [f"    value = field{index}.serialize({attr_name!r}, obj, "
                      "accessor=get_attribute)",
                      "    if value is not missing:",
                      f"        out[{key!r}] = value"]
            continue
        lines += [f"    value = get({source!r}, missing)", "    kind = type(value)"]
        test = "if"
        for number, (kind, convert) in enumerate(fast.items()):
            names[f"kind{index}_{number}"] = kind
            value = "value"
            if convert is not None:
                names[f"convert{index}_{number}"] = convert
                value = f"convert{index}_{number}(value)"
            lines += [f"    {test} kind is kind{index}_{number}:",
                      f"        out[{key!r}] = {value}"]
            test = "elif"
        lines += [f"    {test} value is missing:", "        return None",
                  "    else:", f"        out[{key!r}] = field{index}._serialize(value, "
                  f"{attr_name!r}, obj)"]
    lines.append("    return out")
    exec(compile("\n".join(lines), "<schema dump>", "exec"), names)
    return names["dump"]


def _conversions(field: ma.fields.Field) -> dict[type, Callable | None]:
    """For marshmallow's own plain fields: what their `_serialize` does to a value of each
    type the database loads (None: returns it unchanged), so the dump of a page of rows
    skips one call per value. Any other type, and any other field, goes through the field."""
    kind = type(field)
    if kind in _SAME_VALUE and kind._serialize is _SAME_VALUE[kind][0] \
            and not getattr(field, "as_string", False):
        return {_NONE: None, _SAME_VALUE[kind][1]: None}
    if kind is ma.fields.UUID and kind._serialize is _UUID_SERIALIZE:
        return {_NONE: None, uuid.UUID: str}
    if kind in _TEMPORAL and kind._serialize is _TEMPORAL_SERIALIZE:
        iso = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        if iso is not None:
            return {_NONE: None, _TEMPORAL[kind]: iso}
    return _NOTHING


#: fields whose _serialize returns a value of this type as it is (and None as None)
_SAME_VALUE = {ma.fields.String: (ma.fields.String._serialize, str),
               ma.fields.Integer: (ma.fields.Integer._serialize, int),
               ma.fields.Float: (ma.fields.Float._serialize, float),
               ma.fields.Boolean: (ma.fields.Boolean._serialize, bool)}
_UUID_SERIALIZE = ma.fields.UUID._serialize
#: temporal fields by the one value type their format function takes
_TEMPORAL = {ma.fields.Date: date, ma.fields.DateTime: datetime,
             ma.fields.AwareDateTime: datetime, ma.fields.NaiveDateTime: datetime}
_TEMPORAL_SERIALIZE = ma.fields.DateTime._serialize
#: per class: the names whose value an instance's __dict__ holds as getattr would return it
_READ_FROM_DICT: dict[type, frozenset] = {}


def _stored_values(obj) -> Mapping:
    """The loaded values of `obj` that getattr would return unchanged: its instance
    dictionary minus any name a class-level descriptor other than a mapped column owns."""
    values = getattr(obj, "__dict__", None)
    if not values:
        return _NOTHING
    cls = type(obj)
    safe = _READ_FROM_DICT.get(cls)
    if safe is None or not safe.issuperset(values):
        safe = _READ_FROM_DICT[cls] = frozenset(
            name for name in set(values) | (safe or set())
            if isinstance(getattr(cls, name, None), (type(None), InstrumentedAttribute)))
    if safe.issuperset(values):
        return values
    return {name: value for name, value in values.items() if name in safe}


class Pattern(ma.validate.Regexp):
    """A regular expression the whole value must match. The spec publishes it as `pattern`,
    which clients check with ECMA-262 regexes: write it so it means the same in both (`^…$`,
    never Python's `\\A`/`\\Z`). Matched in full here, so a trailing newline, which `$`
    lets through in Python, is refused as it is in JavaScript."""

    def __call__(self, value):
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


#: text stored as given: no control characters (PostgreSQL refuses NUL in text)
PLAIN_TEXT = Pattern(r"^[^\x00-\x1f\x7f]*$", error="No control characters.")


class Derived(ma.fields.Nested):
    """A nested object computed from the whole object being dumped (e.g. a location from
    lat/lon columns), documented by its schema like any nested field."""

    def __init__(self, nested, getter, **kwargs):
        super().__init__(nested, dump_only=True, **kwargs)
        self._getter = getter

    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return self._getter(obj)


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


#: what a part without a name is called in `errors` (a multipart part whose header has none)
UNNAMED = "(unnamed)"


def _named_keys(errors):
    """Errors keyed by text only: a part without a name (None) would break the JSON answer."""
    if not isinstance(errors, Mapping):
        return errors
    return {UNNAMED if key is None else str(key): _named_keys(value)
            for key, value in errors.items()}


def _field_paths(errors: dict, prefix: str = "") -> list[str]:
    """{"json": {"site": {"name": [...]}}} -> ["json.site.name"]: the leaves' dotted paths."""
    paths = []
    for key, value in errors.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        paths.extend(_field_paths(value, path) if isinstance(value, Mapping) else [path])
    return paths[:20]
