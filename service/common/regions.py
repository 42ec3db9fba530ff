"""Region-code arithmetic (GB/T 2260 PPCCDD, with 9/12-digit towns and villages below).

A subtree is a code prefix, so "is this site in my jurisdiction" is a range scan on an
indexed string column: `code >= prefix AND code < next(prefix)`, the same on SQLite and
PostgreSQL, with no recursive query.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, true

#: The national administration (国家邮政局) sees everything; GB/T 2260 has no code for it.
NATIONAL_CODE = "000000"

CODE_PATTERN = re.compile(r"^(\d{6}|\d{9}|\d{12})$")


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
