"""Date and time fields for what clients send: marshmallow's, held to years the service
can compute with, so a date at the calendar's edge is a 422 naming the field, not a 500
when it is moved to UTC or a day is added to it. Loaded fields use these (a test checks)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import marshmallow as ma

#: the moments and days the API accepts: wide enough for any record, far from the edges
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
RANGE_ERROR = f"Must lie between {EARLIEST.isoformat()} and {LATEST.isoformat()}."

RFC3339_ERRORS = {
    "invalid": "Not a valid RFC 3339 time; send e.g. 2026-03-02T10:15:00+08:00.",
    "invalid_awareness": "The time needs an offset (e.g. +08:00 or Z): RFC 3339, "
                         "so the server knows which moment the phone meant.",
}


def in_range(moment: datetime) -> bool:
    """True for an aware moment whose UTC day lies between EARLIEST and LATEST."""
    try:
        return EARLIEST <= moment.astimezone(UTC).date() <= LATEST
    except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00 is before year 1 in UTC
        return False


def moment_from_text(text: str) -> datetime:
    """An aware moment within range from ISO 8601 text (cursors); ValueError otherwise."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None or not in_range(moment):
        raise ValueError(RANGE_ERROR)
    return moment


class AwareDateTime(ma.fields.AwareDateTime):
    """An RFC 3339 time with an offset, between 1900 and 2999 in UTC."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "iso")
        kwargs["error_messages"] = {**RFC3339_ERRORS, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not in_range(moment):
            raise ma.ValidationError(RANGE_ERROR)
        return moment


class Date(ma.fields.Date):
    """An ISO 8601 calendar day between 1900 and 2999."""

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST <= day <= LATEST:
            raise ma.ValidationError(RANGE_ERROR)
        return day
