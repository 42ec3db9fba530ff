"""What a submission costs the database, pinned: a regression shows up as a new number.

Counted on the test's connection, less the harness' own savepoint around each request.
"""

from __future__ import annotations

import re
import uuid

from service.auth.models import INSPECTOR
from tests.assignments import factories as tasks
from tests.inspections.factories import body


def statements(seen) -> list[str]:
    """Each statement's verb and table, e.g. 'INSERT inspections', minus the harness'; a
    statement of several writes (data-modifying CTEs) names each, e.g. 'INSERT findings +
    INSERT audit_entries'."""
    kinds = []
    for statement, _ in seen:
        if statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            continue
        verb = statement.split(None, 1)[0]
        if verb == "WITH":
            writes = re.findall(r"\b(INSERT INTO|UPDATE)\s+(\w+)", statement)
            kinds.append(" + ".join(f"{verb.split()[0]} {table}" for verb, table in writes))
            continue
        table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", statement)
        kinds.append(f"{verb} {table.group(1) if table else '?'}")
    return kinds


def submit(phone, sent, sql_log, status=201):
    with sql_log() as seen:
        response = phone.put(f"/api/v1/inspections/{uuid.uuid4()}", json=sent)
    assert response.status_code == status, response.json
    return statements(seen)


def test_a_completed_inspection_costs_ten_statements_eight_on_postgresql_audit_included(
        phone, site, template, sql_log, db):
    sent = body(site, template, answers={
        "real_name": "fail", "xray_check": "pass", "recycling_device": "pass"})
    submit(phone, sent, sql_log)  # this worker now knows the caller and the checklist
    parts = ["INSERT inspection_inspectors",   # the inspectors,
             "INSERT inspection_answers",      # every answer in one statement,
             "INSERT findings"]                # its findings
    passes = ["INSERT stat_recycling_passes",  # its pass, if it passed recycling_device
              "UPDATE stat_recycling_passes"]  # the site's previous pass now superseded by it
    if db.get_bind().dialect.name == "postgresql":  # each group one statement (CTEs)
        parts = [" + ".join(parts)]
        # the site's lock on its passes first (another transaction's inspection of the site
        # is then seen), the pass and the relink in one
        passes = ["SELECT unnest", " + ".join(passes)]
    assert sorted(submit(phone, sent, sql_log)) == sorted([
        "SELECT users",                   # the caller's row (certificate, for the rule of two)
        "SELECT sites",                   # the site: jurisdiction, type, location
        "INSERT inspections",             # ON CONFLICT DO NOTHING RETURNING: claims the id
        *parts,
        "SELECT tasks",                   # the open tasks it fulfils: none here, no UPDATE
        *passes,
        "INSERT audit_entries",           # the audit trail: one INSERT for every entry
    ])


def test_a_completion_fulfilling_a_task_also_locks_and_updates_it(phone, site, template,
                                                                   inspector, db, sql_log):
    task = tasks.task(db, site=site, assignees=[inspector])
    submit(phone, body(site, template), sql_log)  # this worker now knows the checklist
    db.refresh(task)
    assert task.status == "done"  # the first completion took the task
    task.status, task.completed_by_inspection_id, task.completed_at = "open", None, None
    db.flush()
    kinds = submit(phone, body(site, template), sql_log)
    # PostgreSQL: the tasks' UPDATE locks and returns the rows it changes, old and new, in
    # itself; on SQLite the trail reads them first and again after
    on_postgresql = db.get_bind().dialect.name == "postgresql"
    assert kinds.count("SELECT tasks") == (1 if on_postgresql else 3), kinds
    assert kinds.count("UPDATE tasks") == 1
    db.refresh(task)
    assert task.status == "done"


def test_a_draft_of_a_pair_reads_the_other_inspector_once(phone, site, template, make,
                                                          sql_log, db):
    partner = make.user(role=INSPECTOR, region_code="310113")
    sent = body(site, template, status="draft", inspector_ids=[str(partner.id)])
    submit(phone, sent, sql_log)
    parts = ["INSERT inspection_inspectors", "INSERT inspection_answers"]
    if db.get_bind().dialect.name == "postgresql":
        parts = [" + ".join(parts)]
    assert sorted(submit(phone, sent, sql_log)) == sorted([
        "SELECT users", "SELECT sites", "SELECT users", "INSERT inspections", *parts,
        "INSERT audit_entries"])


def test_a_retry_only_tries_the_insert_then_reads_the_stored_inspection(phone, site, template,
                                                                       sql_log):
    sent = body(site, template)
    url = f"/api/v1/inspections/{uuid.uuid4()}"
    assert phone.put(url, json=sent).status_code == 201
    with sql_log() as seen:
        assert phone.put(url, json=sent).status_code == 201
    writes = [kind for kind in statements(seen) if not kind.startswith("SELECT")]
    assert writes == ["INSERT inspections"]  # ON CONFLICT DO NOTHING: nothing, not audited
