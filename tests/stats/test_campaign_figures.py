"""A campaign's figures (专项行动): the monthly statistics counted over what carries the
campaign, against figures worked out by hand, through the API and the export.

The world is tests/stats/casework_world.py (宝山区 310113, 静安区 310106, October 2026) with
上海's campaign C laid over some of its rows, another campaign D of 上海 over one more, and
a few inspections.
"""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
import requests
from openpyxl import load_workbook

from service.common.access import ANALYST
from service.stats.figures import CAMPAIGN_FIGURES, counted
from service.stats.periods import parse
from tests.campaigns.factories import campaign
from tests.stats.casework_world import summons
from tests.stats.factories import china, inspected

MONTHLY = "/api/v1/stats/monthly"
OCTOBER = {"month": "2026-10"}


def _campaign(make, region: str, **fields):
    return campaign(make, region, period_start=date(2026, 9, 1), period_end=date(2026, 12, 31),
                    **fields)


def _serving(make, row, served):
    row.campaign_id = served.id
    make.db.flush()
    return row


@pytest.fixture
def campaigns(make, casework):
    w = SimpleNamespace(world=casework)
    w.c = _campaign(make, "310000", name="“清风·实名寄递”专项行动",
                    region_codes=["310113", "310106"])
    w.d = _campaign(make, "310000", name="两会安保", region_codes=["310113"])
    w.beijing = _campaign(make, "110000", name="北京的专项行动")
    w.baoshan = _campaign(make, "310113", name="宝山区的专项行动")
    c, s = w.c, casework
    # inspections of C in October: S1 twice and S3 in 宝山, T1 in 静安; not counted: a voided
    # one of C, one of C in September, one of D and one of no campaign
    for site, day in ((s.s1, 5), (s.s1, 20), (s.s3, 8), (s.t1, 10)):
        _serving(make, inspected(make, site, china(2026, 10, day)), c)
    _serving(make, inspected(make, s.s2, china(2026, 10, 6), status="voided"), c)
    _serving(make, inspected(make, s.s2, china(2026, 9, 30)), c)
    _serving(make, inspected(make, s.s2, china(2026, 10, 7)), w.d)
    inspected(make, s.s4, china(2026, 10, 7))
    # cases of C: K1 (filed Sep, decided 9 Oct, 5,000 yuan, closed 30 Oct), K4 (decision
    # dismissed, closed 25 Oct), K6 (filed 5 Oct, transferred and closed 22 Oct), K10 (a
    # suspension of S4, 28 Oct), 静安's K12 (filed 10 Oct, decided 31 Oct, 500 yuan); D: K2
    for row in (s.k1, s.k4, s.k6, s.k10, s.k12):
        _serving(make, row, c)
    _serving(make, s.k2, w.d)
    # orders of C: O1 (due 10 Oct, on time), O2 (issued 8 Oct, late), O3 (issued 9 Oct, open),
    # 静安's O6 (issued 3 Oct, on time); D: O4
    for row in (s.o1, s.o2, s.o3, s.o6):
        _serving(make, row, c)
    _serving(make, s.o4, w.d)
    # summons held in C's cases: K1's (宝山, 1 Oct) and K12's (静安, 20 Oct); one in D's K2
    enterprise = make.enterprise()
    summons(make, enterprise=enterprise, site=s.s1, held_on=date(2026, 10, 1)).case_id = s.k1.id
    summons(make, enterprise=enterprise, site=s.t1, held_on=date(2026, 10, 20)).case_id = \
        s.k12.id
    summons(make, enterprise=enterprise, site=s.s2, held_on=date(2026, 10, 21)).case_id = s.k2.id
    make.db.flush()
    return w


#: campaign C in October, worked out by hand from the fixture's comments
EXPECTED = {
    "310113": {"inspections": 3, "sites_inspected": 2, "cases_filed": 1, "cases_closed": 3,
               "fines_count": 1, "fines_sum_fen": 500_000, "orders_issued": 2,
               "orders_issued_sites": 2, "orders_completed_on_time": 1, "suspended_sites": 1,
               "transfers": 1, "summons": 1},
    "310106": {"inspections": 1, "sites_inspected": 1, "cases_filed": 1, "cases_closed": 0,
               "fines_count": 1, "fines_sum_fen": 50_000, "orders_issued": 1,
               "orders_issued_sites": 1, "orders_completed_on_time": 1, "suspended_sites": 0,
               "transfers": 0, "summons": 1},
}
EXPECTED["310000"] = {name: EXPECTED["310113"][name] + EXPECTED["310106"][name]
                      for name in CAMPAIGN_FIGURES}


def test_a_campaigns_figures_count_only_what_carries_it(db, campaigns):
    rows = counted(parse("2026-10"), campaigns.c.id).subquery()
    found: dict = {}
    for code, figure, value in db.execute(rows.select()
                                          .with_only_columns(rows.c.region_code, rows.c.figure,
                                                             rows.c.value)):
        found.setdefault(code, {})[figure] = value
    for code, figures in EXPECTED.items():
        assert {name: found.get(code, {}).get(name, 0) for name in CAMPAIGN_FIGURES} == figures
    assert found["000000"]["fines_sum_fen"] == 550_000
    # the registry stock carries no campaign
    assert not any(name.startswith("stock_") for name in found["310000"])
    # D: one inspection, K2 (filed 1 Oct, decided 9 Oct, 200 yuan), O4 (issued 12 Oct) and
    # the summons held in K2
    other = counted(parse("2026-10"), campaigns.d.id).subquery()
    d = dict(db.execute(other.select().with_only_columns(other.c.figure, other.c.value)
                        .where(other.c.region_code == "310113")).all())
    assert (d["inspections"], d["fines_count"], d["fines_sum_fen"], d["orders_issued"],
            d["summons"], d.get("cases_filed", 0)) == (1, 1, 20_000, 1, 1, 1)


def test_the_api_reads_a_campaigns_figures_in_the_callers_jurisdiction(
        make, as_user, campaigns):
    city = as_user(make.user(role=ANALYST, region_code="310000"))
    answer = city.get(MONTHLY, query_string={**OCTOBER, "campaign_id": str(campaigns.c.id)})
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["campaign"]["name"] == "“清风·实名寄递”专项行动"
    assert set(body["labels"]) == set(CAMPAIGN_FIGURES)
    assert body["labels"]["fines_sum_fen"] == "罚款金额（分）"
    rows = {item["region_code"]: item for item in body["items"]}
    assert body["items"][0]["is_total"] and body["items"][0]["region_code"] == "310000"
    for code, figures in EXPECTED.items():
        assert rows[code]["figures"] == figures
        assert rows[code]["rates"] == {}
    assert rows["310115"]["figures"]["inspections"] == 0     # 浦东: nothing of C
    # without the campaign: the snapshot (never computed here), every figure null
    plain = city.get(MONTHLY, query_string=OCTOBER).json
    assert plain["campaign"] is None and plain["items"][0]["figures"]["inspections"] is None
    # a district sees the city's campaign, in its own district only
    jingan = as_user(make.user(role=ANALYST, region_code="310106"))
    own = jingan.get(MONTHLY, query_string={**OCTOBER, "campaign_id": str(campaigns.c.id)})
    assert own.status_code == 200
    assert own.json["items"][0]["figures"] == EXPECTED["310106"]
    assert jingan.get(MONTHLY, query_string={**OCTOBER, "campaign_id": str(campaigns.c.id),
                                             "region_code": "310113"}).status_code == 404
    # another district's campaign, another province's, or none at all: 404
    for hidden in (campaigns.baoshan.id, campaigns.beijing.id):
        refused = jingan.get(MONTHLY, query_string={**OCTOBER, "campaign_id": str(hidden)})
        assert refused.status_code == 404, refused.json
    assert city.get(MONTHLY, query_string={**OCTOBER, "campaign_id": str(campaigns.beijing.id)}
                    ).status_code == 404
    assert city.get(MONTHLY, query_string={**OCTOBER, "campaign_id": "not-a-uuid"}
                    ).status_code == 422


def _sheet(job):
    """The file's sheet with the values Excel shows (the 合计 row's SUMs as cached)."""
    content = requests.get(job["download_url"], timeout=10).content
    return load_workbook(io.BytesIO(content), data_only=True).active


def _export(api, **body):
    answer = api.post("/api/v1/exports", json=body)
    assert answer.status_code == 202, answer.json
    return api.get(f"/api/v1/exports/{answer.json['id']}").json


def test_a_campaigns_figures_export_with_fines_in_yuan(make, as_user, campaigns):
    city = as_user(make.user(role=ANALYST, region_code="310000"))
    job = _export(city, kind="campaign_statistics", format="xlsx", month="2026-10",
                  campaign_id=str(campaigns.c.id))
    assert job["status"] == "done", job
    assert job["filename"] == f"专项行动统计-310000-{str(campaigns.c.id)[:8]}-2026-10.xlsx"
    sheet = _sheet(job)
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["区域代码", "区域", "检查次数"]
    money = headers.index("罚款金额（元）")
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["310113"][2] == 3 and rows["310113"][money] == 5000
    assert rows["310106"][money] == 500
    assert rows["合计"][money] == 5500
    baoshan = next(r for r in range(2, sheet.max_row + 1)
                   if sheet.cell(row=r, column=1).value == "310113")
    assert sheet.cell(row=baoshan, column=money + 1).number_format == "#,##0.00"
    csv = _export(city, kind="campaign_statistics", format="csv", month="2026-10",
                  campaign_id=str(campaigns.c.id))
    lines = requests.get(csv["download_url"], timeout=10).content.decode("utf-8-sig")
    by_code = {line.split(",")[0]: line.split(",") for line in lines.splitlines()[1:]}
    assert by_code["310113"][money] == "5000.00" and by_code["合计"][money] == "5500.00"
    # a campaign the caller does not see: 404; none named: 422 naming it
    refused = city.post("/api/v1/exports", json={"kind": "campaign_statistics",
                                                 "month": "2026-10",
                                                 "campaign_id": str(campaigns.beijing.id)})
    assert refused.status_code == 404, refused.json
    missing = city.post("/api/v1/exports", json={"kind": "campaign_statistics",
                                                 "month": "2026-10"})
    assert missing.status_code == 422 and "campaign_id" in missing.json["errors"]["json"]


def test_the_monthly_statistics_export_shows_fines_in_yuan(make, as_user, casework_computed):
    """上海 October: 5,000 + 200 + 1,000 yuan in 宝山 (K1, K2, K7), 500 in 静安 (K12)."""
    city = as_user(make.user(role=ANALYST, region_code="310000"))
    job = _export(city, kind="monthly_statistics", format="xlsx", month="2026-10")
    sheet = _sheet(job)
    headers = [cell.value for cell in sheet[1]]
    assert "罚款金额（分）" not in headers
    money = headers.index("罚款金额（元）")
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (rows["310113"][money], rows["310106"][money], rows["合计"][money]) == (
        6200, 500, 6700)
    assert sheet.cell(row=2, column=money + 1).number_format == "#,##0.00"
    csv = _export(city, kind="monthly_statistics", format="csv", month="2026-10")
    lines = requests.get(csv["download_url"], timeout=10).content.decode("utf-8-sig")
    by_code = {line.split(",")[0]: line.split(",") for line in lines.splitlines()[1:]}
    assert by_code["310113"][money] == "6200.00" and by_code["合计"][money] == "6700.00"
    assert by_code["310115"][money] == "0.00"
