"""The record of a case's steps (全过程记录) cannot be rewritten: the database refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError

from service.enforcement.models import CaseStep
from tests.enforcement.helpers import days_ago

STEPS = CaseStep.__table__


@pytest.mark.parametrize("statement", [
    lambda case_id: update(STEPS).where(STEPS.c.case_id == case_id).values(reason="补签"),
    lambda case_id: delete(STEPS).where(STEPS.c.case_id == case_id),
], ids=["update", "delete"])
def test_a_case_step_cannot_be_edited_or_removed(case, db, statement):
    case.move("approve_filing", on=days_ago(39), reason="同意立案")
    with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
        db.connection().execute(statement(case.id))
    reasons = db.scalars(select(CaseStep.reason).where(CaseStep.case_id == case.id)
                         .order_by(CaseStep.seq))
    assert list(reasons) == [None, "同意立案"]
    assert db.scalar(select(func.count()).select_from(STEPS)
                     .where(STEPS.c.case_id == case.id)) == 2
