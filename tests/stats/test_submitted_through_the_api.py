"""An inspection submitted as a phone submits it (one PUT, the submission logic's one-statement
claim) reaches the statistics' own tables in the same transaction: its recycling pass, and
the past month it arrives late for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from service.stats.models import DirtyMonth, RecyclingPass
from tests.inspections.factories import CHINA_OFFSET, ago, body


def test_a_submitted_pass_is_kept_and_its_late_month_marked(phone, make, db):
    from tests.checklists import factories as checklists

    site = make.site(region_code="310113", lat=31.40, lon=121.48)
    template = checklists.new_version(db, "express_outlet")
    db.commit()
    db.execute(DirtyMonth.__table__.delete())
    db.commit()
    # Finished 40 days ago: always a past month, whatever today is.
    sent = body(site, template, answers={"real_name": "pass", "xray_check": "pass",
                                         "recycling_device": "pass"},
                started_at=ago(days=40, hours=1), finished_at=ago(days=40))
    response = phone.put("/api/v1/inspections/" + "4" * 8 + "-0000-4000-8000-" + "0" * 12,
                         json=sent)
    assert response.status_code == 201, response.json
    db.expire_all()
    passes = db.scalars(select(RecyclingPass.site_id)).all()
    assert passes == [site.id]
    finished = (datetime.now(UTC) - timedelta(days=40)).astimezone(CHINA_OFFSET)
    assert finished.strftime("%Y-%m") in db.scalars(select(DirtyMonth.month)).all()
    again = phone.put(response.request.path, json=sent)  # a retry writes nothing again
    assert again.status_code == 201
    db.expire_all()
    assert db.scalars(select(RecyclingPass.site_id)).all() == [site.id]
