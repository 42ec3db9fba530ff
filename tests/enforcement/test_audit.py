"""Case steps are on the audit trail (全过程记录), and an edited record of one is caught."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text, update

from service.audit.logic import verify_chain
from service.audit.models import AuditEntry
from service.enforcement.models import CaseStep
from tests.audit.helpers import entries_after, last_entry_id, without_append_only_triggers
from tests.enforcement.helpers import days_ago


def _step_entry(db, first: int, move: str) -> AuditEntry:
    entries = entries_after(db, first)
    steps = [e for e in entries if e.object_type == "case_step"
             and e.changes.get("move", {}).get("new") == move]
    assert len(steps) == 1, [(e.object_type, e.changes) for e in entries]
    return steps[0]


def test_a_case_step_is_recorded_with_who_and_its_case(case, db, people):
    first = last_entry_id(db)
    case.move("approve_filing", on=days_ago(39), reason="证据确凿，同意立案")
    step = _step_entry(db, first, "approve_filing")
    assert (step.actor_id, step.actor_role) == (people["supervisor"].id, "supervisor")
    assert (step.parent_type, step.parent_id) == ("case", str(case.id))
    assert step.region_code == "310113"
    assert step.changes["reason"]["new"] == "证据确凿，同意立案"
    updated = [e for e in entries_after(db, first)
               if e.object_type == "case" and e.object_id == str(case.id)]
    assert updated[0].changes["status"] == {"old": "lead", "new": "filed"}


def test_the_verifier_names_an_edited_record_of_a_case_step(case, db):
    first = last_entry_id(db)
    case.move("approve_filing", on=days_ago(39), reason="证据确凿，同意立案")
    step = _step_entry(db, first, "approve_filing")
    db.commit()
    assert verify_chain(db).ok
    without_append_only_triggers(db)
    forged = dict(step.changes, reason={"old": None, "new": "补签：同意立案"})
    db.connection().execute(update(AuditEntry.__table__)
                            .where(AuditEntry.__table__.c.id == step.id)
                            .values(changes=forged))
    result = verify_chain(db)
    assert not result.ok
    assert (result.problem.kind, result.problem.entry_id) == ("altered", step.id)
    assert db.scalar(select(AuditEntry.id).where(AuditEntry.id == step.id)) == step.id


def test_a_cases_history_shows_its_steps(case, apis):
    case.move("approve_filing", on=days_ago(39))
    history = apis["supervisor"].get(f"/api/v1/audit?object=case:{case.id}&limit=500")
    assert history.status_code == 200, history.json
    kinds = {(e["object_type"], e["action"]) for e in history.json["items"]}
    assert {("case", "create"), ("case", "update"), ("case_step", "create")} <= kinds


def _without_step_triggers(db) -> None:
    """Get past the append-only triggers of the steps (rolled back with the test)."""
    if db.connection().dialect.name == "postgresql":
        db.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        for operation in ("update", "delete"):
            db.execute(text(f"DROP TRIGGER IF EXISTS enforcement_case_steps_no_{operation}"))


def test_the_verifier_names_an_edited_case_step_row(case, db):
    first = last_entry_id(db)
    case.move("approve_filing", on=days_ago(39), reason="证据确凿，同意立案")
    entry = _step_entry(db, first, "approve_filing")
    db.commit()
    assert verify_chain(db).ok  # every step still says what its entry recorded
    _without_step_triggers(db)
    db.execute(update(CaseStep).where(CaseStep.id == uuid.UUID(entry.object_id))
               .values(reason="补签：同意立案").execution_options(synchronize_session=False))
    result = verify_chain(db)
    assert not result.ok
    assert (result.problem.kind, result.problem.entry_id) == ("row_altered", entry.id)
    assert "`reason` was edited" in result.problem.message
