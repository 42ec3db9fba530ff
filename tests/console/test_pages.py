"""The console's pages through the Flask test client: signing in, CSRF, roles, jurisdiction
(another jurisdiction's case or inspection is a 404 page), paging, and the catalogue."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations
from sqlalchemy import select

from service.common.chinatime import china_today
from service.console import logic
from service.enforcement import queues
from service.stats.periods import parse
from tests.console.conftest import today_month
from tests.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/console/login") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post("/console/login", data={"username": username, "password": password,
                                               "csrf_token": csrf_token(client)})


def text(response) -> str:
    return response.get_data(as_text=True)


def test_pages_need_a_sign_in(client, bureau):
    response = client.get(f"/console/cases/{bureau.lead.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/console/login?next=/console/cases/")


def test_sign_in_sets_an_httponly_samesite_cookie_and_shows_bureau_and_role(client, bureau):
    response = sign_in(client, "c_supervisor")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("console_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie
    page = text(client.get(response.headers["Location"], follow_redirects=True))
    assert "上海市宝山区邮政管理局" in page and "科室负责人" in page


def test_a_wrong_password_is_refused_and_counted(client, bureau, db):
    response = sign_in(client, "c_supervisor", "wrong")
    assert response.status_code == 401
    assert "用户名或密码错误" in text(response)
    from service.auth.models import LoginThrottle

    assert db.get(LoginThrottle, (bureau.supervisor.id, "127.0.0.1")).failures == 1


def test_a_form_without_its_csrf_token_is_refused(client, bureau):
    sign_in(client, "c_supervisor")
    response = client.post(f"/console/queues/filing_approval/{bureau.lead.id}/claim")
    assert response.status_code == 400
    assert "表单已过期" in text(response)
    login = client.post("/console/login", data={"username": "c_supervisor",
                                                "password": PASSWORD})
    assert login.status_code == 400


def test_signing_out_ends_the_session(client, bureau):
    sign_in(client, "c_supervisor")
    token = csrf_token(client, "/console/queues/filing_approval")
    assert client.post("/console/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/console/queues/filing_approval").status_code == 302


def test_a_copied_cookie_is_dead_after_sign_out(client, app, bureau):
    sign_in(client, "c_supervisor")
    copied = client.get_cookie("console_session", path="/console").value
    token = csrf_token(client, "/console/queues/filing_approval")
    assert client.post("/console/logout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("console_session", copied, path="/console")
    response = replay.get("/console/queues/filing_approval")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/console/login")
    assert "登录" in text(replay.get(response.headers["Location"]))


def test_a_session_ends_after_its_hours(client, bureau, db):
    from service.console.models import ConsoleSession

    sign_in(client, "c_supervisor")
    assert client.get("/console/queues/filing_approval").status_code == 200
    row = db.scalars(select(ConsoleSession)).one()
    row.expires_at = row.started_at
    db.flush()
    assert client.get("/console/queues/filing_approval").status_code == 302


def test_the_api_does_not_accept_the_console_cookie(client, bureau):
    sign_in(client, "c_supervisor")
    assert client.get("/api/v1/me").status_code == 401


def test_another_jurisdictions_case_and_inspection_are_404_pages(client, bureau):
    sign_in(client, "c_supervisor")
    for path in (f"/console/cases/{bureau.other_case.id}",
                 f"/console/inspections/{bureau.other_inspection.id}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "未找到" in text(response)
        assert "静安区的案件" not in text(response)
    token = csrf_token(client, "/console/queues/filing_approval")
    claim = client.post(f"/console/queues/filing_approval/{bureau.other_case.id}/claim",
                        data={"csrf_token": token})
    assert claim.status_code == 404
    move = client.post(f"/console/cases/{bureau.other_case.id}/moves/approve_filing",
                       data={"csrf_token": token, "version": "1"})
    assert move.status_code == 404


def test_a_page_needs_the_role_its_api_route_needs(client, bureau):
    sign_in(client, "c_analyst")
    assert client.get("/console/queues/filing_approval").status_code == 403
    assert client.get("/console/coverage").status_code == 200
    client.get("/console/logout")
    with client.session_transaction() as session:
        session.clear()
    sign_in(client, "c_inspector")
    assert client.get("/console/coverage").status_code == 403
    assert client.get("/console/statistics").status_code == 403


def test_claim_and_release_from_the_queue(client, bureau, db):
    sign_in(client, "c_supervisor")
    token = csrf_token(client, "/console/queues/filing_approval")
    url = f"/console/queues/filing_approval/{bureau.lead.id}"
    claimed = client.post(f"{url}/claim", data={"csrf_token": token},
                          headers={"HX-Request": "true"})
    assert claimed.status_code == 200
    assert "王芳" in text(claimed) and "释放" in text(claimed)
    released = client.post(f"{url}/release", data={"csrf_token": token},
                           headers={"HX-Request": "true"})
    assert "认领" in text(released)


def test_a_step_with_a_stale_version_is_refused(client, bureau):
    sign_in(client, "c_supervisor")
    token = csrf_token(client, f"/console/cases/{bureau.lead.id}")
    response = client.post(f"/console/cases/{bureau.lead.id}/moves/approve_filing",
                           data={"csrf_token": token, "version": "0"})
    assert response.status_code == 412
    assert "案件已被他人更新" in text(response)


def test_a_bad_step_names_the_problem_on_the_page(client, bureau):
    sign_in(client, "c_supervisor")
    token = csrf_token(client, f"/console/cases/{bureau.lead.id}")
    response = client.post(f"/console/cases/{bureau.lead.id}/moves/dismiss",
                           data={"csrf_token": token, "version": str(bureau.lead.version)})
    assert response.status_code == 422
    assert "reason" in text(response)


def test_the_fine_band_of_a_circumstance(client, bureau):
    sign_in(client, "c_supervisor")
    response = client.get("/console/catalogue/band?violation_code=real_name_not_enforced"
                          "&circumstance=ordinary")
    assert "10000 – 50000 元" in text(response)


def test_a_500_item_queue_renders_one_page(client, bureau, db):
    due = china_today() - timedelta(days=3)
    for n in range(500):
        queues.enqueue(db, queue="publication", item_id=uuid.uuid4(),
                       region_code="310113", item_type="fine", title=f"待公示案件{n:03d}",
                       due_on=due + timedelta(days=n // 50))
    db.flush()
    sign_in(client, "c_supervisor")
    started = time.monotonic()
    response = client.get("/console/queues/publication")
    elapsed = time.monotonic() - started
    page = text(response)
    assert page.count('data-testid="queue-item"') == logic.QUEUE_PAGE
    assert 'data-testid="next-page"' in page
    assert "待公示案件000" in page and "待公示案件050" not in page
    assert elapsed < 5, elapsed
    assert '<span class="count">501</span>' in page  # the 500 and the bureau's served fine
    after = re.search(r'href="(/console/queues/publication\?cursor=[^"]+)"', page).group(1)
    second = text(client.get(after.replace("&amp;", "&")))
    assert "待公示案件050" in second and "待公示案件000" not in second


def test_the_map_is_capped_and_labels_districts(db, bureau, make):
    for n in range(5):
        make.site(region_code="310113", lat=31.4 + n / 100, lon=121.4)
    found = logic.site_map(db, scope="310113", region_code=None, period=parse(today_month()),
                           cap=3)
    assert found["shown"] == 3 and found["capped"] and found["total"] >= 6
    assert [d["code"] for d in found["districts"]] == ["310113"]


def test_every_message_has_a_chinese_translation():
    path = Path(logic.__file__).parent / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    missing = [m.id for m in catalogue if m.id and not m.string]
    assert not missing
    compiled = Translations.load(str(path.parents[2]), ["zh"])
    assert all(compiled.gettext(m.id) == m.string for m in catalogue if m.id and
               not m.pluralizable), "messages.mo is older than messages.po: make console-messages"


def test_the_next_step_from_the_queue_in_one_click(client, bureau, db):
    sign_in(client, "c_supervisor")
    page = text(client.get("/console/queues/filing_approval"))
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    token = CSRF.search(page).group(1)
    response = client.post(f"/console/cases/{bureau.lead.id}/moves/approve_filing",
                           data={"csrf_token": token, "version": version,
                                 "back": "/console/queues/filing_approval"})
    assert response.headers["Location"] == "/console/queues/filing_approval"
    db.expire_all()
    assert bureau.lead.status == "filed"
    after = text(client.get("/console/queues/filing_approval"))
    assert "已办理：批准立案" in after and str(bureau.lead.id) not in after


def test_a_decision_is_marked_published_from_its_queue(client, bureau, db):
    sign_in(client, "c_supervisor")
    page = text(client.get("/console/queues/publication"))
    assert 'data-testid="quick-publish"' in page
    response = client.post(f"/console/cases/{bureau.served.id}/publication",
                           data={"csrf_token": CSRF.search(page).group(1),
                                 "back": "/console/queues/publication"})
    assert response.status_code == 302
    db.expire_all()
    assert bureau.served.published_on == china_today()


TILES = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"


def test_the_map_draws_tiles_only_from_the_configured_tile_server(client, app, bureau,
                                                                   monkeypatch):
    sign_in(client, "c_analyst")
    plain = text(client.get("/console/coverage"))
    assert "data-tile-url" not in plain
    # nothing but the app itself: no tile server, no CDN
    assert not re.findall(r'(?:src|href)="(?!/)[^"]*"', plain)
    monkeypatch.setitem(app.config, "SETTINGS", replace(
        app.config["SETTINGS"], console_tile_url=TILES,
        console_tile_attribution="© 测绘地理信息局"))
    tiled = text(client.get("/console/coverage"))
    assert f'data-tile-url="{TILES}"' in tiled
    assert "© 测绘地理信息局" in tiled


def test_a_tile_url_without_its_placeholders_is_refused_at_start():
    from service.config import Settings

    with pytest.raises(RuntimeError, match="CONSOLE_TILE_URL"):
        Settings(console_tile_url="https://tiles.example.gov.cn/tile.png").check()
    Settings(console_tile_url=TILES).check()


def _shown(html: str) -> str:
    """What a reader sees of a page: the text between tags, not the attributes."""
    return " ".join(re.findall(r">([^<]+)<", html))


def test_districts_steps_and_states_are_shown_by_their_chinese_names(client, bureau, db):
    sign_in(client, "c_supervisor")
    queue = text(client.get("/console/queues/filing_approval"))
    assert "宝山区" in _shown(queue) and "310113" not in _shown(queue)
    version = re.search(r'name="version" value="(\d+)"', queue).group(1)
    client.post(f"/console/cases/{bureau.lead.id}/moves/approve_filing",
                data={"csrf_token": CSRF.search(queue).group(1), "version": version})
    case = _shown(text(client.get(f"/console/cases/{bureau.lead.id}")))
    assert "宝山区" in case and "批准立案" in case and "线索 → 已立案" in case
    for raw in ("310113", "approve_filing", "to_status", "lead", "filed", "filing"):
        assert not re.search(rf"\b{raw}\b", case), raw


def test_the_console_is_chinese_unless_the_browser_or_the_setting_asks_for_english(
        client, app, bureau, monkeypatch):
    login = text(client.get("/console/login"))
    assert '<html lang="zh-CN">' in login and "登录" in login and "Sign in" not in login
    chinese_browser = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
    assert "用户名" in text(client.get("/console/login", headers=chinese_browser))
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    login = text(client.get("/console/login", headers=english))
    assert '<html lang="en">' in login
    assert "Sign in" in login and "Username" in login and "Password" in login
    client.post("/console/login", headers=english, data={
        "username": "c_supervisor", "password": PASSWORD, "csrf_token": CSRF.search(login)[1]})
    page = _shown(text(client.get("/console/queues/filing_approval", headers=english)))
    for words in ("Queues", "Coverage", "Statistics and exports", "Sign out", "Supervisor",
                  "Filing approval"):
        assert words in page, words
    monkeypatch.setitem(app.config, "SETTINGS", replace(app.config["SETTINGS"],
                                                        console_language="zh"))
    assert "工作队列" in text(client.get("/console/queues/filing_approval", headers=english))
    monkeypatch.setitem(app.config, "SETTINGS", replace(app.config["SETTINGS"],
                                                        console_language="en"))
    assert "Queues" in _shown(text(client.get("/console/queues/filing_approval")))


def test_the_english_catalogue_covers_every_message():
    path = Path(logic.__file__).parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    assert not [m.id for m in catalogue if m.id and not m.string]


def test_the_statistics_page_exports_each_monthly_kind_including_the_case_list(client, bureau,
                                                                              db):
    from service.exports.models import ExportJob

    sign_in(client, "c_analyst")
    page = text(client.get("/console/statistics"))
    for kind in ("monthly_statistics", "coverage", "inspections", "cases"):
        assert f'value="{kind}"' in page
    assert 'value="plan_results"' not in page  # exported from the API, by plan
    token = csrf_token(client, "/console/statistics")
    response = client.post("/console/exports", data={
        "kind": "cases", "format": "csv", "month": today_month(), "csrf_token": token},
        headers={"HX-Request": "true"})
    assert response.status_code == 200
    job = db.scalars(select(ExportJob).where(ExportJob.kind == "cases")).one()
    assert job.params["period"] == today_month()


def test_the_statistics_page_shows_the_fines_in_yuan(client, bureau, db):
    """The on-the-spot fine of 1,000 yuan (100,000 fen) decided today, once the month is
    computed: 1,000.00 under 罚款金额（元）."""
    from service.db import utcnow
    from service.stats.compute import compute_period
    from service.stats.periods import parse
    from tests.stats.world import TARGETS

    compute_period(db, period=parse(today_month()), targets=TARGETS, now=utcnow())
    sign_in(client, "c_analyst")
    page = text(client.get("/console/statistics"))
    assert "罚款金额（元）" in page and "罚款金额（分）" not in page
    assert "1,000.00" in page and "100000" not in page
