"""Rectification orders: issued with a re-inspection task; the re-inspection completes the
order or escalates it to a case; overdue orders surface in the queue."""

from __future__ import annotations

import uuid
from datetime import timedelta

from service.assignments.models import Task
from service.enforcement.models import Rectification
from tests.enforcement.helpers import failed_inspection, today

URL = "/api/v1/enforcement/rectifications"


def _issue(apis, inspection, people, *, due_in: int = 10):
    response = apis["inspector"].post(URL, json={
        "site_id": str(inspection.site_id),
        "finding_ids": [str(f.id) for f in inspection.findings],
        "due_on": str(today() + timedelta(days=due_in)),
        "inspector_ids": [str(people["inspector"].id), str(people["partner"].id)]})
    assert response.status_code == 201, response.json
    return response.json


def _reinspect(make, people, site, *, failed):
    return failed_inspection(make, inspector=people["inspector"], partner=people["partner"],
                             site=site, failed=failed, kind="re_inspection")


def test_an_order_creates_its_reinspection_task_and_completes_when_it_passes(
        apis, inspection, people, make, site, db):
    order = _issue(apis, inspection, people)
    assert "邮管改〔" in order["number"]
    assert [item["item_code"] for item in order["items"]] == ["real_name"]
    task = db.get(Task, uuid.UUID(order["task_id"]))
    assert (task.source, task.kind, task.site_id, task.status) == (
        "re_inspection", "re_inspection", site.id, "open")
    again = _reinspect(make, people, site, failed=())
    db.refresh(task)
    assert task.status == "done"  # the re-inspection did the task
    outcome = apis["inspector"].post(f"{URL}/{order['id']}/reinspection",
                                     json={"inspection_id": str(again.id)})
    assert outcome.status_code == 200, outcome.json
    assert outcome.json["status"] == "completed"
    assert outcome.json["completed_on"] == str(today())


def test_an_order_not_rectified_escalates_to_a_case(apis, inspection, people, make, site,
                                                    catalogue):
    order = _issue(apis, inspection, people)
    again = _reinspect(make, people, site, failed=("real_name",))
    outcome = apis["inspector"].post(f"{URL}/{order['id']}/reinspection",
                                     json={"inspection_id": str(again.id)}).json
    assert outcome["status"] == "escalated"
    case = apis["supervisor"].get(
        f"/api/v1/enforcement/cases/{outcome['escalated_case_id']}").json
    assert case["status"] == "lead" and case["site_id"] == str(site.id)
    assert case["finding_ids"] == [str(again.findings[0].id)]
    assert order["number"] in case["title"]
    retried = apis["inspector"].post(f"{URL}/{order['id']}/reinspection",
                                     json={"inspection_id": str(again.id)})
    assert retried.json["escalated_case_id"] == outcome["escalated_case_id"]


def test_an_overdue_order_surfaces_in_the_queue(apis, inspection, people, db):
    order = _issue(apis, inspection, people)
    queue = "/api/v1/enforcement/queues/rectification"
    assert order["id"] not in [i["item_id"] for i in apis["supervisor"].get(queue).json["items"]]
    stored = db.get(Rectification, uuid.UUID(order["id"]))
    from service.enforcement import queues

    queues.enqueue(db, queue="rectification", item_id=stored.id, region_code="310113",
                   item_type="express_outlet", title="x", due_on=today() - timedelta(days=1))
    assert order["id"] in [i["item_id"] for i in apis["supervisor"].get(queue).json["items"]]


def test_an_order_needs_a_future_due_date_and_findings_of_its_site(apis, inspection, people,
                                                                   make):
    body = {"site_id": str(inspection.site_id),
            "finding_ids": [str(f.id) for f in inspection.findings], "due_on": str(today()),
            "inspector_ids": [str(people["inspector"].id)]}
    assert "due_on" in apis["inspector"].post(URL, json=body).json["errors"]["json"]
    other = make.site(region_code="310113")
    body.update(site_id=str(other.id), due_on=str(today() + timedelta(days=3)))
    assert "finding_ids" in apis["inspector"].post(URL, json=body).json["errors"]["json"]


def test_the_periodic_job_settles_orders_whose_reinspection_is_done(
        apis, inspection, people, make, site, db, app):
    from service.enforcement.tasks import settle_reinspections_now

    order = _issue(apis, inspection, people)
    _reinspect(make, people, site, failed=())
    with app.app_context():
        assert settle_reinspections_now.delay().get() == 1
    settled = apis["inspector"].get(f"{URL}/{order['id']}").json
    assert settled["status"] == "completed"
    with app.app_context():
        assert settle_reinspections_now.delay().get() == 0
