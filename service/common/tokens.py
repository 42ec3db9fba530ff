"""Access tokens checked once per process: a verified token's claims are remembered, so a
request does not decode and verify the same signature again (flask-jwt-extended decodes a
token three times per request: twice unverified, once verified).

Only what the signature check proves is remembered: the claims of a token that verified
with this app's key. Expiry is checked on every use (a remembered token that has expired is
decoded again, which raises the usual "expired" answer), and whether the token's user may
still act is checked on every request by `service.auth.states` as before.
"""

from __future__ import annotations

import time

from cachetools import LRUCache
from flask_jwt_extended import JWTManager
from flask_jwt_extended.config import config

#: verified tokens remembered per process (a bound on memory: ~1 KiB each)
MAX_TOKENS = 4096


class TokenManager(JWTManager):
    """flask-jwt-extended's manager, remembering the claims of tokens it has verified."""

    def __init__(self, app=None, add_context_processor: bool = False) -> None:
        self._verified: LRUCache = LRUCache(maxsize=MAX_TOKENS)
        super().__init__(app, add_context_processor)

    def _decode_jwt_from_config(self, encoded_token: str, csrf_value=None,
                                allow_expired: bool = False) -> dict:
        key = (encoded_token, csrf_value)
        claims = self._verified.get(key)
        if claims is not None and (allow_expired or _unexpired(claims)):
            return dict(claims)
        claims = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        if not allow_expired:  # verified and unexpired: safe to remember
            self._verified[key] = dict(claims)
        return claims


def _unexpired(claims: dict) -> bool:
    expires = claims.get("exp")
    leeway = config.leeway
    leeway = leeway.total_seconds() if hasattr(leeway, "total_seconds") else leeway
    return expires is None or time.time() < expires + leeway
