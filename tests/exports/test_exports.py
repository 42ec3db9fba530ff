"""Exports as jobs: 202, progress, a file in object storage, a short-lived link, expiry."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import requests
from openpyxl import load_workbook

from service.common.access import ANALYST
from service.db import utcnow
from service.exports import logic, runner
from service.exports.models import ExportJob


def _export(api, **body):
    answer = api.post("/api/v1/exports", json=body)
    assert answer.status_code == 202, answer.json
    assert answer.json["status"] == "queued"
    return api.get(f"/api/v1/exports/{answer.json['id']}").json


def test_monthly_statistics_as_xlsx_with_chinese_headers_frozen_row_and_totals(
        make, as_user, computed):
    api = as_user(make.user(role=ANALYST, region_code="310000"))
    job = _export(api, kind="monthly_statistics", format="xlsx", month="2026-10")
    assert (job["status"], job["percent"]) == ("done", 100.0), job
    assert job["filename"] == "月度执法统计-310000-2026-10.xlsx"
    download = requests.get(job["download_url"], timeout=10)
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet.freeze_panes == "A2"
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["区域代码", "区域", "检查次数", "检查网点数"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    baoshan = next(row for row in rows if row[0] == "310113")
    assert baoshan[2:4] == (5, 4)
    totals = rows[-1]
    assert totals[0] == "合计"
    assert sheet.cell(row=len(rows) + 1, column=3).value.startswith("=SUM(C2:C")
    assert sheet.cell(row=3, column=3).number_format == "#,##0"


def test_inspections_as_csv_in_utf8_with_bom(make, as_user, computed):
    api = as_user(make.user(role=ANALYST, region_code="310113"))
    job = _export(api, kind="inspections", format="csv", period="2026-10")
    assert job["rows_written"] == 6 and job["rows_total"] == 6   # A, C ×2, D, E (voided), G
    body = requests.get(job["download_url"], timeout=10).content
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("完成时间,检查对象名称,检查对象类型")
    assert sum("已作废" in line for line in lines) == 1
    assert lines[1].startswith("2026-10-01 00:30:00")  # China time, the month's first


def test_text_that_excel_would_run_as_a_formula_is_quoted(make, as_user, world):
    from tests.stats.factories import china, inspected

    site = make.site(region_code="310113", name="=HYPERLINK(\"http://x\")")
    inspected(make, site, china(2026, 10, 15))
    api = as_user(make.user(role=ANALYST, region_code="310113"))
    job = _export(api, kind="inspections", format="csv", period="2026-10")
    text = requests.get(job["download_url"], timeout=10).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_bad_export_requests_name_the_field(make, as_user):
    api = as_user(make.user(role=ANALYST, region_code="310113"))
    answer = api.post("/api/v1/exports", json={"format": "csv"})
    assert answer.status_code == 422 and "kind" in answer.json["errors"]["json"]
    answer = api.post("/api/v1/exports", json={"kind": "coverage", "month": "2026-10"})
    assert answer.status_code == 422 and "period" in answer.json["errors"]["json"]
    answer = api.post("/api/v1/exports", json={"kind": "coverage", "period": "2026-10",
                                               "region_code": "310106"})
    assert answer.status_code == 422 and "region_code" in answer.json["errors"]["json"]


def test_the_same_id_twice_is_one_job(make, as_user, db):
    api = as_user(make.user(role=ANALYST, region_code="310113"))
    body = {"id": str(uuid.uuid4()), "kind": "coverage", "format": "csv", "period": "2026-10"}
    first = api.post("/api/v1/exports", json=body)
    again = api.post("/api/v1/exports", json=body)
    assert first.json["id"] == again.json["id"] and again.status_code == 202
    assert api.post("/api/v1/exports", json={**body, "format": "xlsx"}).status_code == 409


def _job(make, region="310113", **fields):
    values = dict(kind="inspections", format="csv",
                  params={"period": "2026-10", "region_code": region}, region_code=region,
                  requested_by_id=make.user(region_code=region).id, status="queued",
                  rows_written=0, attempts=0, expires_at=utcnow() + timedelta(hours=1))
    return make._add(ExportJob(**{**values, **fields}))


def test_a_job_left_running_by_a_lost_worker_runs_again_to_one_file(
        make, db, connection, object_store, world):
    job = _job(make, status="running", rows_written=3, attempts=1)
    _, factory = connection
    runner.run_export(factory, object_store, job_id=str(job.id))
    runner.run_export(factory, object_store, job_id=str(job.id))   # a duplicate delivery
    db.refresh(job)
    assert (job.status, job.attempts, job.rows_written) == ("done", 2, 6)
    assert object_store.head(job.object_key).size == job.size_bytes


def test_expired_jobs_lose_their_file_and_link(make, db, connection, object_store, world):
    job = _job(make)
    _, factory = connection
    runner.run_export(factory, object_store, job_id=str(job.id))
    db.refresh(job)
    key = job.object_key
    assert object_store.head(key) is not None
    assert logic.expire_jobs(db, object_store, now=utcnow() + timedelta(hours=2)) >= 1
    assert job.status == "expired" and object_store.head(key) is None
    assert logic.download_url(job, object_store, expires_in=60) is None
