"""EXIF time and GPS against the inspection: flagged for review, never dropped."""

from __future__ import annotations

from datetime import datetime, timedelta

import prcoords

from service.common.chinatime import CHINA
from service.db import utcnow
from tests.evidence import helpers


def _listed(phone, inspection):
    items = phone.api.get(f"/api/v1/inspections/{inspection.id}/photos").json["items"]
    return {item["id"]: item for item in items}


def test_a_photo_from_another_day_is_kept_and_flagged(phone, inspection):
    yesterday = utcnow() - timedelta(days=1)
    done = phone.send(inspection.id, helpers.taken_now(taken_at=yesterday))
    assert done.status_code == 200
    assert done.json["status"] == "complete"
    assert (done.json["time_anomaly"], done.json["location_anomaly"]) == (True, False)
    assert done.json["has_anomaly"] is True
    assert _listed(phone, inspection)[done.json["id"]]["has_anomaly"] is True
    phone.send(inspection.id, helpers.taken_now())
    flagged = phone.api.get(f"/api/v1/inspections/{inspection.id}/photos?has_anomaly=true")
    assert [item["id"] for item in flagged.json["items"]] == [done.json["id"]]


def test_a_flagged_photo_reopens_the_inspections_review(phone, inspection, db):
    inspection.review_status = "accepted"
    db.flush()
    assert phone.send(inspection.id, helpers.taken_now()).json["has_anomaly"] is False
    db.refresh(inspection)
    assert inspection.review_status == "accepted"
    phone.send(inspection.id, helpers.taken_now(point=helpers.FAR_POINT))
    db.refresh(inspection)
    assert inspection.review_status == "pending"


def test_a_photo_taken_elsewhere_is_kept_and_flagged(phone, inspection):
    done = phone.send(inspection.id, helpers.taken_now(point=helpers.FAR_POINT))
    assert done.status_code == 200
    assert (done.json["time_anomaly"], done.json["location_anomaly"]) == (False, True)
    assert 40_000 < done.json["distance_m"] < 50_000
    assert done.json["location"] == {"lat": helpers.FAR_POINT[0],
                                     "lon": helpers.FAR_POINT[1], "crs": "wgs84"}


def test_the_allowance_widens_the_window(phone, make, inspector, settings):
    started = utcnow() - timedelta(hours=2)
    found = helpers.inspection(make, inspector=inspector, started_at=started,
                               finished_at=started + timedelta(hours=1))
    allowance = timedelta(minutes=settings.photo_time_allowance_minutes)
    cases = [(started - allowance + timedelta(minutes=1), False),
             (started - allowance - timedelta(minutes=1), True),
             (started + timedelta(hours=1) + allowance - timedelta(minutes=1), False),
             (started + timedelta(hours=1) + allowance + timedelta(minutes=1), True)]
    for taken_at, flagged in cases:
        done = phone.send(found.id, helpers.taken_now(taken_at=taken_at))
        assert done.json["time_anomaly"] is flagged, taken_at


def test_a_draft_inspection_window_runs_until_now(phone, make, inspector):
    draft = helpers.inspection(make, inspector=inspector, status="draft")
    assert phone.send(draft.id, helpers.taken_now()).json["has_anomaly"] is False
    tomorrow = utcnow() + timedelta(days=1)
    assert phone.send(draft.id, helpers.taken_now(taken_at=tomorrow)).json["time_anomaly"]


def test_a_time_without_offset_is_china_time(phone, inspection):
    taken = (utcnow() - timedelta(minutes=20)).replace(microsecond=0)
    done = phone.send(inspection.id, helpers.taken_now(taken_at=taken, offset=None))
    assert datetime.fromisoformat(done.json["taken_at"]) == taken
    assert done.json["time_anomaly"] is False


def test_an_offset_tag_is_honoured(phone, inspection):
    taken = (utcnow() - timedelta(minutes=20)).replace(microsecond=0)
    # the phone's clock in Tokyo time: the wall time is written with +09:00
    data = helpers.image(point=helpers.SITE_POINT, taken_at=taken + timedelta(hours=1),
                         offset="+09:00")
    done = phone.send(inspection.id, data)
    assert datetime.fromisoformat(done.json["taken_at"]) == taken
    assert done.json["time_anomaly"] is False


def test_a_photo_without_exif_is_kept_unflagged_with_nothing_read(phone, inspection):
    done = phone.send(inspection.id, helpers.image())
    assert done.status_code == 200
    assert (done.json["taken_at"], done.json["location"], done.json["distance_m"]) == (
        None, None, None)
    assert done.json["has_anomaly"] is False


def test_gps_in_gcj02_named_by_the_map_datum_is_converted(phone, inspection):
    gcj = prcoords.wgs_gcj(helpers.SITE_POINT)
    data = helpers.taken_now(point=(gcj.lat, gcj.lon), datum="GCJ-02")
    done = phone.send(inspection.id, data)
    assert done.json["location_anomaly"] is False
    assert done.json["distance_m"] < 5


def test_china_time_is_utc_plus_eight():
    assert datetime(2024, 1, 1, tzinfo=CHINA).utcoffset() == timedelta(hours=8)


def test_a_remote_inspections_video_snapshots_are_not_flagged_for_their_place(phone, inspection,
                                                                              db):
    inspection.kind = "remote"  # 非现场检查: the snapshot was saved at the bureau, far away
    db.flush()
    done = phone.send(inspection.id, helpers.taken_now(point=helpers.FAR_POINT))
    assert done.status_code == 200
    assert (done.json["location_anomaly"], done.json["has_anomaly"]) == (False, False)
    late = phone.send(inspection.id, helpers.taken_now(taken_at=utcnow() - timedelta(days=1)))
    assert late.json["time_anomaly"] is True  # its time still has to fit the inspection
