"""Every write endpoint leaves exactly one audit entry per object it changed, no more, no
fewer: walked over every write of the access matrix (so endpoints added later are walked
too), comparing the entries with a row-by-row diff of the whole database."""

from __future__ import annotations

import pytest

from service.common.access import INSPECTOR
from tests.access import OWN_REGION
from tests.audit.helpers import (
    changed_objects,
    entries_after,
    entry_counts,
    last_entry_id,
    snapshot,
)
from tests.test_access_matrix import CASES, _call, _world

WRITES = [case for case in CASES if case.method != "GET"]


@pytest.mark.parametrize("case", WRITES, ids=lambda case: case.id)
def test_a_write_leaves_one_entry_per_changed_object(case, make, as_user, connection, db):
    caller = make.user(role=case.roles[0] if case.roles else INSPECTOR, region_code=OWN_REGION)
    own = _world(make, caller)["own"]
    db.commit()  # the world's own entries are written now, not mixed with the request's
    before, first = snapshot(connection[0]), last_entry_id(db)

    response = _call(as_user(caller), case, own)

    assert response.status_code == case.ok, response.get_data(as_text=True)[:300]
    changed = changed_objects(before, snapshot(connection[0]))
    entries = entries_after(db, first)
    assert {(e.object_type, e.object_id) for e in entries} == changed
    counts = entry_counts(entries)
    assert max(counts.values(), default=1) == 1, counts.most_common(3)
    if not changed:
        return  # a retry or a change to the same values: nothing to record
    ours = [e for e in entries if e.request_id == response.headers["X-Request-ID"]]
    assert ours, "the request's own writes carry its request id"
    assert {(e.actor_id, e.actor_role, e.actor_region_code) for e in ours} == {
        (caller.id, caller.role, OWN_REGION)}


def test_a_failed_login_is_on_the_record_as_anonymous(make, client, db):
    user = make.user(username="wang_wei")
    db.commit()
    first = last_entry_id(db)

    response = client.post("/api/v1/auth/token",
                           json={"username": "wang_wei", "password": "wrong-password"})

    assert response.status_code == 401
    [entry] = entries_after(db, first)  # the failure counted for the caller's address
    assert (entry.object_type, entry.action) == ("login_throttle", "create")
    assert entry.object_id == f"{user.id}/127.0.0.1"
    assert entry.changes["failures"] == {"new": 1}
    assert (entry.actor_role, entry.actor_id) == ("anonymous", None)
    assert entry.request_id == response.headers["X-Request-ID"]


def test_a_refused_request_leaves_no_entry(make, as_user, db):
    admin = as_user(make.user(role="admin", region_code=OWN_REGION))
    db.commit()
    first = last_entry_id(db)

    response = admin.post("/api/v1/users", json={"username": "x", "password": "short",
                                                 "full_name": "王", "role": "analyst",
                                                 "region_code": "110101"})

    assert response.status_code in (403, 404, 422)
    assert entries_after(db, first) == []
