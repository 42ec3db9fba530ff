"""Copies of one submission racing each other: the primary key decides.

Phones on bad networks resend before the first answer arrives, so two copies can be in
flight at once. Each request here runs in its own session and really commits, as in
production; the test removes its rows afterwards. On PostgreSQL the copies truly overlap;
on SQLite (the embedded default) writers queue behind `BEGIN IMMEDIATE`, and the test
proves they queue rather than fail with "database is locked".
"""

from __future__ import annotations

import threading
import uuid

import pytest
from flask_jwt_extended import create_access_token
from sqlalchemy import delete, func, select
from sqlalchemy.orm import sessionmaker

from service.auth.models import User
from service.checklists.models import ChecklistItem, ChecklistTemplate
from service.inspections.models import (
    Finding,
    Inspection,
    InspectionAnswer,
    inspection_inspectors,
)
from service.registry.models import Enterprise, Site
from tests import factories
from tests.checklists import factories as checklists
from tests.inspections.factories import body

COPIES = 4
ROUNDS = 8
#: 拉萨市城关区: committed rows land where no other test looks
REGION = "540102"


@pytest.fixture
def world(app, engine):
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session:
        make = factories.Factories(session)
        inspector = make.user(region_code=REGION)
        site = make.site(region_code=REGION, site_type="sorting_center",
                         enterprise_id=make.enterprise(region_code=REGION).id)
        template = checklists.new_version(session, "sorting_center")
        session.commit()
    with app.app_context():
        token = create_access_token(identity=str(inspector.id))
    yield {"token": token, "site": site, "template": template, "inspector": inspector}
    with factory.begin() as session:
        ids = select(Inspection.id).where(Inspection.site_id == site.id)
        session.execute(delete(Finding).where(Finding.inspection_id.in_(ids)))
        session.execute(delete(InspectionAnswer).where(InspectionAnswer.inspection_id.in_(ids)))
        session.execute(delete(inspection_inspectors).where(
            inspection_inspectors.c.inspection_id.in_(ids)))
        session.execute(delete(Inspection).where(Inspection.site_id == site.id))
        session.execute(delete(ChecklistItem).where(ChecklistItem.template_id == template.id))
        session.execute(delete(ChecklistTemplate).where(ChecklistTemplate.id == template.id))
        session.execute(delete(Site).where(Site.id == site.id))
        session.execute(delete(Enterprise).where(Enterprise.id == site.enterprise_id))
        session.execute(delete(User).where(User.id == inspector.id))


def _race(app, token, url, bodies) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    statuses = [None] * len(bodies)

    def send(index):
        client = app.test_client()
        barrier.wait()
        response = client.put(url, json=bodies[index],
                              headers={"Authorization": f"Bearer {token}"})
        statuses[index] = response.status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _stored(engine, site) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Inspection)
                                 .where(Inspection.site_id == site.id))


def test_identical_copies_racing_store_one_inspection(app, engine, world):
    site, template = world["site"], world["template"]
    sent = body(site, template)
    for _ in range(ROUNDS):
        url = f"/api/v1/inspections/{uuid.uuid4()}"
        assert _race(app, world["token"], url, [sent] * COPIES) == [201] * COPIES
    assert _stored(engine, site) == ROUNDS


def test_different_bodies_racing_store_one_and_refuse_the_rest(app, engine, world):
    site, template = world["site"], world["template"]
    bodies = [body(site, template, note=f"副本 {i}") for i in range(COPIES)]
    url = f"/api/v1/inspections/{uuid.uuid4()}"
    statuses = _race(app, world["token"], url, bodies)
    assert sorted(statuses) == [201] + [409] * (COPIES - 1)
    assert _stored(engine, site) == 1
