"""The phones' changes feed: everything first, then only what changed, late commits included."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from service.db import utcnow
from service.registry.models import Site
from tests.checklists import factories as checklists

FEED = "/api/v1/sync/changes"


def _age(db, site, **delta):
    """Pretend the site last changed that long ago."""
    moment = utcnow() - timedelta(**delta)
    db.execute(update(Site).where(Site.id == site.id).values(updated_at=moment))
    db.expire(site)


def _sync(api, since=None, limit=500):
    """Follow `has_more` to the end, as a phone does; returns (entries, next_since)."""
    entries = []
    while True:
        query = f"?limit={limit}" + (f"&since={since}" if since else "")
        response = api.get(FEED + query)
        assert response.status_code == 200, response.json
        entries += response.json["items"]
        since = response.json["next_since"]
        if not response.json["has_more"]:
            return entries, since


def _ids(entries, kind="site"):
    return [entry["id"] for entry in entries if entry["type"] == kind]


def test_the_first_sync_returns_the_jurisdiction_s_sites_and_every_checklist(phone, make):
    own, other = make.site(region_code="310113"), make.site(region_code="320505")
    entries, _ = _sync(phone)
    assert str(own.id) in _ids(entries) and str(other.id) not in _ids(entries)
    site = next(e for e in entries if e["id"] == str(own.id))
    assert site["status"] == "active" and site["site"]["name"] == own.name
    assert site["site"]["location"] == {"lat": own.lat, "lon": own.lon, "crs": "wgs84"}
    checklist_types = {e["checklist"]["site_type"] for e in entries if e["type"] == "checklist"}
    assert {"express_outlet", "parcel_locker", "publication_point"} <= checklist_types


def test_pages_follow_each_other_without_repeats_or_gaps(phone, make, db):
    sites = [make.site(region_code="310113") for _ in range(5)]
    for hours, site in enumerate(sites, start=1):
        _age(db, site, hours=hours)
    paged, _ = _sync(phone, limit=2)
    whole, _ = _sync(phone)
    assert len(_ids(paged)) == len(set(_ids(paged)))
    assert _ids(paged) == _ids(whole)
    assert [str(s.id) for s in reversed(sites)] == [i for i in _ids(whole)
                                                    if i in {str(s.id) for s in sites}]


def test_the_next_sync_returns_only_what_changed(phone, make, db):
    changed, unchanged = make.site(region_code="310113"), make.site(region_code="310113")
    _age(db, changed, hours=2)
    _age(db, unchanged, hours=2)
    _, since = _sync(phone)
    changed.name = "改名后的网点"
    db.flush()
    entries, _ = _sync(phone, since)
    assert str(changed.id) in _ids(entries) and str(unchanged.id) not in _ids(entries)
    entry = next(e for e in entries if e["id"] == str(changed.id))
    assert entry["site"]["name"] == "改名后的网点" and entry["version"] == 2


def test_closed_sites_are_sent_so_phones_drop_them(phone, make, db):
    from datetime import date

    site = make.site(region_code="310113")
    _age(db, site, hours=2)
    _, since = _sync(phone)
    site.status, site.closed_on = "closed", date.today()
    db.flush()
    entries, _ = _sync(phone, since)
    assert next(e for e in entries if e["id"] == str(site.id))["status"] == "closed"


def test_a_new_checklist_version_is_sent(phone, db, make):
    _age(db, make.site(region_code="310113"), hours=2)
    _, since = _sync(phone)
    template = checklists.new_version(db, "parcel_locker")
    entries, _ = _sync(phone, since)
    entry = next(e for e in entries if e["id"] == str(template.id))
    assert entry["type"] == "checklist" and entry["version"] == template.version
    assert entry["checklist"]["is_current"] is True and entry["checklist"]["items"]


def test_a_row_committed_late_with_an_earlier_time_is_still_delivered(phone, make, db):
    first = make.site(region_code="310113")
    _age(db, first, seconds=5)
    _, since = _sync(phone)
    late = make.site(region_code="310113")  # flushed 20 s ago, committed only now
    _age(db, late, seconds=20)
    entries, _ = _sync(phone, since)
    assert str(late.id) in _ids(entries)


def test_an_invalid_cursor_is_422(phone):
    response = phone.get(f"{FEED}?since=not-a-cursor")
    assert response.status_code == 422 and "since" in response.json["errors"]["query"]
