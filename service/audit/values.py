"""Values as an audit entry stores them: plain JSON, and a digest where a value is large or
secret (a password hash is never stored, only the SHA-256 of it)."""

from __future__ import annotations

import enum
import hashlib
import json
import math
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

#: values whose JSON is longer than this are stored as their SHA-256 (and length)
MAX_STORED_CHARS = 512
#: strings up to this long are stored as they are, whatever they hold (a character is at
#: most 6 in JSON)
_SURELY_SHORT_STR = (MAX_STORED_CHARS - 2) // 6


def plain(value: Any) -> Any:
    """A JSON-ready copy of a column value: ids and times as text, containers copied."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytes_sha256": hashlib.sha256(bytes(value)).hexdigest()}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(item) for item in value]
    return str(value)


def canonical(value: Any) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _surely_short(value: Any) -> bool:
    """Scalars whose JSON cannot exceed the limit (a character is at most 6 in JSON)."""
    if isinstance(value, str):
        return len(value) <= _SURELY_SHORT_STR
    return value is None or isinstance(value, (bool, int, float))


class Digest(str):
    """The SHA-256 (hex) recorded instead of a value: a secret's, or a long value's."""

    __slots__ = ()


def stored(value: Any, *, secret: bool = False) -> Any:
    """A value as recorded: JSON-ready itself, or its Digest when large or secret. Plain
    values, no wrapper object: a submission records about a hundred of them."""
    kind = type(value)
    if not secret and (value is None or kind is int or kind is bool or (
            kind is str and len(value) <= _SURELY_SHORT_STR)):
        return value  # most values: nothing to convert
    value = plain(value)
    if not secret and _surely_short(value):
        return value
    text = canonical(value)
    if secret or len(text) > MAX_STORED_CHARS:
        return Digest(sha256_hex(text))
    return value


def same(a: Any, b: Any) -> bool:
    """Two recorded values are the same (a digest never equals a value)."""
    return a == b and (type(a) is Digest) == (type(b) is Digest)


def put(change: dict, side: str, value: Any) -> None:
    """Write a recorded value into a change as `old`/`new`, or `old_sha256`/`new_sha256`."""
    if type(value) is Digest:
        change[f"{side}_sha256"] = str(value)
    else:
        change[side] = value
