"""No bureau loses its last active admin, and nobody deactivates, demotes or moves their
own account."""

from __future__ import annotations

import pytest

from service.auth.models import ADMIN, SUPERVISOR


def _patch(client, user, body):
    url = f"/api/v1/users/{user.id}"
    etag = client.get(url).headers["ETag"]
    return client.patch(url, json=body, headers={"If-Match": etag})


@pytest.fixture
def bureau(make, as_user):
    """A district bureau (310113) whose users are managed by the city's admin (310000)."""
    city_admin = make.user(role=ADMIN, region_code="310000")
    return as_user(city_admin), make.user(role=ADMIN, region_code="310113")


@pytest.mark.parametrize("change", [{"is_active": False}, {"role": SUPERVISOR},
                                    {"region_code": "310000"}])
def test_the_last_active_admin_of_a_bureau_stays(bureau, change):
    city, last = bureau
    answer = _patch(city, last, change)
    assert answer.status_code == 409, answer.json
    assert "last active admin" in answer.json["message"]
    assert list(answer.json["errors"]["json"]) == list(change)


def test_with_a_second_admin_one_may_go(bureau, make):
    city, first = bureau
    make.user(role=ADMIN, region_code="310113")
    answer = _patch(city, first, {"is_active": False})
    assert answer.status_code == 200, answer.json
    assert answer.json["is_active"] is False


def test_an_inactive_admin_does_not_count(bureau, make):
    city, first = bureau
    make.user(role=ADMIN, region_code="310113", is_active=False)
    assert _patch(city, first, {"role": SUPERVISOR}).status_code == 409


@pytest.mark.parametrize("change", [{"is_active": False}, {"role": SUPERVISOR},
                                    {"region_code": "310113"}])
def test_nobody_deactivates_demotes_or_moves_themselves(make, as_user, change):
    me = make.user(role=ADMIN, region_code="310000")
    make.user(role=ADMIN, region_code="310000")  # not the last admin: still refused
    answer = _patch(as_user(me), me, change)
    assert answer.status_code == 409, answer.json
    assert "your own account" in answer.json["message"]


def test_ones_own_other_fields_still_change(make, as_user):
    me = make.user(role=ADMIN, region_code="310000")
    answer = _patch(as_user(me), me, {"full_name": "王芳", "is_active": True, "role": ADMIN})
    assert answer.status_code == 200, answer.json
