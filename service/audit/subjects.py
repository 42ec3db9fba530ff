"""How an audit entry names its object, finds its jurisdiction and its parent: one table.

An object's type is its model's name in snake case (`InspectionAnswer` → inspection_answer;
a plain table without a model: the table's name). Its jurisdiction is the region code stored
on the entry when it is written, which decides who may read the object's history:

- by default the object's own `region_code` column;
- `SUBJECTS` below names another column, a look-up through a foreign key (`Via`: a task's
  region is its site's), or None for national reference data (checklists, matters), whose
  history every reader may see.

`parent` names the object an entry also belongs to, so the history of an inspection shows
its answers, findings and photos. `secret` fields are stored as a SHA-256 digest only.
A model added later with a `region_code` column needs nothing here; one without must be
listed (tests/audit/test_subjects.py fails otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class Via:
    """The region is that of the object `column` points at (which has a region column)."""

    column: str
    object_type: str


@dataclass(frozen=True)
class Subject:
    #: a column holding the region code, a Via look-up, or None (no jurisdiction)
    region: str | Via | None = "region_code"
    #: (object type, column holding its id)
    parent: tuple[str, str] | None = None
    #: fields stored as digests only
    secret: frozenset[str] = field(default_factory=frozenset)


SUBJECTS: dict[str, Subject] = {
    "region": Subject(region="code"),
    "user": Subject(secret=frozenset({"password_hash"})),
    "import_batch": Subject(region="scope_code"),
    "task": Subject(region=Via("site_id", "site")),
    "inspection_answer": Subject(region=Via("inspection_id", "inspection"),
                                 parent=("inspection", "inspection_id")),
    "finding": Subject(parent=("inspection", "inspection_id")),
    "photo": Subject(parent=("inspection", "inspection_id")),
    # the seed is kept secret until the draw; its SHA-256 is public from the start
    "inspection_plan": Subject(secret=frozenset({"seed"})),
    "plan_site": Subject(region=Via("plan_id", "inspection_plan"),
                         parent=("inspection_plan", "plan_id")),
    "inspector_conflict": Subject(region=Via("user_id", "user")),
    "login_throttle": Subject(region=Via("user_id", "user"), parent=("user", "user_id")),
    "console_session": Subject(region=Via("user_id", "user"), parent=("user", "user_id")),
    "checklist_template": Subject(region=None),
    "checklist_item": Subject(region=None, parent=("checklist_template", "template_id")),
    "inspection_matter": Subject(region=None),
    # joint inspections: the partner officers are read with the inspection's history
    "partner_officer": Subject(region=Via("inspection_id", "inspection"),
                               parent=("inspection", "inspection_id")),
    # 企业自查: the answers an enterprise reported, read with its self-check
    "self_check_answer": Subject(region=Via("self_check_id", "self_check"),
                                 parent=("self_check", "self_check_id")),
    # association tables, when written by statements rather than through their owner
    "inspection_inspectors": Subject(region=Via("inspection_id", "inspection"),
                                     parent=("inspection", "inspection_id")),
    "task_assignees": Subject(region=Via("user_id", "user"), parent=("task", "task_id")),
    # enforcement: a case's parts are read with its history
    "catalogue_version": Subject(region=None),
    "violation": Subject(region=None, parent=("catalogue_version", "catalogue_id")),
    "case_step": Subject(region=Via("case_id", "case"), parent=("case", "case_id")),
    "payment": Subject(region=Via("case_id", "case"), parent=("case", "case_id")),
    "suspension": Subject(region=Via("case_id", "case"), parent=("case", "case_id")),
    "document_counter": Subject(region="bureau_code"),
    "document": Subject(region="bureau_code", parent=("case", "case_id")),
    "enforcement_case_findings": Subject(region=Via("case_id", "case"),
                                         parent=("case", "case_id")),
}
DEFAULT = Subject()


def subject_of(object_type: str) -> Subject:
    return SUBJECTS.get(object_type, DEFAULT)


@cache
def type_name(class_name: str) -> str:
    """InspectionAnswer -> inspection_answer."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()


def region_columns(subject: Subject) -> tuple[str, ...]:
    """The columns a record must carry to find its region and parent later."""
    columns = []
    if isinstance(subject.region, str):
        columns.append(subject.region)
    elif isinstance(subject.region, Via):
        columns.append(subject.region.column)
    if subject.parent:
        columns.append(subject.parent[1])
    return tuple(columns)
