"""Passwords, logins with lock-out, and the management of users within a jurisdiction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, and_, delete, select
from sqlalchemy.orm import Session

from service.auth.models import LoginThrottle, User
from service.common.access import ADMIN, INSPECTOR
from service.common.errors import Conflict, DomainError, NotFound, TooManyRequests, field_error
from service.common.pagination import Page, paginate
from service.common.regions import in_subtree
from service.db import utcnow
from service.regions.logic import require_region_in_scope

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class LoginFailed(DomainError):
    status = 401
    keeps_changes = True  # the failure count must survive the 401


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _password_matches(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    db: Session, *, username: str, password: str, client_address: str, max_failures: int,
    lock_minutes: int,
) -> User:
    """The user for these credentials; after too many failures from one client address, the
    username is locked for that address only (others, its owner's among them, still log in)."""
    user = db.scalar(select(User).where(User.username == username).with_for_update())
    throttle = db.get(LoginThrottle, (user.id, client_address)) if user else None
    now = utcnow()
    if throttle is not None and throttle.locked_until and throttle.locked_until > now:
        raise TooManyRequests(
            "Too many failed logins from your address; this account is locked for it for a "
            "while (账号已锁定).",
            retry_after=int((throttle.locked_until - now).total_seconds()) + 1)
    if not _password_matches(user, password) or user is None or not user.is_active:
        if user is not None:
            _count_failure(db, throttle, user_id=user.id, client_address=client_address,
                           max_failures=max_failures, locked_until=now + timedelta(
                               minutes=lock_minutes))
        raise LoginFailed("Wrong username or password, or the account is deactivated.")
    if throttle is not None:
        db.delete(throttle)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _count_failure(db: Session, throttle: LoginThrottle | None, *, user_id: uuid.UUID,
                   client_address: str, max_failures: int, locked_until) -> None:
    if throttle is None:
        throttle = LoginThrottle(user_id=user_id, client_address=client_address, failures=0)
        db.add(throttle)
    throttle.failures += 1
    if throttle.failures >= max_failures:
        throttle.locked_until, throttle.failures = locked_until, 0


def active_user(db: Session, user_id: str) -> User | None:
    """The user a token names, if it still exists and is active."""
    try:
        user = db.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    return user if user is not None and user.is_active else None


def list_users(
    db: Session, *, scope: str, role: str | None, region_code: str | None,
    is_active: bool | None, limit: int, cursor: str | None,
) -> Page:
    """Users whose administration lies in the caller's subtree."""
    stmt = select(User).where(in_subtree(User.region_code, scope))
    if role:
        stmt = stmt.where(User.role == role)
    if region_code:
        stmt = stmt.where(in_subtree(User.region_code, region_code))
    if is_active is not None:
        stmt = stmt.where(User.is_active == is_active)
    return paginate(db, stmt, [User.username], limit=limit, cursor=cursor)


def get_user(db: Session, *, scope: str, user_id: uuid.UUID) -> User:
    user = db.scalar(
        select(User).where(User.id == user_id, in_subtree(User.region_code, scope))
    )
    if user is None:
        raise NotFound("No such user in your jurisdiction.")
    return user


def create_user(db: Session, *, scope: str, data: dict) -> User:
    """A new user in the caller's subtree; usernames and certificate numbers are unique."""
    require_region_in_scope(db, scope=scope, code=data["region_code"])
    _check_unique(db, data)
    fields = {k: v for k, v in data.items() if k != "password"}
    user = User(password_hash=hash_password(data["password"]), **fields)
    _check_certificate(user)
    db.add(user)
    db.flush()
    return user


def update_user(db: Session, *, scope: str, user: User, data: dict,
                actor_id: uuid.UUID) -> User:
    """Change a user; a bureau keeps an active admin, and nobody demotes themselves."""
    _keep_an_admin(db, user=user, data=data, actor_id=actor_id)
    if "region_code" in data:
        require_region_in_scope(db, scope=scope, code=data["region_code"])
    _check_unique(db, data, exclude=user.id)
    password = data.pop("password", None)
    for key, value in data.items():
        setattr(user, key, value)
    if password:  # a new password lifts every lock on the account
        user.password_hash = hash_password(password)
        db.execute(delete(LoginThrottle).where(LoginThrottle.user_id == user.id))
    _check_certificate(user)
    db.flush()
    return user


#: the changes that take a user's admin rights in their bureau away
_LOSING_CHANGES = ("is_active", "role", "region_code")


def _keep_an_admin(db: Session, *, user: User, data: dict, actor_id: uuid.UUID) -> None:
    """Refuse (409) deactivating, demoting or moving one's own account, or a bureau's last
    active admin, so no bureau is left without anyone to manage its users."""
    changed = [name for name in _LOSING_CHANGES
               if name in data and data[name] != getattr(user, name)]
    if user.id == actor_id and changed:
        raise Conflict("You cannot deactivate, demote or move your own account; ask another "
                       "admin to.", field=changed[0])
    if not (changed and user.role == ADMIN and user.is_active):
        return  # any change left takes an active admin's rights here away
    # Locked, so two admins removing each other at once cannot both succeed.
    others = db.scalars(select(User.id).where(
        User.region_code == user.region_code, User.role == ADMIN, User.is_active.is_(True),
        User.id != user.id).with_for_update()).all()
    if not others:
        raise Conflict("This is the last active admin of its bureau; make another user of "
                       "the bureau an admin first.", field=changed[0])


def _check_unique(db: Session, data: dict, exclude: uuid.UUID | None = None) -> None:
    for field in ("username", "certificate_number"):
        value = data.get(field)
        if value is None:
            continue
        stmt = select(User.id).where(getattr(User, field) == value)
        if exclude is not None:
            stmt = stmt.where(User.id != exclude)
        if db.scalar(stmt) is not None:
            raise Conflict(f"Another user already has this {field}.", field=field)


def _check_certificate(user: User) -> None:
    starts, ends = user.certificate_valid_from, user.certificate_valid_until
    if starts and ends and ends < starts:
        raise field_error("certificate_valid_until", "The certificate ends before it starts.")
    if user.role == INSPECTOR and not user.certificate_number:
        raise field_error(
            "certificate_number", "Inspectors need an enforcement certificate number (执法证号)."
        )


def active_officers(scope: str, *, roles: Iterable[str] = (INSPECTOR,),
                    certified_over: tuple[date, date] | None = None) -> ColumnElement[bool]:
    """SQL over users: active, of `roles`, in the jurisdiction; with `certified_over`
    (first, last day), only those whose enforcement certificate (执法证) covers both days."""
    conditions = [User.role.in_(tuple(roles)), User.is_active.is_(True),
                  in_subtree(User.region_code, scope)]
    if certified_over is not None:
        first, last = certified_over
        conditions += [User.certificate_number.is_not(None),
                       User.certificate_valid_from <= first, User.certificate_valid_until >= last]
    return and_(*conditions)


def require_officers(db: Session, *, scope: str, ids: Iterable[uuid.UUID], field: str,
                     roles: Iterable[str] = (INSPECTOR,)) -> list[User]:
    """The users `ids` name, each an active officer of `roles` in the jurisdiction; else a
    422 naming `field` and the ids that are not."""
    wanted = set(ids)
    users = list(db.scalars(select(User).where(User.id.in_(wanted),
                                               active_officers(scope, roles=roles))))
    unknown = sorted(str(user_id) for user_id in wanted - {user.id for user in users})
    if unknown:
        raise field_error(field, "Not active inspectors of your jurisdiction: "
                                 f"{', '.join(unknown)}.")
    return users
