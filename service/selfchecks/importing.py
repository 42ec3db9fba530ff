"""Importing enterprises' self-check reports from a file (XLSX or CSV), all or nothing.

One row per answer: 网点编码, 自查日期, 检查项编码, 结果 (and optionally 情况说明). Rows of
the same site and day make one self-check, answered against the current checklist of the
site's type, and go through the same rules as `POST /self-checks`. A self-check's id is
derived from the file's SHA-256, the site and the day, so uploading the same file again
answers the same records and creates nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.checklists.logic import latest_template
from service.common.errors import DomainError, PayloadTooLarge
from service.common.regions import in_subtree
from service.registry.columns import to_date, to_text
from service.registry.importing import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, TOO_LARGE, ImportRejected
from service.registry.models import Site
from service.registry.tables import normalise, read_table
from service.selfchecks.logic import record_self_check

HEADERS = {
    "site_code": ("网点编码", "编码"),
    "checked_on": ("自查日期", "检查日期"),
    "item_code": ("检查项编码", "检查项"),
    "answer": ("结果", "自查结果"),
    "note": ("情况说明", "问题描述"),
}
REQUIRED = ("site_code", "checked_on", "item_code", "answer")
ANSWER_WORDS = {normalise(word): value for value, words in {
    "pass": ("符合", "合格", "是", "pass"), "fail": ("不符合", "不合格", "否", "fail"),
    "not_applicable": ("不适用", "无此项", "not_applicable"),
}.items() for word in words}
#: self-check ids of a file: uuid5 of the importing scope, the file's hash, site and day
NAMESPACE = uuid.UUID("6b1f3c2e-52d4-4e8a-9a51-2f0d5c7e8a10")


def import_self_checks(db: Session, *, scope: str, user_id: uuid.UUID | None, filename: str,
                       content: bytes, today: date) -> dict:
    """Store every self-check of the file, or none (the 422 names every bad row)."""
    if len(content) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(TOO_LARGE, field="file", location="files")
    digest = hashlib.sha256(content).hexdigest()
    table = read_table(filename, content, aliases=HEADERS, required=REQUIRED,
                       max_rows=MAX_IMPORT_ROWS)
    groups, problems = _groups(db, scope, table.rows)
    stored = []
    for (site, checked_on), rows in groups.items():
        check_id = uuid.uuid5(NAMESPACE, f"{scope}|{digest}|{site.id}|{checked_on}")
        try:
            stored.append(_store(db, scope, user_id, site, checked_on, rows, check_id, today))
        except DomainError as error:
            problems.extend({"row": number, "field": error.field or "row", "column": None,
                             "message": error.message} for number, _cells in rows[:1])
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p["row"]))
    return {"filename": filename, "sha256": digest, "rows": len(table.rows),
            "self_checks": [check.id for check in stored]}


def _groups(db: Session, scope: str, rows: list) -> tuple[dict, list[dict]]:
    """Rows by (site, day), with the rows whose site or day cannot be read."""
    groups: dict[tuple[Site, date], list] = defaultdict(list)
    problems, sites = [], {}
    for number, cells in rows:
        code = to_text(cells.get("site_code", "")).strip()
        if code not in sites:
            sites[code] = db.scalar(select(Site).where(Site.code == code,
                                                       in_subtree(Site.region_code, scope)))
        day = _day(cells.get("checked_on"))
        if sites[code] is None:
            problems.append(_problem(number, "site_code", f"No site with 网点编码 {code} in "
                                                          "your jurisdiction."))
        elif day is None:
            problems.append(_problem(number, "checked_on", "Not a date (e.g. 2026-03-02)."))
        else:
            groups[(sites[code], day)].append((number, cells))
    return groups, problems


def _day(value) -> date | None:
    try:
        return date.fromisoformat(to_date(value))
    except (TypeError, ValueError):
        return None


def _problem(row: int, field: str, message: str) -> dict:
    return {"row": row, "field": field, "column": HEADERS[field][0], "message": message}


def _store(db: Session, scope: str, user_id, site: Site, checked_on: date, rows: list,
           check_id: uuid.UUID, today: date):
    template = latest_template(db, site_type=site.site_type)
    if template is None:
        raise DomainError(f"No checklist for {site.site_type} sites yet.", field="site_code")
    answers = [{"item_code": to_text(cells["item_code"]).strip(),
                "answer": ANSWER_WORDS.get(normalise(cells["answer"]), str(cells["answer"])),
                "note": to_text(cells["note"]) if cells.get("note") else None}
               for _number, cells in rows]
    data = {"id": check_id, "site_id": site.id, "template_id": template.id,
            "checked_on": checked_on, "answers": answers, "note": None}
    bad = [a["answer"] for a in answers if a["answer"] not in ("pass", "fail", "not_applicable")]
    if bad:
        raise DomainError(f"Unknown results: {', '.join(bad)} (符合, 不符合, 不适用).",
                          field="answer")
    return record_self_check(db, scope=scope, user_id=user_id, data=data, source="imported",
                             today=today)
