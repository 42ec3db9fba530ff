"""The console in a real headless Chromium against a live server of the app: sign in, claim
a queue item, advance a case one step, be refused another jurisdiction's case, see the
coverage chart and map drawn, start an export and download its file."""

from __future__ import annotations

import io
import threading
import zipfile
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from service.db import utcnow
from service.stats.logic import compute_periods
from service.stats.periods import parse
from tests.console.conftest import sign_in, today_month
from tests.stats.factories import inspected

pytestmark = pytest.mark.browser


def test_sign_in_shows_bureau_and_role_then_sign_out(page, bureau):
    sign_in(page, "c_supervisor")
    assert page.get_by_test_id("bureau").inner_text() == "上海市宝山区邮政管理局"
    assert page.get_by_test_id("role").inner_text() == "科室负责人"
    cookie = next(c for c in page.context.cookies() if c["name"] == "console_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/console/login")
    assert "您已退出登录" in page.content()
    page.goto("/console/queues/filing_approval")
    assert "/console/login" in page.url


def test_claim_a_queue_item_then_advance_its_case_one_step(page, bureau):
    sign_in(page, "c_supervisor")
    assert "/console/queues/filing_approval" in page.url
    row = page.locator(f"#item-{bureau.lead.id}")
    assert "未按规定执行实名收寄制度" in row.inner_text()
    row.get_by_test_id("claim").click()
    page.locator(f"#item-{bureau.lead.id} [data-testid=release]").wait_for()
    assert "王芳" in page.locator(f"#item-{bureau.lead.id}").inner_text()

    page.locator(f"#item-{bureau.lead.id}").get_by_test_id("handle").click()
    page.wait_for_url(f"**/console/cases/{bureau.lead.id}*")
    assert page.get_by_test_id("case-status").inner_text() == "线索"
    page.get_by_test_id("move-approve_filing").locator("summary").click()
    page.get_by_test_id("submit-approve_filing").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("case-status").inner_text() == "已立案"
    assert "已办理：批准立案" in page.content()
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "批准立案" in timeline and "王芳" in timeline
    assert "立案审批表" in page.get_by_test_id("documents").inner_text()
    trail = page.get_by_test_id("audit-trail").inner_text()
    assert "案件 修改" in trail and "状态: 线索 → 已立案" in trail and "王芳" in trail


def test_the_fine_band_shows_before_a_fine_is_entered(page, bureau):
    sign_in(page, "c_supervisor")
    page.goto(f"/console/cases/{bureau.served.id}")
    page.goto(f"/console/cases/{bureau.lead.id}")
    for move in ("approve_filing", "investigate"):
        page.get_by_test_id(f"move-{move}").locator("summary").click()
        page.get_by_test_id(f"submit-{move}").click()
        page.wait_for_load_state("networkidle")
    form = page.get_by_test_id("move-give_notice")
    form.locator("summary").click()
    form.locator("select[name=violation_code]").select_option("real_name_not_enforced")
    form.locator("select[name=circumstance]").select_option("ordinary")
    band = form.get_by_test_id("band-info")
    band.wait_for()
    assert "10000 – 50000 元" in band.inner_text()


def test_another_jurisdictions_case_is_refused(page, bureau):
    sign_in(page, "c_supervisor")
    response = page.goto(f"/console/cases/{bureau.other_case.id}")
    assert response.status == 404
    assert "未找到" in page.content() and "静安区的案件" not in page.content()


def test_coverage_page_draws_the_trend_chart_and_the_site_map(page, bureau, make, db, app):
    month = parse(today_month())
    for n in range(3):
        make.site(region_code="310113", lat=31.35 + n / 50, lon=121.45 + n / 50)
    inspected(make, bureau.site, utcnow())
    compute_periods(db, periods=[month], targets={}, now=utcnow())
    db.flush()
    sign_in(page, "c_analyst")
    page.goto("/console/coverage")
    assert "检查覆盖率" in page.get_by_test_id("coverage-table").inner_text()
    page.locator("#trend-chart[data-drawn='1'] canvas").wait_for()
    page.locator("#site-map[data-drawn='1'] canvas").wait_for()
    # the four active sites of 宝山区, one of them inspected this month
    assert int(page.locator("#site-map").get_attribute("data-points")) == 4



@pytest.fixture
def tile_server():
    """A tile server on 127.0.0.1 answering every {z}/{x}/{y}.png with one grey tile, and
    the paths it was asked for."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (220, 224, 228)).save(buffer, "PNG")
    asked: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(buffer.getvalue())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()


def _map_page(page, bureau, make, db):
    for n in range(3):
        make.site(region_code="310113", lat=31.35 + n / 50, lon=121.45 + n / 50)
    sign_in(page, "c_analyst")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/console/coverage")
    page.locator("#site-map[data-drawn='1'] canvas").wait_for()
    return requested


def test_without_a_tile_server_the_map_asks_nothing_outside_the_app(page, bureau, make, db):
    requested = _map_page(page, bureau, make, db)
    assert requested and all(url.startswith(page.base) for url in requested)
    assert page.locator("#site-map").get_attribute("data-tiles") is None


def test_with_a_tile_server_the_map_draws_its_tiles(page, bureau, make, db, app, tile_server,
                                                    monkeypatch):
    base, asked = tile_server
    monkeypatch.setitem(app.config, "SETTINGS", replace(
        app.config["SETTINGS"], console_tile_url=base + "/{z}/{x}/{y}.png"))
    _map_page(page, bureau, make, db)
    page.locator("#site-map[data-tiles]").wait_for()
    count = int(page.locator("#site-map").get_attribute("data-tiles"))
    assert 1 <= count <= 16
    page.wait_for_timeout(500)
    # (signing in lands on the coverage page too, so each tile is asked for twice)
    assert len(set(asked)) == count
    assert all(path.count("/") == 3 and path.endswith(".png") for path in asked)


def test_start_an_export_follow_it_and_download_the_file(page, bureau, tmp_path):
    sign_in(page, "c_analyst")
    page.goto("/console/statistics")
    assert page.get_by_test_id("monthly-table").is_visible()
    page.get_by_test_id("export-form").locator("select[name=kind]").select_option(
        "monthly_statistics")
    page.get_by_test_id("start-export").click()
    link = page.get_by_test_id("download")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    assert zipfile.is_zipfile(saved)
    assert download.value.suggested_filename.endswith(".xlsx")


def test_the_inspection_page_shows_answers_score_and_location(page, bureau):
    sign_in(page, "c_supervisor")
    page.goto(f"/console/inspections/{bureau.inspection.id}")
    assert "不合格" in page.get_by_test_id("answers").inner_text()
    assert page.get_by_test_id("score").inner_text() != "—"
    page.locator("#location-chart[data-drawn='1'] canvas").wait_for()
