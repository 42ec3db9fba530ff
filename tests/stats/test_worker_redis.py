"""A real Celery worker on Redis computes snapshots in the real database (PostgreSQL).

The worker runs in a thread with its own engine from DATABASE_URL, so the data it counts is
committed here and removed afterwards (in a district no other test uses: 奉贤区 310120).
"""

from __future__ import annotations

import os
import time
from datetime import date

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from service.auth.models import User
from service.enforcement.models import RECT_COMPLETED, Case, Rectification, Summons
from service.inspections.models import Inspection, InspectionAnswer
from service.registry.models import Enterprise, Site
from service.stats.models import CoverageSnapshot, DirtyMonth, MonthlyFigure, StatPeriod
from service.stats.tasks import compute_period_task
from tests.factories import Factories
from tests.stats.casework_world import case, order, summons
from tests.stats.factories import china, inspected
from tests.workers.redis_worker import REDIS_MARKS

pytestmark = [*REDIS_MARKS,
              pytest.mark.skipif("postgres" not in os.environ.get("DATABASE_URL", ""),
                                 reason="the worker test counts on PostgreSQL")]
REGION = "310120"


@pytest.fixture
def committed(engine):
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    db = factory()
    make = Factories(db)
    sites = [make.site(region_code=REGION), make.site(region_code=REGION,
                                                      opened_on=date(2026, 10, 20))]
    inspected(make, sites[0], china(2026, 10, 1, 0, 30), recycling="pass")
    # casework: a decision published on its 7th working day (across the National Day
    # holiday), one published late, an order completed on its due date, a summons
    timely = case(make, sites[0], status="executing", filed_on=date(2026, 9, 30),
                  decided_on=date(2026, 10, 9), published_on=date(2026, 10, 19),
                  fine_fen=500_000)
    late = case(make, sites[0], status="executing", decided_on=date(2026, 10, 9),
                procedure="summary", published_on=date(2026, 10, 20), fine_fen=20_000)
    rectified = order(make, sites[0], issued_on=date(2026, 10, 8), due_on=date(2026, 10, 20),
                      status=RECT_COMPLETED, completed_on=date(2026, 10, 20))
    held = summons(make, enterprise=db.get(Enterprise, sites[0].enterprise_id),
                   site=sites[0], held_on=date(2026, 10, 15))
    users = {inspection.submitted_by_id for inspection in db.scalars(
        select(Inspection).where(Inspection.site_id.in_([s.id for s in sites])))}
    users |= {timely.opened_by_id, late.opened_by_id, rectified.issued_by_id,
              held.recorded_by_id}
    db.commit()
    yield sites
    ids = [site.id for site in sites]
    db.execute(delete(Summons).where(Summons.site_id.in_(ids)))
    db.execute(delete(Rectification).where(Rectification.site_id.in_(ids)))
    db.execute(delete(Case).where(Case.site_id.in_(ids)))
    inspection_ids = select(Inspection.id).where(Inspection.site_id.in_(ids))
    db.execute(delete(InspectionAnswer).where(InspectionAnswer.inspection_id.in_(inspection_ids)))
    db.execute(delete(Inspection).where(Inspection.site_id.in_(ids)))
    db.execute(delete(Site).where(Site.id.in_(ids)))
    db.execute(delete(Enterprise).where(Enterprise.id.in_([s.enterprise_id for s in sites])))
    db.execute(delete(User).where(User.id.in_(users)))
    for model, column in ((CoverageSnapshot, CoverageSnapshot.period_key),
                          (MonthlyFigure, MonthlyFigure.month),
                          (StatPeriod, StatPeriod.period_key)):
        db.execute(delete(model).where(column == "2026-10"))
    db.execute(delete(DirtyMonth))
    db.commit()
    db.close()


def test_a_worker_on_redis_computes_the_month_in_the_database(redis_celery, committed, engine):
    compute_period_task.delay("2026-10")
    factory = sessionmaker(bind=engine)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with factory() as db:
            if db.scalar(select(StatPeriod.computed_at).where(
                    StatPeriod.period_key == "2026-10")) is not None:
                break
        time.sleep(0.2)
    with factory() as db:
        row = db.get(CoverageSnapshot, ("2026-10", REGION, "express_outlet",
                                        "inspection_coverage"))
        assert (row.numerator, row.denominator, row.value) == (1, 2, 0.5)
        assert db.get(MonthlyFigure, ("2026-10", REGION, "inspections")).value == 1
        # the enforcement rates and counts, computed by the same worker run
        timely = db.get(CoverageSnapshot, ("2026-10", REGION, "all", "disclosure_timeliness"))
        assert (timely.numerator, timely.denominator, timely.value, timely.met) == (
            1, 2, 0.5, False)
        on_time = db.get(CoverageSnapshot, ("2026-10", REGION, "express_outlet",
                                            "rectification_on_time"))
        assert (on_time.numerator, on_time.denominator, on_time.met) == (1, 1, True)
        counts = {name: db.get(MonthlyFigure, ("2026-10", REGION, name)).value
                  for name in ("cases_filed", "fines_count", "fines_sum_fen", "orders_issued",
                               "orders_completed_on_time", "summons")}
        assert counts == {"cases_filed": 0, "fines_count": 2, "fines_sum_fen": 520_000,
                          "orders_issued": 1, "orders_completed_on_time": 1, "summons": 1}
