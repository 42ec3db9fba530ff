"""The recycling-device rate over the kept passes (service.stats.recycling): voids, late
inspections and ties, against the latest counting inspection worked out by hand; and the
kept rows against those the migration's backfill computes from the inspections alone."""

from __future__ import annotations

import importlib.util
import random
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Uuid, column, select, text

from service.db import UTCDateTime, utcnow
from service.inspections.lifecycle import void_inspection
from service.stats.compute import compute_period
from service.stats.models import CoverageSnapshot, RecyclingPass
from service.stats.periods import parse
from service.stats.recycling import passing_at, rebuilt
from tests.stats.factories import china, inspected
from tests.stats.world import TARGETS

#: 吴中区: no site of the other worlds lies there, so its figures are this file's sites alone
REGION = "320506"
MIGRATION = (Path(__file__).resolve().parents[2] / "migrations" / "versions"
             / "0014_recycling_passes.py")


def recycling(db, period: str) -> tuple[int, int]:
    """The period computed now: (numerator, denominator) of the district's express outlets."""
    compute_period(db, period=parse(period), targets=TARGETS, now=utcnow())
    row = db.get(CoverageSnapshot, (period, REGION, "express_outlet",
                                    "recycling_device_coverage"), populate_existing=True)
    return row.numerator, row.denominator


def void(db, make, inspection) -> None:
    supervisor = make.user(role="supervisor", region_code=REGION)
    void_inspection(db, scope=REGION, user=supervisor, inspection_id=inspection.id,
                    reason="录入错误")
    db.flush()


def kept(db) -> set[tuple]:
    db.flush()
    return set(db.execute(select(RecyclingPass.inspection_id, RecyclingPass.site_id,
                                 RecyclingPass.finished_at, RecyclingPass.superseded_at)))


def from_scratch(db) -> set[tuple]:
    return set(db.execute(rebuilt()))


def ordered_ids(n: int) -> list[uuid.UUID]:
    return sorted(uuid.uuid4() for _ in range(n))


def test_voiding_the_latest_makes_the_previous_answer_count_again(db, make):
    x, y = make.site(region_code=REGION), make.site(region_code=REGION)
    inspected(make, x, china(2026, 10, 5), recycling="pass")
    x_latest = inspected(make, x, china(2026, 10, 20), recycling="fail")
    inspected(make, y, china(2026, 10, 3), recycling="fail")
    y_latest = inspected(make, y, china(2026, 10, 21), recycling="pass")
    assert recycling(db, "2026-10") == (1, 2)              # y's latest passes
    void(db, make, x_latest)
    assert recycling(db, "2026-10") == (2, 2)              # x's pass of Oct 5 again
    void(db, make, y_latest)
    assert recycling(db, "2026-10") == (1, 2)              # y's fail of Oct 3 again
    assert kept(db) == from_scratch(db)


def test_voiding_the_only_inspection_leaves_the_site_uncounted(db, make):
    only = inspected(make, make.site(region_code=REGION), china(2026, 10, 5), recycling="pass")
    assert recycling(db, "2026-10") == (1, 1)
    void(db, make, only)
    assert recycling(db, "2026-10") == (0, 1)
    assert kept(db) == set()


def test_a_late_inspection_changes_its_month_and_the_months_after_until_the_next_one(
        db, make):
    site = make.site(region_code=REGION)
    inspected(make, site, china(2026, 9, 10), recycling="pass")
    inspected(make, site, china(2026, 12, 5), recycling="fail")
    assert [recycling(db, month) for month in ("2026-10", "2026-11")] == [(1, 1), (1, 1)]
    # stored today, finished in October: its fail is the latest at the end of Oct and Nov
    inspected(make, site, china(2026, 10, 25), recycling="fail")
    assert [recycling(db, month) for month in ("2026-10", "2026-11")] == [(0, 1), (0, 1)]
    # a late pass in November, before the December fail already stored
    inspected(make, site, china(2026, 11, 20), recycling="pass")
    assert [recycling(db, month) for month in ("2026-10", "2026-11", "2026-12")] == [
        (0, 1), (1, 1), (0, 1)]
    assert recycling(db, "2026-Q4") == (0, 1)              # the quarter ends with December
    assert kept(db) == from_scratch(db)


def test_two_inspections_finishing_at_the_same_instant_are_ordered_by_id(db, make):
    same = china(2026, 10, 15, 9, 30)
    x, y = make.site(region_code=REGION), make.site(region_code=REGION)
    x_first, x_second = ordered_ids(2)
    inspected(make, x, same, recycling="fail", inspection_id=x_first)
    x_later = inspected(make, x, same, recycling="pass", inspection_id=x_second)
    y_first, y_second = ordered_ids(2)
    inspected(make, y, same, recycling="pass", inspection_id=y_first)
    y_later = inspected(make, y, same, recycling="fail", inspection_id=y_second)
    assert recycling(db, "2026-10") == (1, 2)              # x: the larger id passes
    void(db, make, x_later)
    assert recycling(db, "2026-10") == (0, 2)              # x: the other one, a fail
    void(db, make, y_later)
    assert recycling(db, "2026-10") == (1, 2)              # y: the other one, a pass
    assert kept(db) == from_scratch(db)


def test_within_one_second_the_later_fraction_is_the_later_inspection(db, make):
    site = make.site(region_code=REGION)
    second = china(2026, 10, 15, 9, 30)
    larger, smaller = reversed(ordered_ids(2))
    # the pass finished 0.8 s later but has the smaller id: the finish time decides
    inspected(make, site, second + timedelta(microseconds=100_000), recycling="fail",
              inspection_id=larger)
    inspected(make, site, second + timedelta(microseconds=900_000), recycling="pass",
              inspection_id=smaller)
    assert recycling(db, "2026-10") == (1, 1)
    assert kept(db) == from_scratch(db)


def test_a_latest_inspection_without_the_item_passes_nothing(db, make):
    site = make.site(region_code=REGION)
    inspected(make, site, china(2026, 10, 5), recycling="pass")
    inspected(make, site, china(2026, 10, 9))               # answered no recycling item
    assert recycling(db, "2026-10") == (0, 1)
    assert kept(db) == from_scratch(db)


def test_the_kept_passes_are_what_the_migrations_backfill_computes(db, make, computed):
    """Over the edge-case world, and over random histories with ties and voids: the rows the
    hook keeps are, at every step, the rows computed from the inspections alone (the
    migration's SQL and the bench's), and a period's passing sites are those whose latest
    counting inspection before its end (by finish time, then id) passed."""
    spec = importlib.util.spec_from_file_location("migration_0014", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    backfill = text(migration.PASSES).columns(
        column("id", Uuid), column("site_id", Uuid), column("finished_at", UTCDateTime),
        column("superseded_at", UTCDateTime))
    assert kept(db) == from_scratch(db) == set(db.execute(backfill))

    chance = random.Random(20261201)
    sites = [make.site(region_code=REGION) for _ in range(4)]
    moments = [china(2026, 9, 25) + timedelta(days=chance.randrange(0, 70)) for _ in range(6)]
    history = []
    for _ in range(24):
        history.append(inspected(
            make, chance.choice(sites), chance.choice(moments),     # ties on purpose
            recycling=chance.choice(["pass", "pass", "fail", None]),
            status=chance.choice(["completed"] * 5 + ["voided"])))
        if chance.random() < 0.3:
            counting = [one for one in history if one.status == "completed"]
            if counting:
                void(db, make, chance.choice(counting))
        assert kept(db) == from_scratch(db)
    for month in ("2026-09", "2026-10", "2026-11", "2026-12"):
        end = parse(month).utc_bounds()[1]
        expected = set()
        for site in sites:
            before = [one for one in history if one.site_id == site.id
                      and one.status == "completed" and one.finished_at < end]
            if before:
                latest = max(before, key=lambda one: (one.finished_at, one.id))
                if any(a.item_code == "recycling_device" and a.answer == "pass"
                       for a in latest.answers):
                    expected.add(site.id)
        passing = set(db.scalars(select(passing_at(end).subquery().c.site_id)))
        assert passing & {site.id for site in sites} == expected
        assert recycling(db, month) == (len(expected), len(sites))
