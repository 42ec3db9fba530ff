"""Coordinates: Chinese map datums to WGS-84 (prcoords) and geodesic distances (geographiclib,
the algorithm geopy's `geodesic` runs)."""

from __future__ import annotations

from collections.abc import Mapping

import marshmallow as ma
import prcoords
from geographiclib.geodesic import Geodesic

from service.common.api import Derived, Schema

CRS_VALUES = ("wgs84", "gcj02", "bd09")


def to_wgs84(lat: float, lon: float, crs: str) -> tuple[float, float]:
    """WGS-84 (lat, lon) for a point given in `crs`.

    GCJ-02 (高德, 腾讯) and BD-09 (百度) are inverted with prcoords' iterative ("bored")
    methods, accurate to centimetres. Both datums exist only within China: a point outside
    is a ValueError, since it can only be a client's mistake.
    """
    if crs == "wgs84":
        return lat, lon
    if not in_china(lat, lon):
        raise ValueError(f"{crs} coordinates exist only within China; send WGS-84 (wgs84)")
    if crs == "gcj02":
        point = prcoords.gcj_wgs_bored((lat, lon))
    elif crs == "bd09":
        point = prcoords.bd_wgs_bored((lat, lon))
    else:
        raise ValueError(f"unknown crs {crs!r}")
    return point.lat, point.lon


def in_china(lat: float, lon: float) -> bool:
    """Within the box where GCJ-02 and BD-09 are defined (prcoords' own test)."""
    return prcoords.sanity_in_china_p(prcoords.Coords(lat, lon))


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in metres on the WGS-84 ellipsoid: the number geopy's `geodesic(a,
    b)` gives, asked of geographiclib for the distance alone (geopy also builds two Points
    and every other output of the inverse problem: ~40 % more per distance)."""
    return Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)["s12"]


class LocationSchema(Schema):
    """A point as phones send it: any of the three datums, stored as WGS-84."""

    lat = ma.fields.Float(required=True, validate=ma.validate.Range(-90, 90),
                          metadata={"example": 31.4056})
    lon = ma.fields.Float(required=True, validate=ma.validate.Range(-180, 180),
                          metadata={"example": 121.4896})
    crs = ma.fields.String(
        load_default="wgs84", validate=ma.validate.OneOf(CRS_VALUES),
        metadata={"description": "Datum of lat/lon: wgs84 (GPS), gcj02 (高德/腾讯), "
                                 "bd09 (百度). Answers are always WGS-84."},
    )

    @ma.post_load
    def _to_wgs84(self, data, **_kwargs):
        try:
            data["lat"], data["lon"] = to_wgs84(data["lat"], data["lon"], data["crs"])
        except ValueError as exc:
            raise ma.ValidationError(str(exc), field_name="crs") from exc
        data["crs"] = "wgs84"
        return data


class LocationOutSchema(Schema):
    lat = ma.fields.Float(metadata={"example": 31.4056})
    lon = ma.fields.Float(metadata={"example": 121.4896})
    crs = ma.fields.Constant("wgs84")


class StoredLocationField(Derived):
    """A row's `location` read from its own lat/lon columns (stored as WGS-84)."""

    def __init__(self, **kwargs):
        super().__init__(LocationOutSchema, lambda row: row, **kwargs)

    def _serialize(self, nested_obj, attr, obj, **kwargs):
        """What LocationOutSchema dumps of the row, without a nested dump per row (a page
        of sites spent a tenth of its dump there)."""
        if type(nested_obj) is dict or isinstance(nested_obj, Mapping):  # a Core row, a dict
            lat, lon = nested_obj["lat"], nested_obj["lon"]
        else:
            lat, lon = nested_obj.lat, nested_obj.lon
        return {"lat": None if lat is None else float(lat),
                "lon": None if lon is None else float(lon), "crs": "wgs84"}
