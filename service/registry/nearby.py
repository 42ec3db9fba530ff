"""Sites near a point in ONE query: an indexed bounding box on (lat, lon), an approximate
distance to filter, sort and limit in the database, then geodesic distances (geographiclib, on the
WGS-84 ellipsoid) for the returned rows only.

Works the same on SQLite and PostgreSQL (no PostGIS). The approximation is equirectangular
with the ellipsoid's local scales at the centre, computed here in Python and sent as
constants, so the SQL is plain arithmetic. Within the largest radius (50 km) at China's
latitudes it is off by well under 2 %; the query keeps rows up to APPROXIMATION_MARGIN beyond
the radius and SLACK_ROWS beyond the limit, so the exact distances decide membership and order.
"""

from __future__ import annotations

import math
from functools import lru_cache

from sqlalchemy import Connection, Select, and_, bindparam, or_, select, true

from service.common.errors import field_error
from service.common.geo import distance_m
from service.common.regions import subtree_range
from service.db import row_dicts
from service.registry import sites as registry_sites
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


#: the approximate distance may be this much shorter than the geodesic one (see above)
APPROXIMATION_MARGIN = 1.02
#: extra rows fetched beyond the limit, so the exact distances pick and order the nearest
SLACK_ROWS = 10
#: WGS-84 semi-major axis (m) and first eccentricity squared
_A, _E2 = 6_378_137.0, 6.694_379_990_14e-3


def metres_per_degree(lat: float) -> tuple[float, float]:
    """(north-south, east-west) metres per degree at latitude `lat` on the WGS-84 ellipsoid."""
    phi = math.radians(lat)
    w = math.sqrt(1 - _E2 * math.sin(phi) ** 2)
    meridional = _A * (1 - _E2) / w ** 3
    prime_vertical = _A / w
    return math.radians(meridional), math.radians(prime_vertical * math.cos(phi))


def find_nearby(
    connection: Connection, *, scope: str, lat: float, lon: float, radius_m: float,
    max_radius_m: float,
    site_type: str | None = None, include_closed: bool = False, limit: int = 50,
) -> dict:
    """Sites of the caller's subtree within radius_m of a WGS-84 point, nearest first."""
    if radius_m > max_radius_m:
        raise field_error("radius_m", f"At most {max_radius_m:g} metres.", location="query")
    lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, radius_m)
    lowest, bound = subtree_range(scope)
    north, east = metres_per_degree(lat)
    # A cross-district task lends its site to its assignees (service.registry.sites)
    caller = registry_sites.borrower_of(scope)
    stmt = _statement(lowest is not None, bound is not None, site_type is not None,
                      include_closed, lon_min is not None, caller is not None)
    values = {"caller": caller,
              "lat_min": lat_min, "lat_max": lat_max, "lon_min": lon_min, "lon_max": lon_max,
              "lowest": lowest, "bound": bound, "site_type": site_type, "closed": SITE_CLOSED,
              "lat": lat, "lon": lon, "north": north, "east": east,
              "reach": (radius_m * APPROXIMATION_MARGIN) ** 2, "rows": limit + SLACK_ROWS}
    rows = row_dicts(connection.execute(stmt, values))
    measured = sorted(
        ((distance, str(row["id"])), row) for row in rows
        if (distance := distance_m((lat, lon), (row["lat"], row["lon"]))) <= radius_m
    )[:limit]
    # each site's columns, and its distance (shown by NearbySiteSchema; not a column)
    return {"center": {"lat": lat, "lon": lon}, "radius_m": radius_m,
            "items": [row | {"distance_m": round(distance, 1)} for (distance, _), row in measured]}


@lru_cache(maxsize=64)
def _statement(lower_bounded: bool, upper_bounded: bool, typed: bool, include_closed: bool,
               boxed: bool, lent: bool) -> Select:
    """The search's SELECT for one combination of filters, built once per process with
    every value a bound parameter (building it per request cost more than running it).
    Every column of the table, read as Core rows: no ORM objects to build."""
    site = Site.__table__.c
    stmt = select(Site.__table__).where(
        site.lat.between(bindparam("lat_min"), bindparam("lat_max")))
    region = []
    if lower_bounded:
        region.append(site.region_code >= bindparam("lowest"))
    if upper_bounded:
        region.append(site.region_code < bindparam("bound"))
    if region and lent:
        lent_ids = registry_sites.lent_site_ids_of(bindparam("caller"))
        stmt = stmt.where(or_(and_(true(), *region), site.id.in_(lent_ids)))
    elif region:
        stmt = stmt.where(*region)
    if typed:
        stmt = stmt.where(site.site_type == bindparam("site_type"))
    if not include_closed:
        stmt = stmt.where(site.status != bindparam("closed"))
    if boxed:
        # Squared approximate metres; where the box reaches a pole or the 180° meridian the
        # plane approximation fails, and every row of the latitude band is measured instead.
        dy = (site.lat - bindparam("lat")) * bindparam("north")
        dx = (site.lon - bindparam("lon")) * bindparam("east")
        squared = dy * dy + dx * dx
        stmt = (stmt.where(site.lon.between(bindparam("lon_min"), bindparam("lon_max")),
                           squared <= bindparam("reach"))
                .order_by(squared, site.id).limit(bindparam("rows")))
    return stmt
