"""File uploads (multipart/form-data) of the lists bureaus import: refused above a size
before they are read (413), then read up to one byte past it (so the limit is checked
again on the bytes themselves)."""

from __future__ import annotations

from functools import wraps

from flask import request

from service.common.errors import PayloadTooLarge

#: multipart framing around the file; the file itself is held to the import's own limit
MULTIPART_OVERHEAD = 64 * 1024


def upload_limit(max_bytes: int, message: str):
    """Route decorator: refuse a body larger than `max_bytes` of file (413) before reading."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            limit = max_bytes + MULTIPART_OVERHEAD
            if (request.content_length or 0) > limit:
                raise PayloadTooLarge(message, field="file", location="files")
            request.max_content_length = limit  # a body without a length is cut off there
            return view(*args, **kwargs)

        return wrapper

    return decorator


def read_upload(upload: dict, max_bytes: int) -> tuple[str, bytes]:
    """The uploaded `file`'s name and bytes (at most one byte past the limit)."""
    file = upload["file"]
    return file.filename or "", file.read(max_bytes + 1)
