"""Checks of a submitted inspection against the registry, the checklist and the users."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from service.assignments.reach import get_site_in_reach
from service.auth.logic import require_officers
from service.auth.models import User
from service.campaigns.logic import require_serving
from service.checklists.logic import TemplateVersion, template_version
from service.common.access import INSPECTOR, SUPERVISOR
from service.common.chinatime import china_date
from service.common.errors import field_error
from service.common.regions import contains
from service.inspections.models import COMPLETED, CONDITION_PRESENT
from service.inspections.rules import enforcement_ready
from service.registry.models import Site

#: roles whose users may be named as inspectors of an inspection
INSPECTING_ROLES = (INSPECTOR, SUPERVISOR)


@dataclass
class Checked:
    """What a valid submission refers to, loaded once."""

    site: Site
    template: TemplateVersion
    inspectors: list[User]
    enforcement_ready: bool


def check_times(data: dict, *, now: datetime, clock_skew_s: int) -> None:
    """No time beyond the clock-skew allowance in the future; the start before the finish."""
    latest = now + timedelta(seconds=clock_skew_s)
    for field in ("started_at", "finished_at"):
        moment = data.get(field)
        if moment is not None and moment > latest:
            ahead = int((moment - now).total_seconds())
            raise field_error(field, (
                f"{field} is {ahead} s ahead of the server's clock (allowed: {clock_skew_s} s). "
                "Check the phone's date, time and time zone, then submit again."))
    if data.get("finished_at") is not None and data["finished_at"] < data["started_at"]:
        raise field_error("finished_at", "The inspection cannot finish before it started.")


def check_site_open(site: Site, data: dict) -> None:
    """A site closed before the inspection's day cannot have been inspected."""
    if site.closed_on is not None and site.closed_on < china_date(data["started_at"]):
        raise field_error("site_id", f"The site was closed on {site.closed_on.isoformat()}, "
                                     "before this inspection.")


def template_for(db: Session, *, site: Site, template_id: uuid.UUID) -> TemplateVersion:
    """The checklist version used; it must exist and be one for the site's type."""
    template = template_version(db, template_id=template_id)
    if template is None:
        raise field_error("template_id", "No such checklist template (检查表).")
    if template.site_type != site.site_type:
        raise field_error("template_id", f"This checklist is for {template.site_type} sites; "
                                         f"the site is a {site.site_type}.")
    return template


def check_answers(template: TemplateVersion, data: dict) -> None:
    """Every answer names an item of the template; a completion answers every item."""
    if data["site_condition"] != CONDITION_PRESENT:
        if data["answers"]:
            raise field_error("answers", f"The site was {data['site_condition']}: nothing was "
                                         "checked, so an inspection of it answers no items.")
        return
    check_items(template, data["answers"], complete=data["status"] == COMPLETED)


def check_items(template: TemplateVersion, answers: list[dict], *, complete: bool) -> None:
    """Each answer names an item of the checklist version; a complete set answers them all
    (pass, fail or not_applicable). Inspections and enterprises' self-checks alike."""
    known = {item.code for item in template.items}
    given = {answer["item_code"] for answer in answers}
    unknown = sorted(given - known)
    if unknown:
        raise field_error("answers", f"Not items of checklist version {template.version}: "
                                     f"{', '.join(unknown)}.")
    missing = [item.code for item in template.items if item.code not in given]
    if complete and missing:
        raise field_error("answers", "A complete check answers every item (pass, fail or "
                                     f"not_applicable); missing: {', '.join(missing)}.")


def inspectors_of(db: Session, *, scope: str, submitter: User,
                  inspector_ids: list[uuid.UUID]) -> list[User]:
    """The named inspectors plus the submitter: active, inspecting, in the jurisdiction."""
    if set(inspector_ids) <= {submitter.id} and _inspects_here(submitter, scope):
        return [submitter]  # alone, as the row already loaded shows: no query
    users = require_officers(db, scope=scope, ids={submitter.id, *inspector_ids},
                             field="inspector_ids", roles=INSPECTING_ROLES)
    return sorted(users, key=lambda user: str(user.id))


def _inspects_here(user: User, scope: str) -> bool:
    """The rule of `active_officers` (auth), for a row already loaded."""
    return user.is_active and user.role in INSPECTING_ROLES and contains(scope, user.region_code)


def check_submission(db: Session, *, scope: str, submitter: User, data: dict,
                     now: datetime, clock_skew_s: int) -> Checked:
    """Everything a submission must satisfy before anything is stored."""
    site = get_site_in_reach(db, scope=scope, site_id=data["site_id"], field="site_id")
    check_times(data, now=now, clock_skew_s=clock_skew_s)
    check_site_open(site, data)
    template = template_for(db, site=site, template_id=data["template_id"])
    check_answers(template, data)
    inspectors = inspectors_of(db, scope=scope, submitter=submitter,
                               inspector_ids=data["inspector_ids"])
    day = china_date(data["finished_at"] or data["started_at"])
    require_serving(db, scope=scope, campaign_id=data["campaign_id"],
                    region_code=site.region_code, first=china_date(data["started_at"]),
                    last=day)
    ready = enforcement_ready(inspectors, day)
    if data["status"] == COMPLETED and data["enforcement_follows"] and not ready:
        raise field_error("inspector_ids", (
            "An enforcement step needs two or more inspectors whose enforcement certificates "
            f"(执法证) are valid on {day.isoformat()} (rule of two, 行政处罚法 art. 42)."))
    return Checked(site, template, inspectors, ready)
