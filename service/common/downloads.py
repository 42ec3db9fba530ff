"""File downloads the API builds itself (exports): the headers in one place, so every
export names its type once and carries a filename any browser or mail client can use."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Response

#: text types are sent with their charset; binary ones (XLSX) without
CHARSET = "utf-8"


def attachment(content: bytes, *, mimetype: str, filename: str, ascii_filename: str) -> Response:
    """`content` as a download: Content-Type with the charset once (text only) and a
    Content-Disposition with an ASCII `filename` beside the UTF-8 `filename*` (RFC 6266)."""
    content_type = f"{mimetype}; charset={CHARSET}" if mimetype.startswith("text/") else mimetype
    response = Response(content, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition(filename, ascii_filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def content_disposition(filename: str, ascii_filename: str) -> str:
    """attachment; filename="plan-results-2026Q4.csv"; filename*=UTF-8''%E5%8F%8C…"""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_filename).strip("_") or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
