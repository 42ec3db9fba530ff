from datetime import timedelta

from service.auth.models import ADMIN, INSPECTOR
from service.db import utcnow
from service.evidence.models import COMPLETE, PENDING
from tests.access import Endpoint
from tests.evidence import helpers

ORDER = 80


def build(make, side):
    # Only an inspection's own inspectors add its photos: put the caller on ours.
    ours = side.name == "own" and side.caller.role == INSPECTOR
    side.inspection = helpers.inspection(make, region_code=side.region,
                                         inspector=side.caller if ours else None)
    side.photo = helpers.photo(make, side.inspection, status=COMPLETE,
                               thumbnail_key=f"thumbs/{side.region}/x.jpg")
    side.stale_photo = helpers.photo(make, side.inspection, status=PENDING,
                                     created_at=utcnow() - timedelta(days=3))


def _new_photo(_side):
    data = helpers.taken_now()
    return {"content_type": "image/jpeg", "sha256": helpers.sha256_hex(data),
            "size_bytes": len(data)}


CASES = [
    Endpoint("GET", "/api/v1/inspections/<uuid:inspection_id>/photos", (),
             lambda s: f"/api/v1/inspections/{s.inspection.id}/photos",
             listed=lambda s: str(s.photo.id)),
    Endpoint("POST", "/api/v1/inspections/<uuid:inspection_id>/photos", (INSPECTOR,),
             lambda s: f"/api/v1/inspections/{s.inspection.id}/photos", body=_new_photo,
             ok=201),
    Endpoint("POST", "/api/v1/photos/<uuid:photo_id>/complete", (INSPECTOR,),
             lambda s: f"/api/v1/photos/{s.photo.id}/complete"),
    Endpoint("GET", "/api/v1/photos/<uuid:photo_id>", (),
             lambda s: f"/api/v1/photos/{s.photo.id}"),
    Endpoint("GET", "/api/v1/photos/<uuid:photo_id>/download", (),
             lambda s: f"/api/v1/photos/{s.photo.id}/download"),
    Endpoint("GET", "/api/v1/photos/<uuid:photo_id>/thumbnail", (),
             lambda s: f"/api/v1/photos/{s.photo.id}/thumbnail"),
    Endpoint("GET", "/api/v1/photos/abandoned", (ADMIN,), lambda s: "/api/v1/photos/abandoned",
             listed=lambda s: str(s.stale_photo.id), other_status=200),
]
