"""Inspection bodies as phones send them, and inspections stored through the real logic."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

from geopy.distance import geodesic

from service.inspections.logic import Limits, submit_inspection
from service.inspections.schemas import InspectionSubmitSchema

CHINA_OFFSET = timezone(timedelta(hours=8))
LIMITS = Limits(radius_m=200, clock_skew_s=300)


def rfc3339(moment: datetime) -> str:
    """A phone's time: China offset, seconds precision."""
    return moment.astimezone(CHINA_OFFSET).replace(microsecond=0).isoformat()


def ago(**delta) -> str:
    return rfc3339(datetime.now(UTC) - timedelta(**delta))


def ahead(**delta) -> str:
    return rfc3339(datetime.now(UTC) + timedelta(**delta))


def moved(lat: float, lon: float, metres: float, bearing: float = 0.0) -> tuple[float, float]:
    """The point `metres` away from (lat, lon) on a geodesic `bearing` (0 = north)."""
    point = geodesic(meters=metres).destination((lat, lon), bearing)
    return point.latitude, point.longitude


def body(site, template, *, answers: dict | None = None, status: str = "completed",
         location: dict | None = None, **overrides) -> dict:
    """A valid JSON body: every item passed, at the site, started 1 h and finished 10 min ago."""
    answers = answers if answers is not None else {item.code: "pass" for item in template.items}
    data = {
        "site_id": str(site.id), "template_id": str(template.id), "kind": "routine",
        "status": status, "started_at": ago(hours=1), "finished_at": ago(minutes=10),
        "location": location or {"lat": site.lat, "lon": site.lon, "crs": "wgs84",
                                 "accuracy_m": 10},
        "answers": [{"item_code": code, "answer": answer} for code, answer in answers.items()],
    }
    return {**data, **overrides}


def stored(db, *, submitter, site, template, inspection_id: uuid.UUID | None = None,
           **overrides):
    """An inspection submitted through the logic (as the API would), in the test's session."""
    data = InspectionSubmitSchema().load(body(site, template, **overrides))
    result = submit_inspection(db, scope=submitter.region_code, submitter=submitter,
                               inspection_id=inspection_id or uuid.uuid4(), data=data,
                               limits=LIMITS)
    return result.inspection
