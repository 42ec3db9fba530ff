"""The console's harness: a live server of the app (werkzeug, in a thread) on the test's
rolled-back connection, Debian's headless Chromium driven by Playwright, and a small bureau
world (people, a case in each queue, a flagged inspection, a computed month)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from service.auth.models import ADMIN, ANALYST, INSPECTOR, LEGAL_REVIEWER, SUPERVISOR
from service.common.chinatime import china_today
from service.enforcement import cases, steps
from service.enforcement.catalogue import load_sample
from service.enforcement.measures import Policy
from service.enforcement.models import QueueItem
from tests.enforcement.helpers import failed_inspection
from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
#: Debian's chromium, headless and quiet (no first run, no background traffic)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--lang=zh-CN"]


def _browser_or_reason():
    if not CHROMIUM.exists():
        return None, "Debian's chromium is not installed (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, "playwright is not installed (pip install -e '.[test]')"
    return sync_playwright, None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test run; CI fails without it, elsewhere the tests skip."""
    start, reason = _browser_or_reason()
    if start is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"The console's browser tests need a browser under CI: {reason}.")
        pytest.skip(reason)
    playwright = start().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def live_server(app, connection):
    """The app served on 127.0.0.1 (one request at a time, on the test's connection)."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) with the live server's address as `page.base`."""
    context = browser.new_context(base_url=live_server, accept_downloads=True,
                                  viewport={"width": 1400, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.base = live_server
    yield tab
    context.close()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def bureau(make, db):
    """宝山区 (310113) with a user of every role, a lead waiting for filing approval, a
    served fine waiting for publication, a flagged inspection; and 静安区 (310106) with a
    case of its own."""
    load_sample(db)
    w = SimpleNamespace()
    w.inspector = make.user(role=INSPECTOR, region_code="310113", full_name="张伟",
                            username="c_inspector")
    w.partner = make.user(role=INSPECTOR, region_code="310113", full_name="李娜")
    w.supervisor = make.user(role=SUPERVISOR, region_code="310113", full_name="王芳",
                             username="c_supervisor", bureau_name="上海市宝山区邮政管理局")
    w.reviewer = make.user(role=LEGAL_REVIEWER, region_code="310113", full_name="刘洋",
                           username="c_reviewer")
    w.analyst = make.user(role=ANALYST, region_code="310113", full_name="陈静",
                          username="c_analyst", bureau_name="上海市宝山区邮政管理局")
    w.admin = make.user(role=ADMIN, region_code="310113", username="c_admin")
    w.site = make.site(region_code="310113", name="宝山测试营业网点")
    w.inspection = failed_inspection(make, inspector=w.inspector, partner=w.partner,
                                     site=w.site)
    w.lead = _case(db, w.supervisor, w.inspection, "310113", title="未按规定执行实名收寄制度")
    w.served = _case(db, w.supervisor, w.inspection, "310113", title="快递末端网点未备案",
                     procedure="summary")
    _move(db, w.inspector, w.served, "decide_on_spot", violation_code="terminal_not_registered",
          circumstance="ordinary", measures=["fine"], fine_fen=100_000)
    _move(db, w.inspector, w.served, "serve")
    other_inspector = make.user(role=INSPECTOR, region_code="310106")
    other_partner = make.user(role=INSPECTOR, region_code="310106")
    other_supervisor = make.user(role=SUPERVISOR, region_code="310106")
    other = failed_inspection(make, inspector=other_inspector, partner=other_partner,
                              site=make.site(region_code="310106"))
    w.other_inspection = other
    w.other_case = _case(db, other_supervisor, other, "310106", title="静安区的案件")
    db.flush()
    return w


def _case(db, supervisor, inspection, region, *, title, procedure="ordinary"):
    case, _ = cases.open_case(db, scope=region, user=supervisor, data={
        "source": "inspection", "procedure": procedure, "title": title,
        "finding_ids": [f.id for f in inspection.findings], "party_kind": "organisation"})
    return case


def _move(db, user, case, move, **data):
    steps.move_case(db, scope=case.region_code, user=user, case=case, move=move, data=data,
                    policy=Policy())


def queue_items(db, queue: str) -> list[QueueItem]:
    return db.scalars(select(QueueItem).where(QueueItem.queue == queue)).all()


def today_month() -> str:
    return china_today().strftime("%Y-%m")
