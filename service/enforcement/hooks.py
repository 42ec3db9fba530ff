"""What enforcement adds to other features' work, handed in when the feature is imported
(`service/enforcement/__init__.py`; `service/models.py` imports every feature): a completed
re-inspection settles its rectification order in the same transaction as its submission;
the audit verifier checks each case step against the entry that recorded it. Tasks,
inspections and the audit trail import nothing of enforcement."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.assignments.completion import on_tasks_completed
from service.audit.rows import register_append_only
from service.enforcement.models import CaseStep

#: the inspection kind of a re-inspection (复查), as `rectification.REINSPECTION`
REINSPECTION = "re_inspection"


def settle_rectifications(db: Session, *, inspection) -> None:
    """A re-inspection completed its task: complete or escalate the order at once."""
    from service.enforcement.rectification import settle_orders_of  # the heavy half, lazily

    settle_orders_of(db, inspection=inspection)


on_tasks_completed(REINSPECTION, settle_rectifications)
# a case's steps are never changed: the audit verifier compares each with its record
register_append_only(CaseStep)
