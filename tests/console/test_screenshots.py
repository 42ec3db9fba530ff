"""Screenshots of each console page with the demo data, for docs/console.md.

Not a check of behaviour: it runs only with SCREENSHOTS=1 (`make screenshots`) and writes
docs/console/*.png; the browser tests (test_browser.py) hold the behaviour."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from service.common.chinatime import china_today
from service.console import demo as console_demo
from service.enforcement.models import Case
from service.inspections.models import REVIEW_PENDING, Inspection
from service.local import demo
from tests.console.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    os.environ.get("SCREENSHOTS") != "1", reason="takes screenshots only with SCREENSHOTS=1")]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "console"


@pytest.fixture
def demo_world(db):
    demo.load(db)
    db.flush()
    console_demo.load(db)
    db.flush()


def shot(page, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)


def test_screenshots_of_each_page(page, demo_world, db):
    noticed = db.scalar(select(Case.id).where(Case.region_code == "310113",
                                              Case.status == "notice"))
    flagged = db.scalar(select(Inspection.id).where(Inspection.region_code == "310113",
                                                    Inspection.review_status == REVIEW_PENDING))
    page.goto("/console/login")
    shot(page, "login")
    sign_in(page, "bs_supervisor", "supervise-2026")
    page.goto("/console/queues/filing_approval")
    page.locator("[data-testid=claim]").first.click()
    page.locator("[data-testid=release]").first.wait_for()
    shot(page, "queues")
    page.locator("[data-testid=handle]").first.click()
    page.get_by_test_id("move-approve_filing").locator("summary").click()
    page.get_by_test_id("submit-approve_filing").click()
    shot(page, "case")
    page.goto(f"/console/cases/{noticed}")
    page.get_by_test_id("move-decide").locator("summary").click()
    shot(page, "case-decide")
    page.goto(f"/console/inspections/{flagged}")
    page.locator("#location-chart[data-drawn='1']").wait_for()
    shot(page, "inspection")
    page.context.clear_cookies()  # the city's statistician: all 16 districts
    sign_in(page, "sh_analyst", "analyse-2026")
    last_month = (china_today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    page.goto(f"/console/coverage?month={last_month}")
    page.locator("#trend-chart[data-drawn='1']").wait_for()
    page.locator("#site-map[data-drawn='1']").wait_for()
    shot(page, "coverage")
    page.goto(f"/console/statistics?month={last_month}")
    page.get_by_test_id("start-export").click()
    page.get_by_test_id("download").first.wait_for()
    shot(page, "statistics")
    # the same queue for a browser asking for English (Accept-Language: en-US)
    english = page.context.browser.new_context(base_url=page.base, locale="en-US",
                                               viewport={"width": 1400, "height": 900})
    tab = english.new_page()
    sign_in(tab, "bs_supervisor", "supervise-2026")
    tab.goto("/console/queues/legal_review")
    shot(tab, "queues-en")
    english.close()
