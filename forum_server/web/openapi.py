"""The OpenAPI document, built from the routers' own declarations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from forum_server.schemas import MAX_ID
from forum_server.web.api import ApiOperation
from forum_server.web.shapes import content_of

_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}


def build_openapi(operations: Iterable[ApiOperation], *, version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {"Error": _ERROR_SCHEMA}
    for op in operations:
        success: dict[str, Any] = {"description": "Success"}
        if (content := content_of(op.response, schemas)) is not None:
            success["content"] = content
        entry: dict[str, Any] = {
            "summary": op.summary,
            "operationId": op.endpoint.__name__,
            "responses": {
                **{str(status): success for status in (op.status, *op.also)},
                "default": {
                    "description": "An error",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        }
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": _param_schema(name)}
            for name in re.findall(r"{(\w+)(?::\w+)?}", op.path)
        ]
        parameters += [
            {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
            for name in op.query
        ]
        if parameters:
            entry["parameters"] = parameters
        if op.body is not None:
            name = op.body.__name__
            schemas[name] = op.body.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schemas[name].pop("$defs", {}))
            entry["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                },
            }
        if op.auth == "required":
            entry["security"] = [{"bearer": []}, {"cookie": []}]
        path = re.sub(r"{(\w+):\w+}", r"{\1}", op.path)
        paths.setdefault(path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "forum_server", "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "forum_session"},
            },
        },
    }


def _param_schema(name: str) -> dict[str, Any]:
    if name == "slug":
        return {"type": "string"}
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
