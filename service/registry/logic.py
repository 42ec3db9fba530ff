"""Enterprises (寄递企业), and the rules every registry record shares: who sees an
enterprise, and creating a record once however often a client retries."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.common import idempotency
from service.common.errors import Conflict, DomainError, Forbidden, NotFound, field_error
from service.common.pagination import Page, paginate
from service.common.regions import NATIONAL_CODE, contains, in_subtree
from service.db import new_uuid
from service.regions.logic import require_region_in_scope
from service.registry.models import Enterprise


def ancestor_codes(code: str) -> list[str]:
    """The regions above `code`, up to the country: 310113 -> 000000, 310000, 310100."""
    if code == NATIONAL_CODE:
        return []
    six = code[:6]
    found = {NATIONAL_CODE, six[:2] + "0000", six[:4] + "00", six, code[:9]}
    return sorted(c for c in found if c != code and contains(c, code))


def enterprise_visible(scope: str) -> ColumnElement[bool]:
    """SQL: an enterprise registered in the caller's subtree or with a bureau above it."""
    return or_(in_subtree(Enterprise.region_code, scope),
               Enterprise.region_code.in_(ancestor_codes(scope)))


def raise_first(errors: dict[str, str]) -> None:
    """Answer the first broken rule as a 422 naming its field."""
    for field, message in errors.items():
        raise field_error(field, message)


def insert_once(db: Session, model: type, *, data: dict, unique: tuple[str, ...]) -> Any:
    """Insert a `model` row made from checked `data` (which may carry a client `id`); that id
    seen before answers the stored row when the data match it (a retry) and 409 when not; a
    taken unique column is a 409 naming it."""
    fields = dict(data)
    client_id = fields.pop("id", None)
    obj = model(id=client_id or new_uuid(), **fields)
    try:
        return idempotency.insert_once(db, obj, same=idempotency.same_values(fields),
                                       what=model.__name__)
    except IntegrityError:
        pass  # not the id: another unique column
    for name in unique:
        value = fields.get(name)
        if value is not None and db.scalar(select(model.id).where(
                getattr(model, name) == value)) is not None:
            raise Conflict(f"The {name} {value} is already in the registry.", field=name)
    raise Conflict("The record conflicts with one already stored.")


def update_unique(db: Session, obj: Any, changes: dict, *, unique: tuple[str, ...]) -> None:
    """Apply `changes` to `obj`; a value another row holds in a unique column is a 409."""
    model = type(obj)
    try:
        with db.begin_nested():  # changes made inside it, so a refusal undoes only them
            for key, value in changes.items():
                setattr(obj, key, value)
            db.flush()
    except IntegrityError as exc:
        for name in unique:
            value = changes.get(name)
            if value is not None and db.scalar(select(model.id).where(
                    getattr(model, name) == value, model.id != obj.id)) is not None:
                raise Conflict(f"Another record already has this {name}.", field=name) from exc
        raise Conflict("The change conflicts with a record already stored.") from exc


# --- enterprises ------------------------------------------------------------------------

def get_enterprise(db: Session, *, scope: str, enterprise_id: uuid.UUID) -> Enterprise:
    """An enterprise the caller can see; anything else is 404."""
    enterprise = db.scalar(select(Enterprise).where(Enterprise.id == enterprise_id,
                                                    enterprise_visible(scope)))
    if enterprise is None:
        raise NotFound("No such enterprise (寄递企业) in your jurisdiction.")
    return enterprise


def list_enterprises(
    db: Session, *, scope: str, brand: str | None = None, is_major_brand: bool | None = None,
    region_code: str | None = None, q: str | None = None, limit: int, cursor: str | None,
) -> Page:
    """Enterprises the caller can see, by name."""
    stmt = select(Enterprise).where(enterprise_visible(scope))
    if brand:
        stmt = stmt.where(Enterprise.brand == brand)
    if is_major_brand is not None:
        stmt = stmt.where(Enterprise.is_major_brand == is_major_brand)
    if region_code:
        stmt = stmt.where(in_subtree(Enterprise.region_code, region_code))
    if q:
        stmt = stmt.where(Enterprise.name.icontains(q, autoescape=True))
    return paginate(db, stmt, [Enterprise.name, Enterprise.id], limit=limit, cursor=cursor)


def enterprise_errors(db: Session, *, scope: str, data: dict) -> dict[str, str]:
    """The enterprise rules a schema cannot check, by field (empty when all hold)."""
    if "region_code" not in data:
        return {}
    try:
        require_region_in_scope(db, scope=scope, code=data["region_code"])
    except DomainError as error:
        return {"region_code": error.message}
    return {}


def insert_enterprise(db: Session, *, data: dict) -> Enterprise:
    """Store a checked enterprise once (client id, unique USCC)."""
    return insert_once(db, Enterprise, data=data, unique=("uscc",))


def create_enterprise(db: Session, *, scope: str, data: dict) -> Enterprise:
    """A new enterprise registered in the caller's subtree."""
    raise_first(enterprise_errors(db, scope=scope, data=data))
    return insert_enterprise(db, data=data)


def update_enterprise(db: Session, *, scope: str, enterprise: Enterprise,
                      data: dict) -> Enterprise:
    """Change an enterprise registered in the caller's subtree."""
    if not contains(scope, enterprise.region_code):
        raise Forbidden("This enterprise is registered with a bureau above yours "
                        f"({enterprise.region_code}); only that bureau may change it.")
    raise_first(enterprise_errors(db, scope=scope, data=data))
    update_unique(db, enterprise, data, unique=("uscc",))
    return enterprise
