"""Access tokens checked once per process: a verified token's claims are remembered, so a
request does not decode and verify the same signature again (flask-jwt-extended decodes a
token three times per request: twice unverified, once verified).

Only what the signature check proves is remembered: the claims of a token that verified
with this app's key. Expiry is checked on every use (a remembered token that has expired is
decoded again, which raises the usual "expired" answer), and whether the token's user may
still act is checked on every request by `service.auth.states` as before.

`verify_access_token` is `verify_jwt_in_request()` for the API's access tokens, answered
from what is remembered when it can be (the raw `Authorization: Bearer` string of a token
verified before, unexpired, of the access type): no decoding at all, not even of the header.
Anything else — no header, another shape, a token not seen, expired, a refresh token —
goes through flask-jwt-extended as before, which gives the usual answer.
"""

from __future__ import annotations

import time

import jwt
from cachetools import LRUCache
from flask import current_app, g, request
from flask_jwt_extended import JWTManager, verify_jwt_in_request
from flask_jwt_extended.config import config
from flask_jwt_extended.default_callbacks import (
    default_blocklist_callback,
    default_token_verification_callback,
)
from flask_jwt_extended.exceptions import UserLookupError

#: verified tokens remembered per process (a bound on memory: ~1 KiB each)
MAX_TOKENS = 4096


class TokenManager(JWTManager):
    """flask-jwt-extended's manager, remembering the claims of tokens it has verified."""

    def __init__(self, app=None, add_context_processor: bool = False) -> None:
        self._verified: LRUCache = LRUCache(maxsize=MAX_TOKENS)
        #: raw token -> (its header, its verified claims), for verify_access_token
        self._access: LRUCache = LRUCache(maxsize=MAX_TOKENS)
        self._shortcut: bool | None = None
        super().__init__(app, add_context_processor)

    def remembered_access(self, encoded_token: str) -> tuple[dict, dict] | None:
        """(header, claims) of an access token this process verified, while unexpired."""
        known = self._access.get(encoded_token)
        if known is None or not _unexpired(known[1]):
            return None
        return known

    def _may_shortcut(self) -> bool:
        """Whether a remembered token may skip flask-jwt-extended here: tokens read from
        the Authorization header only, as `Bearer <token>`, and no blocklist or claims
        check registered (they would have to run on every request). Decided once, at the
        first request, when every loader is registered."""
        if self._shortcut is None:
            self._shortcut = (
                self._user_lookup_callback is not None
                and list(config.token_location) == ["headers"]
                and config.header_name == "Authorization" and config.header_type == "Bearer"
                and self._token_in_blocklist_callback is default_blocklist_callback
                and self._token_verification_callback is default_token_verification_callback)
        return self._shortcut

    def _decode_jwt_from_config(self, encoded_token: str, csrf_value=None,
                                allow_expired: bool = False) -> dict:
        key = (encoded_token, csrf_value)
        claims = self._verified.get(key)
        if claims is not None and (allow_expired or _unexpired(claims)):
            return dict(claims)
        claims = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        if not allow_expired:  # verified and unexpired: safe to remember
            self._verified[key] = dict(claims)
            if csrf_value is None and claims.get("type") == "access":
                self._access[encoded_token] = (jwt.get_unverified_header(encoded_token),
                                               dict(claims))
        return claims


def verify_access_token() -> None:
    """What `verify_jwt_in_request()` does for an access token, without decoding one this
    process has verified: the same checks (type, expiry, the user lookup, whose None is the
    usual 401) and the same request state, so `get_current_user()` and `get_jwt()` work."""
    manager: TokenManager = current_app.extensions["flask-jwt-extended"]
    value = request.headers.get("Authorization", "")
    known = None
    if value.startswith("Bearer ") and request.method not in config.exempt_methods \
            and manager._may_shortcut():
        known = manager.remembered_access(value[7:])
    if known is None:
        verify_jwt_in_request()
        return
    header, claims = known
    claims = dict(claims)  # a caller changing get_jwt() must not change what is remembered
    user = manager._user_lookup_callback(header, claims)
    if user is None:
        raise UserLookupError(f"user_lookup returned None for {claims[config.identity_claim_key]}",
                              header, claims)
    g._jwt_extended_jwt_user = {"loaded_user": user}
    g._jwt_extended_jwt_header = header
    g._jwt_extended_jwt = claims
    g._jwt_extended_jwt_location = "headers"


def _unexpired(claims: dict) -> bool:
    expires = claims.get("exp")
    leeway = config.leeway
    leeway = leeway.total_seconds() if hasattr(leeway, "total_seconds") else leeway
    return expires is None or time.time() < expires + leeway
