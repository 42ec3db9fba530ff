"""Keyset pagination: `limit` and an opaque `cursor`, answered with `next_cursor`.

Rows are ordered by a tuple of columns ending in a unique one; the cursor holds the last
row's values, so page N costs the same as page 1 and no row is skipped or repeated while
others are inserted.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import marshmallow as ma
from sqlalchemy import Select, tuple_
from sqlalchemy.orm import Session

from service.common.api import Schema
from service.common.errors import field_error
from service.common.fields import moment_from_text

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class PageArgsSchema(Schema):
    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=ma.validate.Range(1, MAX_LIMIT),
        metadata={"description": f"Page size, 1 to {MAX_LIMIT}."},
    )
    cursor = ma.fields.String(
        load_default=None, metadata={"description": "`next_cursor` of the previous page."}
    )


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A `{items, next_cursor}` envelope schema for a list endpoint."""
    return ma.Schema.from_dict(
        {
            # one dump of the whole list (the schema's own loop), not one per item: the
            # same answer and the same spec (an array of the item schema)
            "items": ma.fields.Nested(item_schema, many=True),
            "next_cursor": ma.fields.String(
                allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null at the end."},
            ),
        },
        name=name,
    )


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def _encode(values: list[Any]) -> str:
    def plain(value):
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, uuid.UUID):
            return str(value)
        return value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, columns) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(columns):
            raise ValueError
        return [_typed(column, value) for column, value in zip(columns, values, strict=True)]
    except (ValueError, TypeError, AttributeError) as exc:
        raise field_error("cursor", "Invalid cursor.", location="query") from exc


def _typed(column, value):
    python_type = column.type.python_type
    if python_type is str and value is not None:
        return _storable(value)
    if value is None or isinstance(value, python_type):
        return value
    if python_type is datetime:
        return moment_from_text(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    return python_type(value)


def _storable(text: str) -> str:
    """Text a crafted cursor may carry, refused unless a database can compare it."""
    if not isinstance(text, str) or "\x00" in text:
        raise ValueError("not storable text")
    text.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError
    return text


def cursor_values(cursor: str, order_by: list) -> list[Any]:
    """The last row's values a cursor holds, typed as `order_by`'s columns (else 422)."""
    return _decode(cursor, order_by)


def page_of_rows(rows: list[Mapping], order_by: list, *, limit: int) -> Page:
    """A page of Core rows (mappings) read with `limit + 1`: the cursor is the last row's
    values of `order_by`, as `paginate` makes it from objects."""
    return _page(rows, order_by, limit, lambda row, key: row[key])


def _page(rows, order_by: list, limit: int, value_of: Callable[[Any, str], Any]) -> Page:
    """The first `limit` of `rows` (read with `limit + 1`), with the cursor of the last one's
    `order_by` values (`value_of(row, key)`) when more follow."""
    items = list(rows[:limit])
    if len(rows) <= limit:
        return Page(items, None)
    return Page(items, _encode([value_of(items[-1], column.key) for column in order_by]))


def paginate(
    db: Session, stmt: Select, order_by: list, *, limit: int, cursor: str | None,
    descending: bool = False,
) -> Page:
    """Run `stmt` ordered by `order_by` (ascending, or all descending; last column unique)
    one page at a time."""
    if cursor:
        after, before = tuple_(*order_by), tuple_(*_decode(cursor, order_by))
        stmt = stmt.where(after < before if descending else after > before)
    ordering = [column.desc() for column in order_by] if descending else order_by
    rows = db.scalars(stmt.order_by(*ordering).limit(limit + 1)).all()
    return _page(rows, order_by, limit, getattr)
