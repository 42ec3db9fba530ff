"""The fast load (`service.common.loading`) gives marshmallow's answer for every body:
the same data for a valid one, the same errors (through marshmallow itself) otherwise."""

from __future__ import annotations

import copy
import uuid

import marshmallow as ma
import pytest

import service.models  # noqa: F401  (the mappers the schemas' modules name)
from service.common.api import _FAST_PRE_LOADS
from service.common.loading import load_or_none, plan_for
from service.inspections.schemas import InspectionSubmitSchema

SITE, TEMPLATE, OTHER = (str(uuid.uuid4()) for _ in range(3))
BASE = {
    "site_id": SITE, "template_id": TEMPLATE, "kind": "routine", "status": "completed",
    "started_at": "2026-03-02T10:05:00+08:00", "finished_at": "2026-03-02T10:40:00+08:00",
    "location": {"lat": 31.40311, "lon": 121.48567, "crs": "gcj02", "accuracy_m": 12},
    "answers": [{"item_code": "real_name", "answer": "pass"},
                {"item_code": "xray_check", "answer": "fail", "note": "安检机未开启"},
                {"item_code": "e_tricycle", "answer": "not_applicable"}],
}


def _with(**changes) -> dict:
    body = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is _DROP:
            body.pop(key)
        else:
            body[key] = value
    return body


_DROP = object()
VALID = [
    BASE,
    _with(note="网点负责人在场", enforcement_follows=True, inspector_ids=[OTHER]),
    _with(status="draft", finished_at=None, location=None),
    _with(finished_at=_DROP, status="draft"),
    _with(location={"lat": 31, "lon": 121, "crs": "bd09"}),
    _with(location={"lat": 31.4, "lon": 121.5}),
    _with(location={"lat": 31.4, "lon": 121.5, "crs": "wgs84", "accuracy_m": None}),
    _with(started_at="2026-03-02T02:05:00Z", finished_at="2026-03-02T02:40:00.123456+00:00"),
    _with(site_id=SITE.upper(), template_id=TEMPLATE.replace("-", ""),
          campaign_id=str(uuid.uuid4())),
    _with(kind="joint", partner_officers=[{"department": "police", "name": "王强",
                                          "certificate_number": "沪公0123456"}]),
    _with(site_condition="closed", answers=[]),
    _with(answers=[{"item_code": "real_name", "answer": "pass", "note": None}]),
    _with(campaign_id=None, note=None, answers=_DROP, inspector_ids=[]),
]
BAD_VALUES = [None, "", 0, 1.5, True, [], {}, "x\x00y", "31.4", float("nan"), [None],
              "2026-03-02T10:05:00", "9999-01-01T00:00:00+00:00", "not-a-uuid", "a" * 3000]
INVALID = [
    *(_with(**{key: _DROP}) for key in BASE),
    *(_with(**{key: value}) for key in (*BASE, "note", "campaign_id", "inspector_ids",
                                        "partner_officers", "enforcement_follows",
                                        "site_condition") for value in BAD_VALUES),
    *(_with(location={**BASE["location"], key: value})
      for key in ("lat", "lon", "crs", "accuracy_m", "extra") for value in BAD_VALUES),
    *(_with(answers=[{**BASE["answers"][0], key: value}])
      for key in ("item_code", "answer", "note", "extra") for value in BAD_VALUES),
    _with(unknown_field=1),
    _with(answers=[BASE["answers"][0], BASE["answers"][0]]),
    _with(inspector_ids=[OTHER, OTHER]),
    _with(kind="joint"),
    _with(partner_officers=[{"department": "police", "name": "王强",
                             "certificate_number": "1"}]),
    _with(location={"lat": 91, "lon": 121}),
    _with(location={"lat": 31.4, "lon": 121.5, "crs": "gcj02", "accuracy_m": -1}),
    _with(finished_at=None),
    _with(answers=[{"item_code": f"item_{n}", "answer": "pass"} for n in range(201)]),
    [BASE],
    "text",
]


def marshmallow_load(body):
    """What marshmallow alone answers: the data, or the errors."""
    try:
        return "data", ma.Schema.load(InspectionSubmitSchema(), copy.deepcopy(body))
    except ma.ValidationError as error:
        return "errors", error.messages


def project_load(body):
    try:
        return "data", InspectionSubmitSchema().load(copy.deepcopy(body))
    except ma.ValidationError as error:
        return "errors", error.messages


@pytest.mark.parametrize("body", VALID + INVALID)
def test_the_same_answer_as_marshmallow(body):
    assert project_load(body) == marshmallow_load(body)


@pytest.mark.parametrize("body", VALID)
def test_valid_bodies_take_the_fast_path(body):
    loader = plan_for(InspectionSubmitSchema(), allowed_pre_load=_FAST_PRE_LOADS)
    assert loader is not None
    assert load_or_none(loader, copy.deepcopy(body)) == marshmallow_load(body)[1]


def test_every_invalid_body_is_left_to_marshmallow():
    loader = plan_for(InspectionSubmitSchema(), allowed_pre_load=_FAST_PRE_LOADS)
    left = [body for body in INVALID if marshmallow_load(body)[0] == "errors"]
    assert len(left) > 300
    assert [body for body in left if load_or_none(loader, copy.deepcopy(body)) is not None] \
        == []


def test_a_schema_with_what_the_planner_does_not_know_has_no_plan():
    class Odd(InspectionSubmitSchema):
        when = ma.fields.Date()

    assert plan_for(Odd(), allowed_pre_load=_FAST_PRE_LOADS) is None
