"""The arithmetic of an inspection: body hash, score, location check, rule of two.

Plain functions over plain values, so each rule reads (and is tested) on its own.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from service.common.geo import distance_m
from service.inspections.models import CONDITION_PRESENT, NOT_APPLICABLE, PASS, REMOTE

#: certified officers an enforcement step needs (《行政处罚法》2021, art. 42)
ENFORCEMENT_MIN_OFFICERS = 2


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


#: fields added after the first release, left out of the hash while they hold their default,
#: so a phone retrying a body it sent before they existed is still recognised
_LATER_DEFAULTS = {"site_condition": CONDITION_PRESENT, "campaign_id": None,
                   "partner_officers": []}


def canonical_body(data: dict) -> dict:
    """The validated body in one canonical form: UTC times, sorted answers and inspectors."""
    body = {key: value for key, value in _plain(data).items()
            if key not in _LATER_DEFAULTS or value != _LATER_DEFAULTS[key]}
    body["answers"] = sorted(body["answers"], key=lambda answer: answer["item_code"])
    body["inspector_ids"] = sorted(body["inspector_ids"])
    return body


def body_hash(data: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of a validated submission."""
    text = json.dumps(canonical_body(data), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def score(weights: dict[str, int], answers: dict[str, str]) -> float | None:
    """100 × passed weight / applicable weight (量化百分制); None when nothing applies."""
    applicable = sum(weights[code] for code, answer in answers.items()
                     if answer != NOT_APPLICABLE)
    if applicable == 0:
        return None
    passed = sum(weights[code] for code, answer in answers.items() if answer == PASS)
    return round(100 * passed / applicable, 2)


@dataclass(frozen=True)
class LocationCheck:
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    distance_m: float | None
    anomaly: bool


def checks_location(kind: str) -> bool:
    """Whether an inspection of this kind happens at the site: all but remote ones (非现场检查
    through video links), whose position and photos' positions say nothing about presence."""
    return kind != REMOTE


def unchecked_location(location: dict | None) -> LocationCheck:
    """A remote inspection's reported position, kept as given, with no distance or anomaly."""
    if location is None:
        return LocationCheck(None, None, None, None, anomaly=False)
    return LocationCheck(location["lat"], location["lon"], location.get("accuracy_m"), None,
                         anomaly=False)


def check_location(site: tuple[float, float], location: dict | None,
                   radius_m: float) -> LocationCheck:
    """Distance from the site; an anomaly beyond radius + accuracy, or with no position."""
    if location is None:
        return LocationCheck(None, None, None, None, anomaly=True)
    point = (location["lat"], location["lon"])
    accuracy = location.get("accuracy_m")
    distance = distance_m(site, point)
    allowed = radius_m + (accuracy or 0.0)
    return LocationCheck(point[0], point[1], accuracy, round(distance, 1),
                         anomaly=distance > allowed)


def enforcement_ready(inspectors: Iterable, day: date) -> bool:
    """Two or more of the inspectors hold a certificate (执法证) valid on `day`."""
    certified = [user for user in inspectors if user.certificate_valid_on(day)]
    return len(certified) >= ENFORCEMENT_MIN_OFFICERS
