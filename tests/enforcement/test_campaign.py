"""Cases serve the campaign (专项行动) of the inspection they come from, or one named and
checked; the case list and the queues filter by campaign."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update

from service.assignments.models import Task
from service.enforcement.models import QueueItem
from tests.campaigns.factories import campaign
from tests.enforcement.conftest import open_case
from tests.enforcement.helpers import failed_inspection, today
from tests.inspections.factories import ago

CASES = "/api/v1/enforcement/cases"


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def test_a_case_takes_the_campaign_of_its_inspection_and_lists_filter_by_it(
        apis, people, make, site, catalogue, db):
    served = campaign(make, "310113")
    inspection = failed_inspection(make, inspector=people["inspector"],
                                   partner=people["partner"], site=site,
                                   campaign_id=str(served.id))
    case = open_case(apis, inspection, opened_days_ago=0)
    shown = case.get().json
    assert shown["campaign_id"] == str(served.id)
    plain = open_case(apis, failed_inspection(make, inspector=people["inspector"],
                                              partner=people["partner"], site=site),
                      opened_days_ago=0)
    assert plain.get().json["campaign_id"] is None
    listed = _ids(apis["supervisor"].get(f"{CASES}?campaign_id={served.id}"))
    assert listed == [str(case.id)]
    # the lead waits for filing approval; the queue filters by the case's campaign
    queue = "/api/v1/enforcement/queues/filing_approval"
    items = apis["supervisor"].get(f"{queue}?campaign_id={served.id}").json["items"]
    assert [(i["item_id"], i["campaign_id"]) for i in items] == [(str(case.id), str(served.id))]
    everything = [i["item_id"] for i in apis["supervisor"].get(queue).json["items"]]
    assert {str(case.id), str(plain.id)} <= set(everything)
    # the items that follow carry it too (the deadline item, listed from 15 days before)
    case.move("approve_filing")
    item = db.scalar(select(QueueItem).where(QueueItem.item_id == case.id))
    assert (item.queue, item.campaign_id) == ("decision_deadline", served.id)


def test_a_named_campaign_must_cover_the_case_region_and_date(apis, people, make, inspection,
                                                              catalogue):
    elsewhere = campaign(make, "310106")  # 静安区's campaign: 宝山 does not see it
    over = campaign(make, "310113", period_start=today() - timedelta(days=60),
                    period_end=today() - timedelta(days=30))
    body = {"source": "inspection", "finding_ids": [str(f.id) for f in inspection.findings],
            "title": "未按规定执行实名收寄制度"}
    for named in (elsewhere, over):
        refused = apis["inspector"].post(CASES, json={**body, "campaign_id": str(named.id)})
        assert refused.status_code == 422, refused.json
        assert "campaign_id" in refused.json["errors"]["json"]
    running = campaign(make, "310113")
    opened = apis["inspector"].post(CASES, json={**body, "campaign_id": str(running.id)})
    assert opened.status_code == 201 and opened.json["campaign_id"] == str(running.id)


def test_a_complaint_names_its_campaign_and_an_inspection_keeps_its_own_after_the_period(
        apis, people, make, site, catalogue):
    ended = campaign(make, "310113", period_start=today() - timedelta(days=60),
                     period_end=today() - timedelta(days=1))
    inspection = failed_inspection(make, inspector=people["inspector"],
                                   partner=people["partner"], site=site,
                                   campaign_id=str(ended.id),
                                   started_at=ago(days=2, hours=1),
                                   finished_at=ago(days=2))
    # the inspection was made during the campaign: a case citing it names it after its end
    opened = apis["inspector"].post(CASES, json={
        "source": "inspection", "finding_ids": [str(f.id) for f in inspection.findings],
        "title": "未按规定执行实名收寄制度", "campaign_id": str(ended.id)})
    assert opened.status_code == 201, opened.json
    assert opened.json["campaign_id"] == str(ended.id)
    running = campaign(make, "310113")
    complaint = apis["supervisor"].post(CASES, json={
        "source": "complaint", "site_id": str(site.id), "source_note": "12305 举报",
        "title": "举报未验视", "campaign_id": str(running.id)})
    assert complaint.status_code == 201 and complaint.json["campaign_id"] == str(running.id)


RECTIFICATIONS = "/api/v1/enforcement/rectifications"


def _order(apis, people, inspection, **fields) -> dict:
    response = apis["inspector"].post(RECTIFICATIONS, json={
        "site_id": str(inspection.site_id),
        "finding_ids": [str(f.id) for f in inspection.findings],
        "due_on": str(today() + timedelta(days=10)),
        "inspector_ids": [str(people["inspector"].id), str(people["partner"].id)], **fields})
    assert response.status_code == 201, response.json
    return response.json


def test_an_order_serves_its_inspections_campaign_with_its_task_and_queue_item(
        apis, people, make, site, catalogue, db):
    served = campaign(make, "310113")
    inspection = failed_inspection(make, inspector=people["inspector"],
                                   partner=people["partner"], site=site,
                                   campaign_id=str(served.id))
    order = _order(apis, people, inspection)
    plain = _order(apis, people, failed_inspection(make, inspector=people["inspector"],
                                                   partner=people["partner"], site=site))
    assert (order["campaign_id"], plain["campaign_id"]) == (str(served.id), None)
    task = db.get(Task, uuid.UUID(order["task_id"]))
    assert task.campaign_id == served.id
    listed = _ids(apis["supervisor"].get(f"{RECTIFICATIONS}?campaign_id={served.id}"))
    assert listed == [order["id"]]
    # the queue lists orders once overdue: both are made so, the filter keeps the campaign's
    db.execute(update(QueueItem).where(QueueItem.queue == "rectification")
               .values(due_on=today() - timedelta(days=1)))
    queue = "/api/v1/enforcement/queues/rectification"
    items = apis["supervisor"].get(f"{queue}?campaign_id={served.id}").json["items"]
    assert [(i["item_id"], i["campaign_id"]) for i in items] == [(order["id"], str(served.id))]
    everything = {i["item_id"] for i in apis["supervisor"].get(queue).json["items"]}
    assert everything == {order["id"], plain["id"]}
    tasks = _ids(apis["supervisor"].get(f"/api/v1/tasks?campaign_id={served.id}"))
    assert tasks == [order["task_id"]]


def test_an_order_in_a_case_serves_the_cases_campaign(apis, people, make, site, catalogue):
    named = campaign(make, "310113")
    inspection = failed_inspection(make, inspector=people["inspector"],
                                   partner=people["partner"], site=site)
    opened = apis["inspector"].post(CASES, json={
        "source": "inspection", "finding_ids": [str(f.id) for f in inspection.findings],
        "title": "未按规定执行实名收寄制度", "campaign_id": str(named.id)})
    assert opened.status_code == 201, opened.json
    order = _order(apis, people, inspection, case_id=opened.json["id"])
    assert order["campaign_id"] == str(named.id)


def test_an_order_escalated_by_its_reinspection_opens_a_case_of_its_campaign(
        apis, people, make, site, catalogue):
    served = campaign(make, "310113")
    order = _order(apis, people, failed_inspection(make, inspector=people["inspector"],
                                                   partner=people["partner"], site=site,
                                                   campaign_id=str(served.id)))
    failed_inspection(make, inspector=people["inspector"], partner=people["partner"],
                      site=site, kind="re_inspection")          # not rectified
    settled = apis["supervisor"].get(f"{RECTIFICATIONS}/{order['id']}").json
    assert settled["status"] == "escalated"
    case = apis["supervisor"].get(f"{CASES}/{settled['escalated_case_id']}").json
    assert case["campaign_id"] == str(served.id)
