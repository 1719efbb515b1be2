"""Every API answer a test receives is checked against the OpenAPI document: the body
of a success against the schema its operation declares, an error against `Error`.
The check rides on the test client (tests/helpers.client_for), so the whole suite
holds the document to what the server really sends."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import httpx
from jsonschema import Draft202012Validator

from forum_server.app import all_api_routers, package_version
from forum_server.web.openapi import build_openapi

API = "/api/v1"


@dataclass(frozen=True)
class Operation:
    method: str
    pattern: re.Pattern[str]
    responses: dict[str, Any]


@functools.cache
def document() -> dict[str, Any]:
    operations = [op for router in all_api_routers() for op in router.operations]
    return build_openapi(operations, version=package_version())


@functools.cache
def operations() -> tuple[Operation, ...]:
    found = []
    for path, methods in document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"{\w+}", "[^/]+", path) + "$")
        for method, entry in methods.items():
            found.append(Operation(method.upper(), pattern, entry["responses"]))
    return tuple(found)


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    # References point into the document's components: validate inside the document.
    return Draft202012Validator({**schema, "components": document()["components"]})


def operation_for(method: str, path: str) -> Operation | None:
    for op in operations():
        if op.method == method and op.pattern.match(path):
            return op
    return None


async def check_response(response: httpx.Response) -> None:
    request = response.request
    if not request.url.path.startswith(API + "/"):
        return
    op = operation_for(request.method, request.url.path)
    if op is None or "application/json" not in response.headers.get("content-type", ""):
        return
    await response.aread()
    declared = op.responses.get(str(response.status_code), op.responses["default"])
    schema = declared.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return  # an operation that has not declared its answer (see test_plumbing)
    errors = sorted(validator(schema).iter_errors(response.json()), key=str)
    assert not errors, (
        f"{request.method} {request.url.path} answered {response.status_code} with a body "
        f"that the OpenAPI document does not describe: {errors[0].message} at "
        f"{list(errors[0].absolute_path)}"
    )
