"""JSON API plumbing: route declarations that also describe themselves in OpenAPI,
strict body parsing, and JSON responses."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from forum_server.errors import BadRequest, Invalid
from forum_server.policy import require_caller
from forum_server.schemas import MAX_ID, parse_id, validate
from forum_server.web.auth import actor_of
from forum_server.web.shapes import Response as Response_

Endpoint = Callable[[Request], Awaitable[Response]]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class ApiOperation:
    path: str
    method: str
    endpoint: Endpoint
    summary: str
    body: type[BaseModel] | None
    status: int
    auth: str  # "none", "optional", "required"
    query: tuple[str, ...] = ()
    response: Response_ = None  # what a success answers (forum_server.web.shapes)
    also: tuple[int, ...] = ()  # other success statuses answering the same shape


@dataclass
class ApiRouter:
    """Collects a module's API routes; `routes()` gives Starlette routes and
    `operations` feeds the OpenAPI document, so the two cannot drift apart."""

    prefix: str = "/api/v1"
    operations: list[ApiOperation] = field(default_factory=list)

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        body: type[BaseModel] | None = None,
        status: int = 200,
        auth: str = "required",
        query: tuple[str, ...] = (),
        response: Response_ = None,
        also: tuple[int, ...] = (),
    ) -> Callable[[Endpoint], Endpoint]:
        def register(endpoint: Endpoint) -> Endpoint:
            self.operations.append(
                ApiOperation(
                    self.prefix + path,
                    method.upper(),
                    endpoint,
                    summary,
                    body,
                    status,
                    auth,
                    query,
                    response,
                    also,
                )
            )
            return endpoint

        return register

    def routes(self) -> list[Route]:
        by_path: dict[str, dict[str, ApiOperation]] = {}
        for op in self.operations:
            by_path.setdefault(op.path, {})[op.method] = op
        return [
            Route(path, _dispatch(methods), methods=list(methods))
            for path, methods in by_path.items()
        ]


def _dispatch(methods: dict[str, ApiOperation]) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        op = methods[request.method]
        if op.auth == "required":
            # Settled before the body is read or anything looked up: an anonymous
            # caller is asked to sign in, and learns nothing else (401, never 404/422).
            require_caller(await actor_of(request))
        return await op.endpoint(request)

    return endpoint


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(data, status_code=status, headers=headers)


async def parse_body(request: Request, model: type[ModelT]) -> ModelT:
    """The request's JSON body validated against `model`; 400 for malformed JSON,
    422 naming the field for anything the model refuses."""
    raw = await request.body()
    try:
        data = json.loads(raw or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest("The body is not valid JSON.", code="malformed_json") from None
    except RecursionError:
        # Nesting deep enough to exhaust the parser's stack: no call takes that.
        raise BadRequest("The body is nested too deeply.", code="malformed_json") from None
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.", code="malformed_json")
    return validate(model, data)


def query_int(request: Request, name: str) -> int | None:
    """A whole, non-negative number from the query string (at most MAX_ID, which every
    id, cursor and limit fits in); None when not given."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if raw.strip("0") == "":  # "0", "00": the cursor's start
        return 0
    value = parse_id(raw)
    if value is None:
        raise Invalid(
            "%(name)s must be a whole number from 0 to %(max)s.",
            field=name,
            params={"name": name, "max": MAX_ID},
        )
    return value


def path_int(request: Request, name: str) -> int:
    """An id from the path. Routes declare ids as `{name:int}`, which only matches ids
    in range (see forum_server.web.routing), so this refuses only what a route let by."""
    raw = request.path_params.get(name)
    value = raw if isinstance(raw, int) and 1 <= raw <= MAX_ID else parse_id(str(raw or ""))
    if value is None:
        raise Invalid(
            "%(name)s must be a whole number from 1 to %(max)s.",
            field=name,
            params={"name": name, "max": MAX_ID},
        )
    return value
