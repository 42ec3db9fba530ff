"""Publicity (公示): decisions are published within 7 working days, and the public list.

Working days follow the official calendar (chinese-calendar: holidays and the adjusted
working days 调休). For years the package has no data for yet, Monday to Friday count.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.common.chinatime import china_today
from service.common.errors import Conflict, field_error
from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.enforcement import queues
from service.enforcement.cases import get_case
from service.enforcement.models import Case

PUBLICATION_WORKING_DAYS = 7
ID_NUMBER = re.compile(r"\b(\d{6})\d{8}(\d{3}[\dXx])\b")


def is_working_day(day: date) -> bool:
    """A working day of the official calendar (weekdays where it has no data yet)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def working_days_after(day: date, count: int) -> date:
    """The `count`-th working day after `day` (the day itself not counted)."""
    current, seen = day, 0
    while seen < count:
        current += timedelta(days=1)
        seen += is_working_day(current)
    return current


def publication_due(decided_on: date) -> date:
    """The last day a decision may be published: the 7th working day after it."""
    return working_days_after(decided_on, PUBLICATION_WORKING_DAYS)


def publish_case(db: Session, *, scope: str, case_id: uuid.UUID,
                 on: date | None = None) -> Case:
    """Record that the decision was published (公示) on a date (again: a no-op)."""
    case = get_case(db, scope=scope, case_id=case_id)
    on = on or china_today()
    if case.decided_on is None:
        raise Conflict("Only a decided case is published.")
    if case.published_on is not None:
        if case.published_on == on:
            return case
        raise Conflict(f"The decision was already published on {case.published_on}.")
    if on < case.decided_on or on > china_today():
        raise field_error("published_on", "The publication date lies between the decision "
                                          "date and today.")
    case.published_on = on
    db.flush()
    queues.dequeue(db, item_id=case.id, queues=("publication",))
    return case


def mask_name(name: str) -> str:
    """张三丰 -> 张**: a person's name as bureaus publish it."""
    return name[:1] + "*" * max(1, len(name) - 1) if name else name


def mask_id_number(number: str | None) -> str | None:
    """310113199001011234 -> 310113********1234."""
    if not number:
        return number
    return number[:6] + "*" * max(0, len(number) - 10) + number[-4:] if len(number) > 10 \
        else "*" * len(number)


def public_view(case: Case) -> dict:
    """What the public list shows of a decision: people's names and ID numbers masked."""
    person = case.party_kind == "person"
    name = mask_name(case.party_name) if person else case.party_name
    title = case.title.replace(case.party_name, name) if person else case.title
    return {
        "id": case.id, "decision_number": case.decision_number, "title":
        ID_NUMBER.sub(lambda m: m.group(1) + "********" + m.group(2)[-4:], title),
        "party_kind": case.party_kind, "party_name": name,
        "party_id_number": mask_id_number(case.party_id_number) if person
        else case.party_id_number,
        "violation_code": case.violation_code, "measures": case.measures,
        "fine_fen": case.fine_fen, "decided_on": case.decided_on,
        "published_on": case.published_on, "region_code": case.region_code,
    }


def list_published(db: Session, *, region_code: str | None, limit: int,
                   cursor: str | None) -> Page:
    """Published decisions in publication-date order, people's details masked."""
    stmt = select(Case).where(Case.published_on.is_not(None))
    if region_code:
        stmt = stmt.where(in_subtree(Case.region_code, region_code))
    page = paginate(db, stmt, [Case.published_on, Case.id], limit=limit, cursor=cursor)
    page.items = [public_view(case) for case in page.items]
    return page

