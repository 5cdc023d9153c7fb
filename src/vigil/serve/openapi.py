"""The OpenAPI 3.1 schema, generated from the endpoint table (nothing is declared twice)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .api._base import Endpoint

__all__ = ["openapi_schema"]

_TYPES = {"string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
          "boolean": {"type": "boolean"}, "datetime": {"type": "string", "format": "date-time"}}
_ENVELOPE = {"type": "object", "required": ["ok", "status"],
             "properties": {"ok": {"type": "boolean"}, "status": {"type": "integer"}, "data": {},
                            "error": {"type": "string"}}}


def openapi_schema(endpoints: Sequence[Endpoint], version: str) -> dict[str, Any]:
    """The schema of every endpoint: parameters, roles, bodies and the envelope."""
    paths: dict[str, dict[str, Any]] = {}
    for ep in endpoints:
        path = re.sub(r"\{(\w+)(?::\w+)?\}", r"{\1}", ep.path)
        op: dict[str, Any] = {
            "summary": ep.summary,
            "tags": list(ep.tags),
            "parameters": [{"name": p.name, "in": p.where, "required": p.required or p.where == "path",
                            "description": p.help,
                            "schema": {**_TYPES[p.kind], **({"enum": list(p.enum)} if p.enum else {})}}
                           for p in ep.params],
            "responses": {
                "200": {"description": "OK", "content": {ep.produces: {"schema": _ENVELOPE}}
                        if ep.produces == "application/json" else {ep.produces: {}}},
                "default": {"description": "Error envelope",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
            "x-role": ep.role or "anyone",
        }
        if ep.role is not None:
            op["security"] = [{"bearer": []}, {"session": []}]
        if ep.audit:
            op["x-audited"] = ep.audit
        if ep.body:
            op["requestBody"] = {"description": ep.body, "content": {"application/json": {}}}
        paths.setdefault(path, {})[ep.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "vigil", "version": version,
                 "description": "Crisis-message monitor API. Every answer is an envelope: "
                                '{"ok": true, "data": ..., "status": 200} or '
                                '{"ok": false, "error": ..., "status": N}.'},
        "paths": paths,
        "components": {
            "schemas": {"Error": {"type": "object", "required": ["ok", "error", "status"],
                                  "properties": {"ok": {"const": False}, "error": {"type": "string"},
                                                 "status": {"type": "integer"}}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "session": {"type": "apiKey", "in": "cookie", "name": "vigil_session"}},
        },
    }
