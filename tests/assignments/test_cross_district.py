"""Cross-district checks (县区互查): the parent bureau's task lets exactly its assignees see
and inspect exactly that site of another district, for that task only."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from service.auth.models import INSPECTOR, SUPERVISOR
from tests.checklists import factories as checklists
from tests.inspections.factories import body

BAOSHAN, JINGAN = "310113", "310106"


@pytest.fixture
def city(make, as_user):
    """A supervisor of the Shanghai bureau, parent of both districts."""
    return as_user(make.user(role=SUPERVISOR, region_code="310000"))


@pytest.fixture
def pair(make):
    """Two 宝山 inspectors, sent to 静安."""
    return [make.user(role=INSPECTOR, region_code=BAOSHAN) for _ in range(2)]


@pytest.fixture
def jingan_site(make):
    return make.site(region_code=JINGAN, name="静安被互查网点")


@pytest.fixture
def task(city, pair, jingan_site):
    response = city.post("/api/v1/tasks", json={
        "site_id": str(jingan_site.id), "assignee_ids": [str(u.id) for u in pair],
        "kind": "cross_district", "due_on": (date.today() + timedelta(days=7)).isoformat(),
        "note": "县区互查：宝山查静安"})
    assert response.status_code == 201, response.json
    return response.json


def _inspect(db, api, site, pair, inspection_id=None):
    template = checklists.current(db, site.site_type)
    url = f"/api/v1/inspections/{inspection_id or uuid.uuid4()}"
    return url, api.put(url, json=body(site, template, kind="cross_district",
                                       inspector_ids=[str(pair[1].id)]))


def test_without_a_task_a_district_inspector_cannot_reach_another_districts_site(
        db, as_user, pair, jingan_site):
    phone = as_user(pair[0])
    _url, response = _inspect(db, phone, jingan_site, pair)
    assert response.status_code == 404


def test_the_task_lets_its_pair_see_and_inspect_that_site(db, as_user, pair, jingan_site,
                                                          task):
    phone = as_user(pair[0])
    mine = phone.get("/api/v1/me/tasks").json["items"]
    assert [t["site"]["name"] for t in mine] == ["静安被互查网点"]
    assert phone.get(f"/api/v1/tasks/{task['id']}").status_code == 200
    url, response = _inspect(db, phone, jingan_site, pair)
    assert response.status_code == 201, response.json
    assert response.json["region_code"] == JINGAN
    assert phone.get(url).status_code == 200  # their own work stays readable
    assert as_user(pair[1]).get("/api/v1/me/tasks").json["items"] == []  # done now


def test_the_task_reaches_nothing_else_of_that_district(db, make, as_user, pair, task):
    other_site = make.site(region_code=JINGAN)
    phone = as_user(pair[0])
    _url, response = _inspect(db, phone, other_site, pair)
    assert response.status_code == 404
    jingan_inspector = make.user(role=INSPECTOR, region_code=JINGAN)
    _url, theirs = _inspect(db, as_user(jingan_inspector), other_site,
                            [jingan_inspector, make.user(role=INSPECTOR, region_code=JINGAN)])
    assert theirs.status_code == 201
    assert phone.get(f"/api/v1/inspections/{theirs.json['id']}").status_code == 404
    assert phone.get(f"/api/v1/sites/{other_site.id}").status_code == 404


def test_the_districts_own_inspections_of_the_site_stay_out_of_reach(db, make, as_user, pair,
                                                                     jingan_site, task):
    locals_ = [make.user(role=INSPECTOR, region_code=JINGAN) for _ in range(2)]
    _url, theirs = _inspect(db, as_user(locals_[0]), jingan_site, locals_)
    assert theirs.status_code == 201
    phone = as_user(pair[0])
    assert phone.get(f"/api/v1/inspections/{theirs.json['id']}").status_code == 404


def test_another_inspector_of_the_district_gets_nothing(db, make, as_user, jingan_site, task):
    colleague = make.user(role=INSPECTOR, region_code=BAOSHAN)
    _url, response = _inspect(db, as_user(colleague), jingan_site, [colleague, colleague])
    assert response.status_code == 404
    assert as_user(colleague).get(f"/api/v1/tasks/{task['id']}").status_code == 404


def test_the_site_is_out_of_reach_once_the_task_is_done(db, as_user, pair, jingan_site, task):
    phone = as_user(pair[0])
    _url, first = _inspect(db, phone, jingan_site, pair)
    assert first.status_code == 201
    _url, again = _inspect(db, phone, jingan_site, pair)
    assert again.status_code == 404
    assert phone.get(f"/api/v1/tasks/{task['id']}").status_code == 404


def test_a_cancelled_task_takes_the_reach_away(db, city, as_user, pair, jingan_site, task):
    assert city.post(f"/api/v1/tasks/{task['id']}/cancel",
                     json={"reason": "互查安排调整"}).status_code == 200
    phone = as_user(pair[0])
    assert phone.get("/api/v1/me/tasks").json["items"] == []
    _url, response = _inspect(db, phone, jingan_site, pair)
    assert response.status_code == 404


def test_a_retried_submission_is_still_recognised_after_the_task_is_done(db, as_user, pair,
                                                                         jingan_site, task):
    phone = as_user(pair[0])
    inspection_id = uuid.uuid4()
    _url, first = _inspect(db, phone, jingan_site, pair, inspection_id)
    template = checklists.current(db, jingan_site.site_type)
    retry = phone.put(f"/api/v1/inspections/{inspection_id}", json={
        **body(site=jingan_site, template=template, kind="cross_district",
               inspector_ids=[str(pair[1].id)]),
        "started_at": first.json["started_at"], "finished_at": first.json["finished_at"]})
    assert retry.status_code == 201, retry.json
    assert retry.json["id"] == first.json["id"]


def test_a_cross_district_plan_hands_its_pairs_the_sites(make, city, as_user, db):
    from tests.plans import factories as plans
    sites = {BAOSHAN: make.site(region_code=BAOSHAN), JINGAN: make.site(region_code=JINGAN)}
    people = {d: [make.user(role=INSPECTOR, region_code=d) for _ in range(2)]
              for d in (BAOSHAN, JINGAN)}
    drawn = plans.drawn(city, region_code="310000", pairing="cross_district")
    for entry in drawn["drawn_sites"]:
        district = BAOSHAN if entry["site_id"] == str(sites[BAOSHAN].id) else JINGAN
        other = JINGAN if district == BAOSHAN else BAOSHAN
        assert set(entry["inspector_ids"]) == {str(u.id) for u in people[other]}
        phone = as_user(people[other][0])
        assert phone.get(f"/api/v1/sites/{sites[district].id}").status_code == 200
        template = checklists.current(db, sites[district].site_type)
        response = phone.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body(
            sites[district], template, kind="double_random",
            inspector_ids=[str(people[other][1].id)]))
        assert response.status_code == 201, response.json
        assert phone.get(f"/api/v1/sites/{sites[district].id}").status_code == 404  # done


# --- what the phone reads of the lent site: the site, sites nearby, the changes feed -----

FEED = "/api/v1/sync/changes"


def _feed(api, since=None):
    """The whole changes feed after `since`, as a phone pages it: (entries, next_since)."""
    entries = []
    while True:
        response = api.get(f"{FEED}?limit=500" + (f"&since={since}" if since else ""))
        assert response.status_code == 200, response.json
        entries += response.json["items"]
        since = response.json["next_since"]
        if not response.json["has_more"]:
            return entries, since


def _sites(entries):
    return {entry["id"]: entry for entry in entries if entry["type"] == "site"}


def _nearby(api, site):
    response = api.get(f"/api/v1/sites/nearby?lat={site.lat}&lon={site.lon}&radius_m=2000")
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


def test_during_the_task_the_phone_reads_exactly_the_lent_site(make, as_user, pair,
                                                              jingan_site, task):
    other = make.site(region_code=JINGAN, lat=jingan_site.lat, lon=jingan_site.lon + 0.001)
    phone = as_user(pair[0])
    read = phone.get(f"/api/v1/sites/{jingan_site.id}")
    assert read.status_code == 200, read.json
    assert read.json["name"] == "静安被互查网点"
    assert phone.get(f"/api/v1/sites/{other.id}").status_code == 404
    assert _nearby(phone, jingan_site) == {str(jingan_site.id)}
    entries, _ = _feed(phone)
    feed_sites = _sites(entries)
    assert feed_sites[str(jingan_site.id)]["site"]["name"] == "静安被互查网点"
    assert feed_sites[str(jingan_site.id)]["removed"] is False
    assert str(other.id) not in feed_sites
    # the console list stays the jurisdiction's: no other site of 静安, not even the lent one
    listed = phone.get("/api/v1/sites?region_code=310113&limit=200").json["items"]
    assert {item["region_code"] for item in listed} <= {BAOSHAN}
    assert phone.get(f"/api/v1/sites?q={other.name}").json["items"] == []
    checklist = phone.get(f"/api/v1/checklists?site_type={jingan_site.site_type}")
    assert checklist.status_code == 200 and checklist.json["items"]


def test_the_site_leaves_the_phone_when_the_task_is_done(db, as_user, pair, jingan_site, task):
    phone = as_user(pair[0])
    _entries, since = _feed(phone)
    _url, done = _inspect(db, phone, jingan_site, pair)
    assert done.status_code == 201, done.json
    assert phone.get(f"/api/v1/sites/{jingan_site.id}").status_code == 404
    assert _nearby(phone, jingan_site) == set()
    later, _ = _feed(phone, since)
    entry = _sites(later)[str(jingan_site.id)]
    assert entry["removed"] is True and entry["site"] is None
    first, _ = _feed(phone)  # a phone syncing from scratch gets nothing of it
    assert str(jingan_site.id) not in _sites(first)
    # the colleague of the pair loses it too
    assert as_user(pair[1]).get(f"/api/v1/sites/{jingan_site.id}").status_code == 404


def test_the_site_leaves_the_phone_when_the_task_is_cancelled(city, as_user, pair,
                                                              jingan_site, task):
    phone = as_user(pair[0])
    _entries, since = _feed(phone)
    assert city.post(f"/api/v1/tasks/{task['id']}/cancel",
                     json={"reason": "互查安排调整"}).status_code == 200
    assert phone.get(f"/api/v1/sites/{jingan_site.id}").status_code == 404
    later, _ = _feed(phone, since)
    assert _sites(later)[str(jingan_site.id)]["removed"] is True


def test_an_edit_of_the_lent_site_reaches_the_phone_while_the_task_is_open(
        make, as_user, pair, jingan_site, task):
    phone = as_user(pair[0])
    _entries, since = _feed(phone)
    admin = as_user(make.user(role="admin", region_code=JINGAN))
    etag = admin.get(f"/api/v1/sites/{jingan_site.id}").headers["ETag"]
    edited = admin.patch(f"/api/v1/sites/{jingan_site.id}", json={"name": "静安被互查网点（新址）"},
                         headers={"If-Match": etag})
    assert edited.status_code == 200, edited.json
    later, _ = _feed(phone, since)
    entry = _sites(later)[str(jingan_site.id)]
    assert entry["removed"] is False and entry["site"]["name"] == "静安被互查网点（新址）"


def test_photos_of_their_inspection_of_the_lent_site_can_be_added(db, as_user, pair,
                                                                  jingan_site, task):
    phone = as_user(pair[0])
    template = checklists.current(db, jingan_site.site_type)
    draft_id = uuid.uuid4()
    draft = phone.put(f"/api/v1/inspections/{draft_id}", json=body(
        jingan_site, template, kind="cross_district", status="draft",
        inspector_ids=[str(pair[1].id)]))
    assert draft.status_code == 201, draft.json
    photo = phone.post(f"/api/v1/inspections/{draft_id}/photos", json={
        "id": str(uuid.uuid4()), "content_type": "image/jpeg", "sha256": "a" * 64,
        "size_bytes": 1024})
    assert photo.status_code == 201, photo.json
    assert photo.json["upload"]["method"] == "PUT"
