"""Region look-ups limited to a jurisdiction, and loading the GB/T 2260 list."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from service.common.errors import NotFound, field_error
from service.common.pagination import Page, paginate
from service.common.regions import contains, in_subtree, is_well_formed, level_of
from service.regions.data import default_urban, gbt2260_rows
from service.regions.models import Region


def load_gbt2260(db: Session) -> int:
    """Insert the codes that are missing; existing rows (and admins' corrections) stay."""
    known = set(db.scalars(select(Region.code)))
    added = 0
    for row in gbt2260_rows():
        if row.code in known:
            continue
        db.add(Region(code=row.code, name=row.name, level=row.level,
                      parent_code=row.parent_code, urban=row.urban))
        added += 1
    db.flush()
    return added


def get_region(db: Session, *, scope: str, code: str) -> Region:
    """A region in the caller's subtree; anything else is 404."""
    region = db.get(Region, code) if is_well_formed(code) else None
    if region is None or not contains(scope, code):
        raise NotFound(f"No region {code} in your jurisdiction.")
    return region


def check_region(connection: Connection, *, scope: str, code: str) -> None:
    """`get_region`'s rule for a read that needs no Region object (one Core statement on
    the request's read connection): a region in the caller's subtree, anything else 404."""
    found = is_well_formed(code) and contains(scope, code) and connection.execute(
        _REGION_EXISTS, {"code": code}).first() is not None
    if not found:
        raise NotFound(f"No region {code} in your jurisdiction.")


_REGION_EXISTS = select(Region.__table__.c.code).where(
    Region.__table__.c.code == bindparam("code"))


def ancestors(db: Session, region: Region) -> list[Region]:
    """The path from the country down to the region's parent, for display."""
    path = []
    code = region.parent_code
    while code is not None:
        parent = db.get(Region, code)
        path.append(parent)
        code = parent.parent_code
    return list(reversed(path))


def list_children(db: Session, *, scope: str, parent: str, limit: int,
                  cursor: str | None) -> Page:
    get_region(db, scope=scope, code=parent)
    stmt = select(Region).where(Region.parent_code == parent)
    return paginate(db, stmt, [Region.code], limit=limit, cursor=cursor)


def list_subtree(db: Session, *, scope: str, code: str, limit: int,
                 cursor: str | None) -> Page:
    """The region and everything below it, in code order."""
    get_region(db, scope=scope, code=code)
    stmt = select(Region).where(in_subtree(Region.code, code))
    return paginate(db, stmt, [Region.code], limit=limit, cursor=cursor)


def require_region_in_scope(db: Session, *, scope: str, code: str,
                            field: str = "region_code") -> Region:
    """Validate a region code given in a request body: well-formed, known, ours (else 422)."""
    if not is_well_formed(code):
        raise field_error(field, "A region code has 6, 9 or 12 digits (GB/T 2260).")
    region = db.get(Region, code)
    if region is None:
        raise field_error(field, f"Unknown region code {code} (行政区划代码).")
    if not contains(scope, code):
        raise field_error(field, f"Region {code} is outside your jurisdiction.")
    return region


def create_local_region(db: Session, *, scope: str, data: dict) -> Region:
    """A town (9 digits) or village (12 digits) below an existing region of ours."""
    code = data["code"]
    if len(code) not in (9, 12):
        raise field_error("code", "Only towns (9 digits) and villages (12 digits) can be added.")
    parent_code = code[:6] if len(code) == 9 else code[:9]
    parent = require_region_in_scope(db, scope=scope, code=parent_code, field="code")
    if db.get(Region, code) is not None:
        existing = db.get(Region, code)
        if existing.name == data["name"]:
            return existing  # a retried request: same answer, nothing new
        raise field_error("code", f"Region {code} already exists as {existing.name}.")
    level = level_of(code)
    urban = data.get("urban")
    region = Region(code=code, name=data["name"], level=level, parent_code=parent.code,
                    urban=default_urban(level, data["name"]) if urban is None else urban)
    db.add(region)
    db.flush()
    return region


def update_region(db: Session, *, region: Region, data: dict) -> Region:
    for key, value in data.items():
        setattr(region, key, value)
    db.flush()
    return region
