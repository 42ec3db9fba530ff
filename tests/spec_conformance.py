"""Does an answer say what the spec says it does? A small OpenAPI 3.0 response checker
(types, required fields, nullability, enums, undeclared fields) that the test app runs on
every JSON answer of the suite, so every test of every endpoint also tests its contract."""

from __future__ import annotations

import re
from typing import Any

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


class Conformance:
    def __init__(self, spec: dict):
        self.spec = spec
        self.routes = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), item)
                       for path, item in spec["paths"].items()]

    def problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """What is wrong with `body` as the answer `status` of `method path` (none: [])."""
        operation = next((item[method] for pattern, item in self.routes
                          if pattern.match(path) and method in item), None)
        if operation is None:
            return []
        responses = operation["responses"]
        response = self._resolve(responses.get(str(status)) or responses.get("default") or {})
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return [f"{method.upper()} {path}: {status} is not declared with a JSON body"]
        found: list[str] = []
        self._check(schema, body, f"{method.upper()} {path} {status}", found)
        return found

    def _resolve(self, node: dict) -> dict:
        while "$ref" in node:
            kind, name = node["$ref"].split("/")[-2:]
            node = self.spec["components"][kind][name]
        return node

    def _check(self, schema: dict, value: Any, where: str, found: list[str]) -> None:
        schema = self._resolve(schema)
        if "anyOf" in schema:
            for branch in schema["anyOf"]:
                attempt: list[str] = []
                self._check(branch, value, where, attempt)
                if not attempt:
                    return
            found.append(f"{where}: matches no branch of anyOf: {value!r:.200}")
            return
        for part in schema.get("allOf", []):
            self._check(part, value, where, found)
        if value is None:
            if not schema.get("nullable"):
                found.append(f"{where}: null, but not nullable")
            return
        if "enum" in schema and value not in schema["enum"]:
            found.append(f"{where}: {value!r} is not one of {schema['enum']}")
        kind = schema.get("type")
        if kind in ("integer", "number"):
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if not numeric or (kind == "integer" and not float(value).is_integer()):
                found.append(f"{where}: {value!r} is not {kind}")
        elif kind in _TYPES and not isinstance(value, _TYPES[kind]):
            found.append(f"{where}: {type(value).__name__}, expected {kind}")
        elif kind == "array":
            for index, item in enumerate(value):
                self._check(schema.get("items", {}), item, f"{where}[{index}]", found)
        elif kind == "object":
            self._check_object(schema, value, where, found)

    def _check_object(self, schema: dict, value: dict, where: str, found: list[str]) -> None:
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}: required field {name!r} is missing")
        extra = schema.get("additionalProperties")
        for name, item in value.items():
            if name in properties:
                self._check(properties[name], item, f"{where}.{name}", found)
            elif isinstance(extra, dict):
                self._check(extra, item, f"{where}.{name}", found)
            elif properties or extra is False:
                found.append(f"{where}: field {name!r} is not in the spec")
