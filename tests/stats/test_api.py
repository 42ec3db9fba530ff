"""The statistics API: the caller's jurisdiction, subtotals, nulls, the gap, bad input."""

from __future__ import annotations

from service.common.access import ANALYST, SUPERVISOR


def test_a_city_analyst_reads_shanghai_with_its_districts(make, as_user, computed):
    api = as_user(make.user(role=ANALYST, region_code="310000"))
    answer = api.get("/api/v1/stats/coverage?period=2026-10&rate=inspection_coverage"
                     "&site_type=express_outlet")
    assert answer.status_code == 200, answer.json
    rows = {row["region_code"]: row for row in answer.json["items"]}
    assert rows["310000"]["is_total"] and (rows["310000"]["numerator"],
                                           rows["310000"]["denominator"]) == (4, 8)
    assert rows["310113"]["value"] == 0.5
    # 奉贤区 has no sites: listed, with no value rather than 0% or 100%
    assert (rows["310120"]["denominator"], rows["310120"]["value"]) == (0, None)


def test_a_district_analyst_cannot_read_its_neighbour(make, as_user, computed):
    api = as_user(make.user(role=ANALYST, region_code="310113"))
    assert api.get("/api/v1/stats/coverage?period=2026-10&region_code=310106"
                   ).status_code == 404
    assert api.get("/api/v1/stats/monthly?month=2026-10&region_code=310000"
                   ).status_code == 404


def test_monthly_statistics_and_trend(make, as_user, computed):
    api = as_user(make.user(role=ANALYST, region_code="310000"))
    answer = api.get("/api/v1/stats/monthly?month=2026-10").json
    total = answer["items"][0]
    assert total["region_code"] == "310000" and total["figures"]["inspections"] == 6
    assert total["rates"]["publication_point_coverage"] == 0.4
    baoshan = next(row for row in answer["items"] if row["region_code"] == "310113")
    assert baoshan["figures"]["sites_inspected"] == 4
    # nothing in the world is enforced: the casework counts are 0, the rates no value
    assert baoshan["figures"]["cases_filed"] == 0
    assert baoshan["rates"]["disclosure_timeliness"] is None
    trend = api.get("/api/v1/stats/monthly/trend?month=2026-10&region_code=310113").json
    months = [item["month"] for item in trend["items"]]
    assert months[0] == "2025-11" and months[-1] == "2026-10" and len(months) == 12
    assert trend["items"][-1]["figures"]["inspections"] == 5
    assert trend["items"][0]["figures"]["inspections"] is None   # never computed


def test_the_gap_lists_uninspected_sites_by_district_and_type_page_by_page(
        make, as_user, world):
    api = as_user(make.user(role=SUPERVISOR, region_code="310113"))
    seen, cursor = [], None
    while True:
        url = "/api/v1/stats/gap?period=2026-10&site_type=express_outlet&limit=2"
        page = api.get(url + (f"&cursor={cursor}" if cursor else "")).json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # B (opened mid-month), E (suspended, voided inspection), H (inspected in November)
    assert sorted(seen) == sorted(str(s.id) for s in (world.b, world.e, world.h))
    summary = api.get("/api/v1/stats/gap/summary?period=2026-10").json
    counts = {(item["district"], item["site_type"]): item["uninspected"]
              for item in summary["items"]}
    assert counts[("310113", "express_outlet")] == 3


def test_bad_periods_are_422_naming_the_field(make, as_user):
    api = as_user(make.user(role=ANALYST, region_code="310113"))
    answer = api.get("/api/v1/stats/coverage?period=2026-13")
    assert answer.status_code == 422 and "period" in answer.json["errors"]["query"]
    answer = api.get("/api/v1/stats/monthly?month=2026-Q4")
    assert answer.status_code == 422 and "month" in answer.json["errors"]["query"]


def test_an_inspector_reads_no_statistics(make, as_user):
    api = as_user(make.user(region_code="310113"))
    assert api.get("/api/v1/stats/coverage?period=2026-10").status_code == 403


def test_a_recompute_request_computes_the_period(make, as_user, world, db):
    from service.stats.models import CoverageSnapshot

    api = as_user(make.user(role=ANALYST, region_code="310113"))
    assert api.post("/api/v1/stats/recompute", json={"period": "2026-10"}).status_code == 202
    row = db.get(CoverageSnapshot, ("2026-10", "310113", "express_outlet",
                                    "inspection_coverage"))
    assert (row.numerator, row.denominator) == (3, 6)
