"""The Python client generated from api_specs/openapi.json (openapi-python-client, by
.ci/contract.sh) against the real app on a real socket: what a phone team's code does. Any
answer the client cannot parse, any field that lands in `additional_properties` (the spec
lacks it) and any nested object left as a raw dict (its model failed to parse) fails."""

from __future__ import annotations

import sys
import threading
import uuid
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from werkzeug.serving import make_server

from service.config import PROJECT_ROOT
from tests.checklists import factories as checklists
from tests.factories import PASSWORD

GENERATED = PROJECT_ROOT / "clients" / "python"
if not (GENERATED / "postal_client").is_dir():
    pytest.skip(f"the generated client is missing: run .ci/contract.sh (it writes {GENERATED})",
                allow_module_level=True)
sys.path.insert(0, str(GENERATED))

from postal_client import AuthenticatedClient, Client  # noqa: E402
from postal_client.api.auth import log_in  # noqa: E402
from postal_client.api.checklists import get_checklist  # noqa: E402
from postal_client.api.inspections import submit_inspection  # noqa: E402
from postal_client.api.registry import get_site, list_nearby_sites, list_sites  # noqa: E402
from postal_client.api.sync import list_changes  # noqa: E402
from postal_client.models import (  # noqa: E402
    Answer,
    AnswerAnswer,
    Error,
    Inspection,
    InspectionLocation,
    InspectionSubmit,
    InspectionSubmitKind,
    InspectionSubmitStatus,
    TokenRequest,
)
from postal_client.types import Unset  # noqa: E402


@pytest.fixture(scope="session")
def base_url(app):
    """The app served on a real port. Each request uses the app's session factory of the
    moment, which the `connection` fixture binds to the test's rolled-back transaction."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def phone(base_url, connection, make):
    """A logged-in client of a 宝山区 inspector (logged in through the API)."""
    inspector = make.user(region_code="310113", full_name="张伟")
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)
    token = parsed(log_in.sync_detailed(
        client=anonymous, body=TokenRequest(username=inspector.username, password=PASSWORD)))
    assert token.user.username == inspector.username
    return AuthenticatedClient(base_url=base_url, token=token.access_token,
                               raise_on_unexpected_status=True)


def parsed(response, status: int = 200):
    """The parsed body of an answer that must have `status`, checked to be fully typed."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response.parsed is not None
    assert_fully_typed(response.parsed)
    return response.parsed


def assert_fully_typed(value, where: str = "body") -> None:
    """Every field of every model is declared: nothing in additional_properties, no raw
    dict where a model was expected. Maps (models whose spec types additionalProperties,
    such as Upload.headers or the error details) are walked through."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            assert_fully_typed(item, f"{where}[{index}]")
        return
    assert not isinstance(value, dict), f"{where} stayed a raw dict (not parsed): {value}"
    if not attrs.has(type(value)):
        return
    fields = attrs.fields_dict(type(value))
    names = list(fields)
    extras = fields.get("additional_properties")
    # the generator types undeclared extras as dict[str, Any], declared maps by their values
    is_map = extras is not None and str(extras.type) != "dict[str, Any]"
    for name in names:
        item = getattr(value, name)
        if name == "additional_properties":
            assert is_map or not item, (
                f"{where} ({type(value).__name__}) has fields the spec lacks: {sorted(item)}")
            for key, entry in item.items() if is_map else ():
                if not isinstance(entry, dict | list):  # a map of plain values
                    continue
                assert_fully_typed(entry, f"{where}.{key}")
        elif not isinstance(item, Unset):
            assert_fully_typed(item, f"{where}.{name}")


def test_a_phone_pages_through_its_sites_and_the_sites_near_it(phone, make):
    sites = [make.site(region_code="310113", lat=31.40 + n / 1000, lon=121.48,
                       site_type="postal_outlet", outlet_operator=kind)
             for n, kind in enumerate(("agency", None, "self_run"))]

    seen, cursor = [], None
    while True:
        page = parsed(list_sites.sync_detailed(client=phone, limit=2, cursor=cursor))
        seen += page.items
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert {site.id for site in seen} == {site.id for site in sites}
    kinds = {site.id: site.outlet_operator for site in seen}
    assert kinds[sites[1].id] is None and kinds[sites[0].id] == "agency"
    one = parsed(get_site.sync_detailed(sites[2].id, client=phone))
    assert one.location.lat == pytest.approx(31.402) and one.location.crs == "wgs84"

    nearby = parsed(list_nearby_sites.sync_detailed(client=phone, lat=31.40, lon=121.48,
                                                    radius_m=500))
    assert [site.id for site in nearby.items] == [site.id for site in sites]
    assert nearby.items[0].distance_m == pytest.approx(0, abs=1)


def test_a_phone_submits_and_retries_an_inspection_and_reads_typed_errors(phone, make, db):
    site = make.site(region_code="310113", lat=31.40, lon=121.48)
    template = checklists.new_version(db, "express_outlet")
    checklist = parsed(get_checklist.sync_detailed(template.id, client=phone))
    now = datetime.now(UTC).replace(microsecond=0)
    submission = InspectionSubmit(
        site_id=site.id, template_id=template.id, kind=InspectionSubmitKind.ROUTINE,
        status=InspectionSubmitStatus.COMPLETED, started_at=now - timedelta(hours=1),
        finished_at=now - timedelta(minutes=10),
        location=InspectionLocation(lat=31.40, lon=121.48, accuracy_m=10.0),
        answers=[Answer(item_code=item.code, answer=AnswerAnswer.PASS)
                 for item in checklist.items])
    inspection_id = uuid.uuid4()

    first = parsed(submit_inspection.sync_detailed(inspection_id, client=phone,
                                                   body=submission), 201)
    retry = parsed(submit_inspection.sync_detailed(inspection_id, client=phone,
                                                   body=submission), 201)
    assert isinstance(first, Inspection) and first.score == 100.0
    assert retry.id == first.id == inspection_id and retry.revision == first.revision
    assert first.location.accuracy_m == 10.0 and first.location.crs == "wgs84"

    changed = attrs.evolve(submission, note="another body")
    conflict = parsed(submit_inspection.sync_detailed(inspection_id, client=phone,
                                                      body=changed), 409)
    assert isinstance(conflict, Error) and conflict.code == 409

    unfinished = attrs.evolve(submission, finished_at=None)
    invalid = parsed(submit_inspection.sync_detailed(uuid.uuid4(), client=phone,
                                                     body=unfinished), 422)
    assert isinstance(invalid, Error) and invalid.code == 422
    assert "finished_at" in invalid.errors["json"]

    missing = parsed(get_site.sync_detailed(uuid.uuid4(), client=phone), 404)
    assert isinstance(missing, Error) and missing.status == "Not Found"


def test_a_phone_reads_the_sync_feed_with_sites_and_checklists(phone, make, db):
    site = make.site(region_code="310113", site_type="postal_outlet", outlet_operator=None)
    template = checklists.new_version(db, "postal_outlet")

    entries, since = [], None
    while True:
        feed = parsed(list_changes.sync_detailed(client=phone, since=since, limit=50))
        entries += feed.items
        since = feed.next_since
        if not feed.has_more:
            break
    synced = {entry.id: entry for entry in entries}
    assert synced[site.id].site.name == site.name and synced[site.id].checklist is None
    assert synced[site.id].site.location.lat == pytest.approx(site.lat)
    assert synced[template.id].site is None
    assert [item.code for item in synced[template.id].checklist.items] == [
        item.code for item in template.items]
