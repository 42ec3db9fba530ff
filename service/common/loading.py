"""Loading a well-formed body without marshmallow's machinery, to the same result.

A phone's submission (nine answers, a location) spent a tenth of its CPU in marshmallow's
load: per field a `deserialize`, its missing and null checks, an error store, and per
schema its hooks' lookup. `plan_for(schema)` reads a schema's declared fields once and
returns a loader that does only what a valid body needs: each value checked for the one
JSON type its field takes, converted as the field converts it, the field's own validators
run, then the schema's `validates_schema` and `post_load` hooks called as marshmallow calls
them. Anything else — a value of another type (a number sent as text), a missing required
field, an unknown key, null where it is not allowed, a NUL character, a validator's
refusal — makes the loader give up (None), and the caller loads with marshmallow, whose
errors (the 422 naming the field) are therefore exactly marshmallow's. A schema using
anything the planner does not know (another field type, a pre_load hook of its own, a
`validates` method) gets no plan and is always loaded by marshmallow.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import marshmallow as ma
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA

#: a loader: the loaded data, or None when marshmallow must load it (and name the error)
Loader = Callable[[Any], Any]


class _GiveUp(Exception):
    """The body is not one the plan loads; marshmallow will."""


_PLANS: dict[type, Loader | None] = {}


def plan_for(schema: ma.Schema, *, allowed_pre_load: frozenset[str]) -> Loader | None:
    """A loader for `schema`'s class (made once), or None when it has no plan.

    `allowed_pre_load`: the pre_load hooks the plan stands in for (the base schema's NUL
    refusal: a string field's value is checked for NUL, and every other field refuses any
    text that would hold one)."""
    kind = type(schema)
    if kind not in _PLANS:
        try:
            _PLANS[kind] = _schema_loader(schema, allowed_pre_load)
        except _GiveUp:
            _PLANS[kind] = None
    return _PLANS[kind]


def load_or_none(loader: Loader, data) -> Any:
    """The loaded data, or None when marshmallow must load it."""
    try:
        return loader(data)
    except (_GiveUp, ma.ValidationError):
        return None
    except (TypeError, ValueError, OverflowError, AttributeError):
        return None  # e.g. a conversion marshmallow would turn into a 422


def _schema_loader(schema: ma.Schema, allowed_pre_load: frozenset[str]) -> Loader:
    hooks = schema._hooks
    if (schema.many or schema.partial or schema.unknown != ma.RAISE or hooks[VALIDATES]
            or any(name not in allowed_pre_load for name, _many, _kw in hooks[PRE_LOAD])
            or any(many or kw.get("pass_original")
                   for tag in (VALIDATES_SCHEMA, POST_LOAD)
                   for _name, many, kw in hooks[tag])):
        raise _GiveUp
    fields = []
    for name, field in schema.load_fields.items():
        key = field.data_key if field.data_key is not None else name
        attribute = field.attribute if field.attribute is not None else name
        fields.append((key, attribute, field, _field_loader(field, allowed_pre_load)))
    known = frozenset(key for key, *_rest in fields)
    validators = [getattr(schema, name) for name, _many, _kw in hooks[VALIDATES_SCHEMA]]
    post_loads = [getattr(schema, name) for name, _many, _kw in hooks[POST_LOAD]]
    dict_class = schema.dict_class

    def load(data):
        if type(data) is not dict or not known.issuperset(data):
            raise _GiveUp
        loaded = dict_class()
        for key, attribute, field, convert in fields:
            value = data.get(key, ma.missing)
            if value is ma.missing:
                if field.required:
                    raise _GiveUp
                default = field.load_default
                value = default() if callable(default) else default
                if value is not ma.missing:
                    loaded[attribute] = value
                continue
            if value is None:
                if not field.allow_none:
                    raise _GiveUp
                loaded[attribute] = None
                continue
            loaded[attribute] = _validated(field, convert(value))
        for validator in validators:
            validator(loaded, many=False, partial=None, unknown=ma.RAISE)
        for post_load in post_loads:
            loaded = post_load(loaded, many=False, partial=None, unknown=ma.RAISE)
        return loaded
    return load


def _validated(field: ma.fields.Field, value):
    for validator in field.validators:
        if validator(value) is False:
            raise _GiveUp
    return value


def _field_loader(field: ma.fields.Field, allowed_pre_load: frozenset[str]) -> Callable:
    """The conversion of one present, non-null value, as the field's `_deserialize` makes
    it for the JSON type it takes; _GiveUp (or the conversion's error) for any other."""
    kind = type(field)
    if kind is ma.fields.String:
        return _text
    if kind is ma.fields.UUID:
        return _uuid
    if kind is ma.fields.Float and not field.as_string and not field.allow_nan:
        return _float
    if kind is ma.fields.Boolean:
        return _boolean
    if kind is ma.fields.Nested and not field.many and field.unknown is None \
            and not field.only and not field.exclude:
        inner = plan_for(field.schema, allowed_pre_load=allowed_pre_load)
        if inner is None:
            raise _GiveUp
        return inner
    if kind is ma.fields.List:
        inner_field = field.inner
        item = _field_loader(inner_field, allowed_pre_load)

        def items(value):
            if type(value) is not list:
                raise _GiveUp
            loaded = []
            for element in value:
                if element is None:  # marshmallow's null check (or its allow_none)
                    raise _GiveUp
                loaded.append(_validated(inner_field, item(element)))
            return loaded
        return items
    if _is_project_datetime(kind):
        def moment(value):
            if type(value) is not str or "\x00" in value:
                raise _GiveUp
            return field._deserialize(value, None, None)
        return moment
    raise _GiveUp


def _is_project_datetime(kind: type) -> bool:
    from service.common.fields import AwareDateTime

    return kind is AwareDateTime


def _text(value):
    if type(value) is not str or "\x00" in value:
        raise _GiveUp
    return value


def _uuid(value):
    if type(value) is not str:
        raise _GiveUp
    return uuid.UUID(value)


def _float(value):
    kind = type(value)
    if kind is not float and kind is not int:  # bool is neither
        raise _GiveUp
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise _GiveUp
    return number


def _boolean(value):
    if value is not True and value is not False:
        raise _GiveUp
    return value
