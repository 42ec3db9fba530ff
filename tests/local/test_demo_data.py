"""The demo data a newcomer logs in to: complete, valid, and loaded only once."""

from sqlalchemy import select
from stdnum.cn import uscc

from service.assignments.models import Task
from service.auth.models import ROLES, User
from service.campaigns.models import Campaign
from service.common.regions import contains
from service.evaluations.models import RectificationEvaluation
from service.inspections.models import Inspection
from service.local import demo
from service.registry.models import SITE_TYPES, Enterprise, Site
from service.selfchecks.models import SelfCheck


def test_demo_data_loads_once_and_is_what_the_readme_promises(db, client):
    first = demo.load(db)
    assert set(demo.load(db).values()) == {0}
    assert first["sites"] >= 300

    users = db.scalars(select(User).where(User.username.in_(
        [login.username for login in demo.demo_logins()]))).all()
    for bureau in ("310000", "310113"):
        roles = {user.role for user in users if user.region_code == bureau}
        assert roles == set(ROLES), bureau
        certified = [user for user in users if user.region_code == bureau
                     and user.role == "inspector" and user.certificate_valid_on(
                         user.certificate_valid_from)]
        assert len(certified) >= 2, "the rule of two needs two certified inspectors"

    enterprises = db.scalars(select(Enterprise)).all()
    assert all(uscc.is_valid(e.uscc) for e in enterprises)
    brands = {e.brand for e in enterprises}
    assert {"顺丰", "中通", "圆通", "申通", "韵达", "极兔", "京东"} <= brands

    sites = db.scalars(select(Site).where(Site.code.like("DEMO-%"))).all()
    assert {site.site_type for site in sites} == set(SITE_TYPES)
    assert len({site.region_code for site in sites}) == 16
    assert all(contains("310000", site.region_code) for site in sites)
    assert all(30.6 < site.lat < 31.9 and 120.8 < site.lon < 122.2 for site in sites)
    hosts = {site.id: site for site in sites}
    points = [s for s in sites if s.site_type == "publication_point"]
    for point in points:
        wanted = {"work_point": ("postal_outlet",),
                  "workstation": ("express_outlet", "sorting_center")}[point.publication_kind]
        assert hosts[point.host_site_id].site_type in wanted
    workstations = {p.region_code for p in points if p.publication_kind == "workstation"}
    assert len(workstations & demo.CENTRAL) >= 3 and len(workstations) == 16
    outlets = [s for s in sites if s.site_type == "postal_outlet"]
    assert {(s.outlet_operator, s.outlet_location) for s in outlets} == {
        ("self_run", "urban"), ("agency", "urban"), ("self_run", "township"),
        ("agency", "village")}
    assert any(s.postal_only for s in outlets)
    terminals = [s for s in sites if s.site_type == "express_terminal"]
    assert {s.registration_status for s in terminals} == {"registered", "unregistered",
                                                          "deregistered"}
    assert all(s.registration_number and s.registered_on for s in terminals
               if s.registration_status == "registered")
    assert any(s.green_since for s in sites)
    assert {p.publication_kind for p in points} == {"work_point", "workstation"}
    assert {"active", "suspended", "closed"} <= {site.status for site in sites}

    _assert_the_activity_shows_every_feature(db, first)

    login = demo.demo_logins()[0]
    answer = client.post("/api/v1/auth/token",
                         json={"username": login.username, "password": login.password})
    assert answer.status_code == 200



def _assert_the_activity_shows_every_feature(db, first):
    assert first["campaigns"] == 2 and first["self-checks"] == 2
    assert first["rectification evaluations"] == 1 and first["tasks"] == 1
    inspections = db.scalars(select(Inspection)).all()
    by_kind = {inspection.kind: inspection for inspection in inspections}
    assert {"routine", "joint", "remote", "unannounced", "licence_verification",
            "special"} <= set(by_kind)
    assert all(i.status == "completed" for i in inspections)
    joint = by_kind["joint"]
    assert len(joint.partner_officers) == 2
    assert {p.department for p in joint.partner_officers} == {"police", "state_security"}
    remote = by_kind["remote"]
    assert remote.lat is None and not remote.location_anomaly
    assert db.get(Site, by_kind["special"].site_id).registration_status == "unregistered"
    campaigns = db.scalars(select(Campaign)).all()
    assert {i.campaign_id for i in inspections} >= {c.id for c in campaigns}
    crossing = db.scalars(select(Task).where(Task.kind == "cross_district")).one()
    assert crossing.status == "open" and db.get(Site, crossing.site_id).region_code == "310106"
    assert {u.region_code for u in crossing.assignees} == {"310113"}
    assert db.scalars(select(SelfCheck)).all()
    evaluation = db.scalars(select(RectificationEvaluation)).one()
    assert evaluation.inspection_id == by_kind["routine"].id and 0 <= evaluation.score <= 100


def test_the_embedded_default_loads_its_demo_in_a_fresh_process(tmp_path):
    """`make run` migrates a new SQLite file and loads the demo in a process of its own,
    importing the models in the CLI's order (not this suite's): statements built at import
    time must bind their ids there too (SQLite refuses an untyped UUID)."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    code = ("import sys; from service.migrate import migrate_and_seed; "
            "from service.cli import _load_demo; migrate_and_seed(sys.argv[1]); "
            "counts = _load_demo(sys.argv[1]); assert counts['sites'] >= 300, counts")
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
