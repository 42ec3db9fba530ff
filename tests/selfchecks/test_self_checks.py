"""Enterprise self-checks (企业自查): recorded against the same checklists, scored the same
way, and never counted as the bureau's own inspections."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.assignments.models import Task
from service.common.chinatime import china_date, china_today
from service.db import utcnow
from service.inspections.models import Inspection
from service.stats.compute import compute_period
from service.stats.models import CoverageSnapshot, MonthlyFigure
from service.stats.periods import parse
from tests.assignments import factories as tasks
from tests.checklists import factories as checklists
from tests.inspections.factories import stored
from tests.selfchecks.factories import body


@pytest.fixture
def recorder(supervisor):
    """A supervisor of 宝山区 who types in the enterprises' reports."""
    return supervisor


def test_a_self_check_is_scored_like_an_inspection(recorder, make, db):
    site = make.site(region_code="310113")
    response = recorder.post("/api/v1/self-checks", json=body(db, site, fail="real_name"))
    assert response.status_code == 201, response.json
    check = response.json
    assert (check["site_id"], check["enterprise_id"]) == (str(site.id), str(site.enterprise_id))
    assert check["source"] == "recorded" and 0 < check["score"] < 100
    assert recorder.get(f"/api/v1/self-checks/{check['id']}").json["score"] == check["score"]


def test_a_self_check_never_counts_as_an_inspection(recorder, make, db, as_user):
    site = make.site(region_code="310113")
    inspector = make.user(region_code="310113")
    task = tasks.task(db, site=site, assignees=[inspector])
    before = db.scalar(select(func.count()).select_from(Inspection))
    assert recorder.post("/api/v1/self-checks", json=body(db, site)).status_code == 201
    assert db.scalar(select(func.count()).select_from(Inspection)) == before
    listed = recorder.get(f"/api/v1/inspections?site_id={site.id}").json["items"]
    assert listed == []
    assert db.get(Task, task.id).status == "open"  # the task still waits for the bureau


def test_a_retried_recording_answers_the_same(recorder, make, db):
    site = make.site(region_code="310113")
    payload = body(db, site, id=str(uuid.uuid4()))
    first, again = (recorder.post("/api/v1/self-checks", json=payload) for _ in range(2))
    assert first.status_code == again.status_code == 201
    assert first.json["id"] == again.json["id"]
    other = recorder.post("/api/v1/self-checks", json={**payload, "note": "补充说明"})
    assert other.status_code == 409


@pytest.mark.parametrize(("change", "field"), [
    (lambda b: {**b, "answers": b["answers"][1:]}, "answers"),
    (lambda b: {**b, "answers": [*b["answers"], {"item_code": "nope", "answer": "pass"}]},
     "answers"),
    (lambda b: {**b, "checked_on": (china_today() + timedelta(days=2)).isoformat()},
     "checked_on"),
    (lambda b: {**b, "template_id": str(uuid.uuid4())}, "template_id"),
])
def test_a_self_check_answers_the_whole_checklist(recorder, make, db, change, field):
    site = make.site(region_code="310113")
    response = recorder.post("/api/v1/self-checks", json=change(body(db, site)))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]


def test_another_districts_site_is_not_yours_to_record(recorder, make, db):
    site = make.site(region_code="310106")
    assert recorder.post("/api/v1/self-checks", json=body(db, site)).status_code == 404


def test_self_checks_are_listed_by_site_and_date(recorder, make, db):
    site, other = make.site(region_code="310113"), make.site(region_code="310113")
    march = recorder.post("/api/v1/self-checks", json=body(db, site)).json
    recorder.post("/api/v1/self-checks", json=body(db, site, checked_on="2026-01-05"))
    recorder.post("/api/v1/self-checks", json=body(db, other))
    listed = recorder.get(f"/api/v1/self-checks?site_id={site.id}&checked_from=2026-03-01")
    assert [item["id"] for item in listed.json["items"]] == [march["id"]]


def _report(lines: list[str]) -> dict:
    content = ("\r\n".join(lines) + "\r\n").encode("gb18030")  # Excel on Chinese Windows
    return {"data": {"file": (io.BytesIO(content), "企业自查汇总.csv")},
            "content_type": "multipart/form-data"}


def test_a_file_of_reports_imports_one_self_check_per_site_and_day(recorder, make, db):
    site = make.site(region_code="310113", code="BS-SC-01")
    items = checklists.current(db, site.site_type).items
    lines = ["网点编码,自查日期,检查项编码,结果,情况说明"]
    lines += [f"BS-SC-01,2026/3/2,{item.code},{'不符合' if n == 0 else '符合'},"
              f"{'未登记' if n == 0 else ''}" for n, item in enumerate(items)]
    lines += [f"BS-SC-01,2026-03-09,{item.code},符合," for item in items]
    response = recorder.post("/api/v1/self-checks/import", **_report(lines))
    assert response.status_code == 201, response.json
    assert response.json["rows"] == 2 * len(items) and len(response.json["self_checks"]) == 2
    stored = recorder.get(f"/api/v1/self-checks?site_id={site.id}").json["items"]
    assert [(c["checked_on"], c["source"], c["score"] < 100) for c in stored] == [
        ("2026-03-02", "imported", True), ("2026-03-09", "imported", False)]
    again = recorder.post("/api/v1/self-checks/import", **_report(lines))
    assert again.json["self_checks"] == response.json["self_checks"]
    assert len(recorder.get(f"/api/v1/self-checks?site_id={site.id}").json["items"]) == 2


def test_one_bad_row_and_no_self_check_is_imported(recorder, make, db):
    site = make.site(region_code="310113", code="BS-SC-02")
    items = checklists.current(db, site.site_type).items
    lines = ["网点编码,自查日期,检查项编码,结果"]
    lines += [f"BS-SC-02,2026-03-02,{item.code},符合" for item in items]
    lines += ["NO-SUCH,2026-03-02,real_name,符合"]
    lines += [f"BS-SC-02,2026-03-09,{item.code},符合" for item in items[1:]]  # one missing
    response = recorder.post("/api/v1/self-checks/import", **_report(lines))
    assert response.status_code == 422, response.json
    fields = {row["field"] for row in response.json["errors"]["file"]["rows"]}
    assert fields == {"site_code", "answers"}
    assert recorder.get(f"/api/v1/self-checks?site_id={site.id}").json["items"] == []


def test_a_self_check_never_counts_in_coverage_or_the_monthly_figures(recorder, make, db):
    checked, inspected = (make.site(region_code="310113") for _ in range(2))
    inspection = stored(db, submitter=make.user(region_code="310113"), site=inspected,
                        template=checklists.current(db, inspected.site_type))
    day = china_date(inspection.finished_at)
    month = day.strftime("%Y-%m")
    assert recorder.post("/api/v1/self-checks", json=body(
        db, checked, checked_on=day.isoformat())).status_code == 201
    compute_period(db, period=parse(month), targets={}, now=utcnow())
    coverage = db.get(CoverageSnapshot, (month, "310113", "express_outlet",
                                         "inspection_coverage"))
    assert (coverage.numerator, coverage.denominator) == (1, 2)  # the inspected one only
    figures = {row.figure: row.value for row in db.scalars(select(MonthlyFigure).where(
        MonthlyFigure.month == month, MonthlyFigure.region_code == "310113"))}
    assert (figures["inspections"], figures["sites_inspected"]) == (1, 1)
