"""What a request's token is checked against: each user's state, read at most once per
AUTH_RECHECK_SECONDS per process.

A token names its user; the role, jurisdiction and whether the account is active come from
this per-process cache, refilled from the `users` row when older than the recheck time. So a
request costs no authentication query while its user's entry is fresh, and a deactivation or
a change of role or jurisdiction takes effect within AUTH_RECHECK_SECONDS on every worker —
at once on the worker that made the change (it drops the entry) and on any login.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import TTLCache
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from service.auth.models import User
from service.common.errors import DomainError
from service.db import row_dicts

#: users remembered per process; a bound on memory, far above one worker's active users
MAX_USERS = 50_000


class NotAuthenticated(DomainError):
    status = 401


@dataclass(frozen=True)
class Principal:
    """Who a valid token speaks for, as of the last check."""

    id: uuid.UUID
    role: str
    region_code: str
    bureau_name: str | None
    is_active: bool

    def row(self, db: Session) -> User:
        """The user's row, read once per session (the identity map keeps it)."""
        user = db.get(User, self.id)
        if user is None or not user.is_active:
            raise NotAuthenticated("The token's user no longer exists or is deactivated.")
        return user

    def profile(self, connection: Connection) -> dict:
        """The user's row as the API shows it (all but the password hash), read afresh
        for every call: a prebuilt Core statement, without the ORM's object, identity map
        and loading machinery (`/me`, which only reads)."""
        found = row_dicts(connection.execute(_READ_PROFILE, {"user_id": self.id}))
        if not found or not found[0]["is_active"]:
            raise NotAuthenticated("The token's user no longer exists or is deactivated.")
        return found[0]


class UserStates:
    """The per-process cache of Principals, each kept for `ttl` seconds (0: no cache)."""

    def __init__(self, ttl: float):
        self.configure(ttl)

    def configure(self, ttl: float) -> None:
        self.ttl = ttl
        self._cache: TTLCache = TTLCache(maxsize=MAX_USERS, ttl=max(ttl, 1e-9))

    def principal(self, db: Session | Callable[[], Session],
                  user_id: uuid.UUID) -> Principal | None:
        """The user's current state; from the cache while fresh, else one narrow read (`db`
        may be a function giving the session, called only then)."""
        if self.ttl > 0 and (known := self._cache.get(user_id)) is not None:
            return known
        if not isinstance(db, Session):
            db = db()
        row = db.execute(_READ_STATE, {"user_id": user_id}).one_or_none()
        if row is None:
            return None
        principal = Principal(**row._asdict())
        if self.ttl > 0:
            self._cache[user_id] = principal
        return principal

    def forget(self, user_id: uuid.UUID) -> None:
        """Drop a user's entry: the next request reads the row again."""
        self._cache.pop(user_id, None)


#: the one narrow read of a user's state: every column of Principal, built once
_READ_STATE = select(*(getattr(User, name) for name in Principal.__dataclass_fields__)).where(
    User.id == bindparam("user_id"))

#: a user's row without the password hash, built once
_READ_PROFILE = select(*(column for column in User.__table__.c if column.key != "password_hash")
                       ).where(User.__table__.c.id == bindparam("user_id"))

#: this process's cache; create_app sets its ttl from AUTH_RECHECK_SECONDS
USER_STATES = UserStates(ttl=30)


def active_principal(db: Session | Callable[[], Session], user_id: str) -> Principal | None:
    """The Principal of a token's subject while the account exists and is active."""
    try:
        principal = USER_STATES.principal(db, uuid.UUID(user_id))
    except ValueError:
        return None
    return principal if principal is not None and principal.is_active else None
