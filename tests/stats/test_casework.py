"""The enforcement rates and the monthly casework counts against figures worked out by hand
(tests/stats/casework_world.py), and late enforcement rows marking their past months."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from service.common.access import ANALYST
from service.common.chinatime import china_today
from service.db import utcnow
from service.enforcement.models import RECT_COMPLETED
from service.enforcement.publicity import publication_due, publish_case
from service.stats import logic
from service.stats.models import CoverageSnapshot, DirtyMonth, MonthlyFigure
from tests.stats.casework_world import case, summons
from tests.stats.world import TARGETS


def rate(db, name, period, region, site_type="all"):
    row = db.get(CoverageSnapshot, (period, region, site_type, name), populate_existing=True)
    return None if row is None else (row.numerator, row.denominator, row.value, row.met)


def figure(db, name, month="2026-10", region="310113"):
    row = db.get(MonthlyFigure, (month, region, name), populate_existing=True)
    return None if row is None else row.value


def marked(db) -> list[str]:
    db.flush()
    return list(db.scalars(select(DirtyMonth.month).order_by(DirtyMonth.month)))


def test_the_seventh_working_day_follows_the_official_calendar():
    # across the National Day holiday (1-7 Oct 2026), counting Saturday 10 Oct (调休)
    assert publication_due(date(2026, 9, 30)) == date(2026, 10, 15)
    assert publication_due(date(2026, 10, 9)) == date(2026, 10, 19)


def test_disclosure_timeliness_counts_decisions_published_by_the_seventh_working_day(
        db, casework_computed):
    # October, 宝山区: K1 published on its 7th working day (timely), K2 a day later;
    # K3 never published; K4's decision was dismissed (not counted); the enterprise-wide
    # K7 in time; the suspensions K10 and K11 unpublished
    assert rate(db, "disclosure_timeliness", "2026-10", "310113", "express_outlet") == (
        1, 2, 0.5, False)
    assert rate(db, "disclosure_timeliness", "2026-10", "310113", "express_terminal")[:2] == (
        0, 1)
    assert rate(db, "disclosure_timeliness", "2026-10", "310113", "enterprise") == (
        1, 1, 1.0, True)
    assert rate(db, "disclosure_timeliness", "2026-10", "310113", "sorting_center")[:2] == (0, 2)
    assert rate(db, "disclosure_timeliness", "2026-10", "310113")[:2] == (2, 6)
    # 静安区: decided Saturday 31 Oct, published Monday 2 Nov
    assert rate(db, "disclosure_timeliness", "2026-10", "310106") == (1, 1, 1.0, True)
    # 上海 is the sum of its sibling districts
    assert rate(db, "disclosure_timeliness", "2026-10", "310000")[:2] == (3, 7)
    assert rate(db, "disclosure_timeliness", "2026-10", "000000")[:2] == (3, 7)


def test_a_decision_published_across_the_holiday_counts_for_its_own_month(
        db, casework_computed):
    # K8 and K9, decided 30 Sep: published 15 Oct (the 7th working day) and 16 Oct
    assert rate(db, "disclosure_timeliness", "2026-09", "310113", "express_outlet") == (
        1, 2, 0.5, False)
    assert rate(db, "disclosure_timeliness", "2026-Q3", "310113")[:2] == (1, 2)
    assert rate(db, "disclosure_timeliness", "2026-Q4", "310113")[:2] == (2, 6)
    assert rate(db, "disclosure_timeliness", "2026", "310113")[:2] == (3, 8)


def test_rectification_on_time_counts_orders_due_in_the_period(db, casework_computed):
    # due in October: O1 completed on its due date; O2 a day late, O3 open, O4 escalated
    assert rate(db, "rectification_on_time", "2026-10", "310113", "express_outlet") == (
        1, 4, 0.25, False)
    assert rate(db, "rectification_on_time", "2026-10", "310106") == (1, 1, 1.0, True)
    assert rate(db, "rectification_on_time", "2026-10", "310000") == (2, 5, 0.4, False)
    # O5 (issued in October) is due in November, and was completed early
    assert rate(db, "rectification_on_time", "2026-11", "310113", "express_terminal")[:2] == (
        1, 1)
    assert rate(db, "rectification_on_time", "2026-Q4", "310113")[:2] == (2, 5)
    # nothing due in September: no row, which the API answers as no value
    assert rate(db, "rectification_on_time", "2026-09", "310113") is None


def test_monthly_casework_counts(db, casework_computed):
    # filed: K2 (1 Oct) and K6; closed: K1, K3 (summary), K4 (dismissed after its decision)
    # and K6 (transferred) — not K5, a lead dropped before filing
    assert figure(db, "cases_filed") == 2
    assert figure(db, "cases_filed", "2026-09") == 7
    assert figure(db, "cases_closed") == 4
    # fines: K1, K2, K7 (K4's was dismissed, K3 a warning): 5,000 + 200 + 1,000 yuan
    assert (figure(db, "fines_count"), figure(db, "fines_sum_fen")) == (3, 620_000)
    assert figure(db, "transfers") == 1
    # two suspension decisions of one sorting centre
    assert figure(db, "suspended_sites") == 1
    # issued in October: O2, O3, O4, O5 to three sites; due and on time: O1
    assert (figure(db, "orders_issued"), figure(db, "orders_issued_sites")) == (4, 3)
    assert figure(db, "orders_completed_on_time") == 1
    assert figure(db, "summons") == 1
    assert figure(db, "summons", "2026-09") == 1


def test_casework_counts_add_up_the_tree(db, casework_computed):
    assert figure(db, "cases_filed", region="310106") == 1
    assert (figure(db, "fines_count", region="310000"),
            figure(db, "fines_sum_fen", region="310000")) == (4, 670_000)
    assert (figure(db, "orders_issued", region="310000"),
            figure(db, "orders_issued_sites", region="310000")) == (5, 4)
    assert figure(db, "orders_completed_on_time", region="310000") == 2
    # the city bureau's own summons counts for 上海 and the nation, in no district
    assert figure(db, "summons", region="310000") == 2
    assert figure(db, "summons", region="000000") == 2
    assert figure(db, "cases_closed", region="000000") == 4


def test_green_outlets_are_counted_as_stock_at_the_months_end(db, casework_computed):
    # September: the outlet green since January (it closes on 31 Oct); October: S1 (green
    # from 15 Oct) — the closed one is not active at October's end, S2 turns green in Nov
    assert figure(db, "stock_green_outlets", "2026-09") == 1
    assert figure(db, "stock_green_outlets") == 1
    assert figure(db, "stock_green_outlets", "2026-11") == 2


def test_publishing_a_past_decision_marks_its_month_and_the_worker_applies_it(
        db, casework_computed):
    db.execute(delete(DirtyMonth))
    publish_case(db, scope="310113", case_id=casework_computed.k3.id, on=date(2026, 10, 20))
    assert marked(db) == ["2026-10"]
    recomputed = logic.recompute_dirty(db, targets=TARGETS, now=utcnow())
    assert {"2026-10", "2026-Q4", "2026"} <= set(recomputed)
    assert marked(db) == []
    assert rate(db, "disclosure_timeliness", "2026-10", "310113")[:2] == (3, 6)
    assert rate(db, "disclosure_timeliness", "2026-Q4", "310113")[:2] == (3, 6)


def test_a_late_completion_and_a_dismissal_mark_the_months_they_count_in(
        db, casework_computed):
    w = casework_computed
    db.execute(delete(DirtyMonth))
    w.o3.status, w.o3.completed_on = RECT_COMPLETED, date(2026, 10, 30)   # due 31 Oct
    assert marked(db) == ["2026-10"]
    w.k2.status = "dismissed"                                               # decided 9 Oct
    assert marked(db) == ["2026-10"]
    logic.recompute_dirty(db, targets=TARGETS, now=utcnow())
    assert rate(db, "rectification_on_time", "2026-10", "310113")[:2] == (2, 4)
    assert figure(db, "orders_completed_on_time") == 2
    assert (figure(db, "fines_count"), figure(db, "fines_sum_fen")) == (2, 600_000)


def test_a_change_to_a_case_not_loaded_still_marks_its_decision_month(db, casework_computed):
    k3 = casework_computed.k3
    db.execute(delete(DirtyMonth))
    db.expire(k3)                      # as after a commit: nothing of it loaded
    k3.published_on = date(2026, 10, 20)
    assert marked(db) == ["2026-10"]


def test_a_late_case_marks_only_its_own_months_and_todays_work_marks_none(
        db, make, casework_computed):
    w = casework_computed
    db.execute(delete(DirtyMonth))
    case(make, w.s1, status="filed", filed_on=date(2026, 9, 29))     # recorded late
    assert marked(db) == ["2026-09"]
    db.execute(delete(DirtyMonth))
    summons(make, enterprise=make.enterprise(), site=w.s1, held_on=china_today())
    assert marked(db) == []


def test_the_api_reads_the_enforcement_figures_in_the_callers_jurisdiction(
        make, as_user, casework_computed):
    api = as_user(make.user(role=ANALYST, region_code="310000"))
    answer = api.get("/api/v1/stats/monthly?month=2026-10").json
    assert "pending_figures" not in answer
    total, rows = answer["items"][0], {row["region_code"]: row for row in answer["items"]}
    assert total["figures"]["fines_sum_fen"] == 670_000
    assert total["rates"]["rectification_on_time"] == 0.4
    assert rows["310113"]["rates"]["disclosure_timeliness"] == 2 / 6
    assert answer["labels"]["cases_filed"] == "立案数"
    coverage = api.get("/api/v1/stats/coverage?period=2026-10&rate=disclosure_timeliness"
                       "&region_code=310113&site_type=enterprise").json
    assert "pending_rates" not in coverage
    item = coverage["items"][0]
    assert (item["numerator"], item["denominator"], item["target"], item["met"]) == (
        1, 1, 1.0, True)
    trend = api.get("/api/v1/stats/monthly/trend?month=2026-11&region_code=310113").json
    by_month = {item["month"]: item for item in trend["items"]}
    assert by_month["2026-09"]["figures"]["cases_filed"] == 7
    assert by_month["2026-10"]["figures"]["cases_filed"] == 2
    assert by_month["2026-08"]["figures"]["cases_filed"] is None    # never computed
    district = as_user(make.user(role=ANALYST, region_code="310106"))
    assert district.get("/api/v1/stats/monthly?month=2026-10&region_code=310113"
                        ).status_code == 404
