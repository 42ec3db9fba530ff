"""A plan's results (双随机抽查结果) and the case list (案件清单) as export jobs: 202, progress,
XLSX and CSV with Chinese headers, and another jurisdiction's plan or job is 404."""

from __future__ import annotations

import io
import tempfile

import pytest
import requests
from openpyxl import load_workbook

from service.common.access import ANALYST, INSPECTOR, SUPERVISOR
from service.common.chinatime import china_today
from service.exports import runner
from service.exports.sources import SOURCES
from tests.enforcement.conftest import open_case
from tests.enforcement.helpers import failed_inspection
from tests.plans import factories as plans

PLAN_HEADERS = ["序号", "检查对象名称", "检查对象类型", "地址", "所属区域代码", "所属区域",
                "寄递企业", "统一社会信用代码", "抽查事项", "检查日期", "检查结果", "得分"]
BAOSHAN, JINGAN = "310113", "310106"


def _start(api, **body) -> dict:
    answer = api.post("/api/v1/exports", json=body)
    assert answer.status_code == 202, answer.json
    assert answer.json["status"] == "queued" and answer.json["kind"] == body["kind"]
    return answer.json


def _job(api, started: dict) -> dict:
    job = api.get(f"/api/v1/exports/{started['id']}").json
    assert (job["status"], job["percent"]) == ("done", 100.0), job
    return job


@pytest.fixture
def plan(make, as_user):
    """A Shanghai plan drawn over 宝山 (2 sites) and 静安 (1 site)."""
    plans.sites(make, BAOSHAN, 2)
    plans.sites(make, JINGAN, 1)
    for district in (BAOSHAN, JINGAN):
        plans.inspectors(make, district, 2)
    return plans.drawn(as_user(plans.supervisor(make, "310000")), region_code="310000")


def test_a_plans_results_export_as_xlsx_has_the_published_rows(make, as_user, plan):
    api = as_user(make.user(role=ANALYST, region_code="310000"))
    results = api.get(f"/api/v1/plans/{plan['id']}/results").json["items"]
    job = _job(api, _start(api, kind="plan_results", format="xlsx", plan_id=plan["id"]))
    assert job["params"] == {"plan_id": plan["id"], "region_code": "310000"}
    assert (job["rows_total"], job["rows_written"]) == (3, 3)
    assert job["filename"] == f"双随机抽查结果-310000-{plan['id'][:8]}.xlsx"
    sheet = load_workbook(io.BytesIO(requests.get(job["download_url"], timeout=10).content)
                          ).active
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == PLAN_HEADERS
    assert [(r[0], r[1], r[6], r[10]) for r in rows[1:]] == [
        (i["rank"], i["site_name"], i["enterprise_name"], "未检查") for i in results]
    assert sheet.cell(row=2, column=1).number_format == "#,##0"


def test_a_plans_results_export_as_csv_is_utf8_with_a_bom(make, as_user, plan):
    api = as_user(make.user(role=SUPERVISOR, region_code="310000"))
    job = _job(api, _start(api, kind="plan_results", format="csv", plan_id=plan["id"]))
    body = requests.get(job["download_url"], timeout=10).content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == PLAN_HEADERS and len(lines) == 4
    assert sum("静安区" in line for line in lines) == 1


def test_another_jurisdictions_plan_and_its_export_job_are_404(make, as_user, plan):
    baoshan = as_user(make.user(role=ANALYST, region_code=BAOSHAN))
    answer = baoshan.post("/api/v1/exports", json={"kind": "plan_results", "format": "csv",
                                                   "plan_id": plan["id"]})
    assert answer.status_code == 404
    city = as_user(make.user(role=ANALYST, region_code="310000"))
    job = _start(city, kind="plan_results", format="csv", plan_id=plan["id"])
    assert baoshan.get(f"/api/v1/exports/{job['id']}").status_code == 404
    assert job["id"] not in [j["id"] for j in baoshan.get("/api/v1/exports").json["items"]]


def test_a_plan_results_export_names_the_missing_plan(make, as_user):
    api = as_user(make.user(role=ANALYST, region_code=BAOSHAN))
    answer = api.post("/api/v1/exports", json={"kind": "plan_results", "format": "csv"})
    assert answer.status_code == 422 and "plan_id" in answer.json["errors"]["json"]


def test_the_job_reports_its_progress_as_rows_are_written(make, as_user, plan, connection,
                                                          monkeypatch):
    """Progress (rows written of rows in all) is recorded every PROGRESS_EVERY rows."""
    monkeypatch.setattr(runner, "PROGRESS_EVERY", 1)
    monkeypatch.setattr("service.exports.sources.BATCH", 1)
    _, factory = connection
    source, seen = SOURCES["plan_results"], []
    params = {"plan_id": plan["id"], "region_code": "310000"}
    with runner.reading_session(factory) as reader, \
            tempfile.TemporaryDirectory() as directory:
        assert source.count(reader, params) == 3
        written = runner.write_file(reader, source, params, "csv", f"{directory}/out.csv",
                                    seen.append)
    assert (written, seen) == (3, [1, 2, 3])


@pytest.fixture
def cases(make, people, apis, catalogue, as_user):
    """Two cases of 宝山 (one titled like a formula) and one of 静安."""
    first = open_case(apis, failed_inspection(make, inspector=people["inspector"],
                                              partner=people["partner"]),
                      title="=未按规定执行实名收寄制度")
    second = open_case(apis, failed_inspection(make, inspector=people["inspector"],
                                               partner=people["partner"]))
    officers = [make.user(role=INSPECTOR, region_code=JINGAN) for _ in range(2)]
    other = open_case({"inspector": as_user(officers[0])},
                      failed_inspection(make, inspector=officers[0], partner=officers[1]))
    return first, second, other


def test_the_case_list_as_xlsx_is_the_jurisdictions_cases(make, as_user, cases):
    api = as_user(make.user(role=ANALYST, region_code=BAOSHAN))
    job = _job(api, _start(api, kind="cases", format="xlsx"))
    assert (job["rows_total"], job["filename"]) == (2, "案件清单-310113-all.xlsx")
    sheet = load_workbook(io.BytesIO(requests.get(job["download_url"], timeout=10).content)
                          ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("登记时间", "案件名称", "状态", "程序", "案件来源", "当事人")
    assert sorted(str(row[-1]) for row in rows[1:-1]) == sorted(str(c.id) for c in cases[:2])
    assert {row[2] for row in rows[1:-1]} == {"线索"} and rows[-1][0] == "合计"
    assert {row[4] for row in rows[1:-1]} == {"检查发现"}
    assert sheet.cell(row=2, column=1).number_format == "yyyy-mm-dd hh:mm"


def test_the_case_list_as_csv_filters_by_period_and_status(make, as_user, cases):
    api = as_user(make.user(role=SUPERVISOR, region_code="310000"))
    month = china_today().strftime("%Y-%m")
    job = _job(api, _start(api, kind="cases", format="csv", period=month, status="lead"))
    text = requests.get(job["download_url"], timeout=10).content
    assert text.startswith(b"\xef\xbb\xbf")
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("登记时间,案件名称,状态,程序,案件来源,当事人")
    assert len(lines) == 1 + 3 + 1   # the city sees all three; the totals row last
    assert "'=未按规定执行实名收寄制度" in text.decode("utf-8-sig")
    none = _job(api, _start(api, kind="cases", format="csv", status="closed"))
    assert none["rows_written"] == 0


def test_a_case_export_with_a_bad_status_names_it(make, as_user):
    api = as_user(make.user(role=ANALYST, region_code=BAOSHAN))
    answer = api.post("/api/v1/exports", json={"kind": "cases", "status": "nonsense"})
    assert answer.status_code == 422 and "status" in answer.json["errors"]["json"]


def test_an_xlsx_sheet_states_its_size_so_readers_need_not_scan_it(make, as_user, plan):
    """The sheet's <dimension> covers the header, the rows and nothing more (openpyxl's
    read-only mode, which pandas uses, reads it before the first row)."""
    api = as_user(make.user(role=ANALYST, region_code="310000"))
    job = _job(api, _start(api, kind="plan_results", format="xlsx", plan_id=plan["id"]))
    content = requests.get(job["download_url"], timeout=10).content
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sheet.calculate_dimension() == "A1:L4"
    assert len(list(sheet.iter_rows(values_only=True))) == 4
