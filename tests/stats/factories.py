"""Inspections stored as they are after submission, at exact finish times, for counting."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from service.common.chinatime import CHINA
from service.inspections.models import Inspection, InspectionAnswer
from tests.checklists import factories as checklists


def china(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """An aware moment given in China time."""
    return datetime(year, month, day, hour, minute, tzinfo=CHINA)


def inspected(make, site, finished: datetime, *, status: str = "completed",
              recycling: str | None = None, submitter=None,
              inspection_id: uuid.UUID | None = None) -> Inspection:
    """A completed (or voided) inspection of `site` finished at `finished`."""
    submitter = submitter or make.user(region_code=site.region_code)
    template = checklists.current(make.db, "express_outlet")
    inspection = Inspection(
        id=inspection_id or uuid.uuid4(), site_id=site.id, region_code=site.region_code,
        template_id=template.id, kind="routine", status=status,
        started_at=finished - timedelta(minutes=30),
        finished_at=finished, completed_at=finished.astimezone(UTC), request_hash="0" * 64,
        submitted_by_id=submitter.id, revision=0)
    if recycling:
        inspection.answers.append(InspectionAnswer(item_code="recycling_device",
                                                   answer=recycling))
    make.db.add(inspection)
    make.db.flush()
    return inspection
