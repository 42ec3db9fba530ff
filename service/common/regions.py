"""Region-code arithmetic (GB/T 2260 PPCCDD, with 9/12-digit towns and villages below).

A subtree is a code prefix, so "is this site in my jurisdiction" is a range scan on an
indexed string column: `code >= prefix AND code < next(prefix)`, the same on SQLite and
PostgreSQL, with no recursive query.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import ColumnElement, and_, true

#: The national administration (国家邮政局) sees everything; GB/T 2260 has no code for it.
NATIONAL_CODE = "000000"

CODE_PATTERN = re.compile(r"^(\d{6}|\d{9}|\d{12})$")


class Jurisdiction(str):
    """A caller's jurisdiction: the region code whose subtree they see (the string itself, so
    every `in_subtree(column, scope)` reads it as before) and who the caller is, so a look-up
    of one site or inspection can also honour what a task assigns them across districts
    (县区互查, service/assignments/reach.py)."""

    user_id: uuid.UUID | None

    def __new__(cls, code: str, user_id: uuid.UUID | None = None) -> Jurisdiction:
        jurisdiction = super().__new__(cls, code)
        jurisdiction.user_id = user_id
        return jurisdiction


def caller_of(scope: str) -> uuid.UUID | None:
    """The user a jurisdiction belongs to, when it is a caller's (not a bare region code)."""
    return getattr(scope, "user_id", None)


def is_well_formed(code: str) -> bool:
    return bool(CODE_PATTERN.match(code or ""))


def subtree_prefix(code: str) -> str:
    """The prefix all codes in this region's subtree share: 310000 -> 31, 320500 -> 3205."""
    if code == NATIONAL_CODE:
        return ""
    if len(code) == 6:
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
    return code


def _prefix_upper_bound(prefix: str) -> str | None:
    """The smallest digit string greater than every string starting with prefix."""
    digits = prefix.rstrip("9")
    if not digits:
        return None
    return digits[:-1] + str(int(digits[-1]) + 1)


def in_subtree(column, code: str) -> ColumnElement[bool]:
    """SQL condition: column holds a code in the subtree of `code` (inclusive)."""
    prefix = subtree_prefix(code)
    if not prefix:
        return true()
    upper = _prefix_upper_bound(prefix)
    if upper is None:
        return column >= prefix
    return and_(column >= prefix, column < upper)


def subtree_range(code: str) -> tuple[str | None, str | None]:
    """(lowest, bound) of the codes in the subtree of `code`, as `in_subtree` compares them:
    `lowest <= column < bound`, None where that side is open (the national scope: both)."""
    prefix = subtree_prefix(code)
    return (prefix or None), (_prefix_upper_bound(prefix) if prefix else None)


def contains(scope_code: str, code: str) -> bool:
    """True when `code` lies in the subtree of `scope_code` (or is it)."""
    return code.startswith(subtree_prefix(scope_code))


def level_of(code: str) -> str:
    if code == NATIONAL_CODE:
        return "national"
    if len(code) == 9:
        return "town"
    if len(code) == 12:
        return "village"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district"
