"""What makes an inspection "flagged" for a supervisor's review.

Two reasons: its location (`Inspection.location_anomaly`, decided here at submission), and
its photos (`Photo.has_anomaly`, decided by the evidence feature). Evidence builds on
inspections (a photo belongs to one), so inspections does not import it: the evidence
feature hands its half in with `register_photo_flags()` when it is imported
(`service/evidence/__init__.py`; `service/models.py` imports every feature). This module is
the one place both reasons meet. New evidence reopens a decided review through
`service.inspections.lifecycle.flag_for_review()`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_
from sqlalchemy.orm import Session

from service.inspections.models import Inspection


@dataclass(frozen=True)
class PhotoFlags:
    """The evidence feature's half of "flagged"."""

    #: SQL over inspections: at least one of its photos is flagged
    condition: Callable[[], ColumnElement[bool]]
    #: which of these inspections have a flagged photo
    flagged_ids: Callable[[Session, list[uuid.UUID]], set[uuid.UUID]]


_photo_flags: list[PhotoFlags] = []


def register_photo_flags(flags: PhotoFlags) -> None:
    """(For the evidence feature) how to tell that an inspection has a flagged photo."""
    _photo_flags[:] = [flags]


def photo_anomaly_condition() -> ColumnElement[bool]:
    """SQL: the inspection has at least one photo flagged as anomalous."""
    return _photo_flags[0].condition() if _photo_flags else false()


def flagged_condition() -> ColumnElement[bool]:
    """SQL: flagged for location or for a photo."""
    return or_(Inspection.location_anomaly.is_(True), photo_anomaly_condition())


def inspections_with_photo_anomaly(db: Session, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these inspections have an anomalous photo."""
    if not _photo_flags or not ids:
        return set()
    return _photo_flags[0].flagged_ids(db, ids)
