"""Tasks on the phones, progress as inspections arrive, and results for publication."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select

from service.auth.models import ANALYST
from service.checklists.models import ChecklistTemplate
from service.plans.routes import XLSX as XLSX_TYPE
from service.registry.models import Enterprise
from tests.plans import factories
from tests.plans.conftest import BAOSHAN, JINGAN
from tests.plans.factories import TODAY

HEADERS = ["序号", "检查对象名称", "检查对象类型", "地址", "所属区域代码", "所属区域",
           "寄递企业", "统一社会信用代码", "抽查事项", "检查日期", "检查结果", "得分"]


@pytest.fixture
def world(make, api):
    """A city plan over 宝山 (2 sites) and 静安 (1 site), every site drawn, then its pairs."""
    sites = factories.sites(make, BAOSHAN, 2) + factories.sites(make, JINGAN, 1)
    people = {str(u.id): u for district in (BAOSHAN, JINGAN)
              for u in factories.inspectors(make, district, 2)}
    drawn = factories.drawn(api, region_code="310000")
    pairs = {s["site_id"]: [people[u] for u in s["inspector_ids"]]
             for s in drawn["drawn_sites"]}
    return {"plan": drawn, "sites": sites, "pairs": pairs}


def _submit(db, as_user, site, pair, *, fail: str | None = None,
            site_condition: str = "present") -> dict:
    """A completed double-random inspection of `site` by `pair`, sent from the phone."""
    template = db.scalar(select(ChecklistTemplate).where(
        ChecklistTemplate.site_type == site.site_type).order_by(ChecklistTemplate.version.desc()))
    now = datetime.now(UTC)
    body = {
        "site_id": str(site.id), "template_id": str(template.id), "kind": "double_random",
        "status": "completed", "started_at": (now - timedelta(hours=1)).isoformat(),
        "finished_at": (now - timedelta(minutes=10)).isoformat(),
        "location": {"lat": site.lat, "lon": site.lon, "crs": "wgs84", "accuracy_m": 10},
        "answers": [{"item_code": item.code, "answer": "fail" if item.code == fail else "pass"}
                    for item in template.items] if site_condition == "present" else [],
        "site_condition": site_condition,
        "inspector_ids": [str(pair[1].id)],
    }
    response = as_user(pair[0]).put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    assert response.status_code == 201, response.json
    return response.json


def test_both_inspectors_of_a_pair_find_the_task_on_their_phone(world, as_user):
    plan = world["plan"]
    for site_id, pair in world["pairs"].items():
        for inspector in pair:
            tasks = as_user(inspector).get("/api/v1/me/tasks").json["items"]
            mine = [t for t in tasks if t["site_id"] == site_id]
            assert len(mine) == 1
            assert mine[0]["plan_id"] == plan["id"] and mine[0]["kind"] == "double_random"
            assert mine[0]["due_on"] == plan["period_end"]


def test_progress_follows_submitted_inspections(world, api, db, as_user):
    url = f"/api/v1/plans/{world['plan']['id']}/progress"
    before = api.get(url).json
    assert (before["total"], before["done"], before["open"], before["overdue"]) == (3, 0, 3, 0)
    baoshan_site = world["sites"][0]
    _submit(db, as_user, baoshan_site, world["pairs"][str(baoshan_site.id)])
    after = api.get(url).json
    assert (after["total"], after["done"], after["open"]) == (3, 1, 2)
    assert after["districts"] == [
        {"region_code": JINGAN, "region_name": "静安区", "total": 1, "done": 0, "open": 1,
         "overdue": 0, "cancelled": 0},
        {"region_code": BAOSHAN, "region_name": "宝山区", "total": 2, "done": 1, "open": 1,
         "overdue": 0, "cancelled": 0},
    ]


def test_open_tasks_past_their_due_date_are_overdue(make, api):
    factories.sites(make, BAOSHAN, 3)
    factories.inspectors(make, BAOSHAN, 2)
    drawn = factories.drawn(api, due_on=(TODAY - timedelta(days=1)).isoformat())
    progress = api.get(f"/api/v1/plans/{drawn['id']}/progress").json
    assert (progress["open"], progress["overdue"]) == (3, 3)
    assert progress["as_of"] == TODAY.isoformat()


def test_results_show_each_site_its_enterprise_date_and_outcome(world, api, db, as_user):
    issues, clean, untouched = world["sites"]
    found = _submit(db, as_user, issues, world["pairs"][str(issues.id)], fail="real_name")
    _submit(db, as_user, clean, world["pairs"][str(clean.id)])
    report = api.get(f"/api/v1/plans/{world['plan']['id']}/results").json
    assert report["matters"] == ["寄递安全“三项制度”落实情况检查"]
    items = {item["site_id"]: item for item in report["items"]}
    assert [item["rank"] for item in report["items"]] == [1, 2, 3]
    finished = datetime.fromisoformat(found["finished_at"])
    assert items[str(issues.id)]["inspection_date"] == str(
        finished.astimezone(ZoneInfo("Asia/Shanghai")).date())
    # no rectification order exists, so the result does not claim one
    assert items[str(issues.id)]["outcome_label"] == "发现问题"
    assert items[str(issues.id)]["matters"] == [{
        "code": "delivery_safety_three_systems", "name": "寄递安全“三项制度”落实情况检查",
        "outcome": "issues_found", "outcome_label": "发现问题"}]
    assert items[str(issues.id)]["score"] == found["score"] < 100
    assert (items[str(clean.id)]["outcome_label"], items[str(clean.id)]["score"]) == (
        "未发现问题", 100)
    assert items[str(untouched.id)]["outcome"] == "not_inspected"
    assert items[str(untouched.id)]["outcome_label"] == "未检查"
    assert items[str(untouched.id)]["inspection_date"] is None
    enterprise = db.get(Enterprise, clean.enterprise_id)
    assert items[str(clean.id)]["enterprise_name"] == enterprise.name
    assert items[str(clean.id)]["enterprise_uscc"] == enterprise.uscc
    assert items[str(untouched.id)]["region_name"] == "静安区"


def test_a_failed_item_outside_the_plans_matters_makes_no_finding(world, api, db, as_user):
    site = world["sites"][0]  # the plan checks the three systems; packaging is not its matter
    inspection = _submit(db, as_user, site, world["pairs"][str(site.id)], fail="recycling_device")
    assert inspection["score"] < 100 and inspection["findings"]
    report = api.get(f"/api/v1/plans/{world['plan']['id']}/results").json
    item = next(i for i in report["items"] if i["site_id"] == str(site.id))
    assert [m["outcome_label"] for m in item["matters"]] == ["未发现问题"]
    assert item["outcome"] == "no_issues"


def test_each_matter_is_judged_on_its_own_items(make, api, db, as_user):
    site = factories.sites(make, BAOSHAN, 1)[0]
    pair = factories.inspectors(make, BAOSHAN, 2)
    plan = factories.drawn(api, matter_codes=["delivery_safety_three_systems",
                                              "packaging_management"])
    _submit(db, as_user, site, pair, fail="packaging_compliance")
    item = api.get(f"/api/v1/plans/{plan['id']}/results").json["items"][0]
    assert [(m["code"], m["outcome"]) for m in item["matters"]] == [
        ("delivery_safety_three_systems", "no_issues"), ("packaging_management", "issues_found")]
    assert item["outcome"] == "issues_found"
    rows = api.get(f"/api/v1/plans/{plan['id']}/results.csv").data.decode("utf-8-sig")
    lines = [line.split(",") for line in rows.splitlines()[1:]]
    assert [(row[8], row[10]) for row in lines] == [
        ("寄递安全“三项制度”落实情况检查", "未发现问题"), ("邮件快件包装管理检查", "发现问题")]


def test_a_site_not_found_or_closed_is_published_as_such(world, api, db, as_user):
    missing, gone, untouched = world["sites"]
    _submit(db, as_user, missing, world["pairs"][str(missing.id)], site_condition="not_found")
    _submit(db, as_user, gone, world["pairs"][str(gone.id)], site_condition="closed")
    untouched.status, untouched.closed_on, untouched.closed_reason = "closed", TODAY, "注销"
    db.flush()
    report = api.get(f"/api/v1/plans/{world['plan']['id']}/results").json
    labels = {i["site_id"]: i["matters"][0]["outcome_label"] for i in report["items"]}
    assert labels == {str(missing.id): "未找到检查对象", str(gone.id): "检查对象已关闭",
                      str(untouched.id): "检查对象已关闭"}


def test_the_csv_export_is_utf8_with_a_bom_and_chinese_headers(world, api, db, as_user):
    site = world["sites"][0]
    _submit(db, as_user, site, world["pairs"][str(site.id)])
    response = api.get(f"/api/v1/plans/{world['plan']['id']}/results.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == HEADERS
    assert len(lines) == 4
    row = next(line.split(",") for line in lines[1:] if site.name in line)
    assert row[3] == site.address and row[5] == "宝山区" and row[10] == "未发现问题"


def test_export_headers_name_the_charset_once_and_an_ascii_filename(world, api):
    plan = world["plan"]
    csv_answer = api.get(f"/api/v1/plans/{plan['id']}/results.csv")
    assert csv_answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = csv_answer.headers["Content-Disposition"]
    ascii_name = (f"plan-results-{plan['period_start']}_{plan['period_end']}-"
                  f"{plan['id'][:8]}.csv")
    assert disposition.startswith(f'attachment; filename="{ascii_name}"; filename*=UTF-8\'\'')
    assert unquote(disposition.split("''", 1)[1]).startswith("双随机抽查结果-")
    xlsx = api.get(f"/api/v1/plans/{plan['id']}/results.xlsx").headers
    assert xlsx["Content-Type"] == XLSX_TYPE
    assert f'filename="{ascii_name[:-3]}xlsx"' in xlsx["Content-Disposition"]


def test_the_csv_export_streams_and_keeps_its_chinese_file_name(world, api):
    response = api.get(f"/api/v1/plans/{world['plan']['id']}/results.csv")
    assert response.is_streamed
    disposition = response.headers["Content-Disposition"]
    assert quote("双随机抽查结果") in disposition and "filename*=UTF-8''" in disposition


def test_the_results_query_reads_only_this_plans_answers(world, api, connection, sql_log, db,
                                                        as_user):
    """On PostgreSQL: every access to the answers table is an index lookup per inspection,
    never a scan of the whole table (its cost must not grow with other plans' data)."""
    sql, _ = connection
    if sql.dialect.name != "postgresql":
        pytest.skip("EXPLAIN on PostgreSQL (DATABASE_URL)")
    site = world["sites"][0]
    _submit(db, as_user, site, world["pairs"][str(site.id)])
    with sql_log() as seen:
        assert api.get(f"/api/v1/plans/{world['plan']['id']}/results").status_code == 200

    def answer_scans(node):
        here = [node] if node.get("Relation Name") == "inspection_answers" else []
        return here + [n for child in node.get("Plans", []) for n in answer_scans(child)]

    reads = [(s, p) for s, p in seen if "inspection_answers" in s]
    assert reads, "the results read the plan's failed answers"
    for statement, params in reads:
        sql.exec_driver_sql("SET enable_seqscan = off")
        try:
            plan = sql.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, params).scalar()
        finally:
            sql.exec_driver_sql("RESET enable_seqscan")
        scans = answer_scans(plan[0]["Plan"])
        # an index scan, or a bitmap heap scan fed by a bitmap index scan (its child holds
        # the Index Cond): either way a lookup, never a pass over the whole table
        assert scans and all("Index Cond" in scan or "Recheck Cond" in scan
                             for scan in scans), plan


def test_the_xlsx_export_opens_with_the_same_rows(world, api):
    results = api.get(f"/api/v1/plans/{world['plan']['id']}/results").json["items"]
    response = api.get(f"/api/v1/plans/{world['plan']['id']}/results.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "抽查结果" and list(rows[0]) == HEADERS
    assert [(r[0], r[1], r[6], r[10]) for r in rows[1:]] == [
        (i["rank"], i["site_name"], i["enterprise_name"], "未检查") for i in results]


def test_another_jurisdiction_cannot_see_the_plan(make, api, as_user):
    factories.sites(make, JINGAN, 2)
    factories.inspectors(make, JINGAN, 2)
    plan = factories.drawn(api, region_code=JINGAN)
    baoshan = as_user(factories.supervisor(make, BAOSHAN))
    for suffix in ("", "/verification", "/progress", "/results", "/results.csv",
                   "/results.xlsx"):
        assert baoshan.get(f"/api/v1/plans/{plan['id']}{suffix}").status_code == 404, suffix
    assert factories.draw(baoshan, plan).status_code == 404
    assert plan["id"] not in [p["id"] for p in baoshan.get("/api/v1/plans").json["items"]]
    jingan = as_user(make.user(role=ANALYST, region_code=JINGAN))
    assert jingan.get(f"/api/v1/plans/{plan['id']}/progress").status_code == 200


def test_results_say_an_order_or_a_case_only_when_one_exists(world, api, db, as_user, make):
    """发现问题，已责令整改 when a rectification order names the finding; 发现问题，已立案查处 once
    a case citing it is filed (a lead is not yet); 发现问题 otherwise — in the list and both
    exports."""
    ordered, filed, neither = world["sites"]
    found = {site.id: _submit(db, as_user, site, world["pairs"][str(site.id)], fail="real_name")
             for site in world["sites"]}
    officer = as_user(world["pairs"][str(ordered.id)][0])
    order = officer.post("/api/v1/enforcement/rectifications", json={
        "site_id": str(ordered.id), "finding_ids": [f["id"] for f in found[ordered.id]["findings"]],
        "due_on": str(TODAY + timedelta(days=10)),
        "inspector_ids": [str(u.id) for u in world["pairs"][str(ordered.id)]]})
    assert order.status_code == 201, order.json
    lead = as_user(world["pairs"][str(filed.id)][0]).post("/api/v1/enforcement/cases", json={
        "source": "inspection", "finding_ids": [f["id"] for f in found[filed.id]["findings"]],
        "title": "未按规定执行实名收寄制度"})
    assert lead.status_code == 201, lead.json

    def labels() -> dict[str, str]:
        report = api.get(f"/api/v1/plans/{world['plan']['id']}/results").json
        return {i["site_id"]: i["matters"][0]["outcome_label"] for i in report["items"]}

    assert labels() == {str(ordered.id): "发现问题，已责令整改", str(filed.id): "发现问题",
                        str(neither.id): "发现问题"}  # a lead is not a filed case
    supervisor = as_user(make.user(role="supervisor", region_code=BAOSHAN))
    case_url = f"/api/v1/enforcement/cases/{lead.json['id']}"
    etag = supervisor.get(case_url).headers["ETag"]
    approved = supervisor.post(f"{case_url}/moves/approve_filing", json={},
                               headers={"If-Match": etag})
    assert approved.status_code == 200, approved.json
    expected = {str(ordered.id): "发现问题，已责令整改", str(filed.id): "发现问题，已立案查处",
                str(neither.id): "发现问题"}
    assert labels() == expected
    names = {str(site.id): site.name for site in world["sites"]}
    by_name = {names[site_id]: label for site_id, label in expected.items()}
    rows = api.get(f"/api/v1/plans/{world['plan']['id']}/results.csv").data.decode("utf-8-sig")
    assert {row.split(",")[1]: row.split(",")[10] for row in rows.splitlines()[1:]} == by_name
    sheet = openpyxl.load_workbook(io.BytesIO(api.get(
        f"/api/v1/plans/{world['plan']['id']}/results.xlsx").data)).active
    assert {r[1]: r[10] for r in list(sheet.iter_rows(values_only=True))[1:]} == by_name
