"""Who is calling and what they may do: the roles, role checks and the caller's jurisdiction.

Every feature's routes use this, so it knows no feature: the auth feature issues the tokens
and gives flask-jwt-extended's `current_user` (`service.auth.states.Principal`), which
loads the caller's row on demand.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask_jwt_extended import get_current_user

from service import db
from service.common.errors import Forbidden
from service.common.regions import Jurisdiction
from service.common.tokens import verify_access_token

INSPECTOR = "inspector"
SUPERVISOR = "supervisor"
LEGAL_REVIEWER = "legal_reviewer"
ANALYST = "analyst"
ADMIN = "admin"
ROLES = (INSPECTOR, SUPERVISOR, LEGAL_REVIEWER, ANALYST, ADMIN)


def principal() -> Any:
    """Who the request's token speaks for (`service.auth.states.Principal`: id, role,
    jurisdiction), as of the worker's last check of the user: no query while fresh. The
    object itself, not flask-jwt-extended's `current_user` proxy, which looks the request's
    token up again on every attribute read."""
    return get_current_user()


def caller() -> Any:
    """The caller's row (`service.auth.models.User`), read once per request and only by the
    endpoints that need more than `principal()`."""
    return principal().row(db.session())


def caller_profile() -> Any:
    """The caller's row as a mapping of its columns but the password hash, read afresh by
    every call (a Core row, no ORM object): for answers that only show the caller."""
    with db.reading() as connection:
        return principal().profile(connection)


def scope() -> Jurisdiction:
    """The caller's jurisdiction: a region code whose subtree bounds every query, carrying
    who the caller is (for what tasks assign them across districts)."""
    user = principal()
    return Jurisdiction(user.region_code, user.id)


def requires(*roles: str):
    """Route decorator: a valid access token, and (when named) one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_access_token()  # verify_jwt_in_request(), without decoding a known token
            user = principal()
            db.bind_caller(user)  # the audit trail's "who"
            if roles and user.role not in roles:
                raise Forbidden(
                    f"This action needs one of the roles: {', '.join(roles)}; "
                    f"you are {user.role}."
                )
            return view(*args, **kwargs)

        wrapper._required_roles = roles  # read by the access-matrix test
        return wrapper

    return decorator
