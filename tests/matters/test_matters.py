"""The matters catalogue (service/matters) and the checklists agree: every matter's items
exist in the checklist of every site type it applies to, so a matter can always be judged."""

from __future__ import annotations

import pytest

from service.checklists.seed import TEMPLATES
from service.matters.logic import missing_items
from service.matters.seed import MATTERS
from tests.checklists import factories as checklists
from tests.plans import factories


@pytest.fixture
def planner(make, as_user):
    """A supervisor of the Shanghai bureau, who plans double-random inspections."""
    return as_user(factories.supervisor(make, "310000"))


@pytest.mark.parametrize("matter", MATTERS, ids=lambda matter: matter["code"])
def test_each_shipped_matter_names_items_of_its_site_types_checklists(matter):
    for site_type in matter["site_types"]:
        items = {code for code, _text, _weight in TEMPLATES[site_type][1]}
        assert set(matter["item_codes"]) <= items, (site_type, set(matter["item_codes"]) - items)


def test_the_seeded_database_has_no_drift(db):
    assert missing_items(db) == []


def test_a_checklist_version_that_drops_a_matters_item_is_reported(db):
    checklists.new_version(db, "sorting_center", items=(("video_monitoring", 60),
                                                       ("fire_safety", 40)))
    missing = missing_items(db)
    assert ("sorting_center_safety", "sorting_center", "xray_check") in missing
    assert ("user_information_security", "sorting_center", "user_info_protection") in missing


def test_every_site_type_is_covered_by_some_matter():
    covered = {site_type for matter in MATTERS for site_type in matter["site_types"]}
    assert covered == set(TEMPLATES)


@pytest.mark.parametrize(("matter", "site_type"), [
    ("publication_point_work", "publication_point"),
    ("postal_universal_service", "postal_outlet"),
])
def test_publication_points_and_postal_universal_service_can_be_drawn(planner, matter,
                                                                      site_type):
    plan = factories.create(planner, site_types=None, matter_codes=[matter])
    assert plan["site_types"] == [site_type]


def test_the_user_information_matter_covers_lockers(planner):
    items = {m["code"]: m for m in planner.get("/api/v1/matters?limit=100").json["items"]}
    assert "parcel_locker" in items["user_information_security"]["site_types"]
    assert "sorting_center" not in items["express_licence"]["site_types"]
