"""Errors in the one JSON shape flask-smorest gives: {code, status, message, errors}."""

from __future__ import annotations

from flask import g
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.http import HTTP_STATUS_CODES


class DomainError(Exception):
    """A rule broken by the request; routes never see it: the app turns it into a 4xx."""

    status = 422
    #: True for a refusal whose record must survive the answer (a failed login's count, a
    #: rejected photo's verdict): the request's one commit still happens despite the 4xx
    keeps_changes = False

    def __init__(self, message: str, *, field: str | None = None, location: str = "json",
                 errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.location = location
        #: structured details beyond one field, e.g. {"file": {"rows": [...]}}
        self.errors = errors


class NotFound(DomainError):
    """Missing, or outside the caller's jurisdiction: the two look the same on purpose."""

    status = 404


class Conflict(DomainError):
    status = 409


class Forbidden(DomainError):
    status = 403


class PreconditionFailed(DomainError):
    status = 412


class PayloadTooLarge(DomainError):
    status = 413


class UnsupportedMediaType(DomainError):
    status = 415


class TooManyRequests(DomainError):
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def field_error(field: str, message: str, *, location: str = "json") -> DomainError:
    """A 422 naming one field, as the schemas' own errors do."""
    return DomainError(message, field=field, location=location)


def error_payload(error: DomainError) -> tuple[dict, int, dict]:
    payload = {
        "code": error.status,
        "status": HTTP_STATUS_CODES.get(error.status, "Error"),
        "message": error.message,
    }
    if error.errors:
        payload["errors"] = error.errors
    elif error.field:
        payload["errors"] = {error.location: {error.field: [error.message]}}
    headers = {}
    if getattr(error, "retry_after", None) is not None:
        headers["Retry-After"] = str(error.retry_after)
    return payload, error.status, headers


def database_error_payload(exc: Exception) -> tuple[dict, int, dict]:
    """A write that lost a race: another request changed or created the same thing."""
    if isinstance(exc, StaleDataError):
        return error_payload(
            PreconditionFailed("The resource changed meanwhile; fetch it again and retry.")
        )
    return error_payload(Conflict("This conflicts with data stored meanwhile; retry."))


def data_error_payload(_exc: Exception) -> tuple[dict, int, dict]:
    """A value the database cannot store (the schemas should have named it first)."""
    return error_payload(DomainError("A value cannot be stored as given (e.g. a control "
                                     "character or a number out of range)."))


class ServiceUnavailable(DomainError):
    """A part the service needs is down (503 with Retry-After); nothing was stored."""

    status = 503
    retry_after = 5


class ObjectStoreUnavailable(ServiceUnavailable):
    """Object storage did not answer in time or failed; raised by service.storage."""

    def __init__(self, reason: str):
        super().__init__("Object storage (the photo store) is unavailable or failing; nothing "
                         f"was stored. Retry shortly. ({reason})")


def unavailable_payload(_exc: Exception) -> tuple[dict, int, dict]:
    """The database is down, busy or lost the connection: nothing was stored; retry."""
    return error_payload(ServiceUnavailable(
        "The database is unavailable or busy; nothing was stored. Retry shortly."))


def _domain_error(error: DomainError) -> tuple[dict, int, dict]:
    if error.keeps_changes:
        g.keep_changes = True  # read by the commit in service.db.init_app
    return error_payload(error)


def register_error_handlers(app) -> None:
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(StaleDataError, database_error_payload)
    app.register_error_handler(IntegrityError, database_error_payload)
    app.register_error_handler(DataError, data_error_payload)
    app.register_error_handler(OperationalError, unavailable_payload)
    app.register_error_handler(InterfaceError, unavailable_payload)
