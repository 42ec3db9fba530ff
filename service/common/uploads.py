"""File uploads (multipart/form-data) of the lists bureaus import: the body cap around the
file (`service.common.bodies.body_limit`, 413 before anything is read) and reading the file
up to one byte past its limit (so the limit is checked again on the bytes themselves)."""

from __future__ import annotations

#: multipart framing around the file; the file itself is held to the import's own limit
MULTIPART_OVERHEAD = 64 * 1024


def read_upload(upload: dict, max_bytes: int) -> tuple[str, bytes]:
    """The uploaded `file`'s name and bytes (at most one byte past the limit)."""
    file = upload["file"]
    return file.filename or "", file.read(max_bytes + 1)
