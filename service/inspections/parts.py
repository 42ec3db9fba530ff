"""A new inspection's parts — inspectors, answers, partner officers, findings — written as
statements instead of through the unit of work.

The flush of ten new ORM objects (nine answers and a finding) was a third of a submission's
CPU: registering each object, sorting the unit of work, an event per row; the flush of the
inspectors alone, a tenth. `service.audit.hooks.insert_rows` writes them all: on PostgreSQL
one statement (a data-modifying CTE per table, fed by one JSON parameter each), elsewhere
one INSERT per table, each row noted on the audit trail as before — the same entries, field
by field, as the mapper events would write, the inspectors a field of the inspection's own
entry. The rows the answer shows are then attached to the inspection as loaded, persistent
objects, as if read back, without reading anything.

A draft's replacement changes rows that exist and goes through the ORM
(`service.inspections.logic._again`).
"""

from __future__ import annotations

from operator import itemgetter

from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from service.audit.hooks import insert_rows
from service.checklists.logic import TemplateVersion
from service.db import new_uuid, utcnow
from service.inspections.models import (
    COMPLETED,
    FAIL,
    Finding,
    Inspection,
    InspectionAnswer,
    PartnerOfficer,
    inspection_inspectors,
)

#: the longest finding description the column holds
_DESCRIPTION_MAX = Finding.__table__.c.description.type.length


def write_parts(db: Session, inspection: Inspection, data: dict, *, inspectors: list,
                template: TemplateVersion) -> None:
    """Store a new inspection's inspectors, partner officers, answers and (when completed)
    its findings; the inspection's collections then hold them as stored."""
    links = [{"inspection_id": inspection.id, "user_id": user.id} for user in inspectors]
    answers = [{"inspection_id": inspection.id, "item_code": answer["item_code"],
                "answer": answer["answer"], "note": answer["note"]}
               for answer in sorted(data["answers"], key=itemgetter("item_code"))]
    partners = [{"inspection_id": inspection.id, "position": position, **partner}
                for position, partner in enumerate(data["partner_officers"])]
    findings = finding_rows(inspection, answers, template) \
        if inspection.status == COMPLETED else []
    parts = ((InspectionAnswer, "answers", answers),
             (PartnerOfficer, "partner_officers", partners),
             (Finding, "findings", findings))
    insert_rows(db, [(inspection_inspectors, links),
                     *((model.__table__, rows) for model, _key, rows in parts)])
    set_committed_value(inspection, "inspectors", list(inspectors))
    for model, key, rows in parts:
        set_committed_value(inspection, key,
                            [_stored(db, model, row, inspection) for row in rows])


def finding_rows(inspection: Inspection, answers: list[dict],
                 template: TemplateVersion) -> list[dict]:
    """One finding per failed item: the item's question and the inspector's note, in the
    order of the answers (by item code)."""
    texts = {item.code: item.text for item in template.items}
    now = utcnow()
    rows = []
    for answer in answers:
        if answer["answer"] != FAIL:
            continue
        description = texts[answer["item_code"]]
        if answer["note"]:
            description = f"{description} — {answer['note']}"
        rows.append({"id": new_uuid(), "inspection_id": inspection.id,
                     "site_id": inspection.site_id, "region_code": inspection.region_code,
                     "item_code": answer["item_code"],
                     "description": description[:_DESCRIPTION_MAX],
                     "created_at": now, "updated_at": now})
    return rows


def _stored(db: Session, model: type, row: dict, inspection: Inspection):
    """The ORM object of a row just inserted, persistent in the session and unmodified (as
    a query would have loaded it), so nothing flushes it again. Like a loaded one it points
    back at its inspection, which keeps that in the session's (weak) identity map until
    the commit, where the audit trail finds the parts' region on it."""
    obj = model(**row)
    make_transient_to_detached(obj)
    db.add(obj)
    if "inspection" in model.__mapper__.relationships:
        set_committed_value(obj, "inspection", inspection)
    return obj
