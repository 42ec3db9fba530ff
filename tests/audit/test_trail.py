"""What an entry records: who, what (fields old and new, digests of secrets), when, under
which request; statements through the session; savepoints; refusals of unnameable writes."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import delete, insert, text, update

from service.assignments.models import Task
from service.audit.hooks import AuditBypassError
from service.auth.models import User as UserModel
from service.common.access import ADMIN, SUPERVISOR
from service.inspections.models import Finding
from service.registry.models import Enterprise
from tests.assignments.factories import task
from tests.audit.helpers import entries_after, last_entry_id
from tests.checklists import factories as checklists
from tests.inspections.factories import body, stored


@pytest.fixture
def admin(make, as_user):
    return as_user(make.user(role=ADMIN, region_code="310113"))


def _new_user(admin, **fields):
    return admin.post("/api/v1/users", json={
        "username": "li_na", "password": "a-long-password-2026", "full_name": "李娜",
        "role": "analyst", "region_code": "310113", **fields},
        headers={"X-Request-ID": "phone-7f3a.42"})


def test_an_entry_names_who_what_and_the_request(admin, db):
    first = last_entry_id(db)
    response = _new_user(admin)
    assert response.status_code == 201
    assert response.headers["X-Request-ID"] == "phone-7f3a.42"
    [entry] = entries_after(db, first)
    assert (entry.action, entry.object_type, entry.object_id) == ("create", "user",
                                                                  response.json["id"])
    assert entry.request_id == "phone-7f3a.42"
    assert (entry.actor_role, entry.actor_region_code) == (ADMIN, "310113")
    assert entry.region_code == "310113"
    assert entry.changes["username"] == {"new": "li_na"}
    assert entry.recorded_at.tzinfo is not None


def test_password_hashes_are_never_stored_only_their_digest(admin, db):
    first = last_entry_id(db)
    user_id = _new_user(admin).json["id"]
    stored_hash = db.get(UserModel, uuid.UUID(user_id)).password_hash
    [entry] = entries_after(db, first)
    assert set(entry.changes["password_hash"]) == {"new_sha256"}
    assert stored_hash not in str(entry.changes)


def test_a_malformed_request_id_is_replaced_by_a_new_one(admin, db):
    first = last_entry_id(db)
    response = admin.post("/api/v1/users", json={
        "username": "zhao", "password": "a-long-password-2026", "full_name": "赵",
        "role": "analyst", "region_code": "310113"},
        headers={"X-Request-ID": "bad id;" + "x" * 80})
    request_id = response.headers["X-Request-ID"]
    assert request_id.isalnum() and len(request_id) == 32
    assert {e.request_id for e in entries_after(db, first)} == {request_id}


def test_an_update_records_old_and_new_values(admin, make, db):
    enterprise = make.enterprise(region_code="310113", name="旧名称")
    db.commit()
    first = last_entry_id(db)
    response = admin.patch(f"/api/v1/enterprises/{enterprise.id}", json={"name": "新名称"},
                           headers={"If-Match": "*"})
    assert response.status_code == 200, response.json
    [entry] = entries_after(db, first)
    assert entry.action == "update"
    assert entry.changes == {"name": {"old": "旧名称", "new": "新名称"}}


def test_completing_and_voiding_record_findings_and_the_tasks_changed_by_statement(
        make, as_user, db, inspector, phone):
    site = make.site(region_code="310113", lat=31.40, lon=121.48)
    template = checklists.new_version(db, "express_outlet")
    open_task = task(db, site=site, assignees=[inspector])
    db.commit()
    first = last_entry_id(db)
    answers = {item.code: "pass" for item in template.items}
    answers[template.items[0].code] = "fail"
    inspection_id = uuid.uuid4()
    assert phone.put(f"/api/v1/inspections/{inspection_id}",
                     json=body(site, template, answers=answers)).status_code == 201

    entries = entries_after(db, first)
    by_type = {}
    for entry in entries:
        by_type.setdefault(entry.object_type, []).append(entry)
    [finding] = by_type["finding"]
    assert (finding.parent_type, finding.parent_id) == ("inspection", str(inspection_id))
    [done] = by_type["task"]  # written by one UPDATE statement, not the unit of work
    assert (done.object_id, done.action, done.region_code) == (str(open_task.id), "update",
                                                               "310113")
    assert done.changes["status"] == {"old": "open", "new": "done"}
    assert len(by_type["inspection_answer"]) == len(template.items)
    assert {e.parent_id for e in by_type["inspection_answer"]} == {str(inspection_id)}
    # the inspectors are a field of the inspection's one entry, not rows of their own
    [created] = by_type["inspection"]
    assert (created.object_id, created.action) == (str(inspection_id), "create")
    assert created.changes["inspectors"] == {"old": [], "new": [str(inspector.id)]}
    assert "inspection_inspectors" not in by_type

    supervisor = as_user(make.user(role=SUPERVISOR, region_code="310113"))
    first = last_entry_id(db)
    assert supervisor.post(f"/api/v1/inspections/{inspection_id}/void",
                           json={"reason": "重复录入"}).status_code == 200
    reopened = [e for e in entries_after(db, first) if e.object_type == "task"]
    assert [e.changes["status"] for e in reopened] == [{"old": "done", "new": "open"}]


def test_a_rolled_back_savepoint_leaves_no_entry_but_the_rest_stays(make, db):
    first = last_entry_id(db)
    kept = make.enterprise(region_code="310113")
    with pytest.raises(RuntimeError), db.begin_nested():
        make.enterprise(region_code="310113", name="撤销的")
        raise RuntimeError("changed my mind")
    with db.begin_nested():
        released = make.enterprise(region_code="310113", name="保留的")
    db.commit()
    assert {e.object_id for e in entries_after(db, first)} == {str(kept.id), str(released.id)}


def test_several_flushes_of_one_object_make_one_entry(make, db):
    first = last_entry_id(db)
    enterprise = make.enterprise(region_code="310113", name="第一")
    enterprise.name = "第二"
    db.flush()
    enterprise.name = "第三"
    db.commit()
    [entry] = entries_after(db, first)
    assert entry.action == "create"
    assert entry.changes["name"] == {"new": "第三"}


def test_a_bulk_insert_with_keys_is_recorded_and_one_without_is_refused(make, db):
    site = make.site(region_code="310113")
    db.commit()
    first = last_entry_id(db)
    task_id = uuid.uuid4()
    db.execute(insert(Task), [{"id": task_id, "site_id": site.id, "kind": "routine",
                               "source": "manual", "status": "open",
                               "due_on": site.opened_on, "version": 1}])
    db.commit()
    [entry] = entries_after(db, first)
    assert (entry.object_id, entry.action, entry.region_code) == (str(task_id), "create",
                                                                  "310113")
    with pytest.raises(AuditBypassError, match="primary keys"):
        db.execute(insert(Enterprise), [{"name": "无编号", "brand": "x", "uscc": "1" * 18,
                                         "region_code": "310113", "version": 1}])


def test_raw_sql_writes_through_the_session_are_refused(db):
    with pytest.raises(AuditBypassError, match="Raw SQL"):
        db.execute(text("UPDATE users SET full_name = 'x'"))


def test_a_statement_matching_nothing_records_nothing(make, db):
    first = last_entry_id(db)
    result = db.execute(update(Task).where(Task.status == "no-such-status")
                        .values(status="done"))
    db.commit()
    assert result.rowcount == 0
    assert entries_after(db, first) == []


def test_a_bulk_delete_of_a_model_with_eager_joins_records_each_row(make, db, inspector):
    """Findings load their inspection eagerly (a LEFT JOIN), which FOR UPDATE must not hit."""
    site = make.site(region_code="310113", lat=31.40, lon=121.48)
    template = checklists.new_version(db, "express_outlet")
    answers = {item.code: "fail" for item in template.items}
    inspection = stored(db, submitter=inspector, site=site, template=template, answers=answers)
    db.commit()
    first = last_entry_id(db)
    db.execute(delete(Finding).where(Finding.inspection_id == inspection.id))
    db.commit()
    entries = entries_after(db, first)
    assert {(e.object_type, e.action) for e in entries} == {("finding", "delete")}
    assert len(entries) == len(template.items)
    assert {e.parent_id for e in entries} == {str(inspection.id)}
