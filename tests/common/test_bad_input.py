"""Hostile bodies get a 4xx naming the field, never a 500: deep nesting, lone surrogates,
dates at the calendar's edges, bodies over the cap."""

from __future__ import annotations

import io
import json
import uuid

import pytest

from service.auth.models import ADMIN
from service.common import fields
from tests.checklists import factories as checklists
from tests.inspections.factories import body

LOGIN = "/api/v1/auth/token"
DEEP = "[" * 2000 + "]" * 2000


def _post_raw(client, url, raw: str | bytes, headers=None):
    return client.post(url, data=raw, headers={"Content-Type": "application/json",
                                               **(headers or {})})


def test_deeply_nested_json_on_the_login_is_a_400(client):
    answer = _post_raw(client, LOGIN, DEEP)
    assert answer.status_code == 400, answer.data[:300]
    assert "nested" in answer.json["message"]
    [(field, messages)] = answer.json["errors"]["json"].items()
    assert field == "$" + "[0]" * 32 and messages == [answer.json["message"]]


def test_deep_nesting_inside_a_field_names_the_field(as_user, make):
    admin = as_user(make.user(role=ADMIN, region_code="310113"))
    raw = '{"name": "x", "region_code": "310113", "brand": ' + DEEP + "}"
    answer = _post_raw(admin, "/api/v1/enterprises", raw)
    assert answer.status_code == 400
    [field] = answer.json["errors"]["json"]
    assert field.startswith("brand[0]")


def test_a_lone_surrogate_in_a_text_field_is_a_400_naming_it(client):
    raw = '{"username": "bs_\\ud800inspector", "password": "inspect-2026"}'
    answer = _post_raw(client, LOGIN, raw)
    assert answer.status_code == 400
    assert list(answer.json["errors"]["json"]) == ["username"]
    assert "surrogate" in answer.json["message"]


def test_a_lone_surrogate_in_a_key_is_refused_and_the_answer_is_valid_utf8(client):
    answer = _post_raw(client, LOGIN, '{"user\\udc00": "x"}')
    assert answer.status_code == 400
    answer.data.decode("utf-8")  # the error repeats the key escaped, not as a surrogate
    assert "surrogate" in answer.json["message"]


def test_a_lone_surrogate_deep_in_an_inspection_names_its_path(phone, make, db):
    site = make.site(region_code="310113", lat=31.40, lon=121.48)
    submission = body(site, checklists.new_version(db, "express_outlet"))
    submission["answers"][0]["note"] = "\ud800"
    raw = json.dumps(submission)  # ensure_ascii writes the surrogate as \ud800
    answer = phone.put(f"/api/v1/inspections/{uuid.uuid4()}", data=raw,
                       headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert list(answer.json["errors"]["json"]) == ["answers[0].note"]


def test_broken_json_is_a_400_with_message(client):
    answer = _post_raw(client, LOGIN, '{"username": ')
    assert answer.status_code == 400
    assert answer.json["message"].startswith("Invalid JSON body")
    assert answer.json["code"] == 400 and answer.json["status"] == "Bad Request"


def test_a_body_that_is_not_utf8_is_a_400(client):
    answer = _post_raw(client, LOGIN, b'{"username": "\xff"}')
    assert answer.status_code == 400
    assert "UTF-8" in answer.json["message"]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
                                    "1899-12-31T23:59:59Z"])
def test_times_at_the_calendars_edges_are_a_422_naming_the_field(phone, make, db, moment):
    site = make.site(region_code="310113", lat=31.40, lon=121.48)
    submission = body(site, checklists.new_version(db, "express_outlet"))
    submission["started_at"] = moment
    answer = phone.put(f"/api/v1/inspections/{uuid.uuid4()}", json=submission)
    assert answer.status_code == 422, answer.json
    assert answer.json["errors"]["json"]["started_at"] == [fields.RANGE_ERROR]
    assert "json.started_at" in answer.json["message"]


def test_times_at_the_edges_in_a_query_are_a_422(supervisor):
    answer = supervisor.get("/api/v1/inspections",
                            query_string={"finished_from": "0001-01-01T00:00:00+14:00"})
    assert answer.status_code == 422
    assert answer.json["errors"]["query"]["finished_from"] == [fields.RANGE_ERROR]


def test_a_day_at_the_calendars_edge_is_a_422(as_user, make):
    admin = as_user(make.user(role=ADMIN, region_code="310113"))
    answer = admin.get("/api/v1/sites", query_string={"active_on": "9999-12-31"})
    assert answer.status_code == 422
    assert answer.json["errors"]["query"]["active_on"] == [fields.RANGE_ERROR]


def test_every_date_or_time_a_client_sends_is_held_to_the_range(app):
    """A schema added later with marshmallow's own Date/DateTime would let the edges in."""
    loose = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        methods = [getattr(view.view_class, m.lower(), None) for m in rule.methods or ()] \
            if hasattr(view, "view_class") else [view]
        for method in filter(None, methods):
            for parameter in getattr(method, "_apidoc", {}).get("arguments", {}).get(
                    "parameters", []):
                loose += _loose_fields(parameter["schema"], rule.rule)
    assert not loose, f"use service.common.fields instead: {sorted(set(loose))}"


def _loose_fields(schema, where: str) -> list[str]:
    import marshmallow as ma

    instance = schema() if isinstance(schema, type) else schema
    found = []
    for name, field in instance.fields.items():
        if isinstance(field, ma.fields.Nested):
            found += _loose_fields(field.schema, f"{where} {name}")
        elif isinstance(field, ma.fields.List) and isinstance(field.inner, ma.fields.Nested):
            found += _loose_fields(field.inner.schema, f"{where} {name}")
        elif isinstance(field, (ma.fields.DateTime, ma.fields.Date)) and not field.dump_only \
                and not isinstance(field, (fields.AwareDateTime, fields.Date)):
            found.append(f"{where} {name}")
    return found


def test_a_json_body_over_the_cap_is_a_413_before_it_is_read(client, app):
    cap = app.config["SETTINGS"].json_max_bytes
    raw = '{"username": "' + "x" * cap + '", "password": "p"}'
    answer = _post_raw(client, LOGIN, raw)
    assert answer.status_code == 413
    assert answer.json["code"] == 413 and "at most 1.0 MiB" in answer.json["message"]


def test_a_body_over_the_cap_without_a_length_is_cut_off_with_a_413(client, app):
    cap = app.config["SETTINGS"].json_max_bytes
    raw = b'{"username": "' + b"x" * cap + b'", "password": "p"}'
    answer = client.post(LOGIN, input_stream=io.BytesIO(raw),
                         headers={"Content-Type": "application/json",
                                  "Transfer-Encoding": "chunked"},
                         environ_overrides={"wsgi.input_terminated": True})
    assert answer.status_code == 413
    assert answer.json["message"]


def test_imports_have_their_own_larger_cap(as_user, make, app):
    admin = as_user(make.user(role=ADMIN, region_code="310113"))
    cap = app.config["SETTINGS"].json_max_bytes
    csv = ("企业名称,品牌\n" + "x" * (2 * cap)).encode()
    answer = admin.post("/api/v1/enterprises/import",
                        data={"file": (io.BytesIO(csv), "big.csv")},
                        content_type="multipart/form-data")
    assert answer.status_code != 413, answer.json  # 2 MiB is within the 5 MiB import cap
    assert answer.status_code == 422


def _cursor(values) -> str:
    import base64
    raw = json.dumps(values).encode()  # ensure_ascii: a surrogate travels as \ud800
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("values", [["\ud800", str(uuid.uuid4())], ["a\x00", str(uuid.uuid4())],
                                    ["x", 12], [1, 2, 3], "not a list"])
def test_a_crafted_list_cursor_is_a_422_naming_it(supervisor, values):
    answer = supervisor.get("/api/v1/users", query_string={"cursor": _cursor(values)})
    assert answer.status_code == 422, answer.data[:300]
    assert list(answer.json["errors"]["query"]) == ["cursor"]


@pytest.mark.parametrize("values", [["0001-01-01T00:00:00+14:00", str(uuid.uuid4())],
                                    ["9999-12-31T23:59:59-12:00", str(uuid.uuid4())],
                                    ["2026-01-01T00:00:00+08:00", 7]])
def test_a_crafted_sync_cursor_is_a_422_naming_it(phone, values):
    answer = phone.get("/api/v1/sync/changes", query_string={"since": _cursor(values)})
    assert answer.status_code == 422, answer.data[:300]
    assert list(answer.json["errors"]["query"]) == ["since"]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "2026-01-01T00:00:00"])
def test_a_crafted_time_cursor_is_a_422_naming_it(supervisor, moment):
    answer = supervisor.get("/api/v1/inspections",
                            query_string={"cursor": _cursor([moment, str(uuid.uuid4())])})
    assert answer.status_code == 422, answer.data[:300]
    assert list(answer.json["errors"]["query"]) == ["cursor"]
