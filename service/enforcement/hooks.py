"""What enforcement adds to other features' work, handed in when the feature is imported
(`service/enforcement/__init__.py`; `service/models.py` imports every feature): a completed
re-inspection settles its rectification order in the same transaction as its submission.
Tasks and inspections import nothing of enforcement."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.assignments.completion import on_tasks_completed

#: the inspection kind of a re-inspection (复查), as `rectification.REINSPECTION`
REINSPECTION = "re_inspection"


def settle_rectifications(db: Session, *, inspection) -> None:
    """A re-inspection completed its task: complete or escalate the order at once."""
    from service.enforcement.rectification import settle_orders_of  # the heavy half, lazily

    settle_orders_of(db, inspection=inspection)


on_tasks_completed(REINSPECTION, settle_rectifications)
