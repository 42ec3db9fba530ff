"""Sites (检查对象): the rules each site type follows; closed sites are kept, never deleted."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    exists,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from service.common.errors import Conflict, DomainError, NotFound, field_error
from service.common.pagination import Page, cursor_values, page_of_rows
from service.common.regions import caller_of, contains, in_subtree, subtree_range
from service.db import row_dicts
from service.regions.logic import check_region, require_region_in_scope
from service.registry import site_rules
from service.registry.logic import enterprise_visible, insert_once, raise_first, update_unique
from service.registry.models import (
    SITE_ACTIVE,
    SITE_CLOSED,
    UNREGISTERED,
    WORK_POINT,
    WORKSTATION,
    Enterprise,
    Site,
)

#: what the type rules read: a site's current values, overlaid by a body's
RULE_COLUMNS = ("site_type", "outlet_operator", "outlet_location", "postal_only",
                "region_code", "enterprise_id", "host_site_id", "publication_kind", "status",
                "opened_on", "closed_on", "urban", "registration_status", "registration_number",
                "registered_on", "deregistered_on", "cell_count", "green_since")


#: who lends a caller sites beyond their jurisdiction: a function of the caller's user id
#: giving a SELECT of site ids. The assignments feature lends the sites of a caller's open
#: tasks (县区互查, service/assignments/reach.py); `create_app` wires it, since the registry
#: cannot import the feature that builds on it.
_lender: Callable[[uuid.UUID], Select] | None = None


def lend_sites_by(lender: Callable[[uuid.UUID], Select] | None) -> None:
    """Name the function that lends callers sites of other districts (one, set at start)."""
    global _lender
    _lender = lender


def borrower_of(scope: str) -> uuid.UUID | None:
    """The caller whom sites of other districts may be lent to, or None (a bare region
    code, or no lender wired): what `lent_site_ids` is None for, without building it."""
    user_id = caller_of(scope)
    return None if _lender is None else user_id


def lent_site_ids(scope: str) -> Select | None:
    """SELECT of the site ids lent to the caller beyond the jurisdiction, or None."""
    user_id = borrower_of(scope)
    return None if user_id is None else _lender(user_id)


def lent_site_ids_of(user_id) -> Select:
    """SELECT of the site ids lent to `user_id` (a value or a bound parameter)."""
    return _lender(user_id)


def sites_in_reach(scope: str) -> ColumnElement[bool]:
    """SQL over sites: of the caller's jurisdiction, or lent to them by an open task. For
    what a phone reads (one site, sites nearby, the changes feed), never for writes."""
    lent = lent_site_ids(scope)
    mine = in_subtree(Site.region_code, scope)
    return mine if lent is None else or_(mine, Site.id.in_(lent))


def read_site(db: Session, *, scope: str, site_id: uuid.UUID) -> Site:
    """A site the caller may read: of the jurisdiction, or lent to them across districts
    while their task for it is open (else 404). Writes use `get_site`."""
    site = db.get(Site, site_id)
    if site is not None and not contains(scope, site.region_code):
        lent = lent_site_ids(scope)
        if lent is None or not db.scalar(select(exists().where(Site.id == site_id,
                                                                 Site.id.in_(lent)))):
            site = None
    if site is None:
        raise NotFound(f"No site {site_id} in your jurisdiction.")
    return site


def find_site(db: Session, *, scope: str, site_id: uuid.UUID) -> Site | None:
    """The site if it lies in the caller's jurisdiction (subtree), else None."""
    site = db.get(Site, site_id)
    return site if site is not None and contains(scope, site.region_code) else None


def get_site(db: Session, *, scope: str, site_id: uuid.UUID, field: str | None = None) -> Site:
    """A site in the caller's jurisdiction, else 404 (naming `field` when the id came in a
    body, e.g. an inspection's site_id). Every feature looks sites up through this."""
    site = find_site(db, scope=scope, site_id=site_id)
    if site is None:
        raise NotFound(f"No site {site_id} in your jurisdiction.", field=field)
    return site


def list_sites(
    connection: Connection, *, scope: str, site_type: str | None = None, status: str | None = None,
    region_code: str | None = None, enterprise_id: uuid.UUID | None = None,
    urban: bool | None = None, q: str | None = None, active_on: date | None = None,
    limit: int, cursor: str | None,
) -> Page:
    """Sites in the caller's subtree, by name, closed ones included unless filtered: Core
    rows (dicts of the table's columns), read by a statement built once per combination
    of filters with every value a bound parameter."""
    if region_code:
        check_region(connection, scope=scope, code=region_code)
    lowest, bound = subtree_range(scope)
    within, within_bound = subtree_range(region_code) if region_code else (None, None)
    values = {"lowest": lowest, "bound": bound, "within": within,
              "within_bound": within_bound, "site_type": site_type, "status": status,
              "enterprise_id": enterprise_id, "urban": urban, "active_on": active_on,
              "rows": limit + 1}
    if cursor:
        values["after_name"], values["after_id"] = cursor_values(cursor, _LIST_ORDER)
    stmt = _list_statement(
        tuple(name for name in ("lowest", "bound", "within", "within_bound", "site_type",
                                "status", "enterprise_id", "urban", "active_on")
              if values[name] is not None),
        bool(cursor))
    if q:
        stmt = stmt.where(or_(SITES.c.name.icontains(q, autoescape=True),
                              SITES.c.address.icontains(q, autoescape=True),
                              SITES.c.code.icontains(q, autoescape=True)))
    rows = row_dicts(connection.execute(stmt, values))
    return page_of_rows(rows, _LIST_ORDER, limit=limit)


SITES = Site.__table__
#: the sites list's keyset order (ix_sites_name_id)
_LIST_ORDER = [SITES.c.name, SITES.c.id]


@lru_cache(maxsize=256)
def _list_statement(filters: tuple[str, ...], after: bool) -> Select:
    """The sites list's SELECT for one combination of filters (the names of the bound
    values given), built once per process: building it per request cost more than running
    it. Every column of the table; the jurisdiction is a range on the region code."""
    c = SITES.c
    conditions = {
        "lowest": lambda: c.region_code >= bindparam("lowest"),
        "bound": lambda: c.region_code < bindparam("bound"),
        "within": lambda: c.region_code >= bindparam("within"),
        "within_bound": lambda: c.region_code < bindparam("within_bound"),
        "site_type": lambda: c.site_type == bindparam("site_type"),
        "status": lambda: c.status == bindparam("status"),
        "enterprise_id": lambda: c.enterprise_id == bindparam("enterprise_id"),
        "urban": lambda: c.urban == bindparam("urban"),
        "active_on": lambda: and_(c.opened_on <= bindparam("active_on"),
                                  or_(c.closed_on.is_(None),
                                      c.closed_on > bindparam("active_on"))),
    }
    stmt = select(SITES).where(*(conditions[name]() for name in filters))
    if after:
        stmt = stmt.where(tuple_(c.name, c.id) > tuple_(
            bindparam("after_name", type_=c.name.type), bindparam("after_id", type_=c.id.type)))
    return stmt.order_by(c.name, c.id).limit(bindparam("rows"))


def check_site(db: Session, *, scope: str, data: dict,
               site: Site | None = None) -> tuple[dict, dict[str, str]]:
    """Check a body against the registry's rules: the columns to store, and each broken
    rule by field (empty when all hold). One code path for the API and file imports."""
    fields = dict(data)
    if location := fields.pop("location", None):
        fields["lat"], fields["lon"] = location["lat"], location["lon"]
    current = {name: getattr(site, name) for name in RULE_COLUMNS} if site else {}
    errors: dict[str, str] = {}
    _check_region(db, scope, fields, current, errors)
    state = {**current, **fields}
    if site is None:
        _creation_status(state, fields, errors)
    _check_dates(state, fields, errors)
    _check_references(db, scope, state, fields, site, errors)  # may set the publication kind
    _check_type(state, fields, errors)
    return fields, errors


def _check_region(db: Session, scope: str, fields: dict, current: dict,
                  errors: dict) -> None:
    """The region must be ours; `urban` defaults to its flag when the region is set."""
    if "region_code" not in fields and fields.get("urban", True) is not None:
        return
    code = fields.get("region_code", current.get("region_code"))
    try:
        region = require_region_in_scope(db, scope=scope, code=code)
    except DomainError as error:
        errors["region_code"] = error.message
        return
    if fields.get("urban") is None:
        if region.urban is None:
            errors["urban"] = (f"Region {code} has no urban/rural flag (城乡); "
                               "say whether the site is urban.")
        fields["urban"] = region.urban


def _creation_status(state: dict, fields: dict, errors: dict) -> None:
    """A new site is active unless said otherwise; closed exactly when it has closed_on."""
    status, closed_on = state.get("status"), state.get("closed_on")
    if closed_on is not None and status not in (None, SITE_CLOSED):
        errors["status"] = "A site with a closing date (closed_on) is closed."
    elif status == SITE_CLOSED and closed_on is None:
        errors["closed_on"] = "A closed site needs the day it closed (closed_on)."
    fields["status"] = state["status"] = SITE_CLOSED if closed_on else (status or SITE_ACTIVE)


def _check_dates(state: dict, fields: dict, errors: dict) -> None:
    opened_on, closed_on = state.get("opened_on"), state.get("closed_on")
    if opened_on and closed_on and closed_on < opened_on:
        field = "closed_on" if "closed_on" in fields else "opened_on"
        errors.setdefault(field, f"A site cannot close ({closed_on}) before it opened "
                                 f"({opened_on}).")


def _check_type(state: dict, fields: dict, errors: dict) -> None:
    """What each site type must (and must not) carry (service/registry/site_rules.py)."""
    site_rules.fill_defaults(state, fields)
    for field, message in site_rules.type_errors(state).items():
        errors.setdefault(field, message)


def _check_references(db: Session, scope: str, state: dict, fields: dict,
                      site: Site | None, errors: dict) -> None:
    """The enterprise must be one the caller sees; the host an outlet in the subtree."""
    enterprise_id = fields.get("enterprise_id")
    if enterprise_id is not None and db.scalar(select(Enterprise.id).where(
            Enterprise.id == enterprise_id, enterprise_visible(scope))) is None:
        errors.setdefault("enterprise_id",
                          f"No enterprise {enterprise_id} (寄递企业) in your jurisdiction.")
    host_id = state.get("host_site_id")
    touched = {"host_site_id", "site_type", "publication_kind"} & set(fields)
    if host_id is not None and touched and state.get("site_type") == "publication_point":
        message = _host_problem(db, scope, host_id, site, state, fields)
        if message:
            errors.setdefault("host_site_id", message)
    hosting = {t for types in site_rules.HOST_TYPES.values() for t in types}
    if site is not None and state.get("site_type") not in hosting and db.scalar(
            select(exists().where(Site.host_site_id == site.id))):
        errors.setdefault("site_type", "This site hosts publication points; it must stay "
                                       "a postal outlet, express outlet or sorting centre.")


def _host_problem(db: Session, scope: str, host_id: uuid.UUID, site: Site | None,
                  state: dict, fields: dict) -> str | None:
    """A 工作点 is hosted by a postal outlet; a 工作站 by a major express enterprise's outlet
    or sorting centre. Without a kind, the host's type decides it."""
    host = find_site(db, scope=scope, site_id=host_id)
    if host is None:
        return f"No site {host_id} in your jurisdiction to host this publication point."
    if site is not None and host.id == site.id:
        return "A site cannot host itself."
    if state.get("publication_kind") is None:
        kind = WORK_POINT if host.site_type == "postal_outlet" else WORKSTATION
        fields["publication_kind"] = state["publication_kind"] = kind
    kind = state["publication_kind"]
    if host.site_type not in site_rules.HOST_TYPES.get(kind, ()):
        return (f"A {kind} is hosted by a {' or '.join(site_rules.HOST_TYPES[kind])}, "
                f"not a {host.site_type} (工作点: 邮政局所; 工作站: 主要品牌快递企业的营业网点或"
                "分拨中心).")
    if kind == WORKSTATION and not _major_brand(db, host):
        return "A workstation (工作站) is at a site of a major express enterprise (主要品牌)."
    return None


def _major_brand(db: Session, site: Site) -> bool:
    return site.enterprise_id is not None and bool(db.scalar(
        select(Enterprise.is_major_brand).where(Enterprise.id == site.enterprise_id)))


def insert_site(db: Session, *, fields: dict) -> Site:
    """Store a checked site once (client id, unique 网点编码)."""
    return insert_once(db, Site, data=fields, unique=("code",))


def create_site(db: Session, *, scope: str, data: dict) -> Site:
    """A new site in the caller's subtree."""
    fields, errors = check_site(db, scope=scope, data=data)
    raise_first(errors)
    return insert_site(db, fields=fields)


def record_unregistered_terminal(db: Session, *, scope: str, data: dict) -> Site:
    """An express terminal found operating without registration (未备案), recorded from the
    field; opened, as far as the bureau knows, on the day it was found."""
    data = dict(data)
    found_on = data.pop("found_on")
    return create_site(db, scope=scope, data={
        **data, "site_type": "express_terminal", "registration_status": UNREGISTERED,
        "opened_on": found_on})


def update_site(db: Session, *, scope: str, site: Site, data: dict) -> Site:
    """Correct a site, or move it between active and suspended (停业整顿)."""
    if site.status == SITE_CLOSED and "status" in data:
        raise Conflict("The site is closed; its status no longer changes.", field="status")
    fields, errors = check_site(db, scope=scope, data=data, site=site)
    raise_first(errors)
    update_unique(db, site, fields, unique=("code",))
    return site


def close_site(db: Session, *, scope: str, site_id: uuid.UUID, closed_on: date,
               reason: str) -> Site:
    """Close a site (kept for the record); the same closing day again changes nothing."""
    site = get_site(db, scope=scope, site_id=site_id)
    if site.status == SITE_CLOSED:
        if site.closed_on == closed_on:
            return site
        raise Conflict(f"The site was already closed on {site.closed_on}.", field="closed_on")
    if closed_on < site.opened_on:
        raise field_error("closed_on", f"A site cannot close before it opened ({site.opened_on}).")
    site.status, site.closed_on, site.closed_reason = SITE_CLOSED, closed_on, reason
    db.flush()
    return site
