"""A world built for the counting rules' edge cases, with the figures worked out by hand.

October 2026 (China time) in 宝山区 310113 and its sibling 静安区 310106 (上海, a municipality:
no city level), and 虎丘区 320505 in 苏州市 320500 (江苏 320000) for the recycling rate.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from service.db import utcnow
from service.stats.compute import compute_period
from service.stats.periods import parse
from tests.stats.factories import china, inspected

TARGETS = {"publication_point_coverage": 0.4, "recycling_device_coverage": 0.5,
           "rectification_on_time": 1.0, "disclosure_timeliness": 1.0}


@pytest.fixture
def world(make):
    w = SimpleNamespace()
    site = make.site
    # 宝山区 express outlets: who is active during October, and who counts as inspected
    w.a = site(region_code="310113")                                  # 00:30 on Oct 1
    inspected(make, w.a, china(2026, 10, 1, 0, 30))                     # = Sep 30 UTC
    w.b = site(region_code="310113", opened_on=date(2026, 10, 15))     # opened mid-month
    w.c = site(region_code="310113", closed_on=date(2026, 10, 10), status="closed")
    inspected(make, w.c, china(2026, 10, 3))                            # twice: one site
    inspected(make, w.c, china(2026, 10, 8))
    w.d = site(region_code="310113", closed_on=date(2026, 9, 30), status="closed")
    inspected(make, w.d, china(2026, 10, 5))                            # closed before Oct
    w.e = site(region_code="310113", status="suspended")               # 停业整顿, still counted
    w.e_voided = inspected(make, w.e, china(2026, 10, 6), status="voided")
    w.f = site(region_code="310113", opened_on=date(2026, 11, 1))      # not yet open
    w.g = site(region_code="310113")
    inspected(make, w.g, china(2026, 10, 31, 23, 59))                   # last minute of Oct
    w.h = site(region_code="310113")
    inspected(make, w.h, china(2026, 11, 1, 0, 10))                     # = Oct 31 UTC: Nov
    # 静安区, the sibling district
    w.s1 = site(region_code="310106")
    inspected(make, w.s1, china(2026, 10, 12))
    w.s2 = site(region_code="310106")
    _publication_points(make, w)
    _recycling(make, w)
    return w


def _publication_points(make, w):
    def outlet(region="310113", **fields):
        return make.site(region_code=region, site_type="postal_outlet", **fields)

    def point(host, **fields):
        return make.site(region_code=host.region_code, site_type="publication_point",
                         host_site_id=host.id, **fields)

    w.p1 = outlet()
    point(w.p1)                                          # hosts an active point: counts
    w.p2 = outlet()
    point(w.p2, opened_on=date(2026, 1, 1), closed_on=date(2026, 10, 31))  # closed on last day
    w.p3 = outlet(closed_on=date(2026, 10, 31), status="closed")           # not active at end
    point(w.p3)
    w.p4 = outlet(urban=False)                                              # rural: not counted
    point(w.p4)
    w.p5 = outlet()
    point(w.p5)
    point(w.p5)                                          # two points: one outlet
    w.p6 = outlet()
    point(w.p6, opened_on=date(2026, 11, 2))             # opens after the period
    w.p7 = outlet(region="310106")                       # 静安区: none hosted


def _recycling(make, w):
    major = make.enterprise(region_code="320500", is_major_brand=True)
    minor = make.enterprise(region_code="320500", is_major_brand=False, brand="宅急送")

    def site(**fields):
        return make.site(region_code="320505", enterprise_id=fields.pop("ent", major).id,
                         **fields)

    w.r1 = site()
    inspected(make, w.r1, china(2026, 9, 20), recycling="pass")
    inspected(make, w.r1, china(2026, 10, 20), recycling="fail")      # latest: fail
    w.r2 = site(site_type="express_terminal", registration_number="BA-001")
    inspected(make, w.r2, china(2026, 10, 5), recycling="fail")
    inspected(make, w.r2, china(2026, 10, 25), recycling="pass")      # latest: pass
    w.r3 = site()
    inspected(make, w.r3, china(2026, 10, 10), recycling="pass")      # latest up to the end
    inspected(make, w.r3, china(2026, 11, 1, 0, 30), recycling="fail")  # Nov in China time
    w.r4 = site()
    inspected(make, w.r4, china(2026, 10, 2), recycling="fail")
    inspected(make, w.r4, china(2026, 10, 28), recycling="pass", status="voided")
    w.r5 = site(ent=minor)                                             # not a major brand
    inspected(make, w.r5, china(2026, 10, 9), recycling="pass")
    w.r6 = site()                                                      # never inspected
    w.r7 = site(closed_on=date(2026, 10, 31), status="closed")         # not active at end
    inspected(make, w.r7, china(2026, 10, 9), recycling="pass")


@pytest.fixture
def computed(db, world):
    """October, Q4 and 2026 computed over the world."""
    for key in ("2026-10", "2026-Q4", "2026"):
        compute_period(db, period=parse(key), targets=TARGETS, now=utcnow())
    return world
