"""Schemas answer exactly what marshmallow's own dump gives, on its faster path too
(service.common.api.Schema reads plain fields straight off the object)."""

from __future__ import annotations

import marshmallow as ma

from service.common.api import Derived, Schema
from service.common.geo import LocationOutSchema
from service.registry.schemas import NearbySiteSchema, SiteSchema


def marshmallows_own(schema: ma.Schema, obj) -> dict:
    return ma.Schema._serialize(schema, obj)


def test_a_site_dumps_as_marshmallow_dumps_it(make):
    site = make.site(code="BS-0001", cell_count=None)
    assert SiteSchema().dump(site) == marshmallows_own(SiteSchema(), site)
    site.distance_m = 12.5  # set by the nearby search, not a column
    dumped = NearbySiteSchema().dump(site)
    assert dumped == marshmallows_own(NearbySiteSchema(), site)
    assert dumped["distance_m"] == 12.5 and dumped["location"]["lat"] == site.lat
    # the stored location is LocationOutSchema's answer, which the spec documents
    assert dumped["location"] == marshmallows_own(LocationOutSchema(), site)


class _Inner(Schema):
    x = ma.fields.Integer()


class _Odd(Schema):
    renamed = ma.fields.String(attribute="source_name", data_key="shown")
    dotted = ma.fields.String(attribute="inner.name")
    defaulted = ma.fields.String(dump_default="none given")
    computed = ma.fields.Method("twice")
    derived = Derived(_Inner, lambda obj: {"x": 7})
    prop = ma.fields.Integer()

    def twice(self, obj):
        return 2


class _Thing:
    source_name = "from a class attribute"

    def __init__(self):
        self.inner = type("Inner", (), {"name": "nested"})()

    @property
    def prop(self):
        return 41 + 1


def test_renamed_dotted_defaulted_and_computed_fields_dump_as_marshmallow_dumps_them():
    thing = _Thing()
    expected = {"shown": "from a class attribute", "dotted": "nested",
                "defaulted": "none given", "computed": 2, "derived": {"x": 7}, "prop": 42}
    assert _Odd().dump(thing) == marshmallows_own(_Odd(), thing) == expected
    mapping = {"source_name": "from a dict", "inner": {"name": "n"}, "prop": 1}
    assert _Odd().dump(mapping) == marshmallows_own(_Odd(), mapping)


class _Plain(Schema):
    text = ma.fields.String(allow_none=True)
    count = ma.fields.Integer(allow_none=True)
    counted = ma.fields.Integer(as_string=True)
    ratio = ma.fields.Float()
    flag = ma.fields.Boolean()
    ident = ma.fields.UUID()
    day = ma.fields.Date()
    moment = ma.fields.AwareDateTime()
    stamp = ma.fields.DateTime(format="timestamp")


class _Values:
    def __init__(self, **values):
        self.__dict__.update(values)


def test_plain_fields_dump_every_value_type_as_marshmallow_does():
    """The types the database loads take the short way; any other goes through the field."""
    import uuid
    from datetime import UTC, date, datetime

    moment = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    loaded = _Values(text="网点", count=3, counted=4, ratio=0.5, flag=True, ident=uuid.uuid4(),
                     day=date(2026, 12, 1), moment=moment, stamp=moment)
    unusual = _Values(text=b"bytes", count=True, counted=5.0, ratio=2, flag=0,
                      ident=str(uuid.uuid4()), day=moment, moment=moment, stamp=moment)
    empty = _Values(text=None, count=None, counted=None, ratio=None, flag=None, ident=None,
                    day=None, moment=None, stamp=None)
    for values in (loaded, unusual, empty):
        dumped = _Plain().dump(values)
        assert dumped == marshmallows_own(_Plain(), values)
        assert [type(value) for value in dumped.values()] == [
            type(value) for value in marshmallows_own(_Plain(), values).values()]
