"""Coverage rates against figures worked out by hand (tests/stats/conftest.py's world)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.db import utcnow
from service.stats.compute import compute_period
from service.stats.models import CoverageSnapshot, MonthlyFigure
from service.stats.periods import parse
from tests.stats.world import TARGETS


def rate(db, rate_name, period, region, site_type="all"):
    row = db.get(CoverageSnapshot, (period, region, site_type, rate_name))
    return None if row is None else (row.numerator, row.denominator, row.value, row.met)


def test_inspection_coverage_counts_sites_active_during_october_with_a_counting_inspection(
        db, computed):
    # A (00:30 on Oct 1, China time), C (twice, closed Oct 10) and G (23:59 Oct 31) count;
    # B (opened Oct 15) and E (suspended, only a voided inspection) and H (inspected at
    # 00:10 Nov 1 China time) are active but not covered; D (closed Sep 30) and F (opens
    # Nov 1) are not active during October.
    assert rate(db, "inspection_coverage", "2026-10", "310113", "express_outlet") == (
        3, 6, 0.5, None)
    assert rate(db, "inspection_coverage", "2026-10", "310106", "express_outlet") == (
        1, 2, 0.5, None)


def test_inspection_coverage_adds_up_the_tree_and_over_types(db, computed):
    # 宝山区 also has 6 postal outlets and 6 publication points active in October, none
    # inspected: 3 of 18 sites over all types.
    assert rate(db, "inspection_coverage", "2026-10", "310113", "postal_outlet")[:3] == (
        0, 6, 0.0)
    assert rate(db, "inspection_coverage", "2026-10", "310113")[:2] == (3, 18)
    # 上海 (municipality: its districts lie directly in 310000) = 宝山 + 静安 express outlets
    assert rate(db, "inspection_coverage", "2026-10", "310000", "express_outlet")[:2] == (4, 8)
    assert db.get(CoverageSnapshot, ("2026-10", "310100", "all", "inspection_coverage")) is None
    # 苏州市 and 江苏省 carry 虎丘区's rows, the nation everyone's
    city = rate(db, "inspection_coverage", "2026-10", "320500")
    assert city == rate(db, "inspection_coverage", "2026-10", "320505")
    assert rate(db, "inspection_coverage", "2026-10", "320000") == city
    national = rate(db, "inspection_coverage", "2026-10", "000000")
    assert national[1] == rate(db, "inspection_coverage", "2026-10", "310000")[1] + city[1]


def test_quarter_and_year_use_their_own_bounds(db, computed):
    # Q4: F (opened Nov 1) is active and H's Nov 1 inspection counts: A, C, G, H of 7.
    assert rate(db, "inspection_coverage", "2026-Q4", "310113", "express_outlet")[:2] == (4, 7)
    # 2026: D (closed Sep 30) was active during the year, and inspected in it: 5 of 8.
    assert rate(db, "inspection_coverage", "2026", "310113", "express_outlet")[:2] == (5, 8)


def test_publication_point_coverage_counts_urban_outlets_hosting_an_active_point(db, computed):
    # P1 and P5 (two points, one outlet) of P1, P2 (its point closed on the last day), P5, P6
    # (point opens after the period); P3 closed on the last day and P4 is rural.
    assert rate(db, "publication_point_coverage", "2026-10", "310113", "postal_outlet") == (
        2, 4, 0.5, True)
    assert rate(db, "publication_point_coverage", "2026-10", "310106", "postal_outlet") == (
        0, 1, 0.0, False)
    # 2 of 5 in 上海 is exactly the 40% target: met
    shanghai = db.get(CoverageSnapshot, ("2026-10", "310000", "postal_outlet",
                                         "publication_point_coverage"))
    assert (shanghai.numerator, shanghai.denominator, shanghai.met) == (2, 5, True)
    assert shanghai.target == 0.4


def test_recycling_coverage_reads_the_latest_counting_inspection_up_to_the_end(db, computed):
    # outlets R1 (latest fails), R3 (passes; the Nov 1 00:30 fail is after the end),
    # R4 (latest pass voided: the fail before counts), R6 (never inspected); R5 is not a
    # major brand, R7 closed on the last day. The terminal R2's latest passes.
    assert rate(db, "recycling_device_coverage", "2026-10", "320505", "express_outlet")[:2] == (
        1, 4)
    assert rate(db, "recycling_device_coverage", "2026-10", "320505", "express_terminal")[:2] == (
        1, 1)
    assert rate(db, "recycling_device_coverage", "2026-10", "320500") == (2, 5, 0.4, False)


def test_a_denominator_of_zero_is_no_value(db, computed):
    # 奉贤区 has no sites: no row, which the API answers as null (see test_api)
    assert rate(db, "inspection_coverage", "2026-10", "310120") is None
    compute_period(db, period=parse("2026-03"), targets=TARGETS, now=utcnow())
    # in March A, C, D, E, G, H were open and nobody inspected them: 0%, not null
    assert rate(db, "inspection_coverage", "2026-03", "310113", "express_outlet") == (
        0, 6, 0.0, None)


def test_a_repeated_run_leaves_exactly_one_snapshot(db, computed):
    before = db.scalar(select(func.count()).select_from(CoverageSnapshot))
    compute_period(db, period=parse("2026-10"), targets=TARGETS, now=utcnow())
    assert db.scalar(select(func.count()).select_from(CoverageSnapshot)) == before
    assert rate(db, "inspection_coverage", "2026-10", "310113", "express_outlet")[:2] == (3, 6)


def test_a_run_that_fails_midway_leaves_the_previous_snapshot(db, computed, make):
    first = db.get(CoverageSnapshot, ("2026-10", "310113", "express_outlet",
                                      "inspection_coverage")).computed_at
    make.site(region_code="310113")  # the next run would see 7 sites
    with pytest.raises(RuntimeError), db.begin_nested():
        compute_period(db, period=parse("2026-10"), targets=TARGETS, now=utcnow())
        raise RuntimeError("worker killed")
    db.expire_all()
    row = db.get(CoverageSnapshot, ("2026-10", "310113", "express_outlet",
                                    "inspection_coverage"))
    assert (row.denominator, row.computed_at) == (6, first)


def test_monthly_figures_count_inspections_sites_and_stock(db, computed):
    def figure(name, region="310113"):
        row = db.get(MonthlyFigure, ("2026-10", region, name))
        return None if row is None else row.value

    # A, C ×2, D, G (E's is voided, H's is November): 5 inspections of 4 sites
    assert figure("inspections") == 5
    assert figure("sites_inspected") == 4
    assert figure("inspections", "310000") == 6      # + 静安 S1
    # express outlets active at the end of October: A, B, E, G, H
    assert figure("stock_express_outlets") == 5
    # 工作点 hosted by postal outlets active at the end: P1, P3's, P4's, P5 ×2 (P2's closed
    # on the last day, P6's opens in November)
    assert figure("stock_publication_points") == 5
    assert figure("stock_registered_terminals", "320505") == 1
    assert db.get(MonthlyFigure, ("2026-10", "310113", "quarter")) is None


def test_each_rate_has_rows_only_for_the_types_it_counts(db, computed):
    """One scan serves every site rate, yet a rate stores no row for a type it never counts
    (no 扫黄打非 coverage of express outlets, no recycling coverage of lockers)."""
    stored = set(db.execute(select(CoverageSnapshot.rate, CoverageSnapshot.site_type)
                            .where(CoverageSnapshot.period_key == "2026-10")).all())
    by_rate: dict[str, set] = {}
    for rate, site_type in stored:
        by_rate.setdefault(rate, set()).add(site_type)
    assert by_rate["publication_point_coverage"] == {"postal_outlet"}
    assert by_rate["recycling_device_coverage"] <= {"express_outlet", "express_terminal", "all"}
    assert "all" in by_rate["inspection_coverage"]
