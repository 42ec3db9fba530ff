"""Property-based fuzzing of every operation of the app's own spec (schemathesis), logged
in as an admin and as an inspector, against real objects: no answer may be a 5xx, and
every answer must match the schema the spec declares for its status.

Not part of the default run (setup.cfg deselects the `fuzz` marker): run it with
`pytest -m fuzz tests/fuzz`, FUZZ_MAX_EXAMPLES examples per operation and role (default 3);
`.ci/run` runs it on PostgreSQL with more.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import schemathesis
from flask_jwt_extended import create_access_token
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from service.auth.models import ADMIN, INSPECTOR
from tests.checklists import factories as checklists
from tests.evidence import helpers

SPEC = Path(__file__).resolve().parents[2] / "api_specs" / "openapi.json"
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3"))
CHECKS = [not_a_server_error, response_schema_conformance]

pytestmark = pytest.mark.fuzz


# The committed spec, which tests/test_openapi_spec.py keeps equal to the app's: loading it
# at import gives one test per operation (schemathesis's lazy fixture loader does not run on
# pytest 9).
schema = schemathesis.openapi.from_dict(json.loads(SPEC.read_text()))
# The coverage phase (boundary values of every parameter, many requests per operation
# whatever max_examples says) runs only when FUZZ_COVERAGE=1, as in CI.
schema.config.phases.coverage.enabled = os.environ.get("FUZZ_COVERAGE") == "1"


def _world(role: str, app, make, db) -> dict:
    """Objects the fuzzed paths point at, in 宝山区 (310113), and the caller's token."""
    admin = make.user(role=ADMIN, region_code="310113")
    inspector = make.user(role=INSPECTOR, region_code="310113")
    make.user(role=ADMIN, region_code="310113")  # so the fuzzer may deactivate the other
    found = helpers.inspection(make, inspector=inspector)
    photo = helpers.photo(make, found)
    checklists.new_version(db, "express_outlet")
    caller = admin if role == ADMIN else inspector
    with app.app_context():
        token = create_access_token(identity=str(caller.id))
    ids = {"user_id": inspector.id, "site_id": found.site_id, "inspection_id": found.id,
           "photo_id": photo.id, "enterprise_id": make.enterprise(region_code="310113").id,
           "code": "310113"}
    return {"headers": {"Authorization": f"Bearer {token}"},
            "ids": {name: str(value) for name, value in ids.items()}}


@pytest.fixture
def as_admin(app, make, db):
    return _world(ADMIN, app, make, db)


@pytest.fixture
def as_inspector(app, make, db):
    return _world(INSPECTOR, app, make, db)


def _call(case, world: dict, app) -> None:
    for name in case.path_parameters or {}:
        if name in world["ids"]:
            case.path_parameters[name] = world["ids"][name]
    case.call_and_validate(app=app, headers=world["headers"], checks=CHECKS)


FUZZ_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ_SETTINGS
def test_as_an_admin_no_operation_answers_5xx_or_breaks_its_schema(case, as_admin, app):
    _call(case, as_admin, app)


@schema.parametrize()
@FUZZ_SETTINGS
def test_as_an_inspector_no_operation_answers_5xx_or_breaks_its_schema(case, as_inspector, app):
    _call(case, as_inspector, app)
