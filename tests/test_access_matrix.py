"""One table-driven test of who may call what, where (see tests/access.py)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests
from service.auth.models import ROLES
from tests.access import OTHER_REGION, OWN_REGION, Endpoint, Side


def _feature_modules():
    modules = []
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"tests.{info.name}.access_cases"))
            except ModuleNotFoundError:
                continue
    return sorted(modules, key=lambda module: module.ORDER)


MODULES = _feature_modules()
CASES: list[Endpoint] = [case for module in MODULES for case in module.CASES]
NOT_JSON_METHODS = {"GET"}


def _world(make, caller) -> dict[str, Side]:
    sides = {"own": Side(region=OWN_REGION, name="own", caller=caller),
             "other": Side(region=OTHER_REGION, name="other", caller=caller)}
    for module in MODULES:
        for side in sides.values():
            module.build(make, side)
    return sides


def _items(response) -> list[str]:
    return [str(item.get("id") or item.get("code")) for item in response.json["items"]]


def _call(api, case: Endpoint, side: Side):
    kwargs = {}
    if case.request_kwargs:
        kwargs = case.request_kwargs(side)
    elif case.body is not None:
        kwargs["json"] = case.body(side)
    headers = {"If-Match": "*", **case.headers} if case.method in ("PATCH", "PUT") else case.headers
    return getattr(api, case.method.lower())(case.url(side), headers=headers, **kwargs)


@pytest.mark.parametrize("side_name", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_access(case, role, side_name, make, as_user):
    caller = make.user(role=role, region_code=OWN_REGION)
    sides = _world(make, caller)
    api = as_user(caller)
    response = _call(api, case, sides[side_name])
    allowed = not case.roles or role in case.roles
    if not allowed:
        assert response.status_code in (403, 404), response.json
        return
    expected = case.ok if side_name == "own" else case.other_status
    assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if case.listed and response.status_code == 200:
        listed = _items(response)
        own_id, other_id = case.listed(sides["own"]), case.listed(sides["other"])
        assert other_id not in listed
        if side_name == "own":
            assert own_id in listed


def test_every_endpoint_is_in_the_matrix(app):
    covered = {case.id for case in CASES}
    routes = {f"{method} {rule.rule}" for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    public = {"POST /api/v1/auth/token", "POST /api/v1/auth/refresh"}
    assert sorted(routes - covered - public) == []


def test_anonymous_callers_get_401(client):
    for case in CASES:
        if case.method == "GET" and "<" not in case.rule and not case.public:
            assert client.get(case.rule).status_code == 401, case.id
