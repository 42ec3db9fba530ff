"""api_specs/openapi.json is the app's spec: clients generated from it match the server."""

from __future__ import annotations

import json

from service.cli import SPEC_PATH, openapi_document


def test_the_stored_spec_is_the_apps_spec():
    expected = json.loads(openapi_document())
    assert SPEC_PATH.exists(), f"{SPEC_PATH} is missing: run `make openapi` and commit it"
    stored = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    assert stored == expected, (
        f"{SPEC_PATH.relative_to(SPEC_PATH.parent.parent)} differs from the app's spec: "
        "run `make openapi` and commit the result"
    )
