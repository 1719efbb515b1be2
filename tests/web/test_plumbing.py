"""What every response promises: headers, error formats, limits, the API description."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from forum_server.app import all_api_routers


async def test_home_page_has_security_headers(client: httpx.AsyncClient):
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "<script>" not in response.text  # no inline script anywhere


async def test_unknown_api_path_is_json_404(client: httpx.AsyncClient):
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_unknown_page_is_an_html_404(client: httpx.AsyncClient):
    response = await client.get("/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text


async def test_oversized_body_is_413(client: httpx.AsyncClient, app):
    limit = app.state.ctx.settings.max_body_bytes
    response = await client.post(
        "/api/v1/users",
        content=b"{" + b" " * limit + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


async def test_form_with_thousands_of_fields_is_refused(client: httpx.AsyncClient):
    from tests.helpers import csrf_from

    token = await csrf_from(client)
    fields = {f"f{i}": "x" for i in range(2000)} | {"csrf_token": token}
    response = await client.post("/login", data=fields)
    assert response.status_code == 400


async def test_every_request_gets_an_id_and_one_log_line(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
):
    with caplog.at_level(logging.INFO, logger="forum_server.requests"):
        response = await client.get("/healthz?secret=hunter2")
    request_id = response.headers["x-request-id"]
    lines = [r.getMessage() for r in caplog.records if r.name == "forum_server.requests"]
    assert len(lines) == 1
    assert request_id in lines[0] and "/healthz" in lines[0]
    assert "hunter2" not in lines[0]


def plain(path: str) -> str:
    return re.sub(r"{(\w+):\w+}", r"{\1}", path)


async def test_openapi_describes_every_api_route(client: httpx.AsyncClient, app):
    document = (await client.get("/api/v1/openapi.json")).json()
    described = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    mounted = {
        (plain(route.path), method)
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/api/")
        for method in (route.methods or set()) - {"HEAD"}
    }
    assert mounted and mounted == described
    declared = {
        (plain(op.path), op.method) for router in all_api_routers() for op in router.operations
    }
    assert declared == described
    assert "UserCreate" in document["components"]["schemas"]


# Operations whose answers are not declared yet: their views are being reworked
# elsewhere (flags, suspensions, holding rules). This list only shrinks.
UNDECLARED = {
    ("POST", "/api/v1/posts/{post_id}/flags"),
    ("POST", "/api/v1/spaces/{slug}/suspensions"),
    ("GET", "/api/v1/spaces/{slug}/suspensions"),
    ("DELETE", "/api/v1/spaces/{slug}/suspensions/{suspension_id}"),
    ("POST", "/api/v1/suspensions"),
    ("GET", "/api/v1/suspensions"),
    ("DELETE", "/api/v1/suspensions/{suspension_id}"),
    ("GET", "/api/v1/spaces/{slug}/moderation"),
    ("PUT", "/api/v1/spaces/{slug}/moderation"),
}


async def test_every_answer_with_a_body_is_described(client: httpx.AsyncClient):
    document = (await client.get("/api/v1/openapi.json")).json()
    undescribed = set()
    for path, methods in document["paths"].items():
        for method, entry in methods.items():
            (status, success), *_ = entry["responses"].items()
            if status != "204" and "content" not in success:
                undescribed.add((method.upper(), path))
    assert undescribed == UNDECLARED


async def test_openapi_document_is_valid_openapi_3_1(client: httpx.AsyncClient):
    document = (await client.get("/api/v1/openapi.json")).json()
    validate(document)  # the schema of OpenAPI 3.1, with every $ref resolved


async def test_large_pages_are_compressed(client: httpx.AsyncClient):
    response = await client.get("/register", headers={"accept-encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"


async def test_health(client: httpx.AsyncClient):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
