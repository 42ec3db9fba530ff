"""Sites near a point: an indexed bounding box on (lat, lon), then geodesic distances.

Works the same on SQLite and PostgreSQL (no PostGIS): the box is a range scan on
`ix_sites_lat_lon`; only the rows inside it are measured with geopy on the WGS-84 ellipsoid.
"""

from __future__ import annotations

import math
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.common.errors import field_error
from service.common.geo import distance_m
from service.common.regions import in_subtree
from service.registry.models import SITE_CLOSED, Site

#: fewest metres in a degree of latitude (at the equator: 110,574 m), rounded down
METRES_PER_DEGREE_LAT = 110_000
#: fewest metres in a degree of longitude on the equator (111,320 m), rounded down
METRES_PER_DEGREE_LON = 111_000


def bounding_box(lat: float, lon: float, radius_m: float
                 ) -> tuple[float, float, float | None, float | None]:
    """(lat_min, lat_max, lon_min, lon_max) holding every point within radius_m; the
    longitude bounds are None when the box reaches a pole or crosses the 180° meridian."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    lat_min, lat_max = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    cos_lat = math.cos(math.radians(max(abs(lat_min), abs(lat_max))))
    if cos_lat < 1e-6:
        return lat_min, lat_max, None, None
    dlon = radius_m / (METRES_PER_DEGREE_LON * cos_lat)
    if lon - dlon < -180 or lon + dlon > 180:
        return lat_min, lat_max, None, None
    return lat_min, lat_max, lon - dlon, lon + dlon


def find_nearby(
    db: Session, *, scope: str, lat: float, lon: float, radius_m: float, max_radius_m: float,
    site_type: str | None = None, include_closed: bool = False, limit: int = 50,
) -> dict:
    """Sites of the caller's subtree within radius_m of a WGS-84 point, nearest first."""
    if radius_m > max_radius_m:
        raise field_error("radius_m", f"At most {max_radius_m:g} metres.", location="query")
    lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, radius_m)
    stmt = select(Site.id, Site.lat, Site.lon).where(
        Site.lat.between(lat_min, lat_max), in_subtree(Site.region_code, scope))
    if lon_min is not None:
        stmt = stmt.where(Site.lon.between(lon_min, lon_max))
    if site_type:
        stmt = stmt.where(Site.site_type == site_type)
    if not include_closed:
        stmt = stmt.where(Site.status != SITE_CLOSED)
    measured = sorted(
        (distance, str(site_id), site_id) for site_id, site_lat, site_lon in db.execute(stmt)
        if (distance := distance_m((lat, lon), (site_lat, site_lon))) <= radius_m
    )[:limit]
    return {"center": {"lat": lat, "lon": lon}, "radius_m": radius_m,
            "items": _load(db, measured)}


def _load(db: Session, measured: list[tuple[float, str, uuid.UUID]]) -> list[Site]:
    """The nearest sites, each with its `distance_m`, in the order measured."""
    ids = [site_id for _, _, site_id in measured]
    sites = {site.id: site for site in db.scalars(select(Site).where(Site.id.in_(ids)))}
    items = []
    for distance, _, site_id in measured:
        site = sites[site_id]
        site.distance_m = round(distance, 1)  # shown by NearbySiteSchema; not a column
        items.append(site)
    return items
