"""Enforcement rows built for the counting rules' edge cases, figures worked out by hand.

Cases, decisions, rectification orders, suspensions and summons stored as the enforcement
steps leave them (`publish_due_on` from the same official-calendar function the decision
step uses), in 宝山区 310113 and its sibling 静安区 310106 (上海 310000 has no city level),
September and October 2026 (China-time dates).

The National Day holiday of 2026 runs 1–7 October; Sunday 20 September and Saturday
10 October are adjusted working days (调休). So:
- a decision of Wed 30 September is due for publication on Thu 15 October (8, 9, 10 Sat,
  12, 13, 14, 15), where a Monday-to-Friday count would end on Fri 9 October;
- a decision of Fri 9 October is due on Mon 19 October (10 Sat, 12–16, 19), where a
  Monday-to-Friday count would end on Tue 20 October.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from service.db import utcnow
from service.enforcement.models import (
    RECT_COMPLETED,
    RECT_ESCALATED,
    RECT_OPEN,
    Case,
    Rectification,
    Summons,
    Suspension,
)
from service.enforcement.publicity import publication_due
from service.stats.compute import compute_period
from service.stats.periods import parse
from tests.stats.world import TARGETS

_serial = iter(range(1, 10_000))


def case(make, site, *, region_code=None, enterprise=None, status="closed",
         procedure="ordinary", filed_on=None, decided_on=None, published_on=None,
         closed_on=None, fine_fen=None, measures=None, transferred_on=None, **fields) -> Case:
    """A case as its steps leave it; decided ones carry their publication due date."""
    region = region_code or site.region_code
    officer = make.user(role="supervisor", region_code=region)
    row = Case(region_code=region, bureau_code=region, site_id=site.id if site else None,
               enterprise_id=(enterprise.id if enterprise else site.enterprise_id if site
                              else None),
               source="inspection", procedure=procedure, status=status,
               title=f"案件{next(_serial)}", party_kind="organisation", party_name="测试快递",
               measures=measures or (["fine"] if fine_fen else ["warning"] if decided_on
                                     else []),
               fine_fen=fine_fen, filed_on=filed_on, decided_on=decided_on,
               publish_due_on=publication_due(decided_on) if decided_on else None,
               published_on=published_on, closed_on=closed_on, transferred_on=transferred_on,
               police_agency="公安分局" if transferred_on else None, opened_by_id=officer.id,
               **fields)
    make.db.add(row)
    make.db.flush()
    return row


def order(make, site, *, issued_on, due_on, status=RECT_OPEN, completed_on=None):
    officer = make.user(role="supervisor", region_code=site.region_code)
    row = Rectification(site_id=site.id, region_code=site.region_code,
                        bureau_code=site.region_code, items=[], issued_on=issued_on,
                        due_on=due_on, number=f"测改〔2026〕{next(_serial)}号", status=status,
                        completed_on=completed_on, issued_by_id=officer.id)
    make.db.add(row)
    make.db.flush()
    return row


def summons(make, *, enterprise, held_on, site=None, region_code=None):
    region = region_code or site.region_code
    officer = make.user(role="supervisor", region_code=region)
    row = Summons(enterprise_id=enterprise.id, site_id=site.id if site else None,
                  region_code=region, bureau_code=region, held_on=held_on, subject="约谈",
                  number=f"测约〔2026〕{next(_serial)}号", recorded_by_id=officer.id)
    make.db.add(row)
    make.db.flush()
    return row


def suspended(make, site, *, decided_on):
    row = case(make, site, status="executing", filed_on=date(2026, 9, 1),
               decided_on=decided_on, measures=["suspension"],
               suspension_from=decided_on, suspension_until=date(2026, 12, 31))
    make.db.add(Suspension(case_id=row.id, site_id=site.id, starts_on=decided_on,
                           ends_on=date(2026, 12, 31)))
    make.db.flush()
    return row


@pytest.fixture
def casework(make):
    w = SimpleNamespace()
    site = make.site
    # 宝山区: s1, s2 express outlets, s3 a terminal, s4 a sorting centre; 静安区: t1
    w.s1 = site(region_code="310113", green_since=date(2026, 10, 15))   # green mid-October
    w.s2 = site(region_code="310113", green_since=date(2026, 11, 3))    # green in November
    w.s3 = site(region_code="310113", site_type="express_terminal", registration_number="T1")
    w.s4 = site(region_code="310113", site_type="sorting_center")
    site(region_code="310113", green_since=date(2026, 1, 1), closed_on=date(2026, 10, 31),
         status="closed")                                                # closed on the last day
    w.t1 = site(region_code="310106")
    _cases(make, w)
    _orders(make, w)
    _summons(make, w)
    return w


def _cases(make, w):
    # K1: filed in September, decided Fri 9 Oct with a 5,000 yuan fine, published on its 7th
    # working day (Mon 19 Oct, counting the adjusted Saturday 10 Oct): timely; closed 30 Oct
    w.k1 = case(make, w.s1, filed_on=date(2026, 9, 25), decided_on=date(2026, 10, 9),
                published_on=date(2026, 10, 19), closed_on=date(2026, 10, 30), fine_fen=500_000)
    # K2: filed on 1 Oct (a holiday), decided 9 Oct, published Tue 20 Oct: one working day
    # late (a Monday-to-Friday count would call it timely)
    w.k2 = case(make, w.s2, status="executing", filed_on=date(2026, 10, 1),
                decided_on=date(2026, 10, 9), published_on=date(2026, 10, 20), fine_fen=20_000)
    # K3: a summary-procedure warning on the spot (never filed), never published; closed
    w.k3 = case(make, w.s3, procedure="summary", decided_on=date(2026, 10, 15),
                closed_on=date(2026, 10, 16))
    # K4: decided with a fine, then dismissed: no decision, no fine; it did close
    w.k4 = case(make, w.s1, status="dismissed", filed_on=date(2026, 9, 10),
                decided_on=date(2026, 10, 20), fine_fen=300_000, closed_on=date(2026, 10, 25))
    # K5: a lead dropped before filing: never a case
    w.k5 = case(make, w.s2, status="dismissed", closed_on=date(2026, 10, 12))
    # K6: filed 5 Oct, transferred to the police on 22 Oct (which closes it)
    w.k6 = case(make, w.s2, status="transferred", filed_on=date(2026, 10, 5),
                transferred_on=date(2026, 10, 22), closed_on=date(2026, 10, 22))
    # K7: a decision on an enterprise as a whole (no site), 1,000 yuan, published in time
    w.k7 = case(make, None, region_code="310113", enterprise=make.enterprise(),
                filed_on=date(2026, 9, 20), decided_on=date(2026, 10, 12),
                published_on=date(2026, 10, 14), fine_fen=100_000, status="executing")
    # K8, K9: decided Wed 30 Sep, due Thu 15 Oct across the holiday: K8 published on the
    # 15th (timely), K9 on the 16th (late)
    w.k8 = case(make, w.s1, status="executing", filed_on=date(2026, 9, 1),
                decided_on=date(2026, 9, 30), published_on=date(2026, 10, 15), fine_fen=10_000)
    w.k9 = case(make, w.s2, status="executing", filed_on=date(2026, 9, 2),
                decided_on=date(2026, 9, 30), published_on=date(2026, 10, 16))
    # K10, K11: two suspension decisions of one site in October (one site: 1 家)
    w.k10 = suspended(make, w.s4, decided_on=date(2026, 10, 28))
    w.k11 = suspended(make, w.s4, decided_on=date(2026, 10, 29))
    # 静安区 K12: decided Sat 31 Oct, published Mon 2 Nov: timely
    w.k12 = case(make, w.t1, status="executing", filed_on=date(2026, 10, 10),
                 decided_on=date(2026, 10, 31), published_on=date(2026, 11, 2), fine_fen=50_000)


def _orders(make, w):
    # O1 issued in September, due 10 Oct, completed on the due date: on time
    w.o1 = order(make, w.s1, issued_on=date(2026, 9, 20), due_on=date(2026, 10, 10),
                 status=RECT_COMPLETED, completed_on=date(2026, 10, 10))
    # O2 completed a day late; O3 still open; O4 escalated to a case
    w.o2 = order(make, w.s1, issued_on=date(2026, 10, 8), due_on=date(2026, 10, 20),
                 status=RECT_COMPLETED, completed_on=date(2026, 10, 21))
    w.o3 = order(make, w.s2, issued_on=date(2026, 10, 9), due_on=date(2026, 10, 31))
    w.o4 = order(make, w.s2, issued_on=date(2026, 10, 12), due_on=date(2026, 10, 25),
                 status=RECT_ESCALATED)
    # O5 issued in October, due (and completed early) in November
    w.o5 = order(make, w.s3, issued_on=date(2026, 10, 15), due_on=date(2026, 11, 5),
                 status=RECT_COMPLETED, completed_on=date(2026, 11, 1))
    # 静安区 O6: on time
    w.o6 = order(make, w.t1, issued_on=date(2026, 10, 3), due_on=date(2026, 10, 13),
                 status=RECT_COMPLETED, completed_on=date(2026, 10, 12))


def _summons(make, w):
    enterprise = make.enterprise()
    summons(make, enterprise=enterprise, site=w.s1, held_on=date(2026, 10, 1))
    summons(make, enterprise=enterprise, site=w.s2, held_on=date(2026, 9, 30))
    # held by the city bureau about the enterprise as a whole: counts for 上海 only
    summons(make, enterprise=enterprise, region_code="310000", held_on=date(2026, 10, 15))


CASEWORK_PERIODS = ("2026-09", "2026-10", "2026-11", "2026-Q3", "2026-Q4", "2026")


@pytest.fixture
def casework_computed(db, casework):
    for key in CASEWORK_PERIODS:
        compute_period(db, period=parse(key), targets=TARGETS, now=utcnow())
    return casework
