"""Who is writing, and under which request id: carried on the session to the audit trail.

The request layer puts both in `session.info` (the request id when `db.session()` makes the
request's session, the caller where `service.common.access.requires` resolves them), so the
audit hook (`service.audit.hooks`) knows them without importing Flask. A session nobody
bound (commands, workers, in-process tasks) writes as the `system` actor.

Every answer carries `X-Request-ID`: the client's own when it is well formed (1 to 64 of
`A-Z a-z 0-9 . _ : -`), else one made here; it is the id the audit entries record.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_ACTOR, _REQUEST_ID = "audit_actor", "audit_request_id"


@dataclass(frozen=True)
class Actor:
    """The author of a write: a user (id, role, bureau region) or `system`/`anonymous`."""

    role: str
    user_id: uuid.UUID | None = None
    region_code: str | None = None


#: commands, workers and tasks
SYSTEM = Actor("system")
#: a request before (or without) a valid token, e.g. a failed login
ANONYMOUS = Actor("anonymous")


def request_id_from(header_value: str | None) -> str:
    """The client's request id when well formed, else a new one."""
    if header_value and _WELL_FORMED.match(header_value):
        return header_value
    return uuid.uuid4().hex


def bind_request(session: Session, request_id: str) -> None:
    """Mark `session` as a request's: its writes carry the id, anonymous until a login."""
    session.info[_REQUEST_ID] = request_id
    session.info.setdefault(_ACTOR, ANONYMOUS)


def bind_actor(session: Session, user) -> None:
    """The authenticated caller writes through `session` from now on."""
    session.info[_ACTOR] = Actor(user.role, user.id, user.region_code)


def actor_of(session: Session) -> Actor:
    return session.info.get(_ACTOR, SYSTEM)


def request_id_of(session: Session) -> str | None:
    return session.info.get(_REQUEST_ID)


def init_app(app) -> None:
    """Give every request an id and echo it in the answer's `X-Request-ID`.

    Register before `service.db.init_app`, so the header is also set on the answer that
    replaces a response whose commit failed (after_request hooks run in reverse order).
    """
    from flask import g, request

    @app.before_request
    def _take_request_id():
        g.request_id = request_id_from(request.headers.get(HEADER))

    @app.after_request
    def _echo_request_id(response):
        if "request_id" in g:
            response.headers[HEADER] = g.request_id
        return response
