"""Request bodies read safely: a size cap before anything is read, and JSON parsed with a
depth limit and without lone surrogates, so hostile bodies are a 4xx naming the spot."""

from __future__ import annotations

import json

from flask import current_app, request

from service.common.errors import DomainError, PayloadTooLarge

#: deeper JSON than this is refused; the API's deepest body (an inspection) has 4 levels
MAX_JSON_DEPTH = 32


class BadJsonBody(DomainError):
    """The body is not JSON the API can take (400), naming where it went wrong."""

    status = 400


def parse_json(data: bytes) -> object:
    """The body as JSON; BadJsonBody if undecodable, nested too deeply or with lone
    surrogates (which no database can store and no UTF-8 answer can repeat)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadJsonBody(f"The body is not UTF-8 (byte {exc.start}).", field="$") from exc
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadJsonBody(f"Invalid JSON body: {exc.msg} at line {exc.lineno} column "
                          f"{exc.colno}.", field="$") from exc
    except RecursionError as exc:  # deeper than Python's parser goes: find where, by hand
        raise _too_deep(_deep_path(text)) from exc
    _check_shape(value)
    return value


def _check_shape(value: object) -> None:
    """Walk the parsed body without recursion; refuse deep nesting and lone surrogates."""
    pending = [("$", value, 0)]
    while pending:
        path, item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep(path)
        if isinstance(item, str):
            _refuse_surrogates(path, item)
        elif isinstance(item, dict):
            for key, child in item.items():
                _refuse_surrogates(path, key)
                pending.append((f"{path}.{key}", child, depth + 1))
        elif isinstance(item, list):
            pending.extend((f"{path}[{index}]", child, depth + 1)
                           for index, child in enumerate(item))


def _deep_path(text: str) -> str:
    """The path at which `text` first nests deeper than MAX_JSON_DEPTH (a scan of its
    brackets, keys and commas; only run on bodies too deep for the parser)."""
    stack: list[list] = []  # per open container: ["[", index] or ["{", key]
    expecting_key, i = False, 0
    while i < len(text):
        char = text[i]
        if char == '"':
            end = _string_end(text, i)
            if expecting_key:
                stack[-1][1] = json.loads(text[i:end])
            i = end
            continue
        if char in "[{":
            if len(stack) >= MAX_JSON_DEPTH:
                break
            stack.append([char, 0 if char == "[" else None])
            expecting_key = char == "{"
        elif char in "]}" and stack:
            stack.pop()
        elif char == "," and stack:
            if stack[-1][0] == "[":
                stack[-1][1] += 1
            expecting_key = stack[-1][0] == "{"
        elif char == ":":
            expecting_key = False
        i += 1
    return "$" + "".join(f"[{key}]" if kind == "[" else f".{key}" for kind, key in stack)


def _string_end(text: str, start: int) -> int:
    """The index just past the JSON string that opens at `start`."""
    i = start + 1
    while i < len(text) and text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _too_deep(path: str) -> BadJsonBody:
    return BadJsonBody(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.",
                       field=_field_name(path))


def _refuse_surrogates(path: str, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadJsonBody(
            "Text may not contain lone UTF-16 surrogates (such as \\ud800): send valid "
            f"Unicode (character {exc.start}).", field=_field_name(path)) from exc


def _field_name(path: str) -> str:
    """`$.answers[0].note` as the field name errors use: `answers[0].note`; `$` is the
    whole body. Names are made ASCII-safe so the error itself can be sent back."""
    name = path[2:] if path.startswith("$.") else path
    return name.encode("ascii", "backslashreplace").decode()


def body_limit(max_bytes: int):
    """Give an endpoint its own body cap instead of the API's JSON cap (e.g. file imports);
    `init_app`'s check reads it before the body is read."""

    def mark(view):
        view.body_limit = max_bytes  # functools.wraps in outer decorators carries it
        return view

    return mark


def init_app(app) -> None:
    """Every request's body is held to its endpoint's cap, else to JSON_MAX_BYTES."""

    @app.before_request
    def _cap_body():
        refuse_large_body(_endpoint_limit() or app.config["SETTINGS"].json_max_bytes)


def _endpoint_limit() -> int | None:
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    method = getattr(view_class, request.method.lower(), None) if view_class else view
    return getattr(method, "body_limit", None)


def refuse_large_body(limit: int) -> None:
    """413 when the declared length is over `limit`; a body without a declared length
    (chunked) is cut off at `limit` while it is read."""
    if (request.content_length or 0) > limit:
        raise PayloadTooLarge(f"The request body may have at most {_size(limit)}; "
                              f"this one has {_size(request.content_length)}.")
    request.max_content_length = limit


def read_body(req) -> bytes:
    """The whole body; 413 when a body without a declared length reached the cap (werkzeug
    stops reading there silently, which would parse a truncated body)."""
    data = req.get_data(cache=True)
    if req.content_length is None and req.max_content_length is not None \
            and len(data) >= req.max_content_length:
        raise PayloadTooLarge(f"The request body may have less than "
                              f"{_size(req.max_content_length)}.")
    return data


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MiB" if count >= 2**20 else f"{count} bytes"
