"""Rectification orders: issued with a re-inspection task; the re-inspection completes the
order or escalates it to a case; overdue orders surface in the queue."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import update

from service.assignments.models import Task
from service.enforcement.models import Rectification
from tests.checklists import factories as checklists
from tests.enforcement.helpers import failed_inspection, today
from tests.inspections.factories import body

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


def _put_reinspection(apis, people, db, site, *, failed):
    """The inspector's phone submits the completed re-inspection (PUT), as in the field."""
    template = checklists.current(db, site.site_type)
    answers = {item.code: ("fail" if item.code in failed else "pass") for item in template.items}
    inspection_id = uuid.uuid4()
    response = apis["inspector"].put(
        f"/api/v1/inspections/{inspection_id}",
        json=body(site, template, answers=answers, kind="re_inspection",
                  inspector_ids=[str(people["partner"].id)]))
    assert response.status_code == 201, response.json
    return response.json


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
    assert task.status == "done"  # the re-inspection did the task, and settled the order
    settled = apis["inspector"].get(f"{URL}/{order['id']}").json
    assert settled["status"] == "completed" and settled["completed_on"] == str(today())
    assert settled["reinspection_id"] == str(again.id)
    retried = apis["inspector"].post(f"{URL}/{order['id']}/reinspection",
                                     json={"inspection_id": str(again.id)})
    assert retried.status_code == 200, retried.json
    assert retried.json["status"] == "completed"


def test_the_put_completing_a_passing_reinspection_completes_the_order(
        apis, inspection, people, site, db):
    order = _issue(apis, inspection, people)
    submitted = _put_reinspection(apis, people, db, site, failed=())
    assert submitted["status"] == "completed"
    settled = apis["supervisor"].get(f"{URL}/{order['id']}").json  # no job has run
    assert settled["status"] == "completed"
    assert settled["reinspection_id"] == submitted["id"]
    assert settled["completed_on"] == str(today())
    queue = apis["supervisor"].get("/api/v1/enforcement/queues/rectification").json["items"]
    assert order["id"] not in [item["item_id"] for item in queue]


def test_the_put_completing_a_failing_reinspection_escalates_the_order_to_a_case(
        apis, inspection, people, site, db, catalogue):
    order = _issue(apis, inspection, people)
    submitted = _put_reinspection(apis, people, db, site, failed=("real_name",))
    settled = apis["supervisor"].get(f"{URL}/{order['id']}").json  # no job has run
    assert settled["status"] == "escalated"
    case = apis["supervisor"].get(
        f"/api/v1/enforcement/cases/{settled['escalated_case_id']}").json
    assert case["status"] == "lead" and case["site_id"] == str(site.id)
    assert order["number"] in case["title"]
    findings = apis["supervisor"].get(f"/api/v1/inspections/{submitted['id']}").json
    assert case["finding_ids"] == [f["id"] for f in findings["findings"]]


def test_a_failing_reinspection_without_the_rule_of_two_leaves_the_order_open(
        apis, inspection, people, make, site):
    order = _issue(apis, inspection, people)
    alone = failed_inspection(make, inspector=people["inspector"], partner=None, site=site,
                              failed=("real_name",), kind="re_inspection")
    assert alone.status == "completed" and not alone.enforcement_ready  # the submission stands
    still = apis["supervisor"].get(f"{URL}/{order['id']}").json
    assert still["status"] == "open"  # no case can rest on it: an officer decides
    refused = apis["supervisor"].post(f"{URL}/{order['id']}/reinspection",
                                      json={"inspection_id": str(alone.id)})
    assert refused.status_code == 422 and "finding_ids" in refused.json["errors"]["json"]


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
    """The safety net: an order whose task was done without settling it (a task completed
    before submissions settled their orders) is settled by the job."""
    from service.enforcement.tasks import settle_reinspections_now

    order = _issue(apis, inspection, people)
    other = make.user(role="inspector", region_code="310113")
    again = failed_inspection(make, inspector=other, partner=people["partner"], site=site,
                              failed=(), kind="re_inspection")
    task = db.get(Task, uuid.UUID(order["task_id"]))
    assert task.status == "done"  # the partner is one of its assignees
    db.execute(update(Rectification).where(Rectification.id == uuid.UUID(order["id"]))
               .values(status="open", reinspection_id=None, completed_on=None))
    with app.app_context():
        assert settle_reinspections_now.delay().get() == 1
    settled = apis["inspector"].get(f"{URL}/{order['id']}").json
    assert settled["status"] == "completed" and settled["reinspection_id"] == str(again.id)
    with app.app_context():
        assert settle_reinspections_now.delay().get() == 0
