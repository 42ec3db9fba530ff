"""Who is calling and what they may do: role checks and the caller's jurisdiction."""

from __future__ import annotations

from functools import wraps

from flask_jwt_extended import current_user, verify_jwt_in_request

from service import db
from service.auth.models import User
from service.auth.states import Principal
from service.common.errors import DomainError, Forbidden


class NotAuthenticated(DomainError):
    status = 401


def principal() -> Principal:
    """Who the request's token speaks for (role, jurisdiction): no query while fresh."""
    return current_user


def caller() -> User:
    """The authenticated user's row, read once per request and only by endpoints that need it."""
    user = db.session().get(User, current_user.id)
    if user is None or not user.is_active:
        raise NotAuthenticated("The token's user no longer exists or is deactivated.")
    return user


def scope() -> str:
    """The caller's jurisdiction: a region code whose subtree bounds every query."""
    return current_user.region_code


def requires(*roles: str):
    """Route decorator: a valid access token, and (when named) one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request()
            if roles and current_user.role not in roles:
                raise Forbidden(
                    f"This action needs one of the roles: {', '.join(roles)}; "
                    f"you are {current_user.role}."
                )
            return view(*args, **kwargs)

        wrapper._required_roles = roles  # read by the access-matrix test
        return wrapper

    return decorator
