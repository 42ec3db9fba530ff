"""Late inspections and voids mark past months; the worker's recomputation picks them up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from service.db import utcnow
from service.inspections.lifecycle import void_inspection
from service.stats import logic
from service.stats.dirty import months_to_mark
from service.stats.models import CoverageSnapshot, DirtyMonth, StatPeriod
from service.stats.periods import month_of
from tests.stats.factories import china, inspected
from tests.stats.world import TARGETS


def marked(db) -> list[str]:
    db.flush()
    return list(db.scalars(select(DirtyMonth.month).order_by(DirtyMonth.month)))


def covered(db, period="2026-10", region="310113"):
    row = db.get(CoverageSnapshot, (period, region, "express_outlet", "inspection_coverage"),
                 populate_existing=True)
    return row.numerator, row.denominator


def test_months_to_mark_run_from_the_late_month_to_the_previous_one():
    current = month_of(date(2027, 1, 15))
    assert months_to_mark([china(2026, 10, 1, 0, 30)], current=current) == [
        "2026-10", "2026-11", "2026-12"]
    assert months_to_mark([china(2027, 1, 3)], current=current) == []   # the current month


def test_voiding_a_past_inspection_marks_its_month_and_recomputing_applies_it(
        db, make, computed):
    db.execute(DirtyMonth.__table__.delete())
    g_inspection = inspected(make, make.site(region_code="310113"), china(2026, 10, 2))
    assert "2026-10" in marked(db)     # a late inspection for October, stored today
    logic.recompute_dirty(db, targets=TARGETS, now=utcnow())
    assert marked(db) == []
    assert covered(db) == (4, 7)
    supervisor = make.user(role="supervisor", region_code="310113")
    void_inspection(db, scope="310113", user=supervisor, inspection_id=g_inspection.id,
                    reason="重复录入")
    assert marked(db)[0] == "2026-10"
    recomputed = logic.recompute_dirty(db, targets=TARGETS, now=utcnow())
    assert {"2026-10", "2026-Q4", "2026"} <= set(recomputed)
    assert covered(db) == (3, 7)
    assert covered(db, "2026-Q4")[0] == 4
    assert db.get(StatPeriod, "2026-10").computed_at is not None


def test_a_mark_renewed_during_a_recomputation_stays(db, make, computed):
    db.execute(DirtyMonth.__table__.delete())
    inspected(make, make.site(region_code="310113"), china(2026, 10, 2))
    early = db.get(DirtyMonth, "2026-10").marked_at
    from service.stats.compute import clear_mark

    inspected(make, make.site(region_code="310113"), china(2026, 10, 3))  # marks again
    clear_mark(db, month="2026-10", marked_at=early)  # the run that read the first mark
    assert "2026-10" in marked(db)


def test_a_draft_marks_nothing(db, make, world):
    db.execute(DirtyMonth.__table__.delete())
    inspected(make, make.site(region_code="310113"), china(2026, 10, 2), status="draft")
    assert marked(db) == []
